/*
 * epoll (supervisor/kernel/epoll.c) as epoll(7) and epoll_ctl(2) describe it: the ctl
 * errors, level- and edge-triggered reports, EPOLLONESHOT, readiness of
 * pipes and eventfds, items whose fd was closed, and maxevents served in
 * turn.  The files sit in a fake task's fd table, as the handlers put them.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>

#include "fake_guest.h"
#include "fdkinds.h"
#include "fdtable.h"
#include "kernel_suites.h"
#include "task.h"
#include "vfs.h"

/* Install f in t's fd table: its fd. */
static int install(struct task *t, struct vfs_file *f)
{
	int fd = fdt_install(t->tg->fdt, f, 0, 1024, false);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* A new epoll file of t, installed; its fd in *fd. */
static struct vfs_file *new_epoll(struct task *t, int *fd)
{
	struct vfs_file *ep;
	ck_assert_int_eq(vfs_epoll(&t->vc, 0, &ep), 0);
	*fd = install(t, ep);
	return ep;
}

/* A pipe of t, both ends installed. */
static void new_pipe(struct task *t, int *rfd, int *wfd)
{
	struct vfs_file *rd, *wr;
	ck_assert_int_eq(vfs_pipe(t->k->vfs, O_NONBLOCK, &rd, &wr), 0);
	*rfd = install(t, rd);
	*wfd = install(t, wr);
}

static struct vfs_file *file(struct task *t, int fd)
{
	return fdt_get(t->tg->fdt, fd);
}

static int ctl(struct task *t, struct vfs_file *ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return vfs_epoll_ctl(&t->vc, ep, op, fd, file(t, fd), op == EPOLL_CTL_DEL ? NULL : &ev);
}

static long collect(struct task *t, struct vfs_file *ep, struct epoll_event *out, int max)
{
	struct vfs_epoll_wait w;
	return vfs_epoll_collect(&t->vc, ep, out, max, &w);
}

START_TEST(ctl_errors)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, ep2fd, rfd, wfd;
	struct vfs_file *ep = new_epoll(t, &epfd), *ep2 = new_epoll(t, &ep2fd);
	new_pipe(t, &rfd, &wfd);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN, 1), 0);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN, 1), -EEXIST);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_MOD, wfd, EPOLLOUT, 1), -ENOENT);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_DEL, wfd, 0, 0), -ENOENT);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, epfd, EPOLLIN, 1), -EINVAL); /* itself */
	ck_assert_int_eq(ctl(t, ep, 99, wfd, EPOLLOUT, 1), -EINVAL);
	/* the epoll fd must be an epoll file */
	ck_assert_int_eq(ctl(t, file(t, rfd), EPOLL_CTL_ADD, wfd, EPOLLOUT, 1), -EINVAL);
	/* EPOLLEXCLUSIVE: not with MOD, not on an epoll file, only with some events */
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_MOD, rfd, EPOLLIN | EPOLLEXCLUSIVE, 1), -EINVAL);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, wfd, EPOLLOUT | EPOLLONESHOT | EPOLLEXCLUSIVE, 1),
			 -EINVAL);
	/* a regular file has no poll: EPERM */
	struct vfs_file *reg;
	ck_assert_int_eq(vfs_open(&t->vc, NULL, "/regular", O_CREAT | O_RDWR, 0644, &reg), 0);
	int regfd = install(t, reg);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, regfd, EPOLLIN, 1), -EPERM);
	/* nesting: ep2 in ep is fine, ep in ep2 would close a loop */
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, ep2fd, EPOLLIN, 2), 0);
	ck_assert_int_eq(ctl(t, ep2, EPOLL_CTL_ADD, epfd, EPOLLIN, 3), -ELOOP);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_DEL, rfd, 0, 0), 0);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_DEL, rfd, 0, 0), -ENOENT);
	fake_env_fini(&e);
}
END_TEST

START_TEST(level_triggered)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, rfd, wfd;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	char buf[8];
	new_pipe(t, &rfd, &wfd);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN, 0xabc), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 0);
	ck_assert_int_eq(vfs_write(file(t, wfd), "hi", 2, 0), 2);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_uint_eq(out[0].events, EPOLLIN);
	ck_assert_uint_eq(out[0].data.u64, 0xabc);
	ck_assert_int_eq(collect(t, ep, out, 4), 1); /* still readable: reported again */
	ck_assert_int_eq(vfs_read(file(t, rfd), buf, sizeof(buf), 0), 2);
	ck_assert_int_eq(collect(t, ep, out, 4), 0);
	/* the epoll file itself polls readable while an item is ready */
	ck_assert_int_eq(vfs_write(file(t, wfd), "x", 1, 0), 1);
	int ep2fd;
	struct vfs_file *ep2 = new_epoll(t, &ep2fd);
	ck_assert_int_eq(ctl(t, ep2, EPOLL_CTL_ADD, epfd, EPOLLIN, 7), 0);
	ck_assert_int_eq(collect(t, ep2, out, 4), 1);
	ck_assert_uint_eq(out[0].data.u64, 7);
	fake_env_fini(&e);
}
END_TEST

