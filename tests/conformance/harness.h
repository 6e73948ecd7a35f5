/*
 * The conformance harness: one header, included by each test program after
 * it defines AREA ("fs", "fd", ...).  A case is
 *
 *	CASE(open_excl) {
 *		scratch();
 *		int fd = OK(open("f", O_CREAT | O_WRONLY, 0644));
 *		EXPECT_ERRNO(open("f", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
 *		close(fd);
 *	}
 *
 * The first failing check records a detail and returns from the case.  The
 * program prints TAP: "1..N", then "ok N - area/name" or "not ok N -
 * area/name # detail (line L)" per case, and exits 0 iff all passed.  Cases
 * run in the order they are written, in one process (no fork, so they can
 * run where fork is not yet supported).  scratch() makes a fresh directory
 * under /tmp and enters it; after the case the harness returns to the
 * starting directory, removes the scratch tree, and restores umask and the
 * signal mask, so cases are independent and a second run starts clean.
 * `prog NAME...` runs only the named cases.
 */
#ifndef UOS_CONFORM_HARNESS_H
#define UOS_CONFORM_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AREA
#error "define AREA before including harness.h"
#endif

#define H_MAX_CASES 256

struct h_case {
	const char *name;
	void (*fn)(void);
	int line;
};

static struct h_state {
	struct h_case cases[H_MAX_CASES];
	int n;
	int failed;
	char detail[600];
	char scratch[PATH_MAX];
	int home_fd;
	uid_t uid[3]; /* real, effective, saved at start */
	gid_t gid[3];
} h_st;

static void h_register(const char *name, void (*fn)(void), int line)
{
	if (h_st.n < H_MAX_CASES)
		h_st.cases[h_st.n++] = (struct h_case){name, fn, line};
}

#define CASE(name)                                                                                 \
	static void h_case_##name(void);                                                           \
	__attribute__((constructor)) static void h_reg_##name(void)                                \
	{                                                                                          \
		h_register(#name, h_case_##name, __LINE__);                                        \
	}                                                                                          \
	static void h_case_##name(void)

static inline const char *h_ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";
	return n ? n : "E?";
}

/* Record the first failure of the case and return from it. */
#define FAIL(...)                                                                                  \
	do {                                                                                       \
		if (!h_st.failed) {                                                                   \
			int l_ = snprintf(h_st.detail, sizeof(h_st.detail), __VA_ARGS__);                \
			if (l_ >= 0 && (size_t)l_ < sizeof(h_st.detail))                              \
				snprintf(h_st.detail + l_, sizeof(h_st.detail) - l_, " (line %d)",       \
					 __LINE__);                                                \
		}                                                                                  \
		h_st.failed = 1;                                                                      \
		return;                                                                            \
	} while (0)

