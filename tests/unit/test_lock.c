/*
 * Advisory locks (vfs/lock.c) through vfs.h, as fcntl(2) and flock(2)
 * describe them: POSIX record locks owned by the process (conflicts,
 * splitting and merging ranges, F_GETLK's answer, released by closing any
 * fd of the file or by the owner's death), OFD locks owned by the open file
 * description, flock locks apart from both, EDEADLK, and a blocking request
 * parking its task until an unlock wakes it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>

#include "fake_guest.h"
#include "kernel_suites.h"
#include "scheduler.h"
#include "task.h"
#include "vfs.h"

struct lk {
	struct fake_env e;
	struct task *a, *b; /* two processes: PID 1 and its child, PID 2 */
};

static void lk_init(struct lk *l)
{
	fake_env_init(&l->e);
	l->a = l->e.init;
	l->b = fake_env_fork(&l->e, l->a, 0);
}

static struct vfs_file *open_f(struct task *t, int flags)
{
	struct vfs_file *f;
	ck_assert_int_eq(vfs_open(&t->vc, NULL, "/locked", flags | O_CREAT, 0644, &f), 0);
	return f;
}

static struct flock range(short type, off_t start, off_t len)
{
	return (struct flock){.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
}

/* F_SETLK (no wait) of type over [start, start+len) by t on f. */
static int set(struct task *t, struct vfs_file *f, short type, off_t start, off_t len)
{
	struct flock fl = range(type, start, len);
	return vfs_lock_set(&t->vc, f, false, false, &fl);
}

/* F_GETLK of a write lock over [start, start+len): the answer in *fl. */
static struct flock get(struct task *t, struct vfs_file *f, short type, off_t start, off_t len)
{
	struct flock fl = range(type, start, len);
	ck_assert_int_eq(vfs_lock_get(&t->vc, f, false, &fl), 0);
	return fl;
}

START_TEST(posix_conflicts)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDWR), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, 100), 0);
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 50, 100), -EAGAIN);
	ck_assert_int_eq(set(l.b, fb, F_RDLCK, 99, 1), -EAGAIN);
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 100, 50), 0); /* just past it */
	/* the owner's own locks never conflict: a write lock becomes a read lock */
	ck_assert_int_eq(set(l.a, fa, F_RDLCK, 0, 100), 0);
	ck_assert_int_eq(set(l.b, fb, F_RDLCK, 0, 100), 0); /* readers share */
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 1), -EAGAIN);
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 0, 0), 0); /* len 0: to the end of file */
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 100), 0);
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(getlk_answers)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDWR), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 10, 90), 0);
	struct flock fl = get(l.b, fb, F_RDLCK, 0, 11);
	ck_assert_int_eq(fl.l_type, F_WRLCK);
	ck_assert_int_eq(fl.l_whence, SEEK_SET);
	ck_assert_int_eq(fl.l_start, 10);
	ck_assert_int_eq(fl.l_len, 90);
	ck_assert_int_eq(fl.l_pid, 1);
	ck_assert_int_eq(get(l.b, fb, F_WRLCK, 0, 10).l_type, F_UNLCK);
	ck_assert_int_eq(get(l.a, fa, F_WRLCK, 0, 0).l_type, F_UNLCK); /* its own: no conflict */
	/* to the end of file: l_len 0 */
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 200, 0), 0);
	fl = get(l.b, fb, F_WRLCK, 500, 1);
	ck_assert_int_eq(fl.l_start, 200);
	ck_assert_int_eq(fl.l_len, 0);
	/* fcntl(2): F_GETLK of F_UNLCK, and a bad type or whence, are EINVAL */
	fl = range(F_UNLCK, 0, 1);
	ck_assert_int_eq(vfs_lock_get(&l.b->vc, fb, false, &fl), -EINVAL);
	fl = range(42, 0, 1);
	ck_assert_int_eq(vfs_lock_get(&l.b->vc, fb, false, &fl), -EINVAL);
	fl = range(F_RDLCK, 0, 1);
	fl.l_whence = 7;
	ck_assert_int_eq(vfs_lock_set(&l.b->vc, fb, false, false, &fl), -EINVAL);
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(ranges_split_and_merge)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDWR), *fb = open_f(l.b, O_RDWR);
	/* an unlock in the middle splits a lock in two */
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, 100), 0);
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 40, 20), 0);
	ck_assert_int_eq(get(l.b, fb, F_WRLCK, 40, 20).l_type, F_UNLCK);
	struct flock fl = get(l.b, fb, F_WRLCK, 0, 40);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 40);
	fl = get(l.b, fb, F_WRLCK, 60, 40);
	ck_assert_int_eq(fl.l_start, 60);
	ck_assert_int_eq(fl.l_len, 40);
	/* a different type in the middle splits it too */
	ck_assert_int_eq(set(l.a, fa, F_RDLCK, 70, 10), 0);
	fl = get(l.b, fb, F_RDLCK, 60, 40); /* only write locks conflict with a read */
	ck_assert_int_eq(fl.l_start, 60);
	ck_assert_int_eq(fl.l_len, 10);
	ck_assert_int_eq(set(l.b, fb, F_RDLCK, 70, 10), 0);
	ck_assert_int_eq(set(l.b, fb, F_UNLCK, 0, 0), 0);
	/* adjacent locks of one type merge into one */
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 0, 0), 0);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, 10), 0);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 10, 10), 0);
	fl = get(l.b, fb, F_WRLCK, 15, 1);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 20);
	/* a negative length covers the bytes before l_start (POSIX.1-2008) */
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 0, 0), 0);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 10, -5), 0);
	fl = get(l.b, fb, F_WRLCK, 0, 100);
	ck_assert_int_eq(fl.l_start, 5);
	ck_assert_int_eq(fl.l_len, 5);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, -1), -EINVAL); /* before the file's start */
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(access_mode)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *rd = open_f(l.a, O_RDONLY), *wr = open_f(l.a, O_WRONLY);
	ck_assert_int_eq(set(l.a, rd, F_WRLCK, 0, 1), -EBADF);
	ck_assert_int_eq(set(l.a, wr, F_RDLCK, 0, 1), -EBADF);
	ck_assert_int_eq(set(l.a, rd, F_RDLCK, 0, 1), 0);
	ck_assert_int_eq(set(l.a, wr, F_WRLCK, 0, 1), 0);
	vfs_file_put(rd);
	vfs_file_put(wr);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(closing_any_fd_drops_posix_locks)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *f1 = open_f(l.a, O_RDWR), *f2 = open_f(l.a, O_RDONLY);
	struct vfs_file *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(l.a, f1, F_WRLCK, 0, 0), 0);
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 1), -EAGAIN);
	vfs_lock_close(&l.a->vc, f2); /* another fd of the same file: the process's locks go */
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 1), 0);
	vfs_file_put(f1);
	vfs_file_put(f2);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(ofd_locks)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *f1 = open_f(l.a, O_RDWR), *f2 = open_f(l.a, O_RDWR);
	struct flock fl = range(F_WRLCK, 0, 10);
	ck_assert_int_eq(vfs_lock_set(&l.a->vc, f1, true, false, &fl), 0);
	/* two open file descriptions conflict, even in one process */
	fl = range(F_WRLCK, 5, 1);
	ck_assert_int_eq(vfs_lock_set(&l.a->vc, f2, true, false, &fl), -EAGAIN);
	/* and an OFD lock conflicts with the process's own POSIX locks */
	ck_assert_int_eq(set(l.a, f2, F_WRLCK, 5, 1), -EAGAIN);
	fl = range(F_WRLCK, 0, 1);
	ck_assert_int_eq(vfs_lock_get(&l.a->vc, f2, true, &fl), 0);
	ck_assert_int_eq(fl.l_type, F_WRLCK);
	ck_assert_int_eq(fl.l_pid, -1); /* F_OFD_GETLK: no owning process */
	fl = range(F_WRLCK, 0, 1);
	fl.l_pid = 1; /* must be 0 for the OFD commands */
	ck_assert_int_eq(vfs_lock_get(&l.a->vc, f2, true, &fl), -EINVAL);
	/* closing another fd does not drop it; the description's last reference does */
	vfs_lock_close(&l.a->vc, f2);
	ck_assert_int_eq(set(l.a, f2, F_WRLCK, 5, 1), -EAGAIN);
	vfs_file_put(f1);
	ck_assert_int_eq(set(l.a, f2, F_WRLCK, 5, 1), 0);
	vfs_file_put(f2);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(flock_locks)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDONLY), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(vfs_flock(&l.a->vc, fa, LOCK_EX), 0); /* no write access needed */
	ck_assert_int_eq(vfs_flock(&l.b->vc, fb, LOCK_SH | LOCK_NB), -EWOULDBLOCK);
	/* flock and record locks do not see each other */
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 0), 0);
	ck_assert_int_eq(vfs_flock(&l.a->vc, fa, LOCK_SH), 0); /* converts */
	ck_assert_int_eq(vfs_flock(&l.b->vc, fb, LOCK_SH | LOCK_NB), 0);
	ck_assert_int_eq(vfs_flock(&l.b->vc, fb, 0), -EINVAL);
	ck_assert_int_eq(vfs_flock(&l.a->vc, fa, LOCK_EX), -UOS_EBLOCK); /* b shares it: a waits */
	ck_assert(sched_parked(l.a));
	ck_assert_int_eq(vfs_flock(&l.b->vc, fb, LOCK_UN), 0);
	ck_assert(!sched_parked(l.a)); /* the unlock woke it; served again, it gets the lock */
	sched_unpark(l.a);
	ck_assert_int_eq(vfs_flock(&l.a->vc, fa, LOCK_EX), 0);
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(blocking_wait_parks)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDWR), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, 10), 0);
	struct flock fl = range(F_WRLCK, 5, 1);
	ck_assert_int_eq(vfs_lock_set(&l.b->vc, fb, false, true, &fl), -UOS_EBLOCK);
	ck_assert(sched_parked(l.b));
	ck_assert_int_gt(l.b->deadline_ns, 0); /* it looks again for owners that died */
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 0, 5), 0); /* not its byte, but every unlock wakes */
	ck_assert(!sched_parked(l.b));
	sched_unpark(l.b);
	fl = range(F_WRLCK, 5, 1);
	ck_assert_int_eq(vfs_lock_set(&l.b->vc, fb, false, true, &fl), -UOS_EBLOCK); /* still held */
	sched_unpark(l.b);
	ck_assert_int_eq(set(l.a, fa, F_UNLCK, 0, 0), 0);
	fl = range(F_WRLCK, 5, 1);
	ck_assert_int_eq(vfs_lock_set(&l.b->vc, fb, false, true, &fl), 0);
	ck_assert(!task_parked(l.b));
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(deadlock_is_edeadlk)
{
	struct lk l;
	lk_init(&l);
	struct vfs_file *fa = open_f(l.a, O_RDWR), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(l.a, fa, F_WRLCK, 0, 1), 0);
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 1, 1), 0);
	struct flock fl = range(F_WRLCK, 1, 1);
	ck_assert_int_eq(vfs_lock_set(&l.a->vc, fa, false, true, &fl), -UOS_EBLOCK); /* a waits on b */
	fl = range(F_WRLCK, 0, 1);
	ck_assert_int_eq(vfs_lock_set(&l.b->vc, fb, false, true, &fl), -EDEADLK); /* b on a: a cycle */
	ck_assert(!task_parked(l.b));
	vfs_file_put(fa);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