START_TEST(edge_triggered)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, rfd, wfd;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	new_pipe(t, &rfd, &wfd);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN | EPOLLET, 1), 0);
	ck_assert_int_eq(vfs_write(file(t, wfd), "a", 1, 0), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 0); /* no new edge */
	ck_assert_int_eq(vfs_write(file(t, wfd), "b", 1, 0), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 1); /* new data is a new edge */
	ck_assert_int_eq(collect(t, ep, out, 4), 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(oneshot)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, rfd, wfd;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	new_pipe(t, &rfd, &wfd);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN | EPOLLONESHOT, 1), 0);
	ck_assert_int_eq(vfs_write(file(t, wfd), "a", 1, 0), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 0); /* disabled after one report */
	ck_assert_int_eq(vfs_write(file(t, wfd), "b", 1, 0), 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 0);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN, 1), -EEXIST); /* still there */
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_MOD, rfd, EPOLLIN | EPOLLONESHOT, 2), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 1); /* MOD rearms it */
	ck_assert_uint_eq(out[0].data.u64, 2);
	fake_env_fini(&e);
}
END_TEST

START_TEST(eventfd_becomes_ready)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd;
	struct vfs_file *ep = new_epoll(t, &epfd), *ev;
	struct epoll_event out[4];
	uint64_t one = 1, got;
	ck_assert_int_eq(vfs_eventfd(e.k, 0, O_NONBLOCK, &ev), 0);
	int efd = install(t, ev);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLOUT, 5), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_uint_eq(out[0].events, EPOLLOUT); /* writable, not readable at 0 */
	ck_assert_int_eq(vfs_write(ev, &one, 8, 0), 8);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_uint_eq(out[0].events, EPOLLIN | EPOLLOUT);
	ck_assert_int_eq(vfs_read(ev, &got, 8, 0), 8);
	ck_assert_uint_eq(got, 1);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_uint_eq(out[0].events, EPOLLOUT);
	fake_env_fini(&e);
}
END_TEST

START_TEST(hangup_and_error)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, rfd, wfd, r2, w2;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	new_pipe(t, &rfd, &wfd);
	new_pipe(t, &r2, &w2);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, rfd, EPOLLIN, 1), 0);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, w2, EPOLLOUT, 2), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 1); /* only the empty pipe's write end */
	ck_assert_uint_eq(out[0].data.u64, 2);
	/* the writer gone: EPOLLHUP, reported though not asked for; the reader gone: EPOLLERR */
	ck_assert_int_eq(fdt_close(t->tg->fdt, wfd), 0);
	ck_assert_int_eq(fdt_close(t->tg->fdt, r2), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 2);
	for (int i = 0; i < 2; i++) {
		if (out[i].data.u64 == 1)
			ck_assert_uint_eq(out[i].events, EPOLLHUP);
		else
			ck_assert_uint_eq(out[i].events, EPOLLOUT | EPOLLERR);
	}
	fake_env_fini(&e);
}
END_TEST

START_TEST(closed_fd_drops_the_item)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, rfd, wfd;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	new_pipe(t, &rfd, &wfd);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, wfd, EPOLLOUT, 1), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 1);
	ck_assert_int_eq(fdt_close(t->tg->fdt, wfd), 0);
	ck_assert_int_eq(collect(t, ep, out, 4), 0);
	fake_env_fini(&e);
}
END_TEST

START_TEST(maxevents_served_in_turn)
{
	struct fake_env e;
	fake_env_init(&e);
	struct task *t = e.init;
	int epfd, r1, w1, r2, w2;
	struct vfs_file *ep = new_epoll(t, &epfd);
	struct epoll_event out[4];
	new_pipe(t, &r1, &w1);
	new_pipe(t, &r2, &w2);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, w1, EPOLLOUT, 1), 0);
	ck_assert_int_eq(ctl(t, ep, EPOLL_CTL_ADD, w2, EPOLLOUT, 2), 0);
	uint64_t seen = 0;
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(collect(t, ep, out, 1), 1);
		seen |= 1ULL << out[0].data.u64;
	}
	ck_assert_uint_eq(seen, (1 << 1) | (1 << 2)); /* each in turn, not the first twice */
	fake_env_fini(&e);
}
END_TEST

Suite *epoll_suite(void)
{
	Suite *s = suite_create("epoll");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ctl_errors);
	tcase_add_test(tc, level_triggered);
	tcase_add_test(tc, edge_triggered);
	tcase_add_test(tc, oneshot);
	tcase_add_test(tc, eventfd_becomes_ready);
	tcase_add_test(tc, hangup_and_error);
	tcase_add_test(tc, closed_fd_drops_the_item);
	tcase_add_test(tc, maxevents_served_in_turn);
	suite_add_tcase(s, tc);
	return s;
}