#define EXPECT_TRUE(cond)                                                                          \
	do {                                                                                       \
		int e_ = errno;                                                                    \
		if (!(cond))                                                                       \
			FAIL("%s is false (errno %s)", #cond, h_ename(e_));                        \
	} while (0)

#define EXPECT_EQ(a, b)                                                                            \
	do {                                                                                       \
		errno = 0;                                                                         \
		long long a_ = (long long)(a);                                                     \
		int e_ = errno;                                                                    \
		long long b_ = (long long)(b);                                                     \
		if (a_ != b_)                                                                      \
			FAIL("%s: got %lld%s%s, expected %lld", #a, a_, a_ == -1 ? " " : "",       \
			     a_ == -1 ? h_ename(e_) : "", b_);                                     \
	} while (0)

#define EXPECT_NE(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ == b_)                                                                      \
			FAIL("%s: got %lld, expected anything else", #a, a_);                     \
	} while (0)

/* The call must fail with -1 (or MAP_FAILED) and errno e. */
#define EXPECT_ERRNO(call, e)                                                                      \
	do {                                                                                       \
		errno = 0;                                                                         \
		long long r_ = (long long)(call);                                                  \
		int e_ = errno;                                                                    \
		if (r_ != -1 || e_ != (e))                                                         \
			FAIL("%s: got %lld %s, expected -1 %s", #call, r_,                         \
			     r_ == -1 ? h_ename(e_) : "", h_ename(e));                             \
	} while (0)

/* Evaluate call; fail the case if it returned -1; else its value. */
#define OK(call)                                                                                   \
	({                                                                                         \
		errno = 0;                                                                         \
		__typeof__(call) r_ = (call);                                                      \
		if ((long long)r_ == -1)                                                           \
			FAIL("%s: failed with %s", #call, h_ename(errno));                         \
		r_;                                                                                \
	})

#define EXPECT_STREQ(a, b)                                                                         \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_))                                                  \
			FAIL("%s: got \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)",            \
			     b_ ? b_ : "(null)");                                                  \
	} while (0)

#define EXPECT_MEMEQ(a, b, n)                                                                      \
	do {                                                                                       \
		if (memcmp((a), (b), (n)))                                                         \
			FAIL("%s: bytes differ from %s", #a, #b);                                  \
	} while (0)

/* Make a fresh scratch directory and enter it (removed after the case). */
#define scratch()                                                                                  \
	do {                                                                                       \
		if (h_scratch() < 0)                                                               \
			FAIL("scratch directory %s: %s", h_st.scratch, h_ename(errno));               \
	} while (0)

static int h_scratch(void)
{
	snprintf(h_st.scratch, sizeof(h_st.scratch), "/tmp/uosconf-%s-%d-%s", AREA, (int)getpid(),
		 program_invocation_short_name);
	if (mkdir(h_st.scratch, 0755) < 0 || chdir(h_st.scratch) < 0)
		return -1;
	return 0;
}

/* Remove the tree under the directory fd dfd (closed here). */
static void h_rmtree_fd(int dfd)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dfd, de->d_name, 0) == 0)
			continue;
		int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (sub >= 0)
			h_rmtree_fd(sub);
		unlinkat(dfd, de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static void h_rmtree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

	if (fd >= 0)
		h_rmtree_fd(fd);
	rmdir(path);
}

/* Undo what a case may have changed in the process. */
static void h_restore(mode_t mask, const sigset_t *sigs)
{
	if (h_st.home_fd >= 0)
		fchdir(h_st.home_fd);
	if (h_st.scratch[0])
		h_rmtree(h_st.scratch);
	h_st.scratch[0] = 0;
	umask(mask);
	sigprocmask(SIG_SETMASK, sigs, NULL);
	setresuid(-1, h_st.uid[1], -1); /* cases that drop privileges with seteuid */
	setresuid(h_st.uid[0], h_st.uid[1], h_st.uid[2]);
	setresgid(h_st.gid[0], h_st.gid[1], h_st.gid[2]);
}

static int h_wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

/* Run the named or all cases, print TAP; 0 iff all passed. */
int main(int argc, char **argv)
{
	mode_t mask = umask(022);
	sigset_t sigs;
	int n = 0, bad = 0, num = 0;

	umask(mask);
	sigprocmask(SIG_SETMASK, NULL, &sigs);
	for (int i = 1; i < h_st.n; i++) /* constructor order is not promised: sort by line */
		for (int j = i; j > 0 && h_st.cases[j - 1].line > h_st.cases[j].line; j--) {
			struct h_case tmp = h_st.cases[j];
			h_st.cases[j] = h_st.cases[j - 1];
			h_st.cases[j - 1] = tmp;
		}
	setvbuf(stdout, NULL, _IOLBF, 0);
	getresuid(&h_st.uid[0], &h_st.uid[1], &h_st.uid[2]);
	getresgid(&h_st.gid[0], &h_st.gid[1], &h_st.gid[2]);
	h_st.home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; i < h_st.n; i++)
		n += h_wanted(argc, argv, h_st.cases[i].name);
	printf("1..%d\n", n);
	for (int i = 0; i < h_st.n; i++) {
		if (!h_wanted(argc, argv, h_st.cases[i].name))
			continue;
		h_st.failed = 0;
		h_st.detail[0] = 0;
		h_st.cases[i].fn();
		h_restore(mask, &sigs);
		if (h_st.failed)
			printf("not ok %d - %s/%s # %s\n", ++num, AREA, h_st.cases[i].name, h_st.detail);
		else
			printf("ok %d - %s/%s\n", ++num, AREA, h_st.cases[i].name);
		bad += h_st.failed;
	}
	return bad ? 1 : 0;
}

#endif
