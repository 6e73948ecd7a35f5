/*
 * Resource limits: what prlimit stores and checks (kernel/sys.c), and the
 * limits uos enforces itself: RLIMIT_NOFILE (fdtable.c), RLIMIT_FSIZE and
 * RLIMIT_NPROC.  The host enforces the ones on the guest's own host
 * process (address space, CPU time, stack ...); RLIMIT_CORE stays 0 on the
 * host (trap.c).  The calls are in sys_rlimit.c.
 */
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

struct task;
struct tgroup;

/*
 * do_prlimit() of kernel/sys.c: check new against the old limit res of tg,
 * return the old one in *old, then store new (and give it to the host when
 * the host enforces it); t is the caller.  new and old may be NULL.
 * 0, -EINVAL, -EPERM.
 */
long rlimit_prlimit(struct task *t, struct tgroup *tg, unsigned int res, const struct rlimit *new,
		    struct rlimit *old);
/* RLIMIT_FSIZE: may t make a regular file size bytes long?  0, or SIGXFSZ and -EFBIG. */
int rlimit_fsize_ok(struct task *t, off_t size);
/* RLIMIT_NPROC: may t create a task?  0 or -EAGAIN (its real uid has as many as allowed). */
int rlimit_nproc_ok(struct task *t);
