/*
 * procfs (supervisor/kernel/procfs.c, procfs_render.c) for fake tasks, read through the
 * VFS as a guest reads it: /proc/PID/status and stat (the fields and order
 * of proc(5)), the states, maps from the mm books, the fd directory, and
 * cmdline read from guest memory through the fake's gmem.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_guest.h"
#include "fdtable.h"
#include "kernel_suites.h"
#include "mm.h"
#include "scheduler.h"
#include "task.h"
#include "vfs.h"

#define THREAD_FLAGS (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES)

/* The contents of path as t reads it (malloc'd, NUL-terminated); its length in *len. */
static char *slurp(struct task *t, const char *path, long *len)
{
	struct vfs_file *f;
	size_t cap = 1 << 16;
	char *buf = calloc(1, cap);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(vfs_open(&t->vc, NULL, path, O_RDONLY, 0, &f), 0);
	long n = vfs_read(f, buf, cap - 1, 0);
	ck_assert_int_ge(n, 0);
	vfs_file_put(f);
	if (len)
		*len = n;
	return buf;
}

/* Whether text has the whole line `line`. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/* The value of the "key:\t" line of text, or NULL (points into text). */
static const char *value(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ':' && p[n + 1] == '\t')
			return p + n + 2;
	return NULL;
}

/* Split a stat line into its fields (the comm in parentheses is one): their count. */
static int stat_fields(char *s, char *f[64])
{
	int n = 0;
	char *rp = strrchr(s, ')');
	ck_assert_ptr_nonnull(rp);
	f[n++] = strtok(s, " ");
	f[n++] = s + strlen(s) + 1; /* "(comm" up to the last ')' */
	*rp = '\0';
	for (char *tok = strtok(rp + 1, " \n"); tok && n < 64; tok = strtok(NULL, " \n"))
		f[n++] = tok;
	return n;
}

/* PID 1 and its child PID 2 ("worker"), with its own group and distinct ids. */
static struct task *worker(struct fake_env *e)
{
	fake_env_init(e);
	struct task *c = fake_env_fork(e, e->init, 0);
	snprintf(c->tg->comm, sizeof(c->tg->comm), "worker");
	c->tg->pgid = 2;
	c->tg->cred.uid = 1000;
	c->tg->cred.euid = 1001;
	c->tg->cred.suid = 1002;
	c->tg->cred.fsuid = 1003;
	c->tg->cred.gid = c->tg->cred.egid = c->tg->cred.sgid = c->tg->cred.fsgid = 100;
	return c;
}

