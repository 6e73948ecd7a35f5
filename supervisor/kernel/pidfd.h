/*
 * A pidfd in a process's fd table: what pidfd_open(2) (sys_pidfd.c) and
 * clone's CLONE_PIDFD (sys_clone.c) both make.  The file itself, which
 * names a process or a thread, is vfs/pidfd.c.
 */
#pragma once

#include <sys/types.h>

struct task;
struct tgroup;

/*
 * A new pidfd for process tg (or its thread, not the leader, with
 * PIDFD_THREAD) at t's lowest free fd, close-on-exec, with flags
 * O_NONBLOCK and PIDFD_THREAD.  The fd, -EMFILE, -ENOMEM.
 */
long pidfd_install(struct task *t, struct tgroup *tg, const struct task *thread, int flags);
/* The same for the process that had pid and host thread-group id host_tgid, live or reaped. */
long pidfd_install_named(struct task *t, int pid, pid_t host_tgid);
