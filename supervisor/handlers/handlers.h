/*
 * The handlers: one sys_<name> for each FULL or PARTIAL row of syscalls.def.
 *
 * A handler decodes and checks its call's arguments in Linux's order and
 * delegates to the kernel objects and the VFS; it returns the result, a
 * -errno, or an internal code of base.h.  The dispatcher (dispatch/) is the
 * only caller.  This header is generated from syscalls.def, which lives here
 * because each row names its handler.
 */
#pragma once

#include "task.h"

/* Handler prototypes for FULL and PARTIAL rows. */
#define SYS_DECL_FULL(name) long sys_##name(struct task *t, const struct sysargs *a);
#define SYS_DECL_PARTIAL(name) SYS_DECL_FULL(name)
#define SYS_DECL_HOST(name)
#define SYS_DECL_NONE(name)
#define SYSCALL(nr, name, level, args, ret, note) SYS_DECL_##level(name)
#include "syscalls.def"
#undef SYSCALL