START_TEST(status_fields)
{
	struct fake_env e;
	struct task *c = worker(&e);
	sched_park(c, c->tg, -1, 0, 0); /* waiting in uos: sleeping */
	char *s = slurp(e.init, "/proc/2/status", NULL);
	ck_assert_msg(has_line(s, "Name:\tworker"), "%s", s);
	ck_assert(has_line(s, "State:\tS (sleeping)"));
	ck_assert(has_line(s, "Tgid:\t2"));
	ck_assert(has_line(s, "Pid:\t2"));
	ck_assert(has_line(s, "PPid:\t1"));
	ck_assert(has_line(s, "Uid:\t1000\t1001\t1002\t1003"));
	ck_assert(has_line(s, "Gid:\t100\t100\t100\t100"));
	ck_assert(has_line(s, "Threads:\t1"));
	ck_assert(has_line(s, "NSpgid:\t2"));
	ck_assert(has_line(s, "NSsid:\t1"));
	/* Name comes first, as in Linux; the lines are in proc(5)'s order */
	ck_assert(!strncmp(s, "Name:\t", 6));
	ck_assert(value(s, "Tgid") < value(s, "Pid") && value(s, "Pid") < value(s, "PPid"));
	ck_assert(value(s, "PPid") < value(s, "Uid") && value(s, "Uid") < value(s, "Gid"));
	/* the signal masks are the host's, of this very thread: its stand-in blocks all */
	const char *blk = value(s, "SigBlk");
	ck_assert_ptr_nonnull(blk);
	ck_assert(strtoull(blk, NULL, 16) & SIGBIT(SIGUSR1));
	free(s);
	/* through "self" too */
	s = slurp(c, "/proc/self/status", NULL);
	ck_assert(has_line(s, "Pid:\t2"));
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(thread_status)
{
	struct fake_env e;
	struct task *c = worker(&e);
	struct task *th = fake_env_fork(&e, c, THREAD_FLAGS);
	snprintf(th->comm, sizeof(th->comm), "helper");
	char path[64];
	snprintf(path, sizeof(path), "/proc/2/task/%d/status", th->tid);
	char *s = slurp(e.init, path, NULL);
	char want[32];
	snprintf(want, sizeof(want), "Pid:\t%d", th->tid);
	ck_assert(has_line(s, want));
	ck_assert(has_line(s, "Tgid:\t2"));
	ck_assert(has_line(s, "Name:\thelper"));
	ck_assert(has_line(s, "Threads:\t2"));
	free(s);
	s = slurp(e.init, "/proc/2/status", NULL);
	ck_assert(has_line(s, "Name:\tworker"));
	ck_assert(has_line(s, "Threads:\t2"));
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(states)
{
	struct fake_env e;
	struct task *c = worker(&e);
	task_set_state(c, TASK_JOBSTOP);
	task_stopped(c, SIGSTOP);
	char *s = slurp(e.init, "/proc/2/status", NULL);
	ck_assert(has_line(s, "State:\tT (stopped)"));
	free(s);
	fake_env_exit(c, 0);
	s = slurp(e.init, "/proc/2/status", NULL);
	ck_assert(has_line(s, "State:\tZ (zombie)"));
	ck_assert(has_line(s, "Name:\tworker")); /* a zombie keeps its name */
	ck_assert(has_line(s, "SigBlk:\t0000000000000000"));
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(stat_fields_in_order)
{
	struct fake_env e;
	struct task *c = worker(&e);
	c->nice = 5;
	struct task *th = fake_env_fork(&e, c, THREAD_FLAGS);
	sched_park(c, c->tg, -1, 0, 0);
	ck_assert_int_eq(mm_map(c->tg->mm, 0x400000, 0x3000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
				&(struct vma_src){NULL, 0, 0, 0}), 0);
	char *s = slurp(e.init, "/proc/2/stat", NULL), *f[64];
	int n = stat_fields(s, f);
	ck_assert_int_eq(n, 52); /* proc(5): pid .. exit_code */
	ck_assert_str_eq(f[0], "2");	  /* (1) pid */
	ck_assert_str_eq(f[1], "(worker"); /* (2) comm */
	ck_assert_str_eq(f[2], "S");	  /* (3) state */
	ck_assert_str_eq(f[3], "1");	  /* (4) ppid */
	ck_assert_str_eq(f[4], "2");	  /* (5) pgrp */
	ck_assert_str_eq(f[5], "1");	  /* (6) session */
	ck_assert_str_eq(f[18], "5");	  /* (19) nice */
	ck_assert_str_eq(f[19], "2");	  /* (20) num_threads */
	ck_assert_str_eq(f[22], "12288"); /* (23) vsize, bytes, from the books */
	free(s);
	char path[64];
	snprintf(path, sizeof(path), "/proc/2/task/%d/stat", th->tid);
	sched_park(th, th->tg, -1, 0, 0);
	s = slurp(e.init, path, NULL);
	n = stat_fields(s, f);
	ck_assert_int_eq(n, 52);
	ck_assert_int_eq(atoi(f[0]), th->tid); /* a thread's own stat: its tid */
	ck_assert_str_eq(f[2], "S");	      /* parked in uos: sleeping, whatever the host says */
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(maps_from_the_books)
{
	struct fake_env e;
	struct task *c = worker(&e);
	struct mm *mm = c->tg->mm;
	ck_assert_int_eq(mm_map(mm, 0x10000, 0x2000, PROT_READ | PROT_EXEC, MAP_PRIVATE,
				&(struct vma_src){"/bin/prog", 0x801, 42, 0x1000}), 0);
	ck_assert_int_eq(mm_map(mm, 0x20000, 0x1000, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, &(struct vma_src){NULL, 0, 0, 0}), 0);
	int syncs = fake_guest()->stack_syncs;
	char *s = slurp(e.init, "/proc/2/maps", NULL);
	/* the name at column 74, as Linux's seq_pad puts it */
	const char *l = strstr(s, "00010000-00012000 r-xp 00001000 08:01 42 ");
	ck_assert_msg(l == s, "%s", s);
	ck_assert_msg(!strncmp(l + 73, "/bin/prog\n", 10), "%s", s);
	for (const char *p = l + 41; p < l + 73; p++)
		ck_assert(*p == ' ');
	ck_assert_msg(has_line(s, "00020000-00021000 rw-p 00000000 00:00 0 "), "%s", s);
	ck_assert(strstr(s, "00010000-") < strstr(s, "00020000-")); /* in address order */
	ck_assert_int_gt(fake_guest()->stack_syncs, syncs); /* the stack's extent asked first */
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(fd_directory)
{
	struct fake_env e;
	struct task *c = worker(&e);
	struct vfs_file *rd, *wr, *d;
	char buf[4096], link[64];
	ck_assert_int_eq(vfs_pipe(e.k->vfs, 0, &rd, &wr), 0);
	ck_assert_int_eq(fdt_install_at(c->tg->fdt, 7, rd, false), 7);
	ck_assert_int_eq(fdt_install_at(c->tg->fdt, 9, wr, true), 9);
	ck_assert_int_eq(vfs_open(&e.init->vc, NULL, "/proc/2/fd", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	bool seen7 = false, seen9 = false, seen8 = false;
	long n;
	while ((n = vfs_getdents(d, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *de = (void *)(buf + off);
			seen7 |= !strcmp(de->name, "7");
			seen8 |= !strcmp(de->name, "8");
			seen9 |= !strcmp(de->name, "9");
			off += de->reclen;
		}
	}
	ck_assert_int_eq(n, 0);
	vfs_file_put(d);
	ck_assert(seen7 && seen9 && !seen8);
	n = vfs_readlink(&e.init->vc, NULL, "/proc/2/fd/7", link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	link[n] = '\0';
	ck_assert_msg(!strncmp(link, "pipe:[", 6), "%s", link);
	ck_assert_int_lt(vfs_readlink(&e.init->vc, NULL, "/proc/2/fd/8", link, sizeof(link)), 0);
	char *s = slurp(e.init, "/proc/2/fdinfo/9", NULL);
	const char *flags = value(s, "flags");
	ck_assert_ptr_nonnull(flags);
	ck_assert(strtol(flags, NULL, 8) & O_CLOEXEC);
	ck_assert((strtol(flags, NULL, 8) & O_ACCMODE) == O_WRONLY);
	free(s);
	fake_env_fini(&e);
}
END_TEST

START_TEST(cmdline_from_guest_memory)
{
	struct fake_env e;
	struct task *c = worker(&e);
	static char args[] = "worker\0--fast\0";
	c->tg->mm->arg_start = 0x7000;
	c->tg->mm->arg_end = 0x7000 + sizeof(args) - 1;
	long n;
	char *s = slurp(e.init, "/proc/2/cmdline", &n);
	ck_assert_int_eq(n, 0); /* nothing mapped there: EFAULT, an empty file */
	free(s);
	fake_guest_map(c->tg, 0x7000, args, sizeof(args));
	s = slurp(e.init, "/proc/2/cmdline", &n);
	ck_assert_int_eq(n, sizeof(args) - 1);
	ck_assert_mem_eq(s, args, sizeof(args) - 1);
	free(s);
	/* another process's memory at the same address is not this one's */
	s = slurp(e.init, "/proc/1/cmdline", &n);
	ck_assert_int_eq(n, 0);
	free(s);
	fake_env_fini(&e);
}
END_TEST

Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, status_fields);
	tcase_add_test(tc, thread_status);
	tcase_add_test(tc, states);
	tcase_add_test(tc, stat_fields_in_order);
	tcase_add_test(tc, maps_from_the_books);
	tcase_add_test(tc, fd_directory);
	tcase_add_test(tc, cmdline_from_guest_memory);
	suite_add_tcase(s, tc);
	return s;
}