START_TEST(dead_owner_releases)
{
	struct lk l;
	lk_init(&l);
	struct task *c = fake_env_fork(&l.e, l.a, 0);
	struct vfs_file *fc = open_f(c, O_RDWR), *fb = open_f(l.b, O_RDWR);
	ck_assert_int_eq(set(c, fc, F_WRLCK, 0, 0), 0);
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 1), -EAGAIN);
	vfs_file_put(fc);
	fake_env_exit(c, 0); /* a zombie holds no locks */
	ck_assert_int_eq(set(l.b, fb, F_WRLCK, 0, 1), 0);
	vfs_file_put(fb);
	fake_env_fini(&l.e);
}
END_TEST

Suite *lock_suite(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, posix_conflicts);
	tcase_add_test(tc, getlk_answers);
	tcase_add_test(tc, ranges_split_and_merge);
	tcase_add_test(tc, access_mode);
	tcase_add_test(tc, closing_any_fd_drops_posix_locks);
	tcase_add_test(tc, ofd_locks);
	tcase_add_test(tc, flock_locks);
	tcase_add_test(tc, blocking_wait_parks);
	tcase_add_test(tc, deadlock_is_edeadlk);
	tcase_add_test(tc, dead_owner_releases);
	suite_add_tcase(s, tc);
	return s;
}
