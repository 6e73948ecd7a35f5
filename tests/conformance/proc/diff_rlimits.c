/*
 * proc_rlimits: resource limits that act, not only read back:
 * RLIMIT_FSIZE (writes cut at the limit, then EFBIG and SIGXFSZ; ftruncate
 * and fallocate past it), RLIMIT_NPROC (fork EAGAIN for a non-root uid at
 * its limit), RLIMIT_AS (a large mmap ENOMEM).  Each in a child process.
 * argv[1]: a scratch directory.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "guest.h"

static volatile sig_atomic_t xfsz, xfsz_code;

static void on_xfsz(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	xfsz++;
	xfsz_code = si->si_code;
}

/* The limit would cut this program's own output when it goes to a file: it is kept in memory. */
static void fsize(void)
{
	char *out;
	size_t outlen;
	FILE *real = stdout;
	stdout = open_memstream(&out, &outlen);
	struct sigaction sa = {.sa_sigaction = on_xfsz, .sa_flags = SA_SIGINFO};
	sigaction(SIGXFSZ, &sa, NULL);
	SHOW("setrlimit FSIZE 10", setrlimit(RLIMIT_FSIZE, &(struct rlimit){10, RLIM_INFINITY}));
	int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
	SHOW("write 20 bytes", write(fd, "0123456789abcdefghij", 20));
	printf("  SIGXFSZ %d\n", (int)xfsz);
	SHOW("write at the limit", write(fd, "x", 1));
	printf("  SIGXFSZ %d si_code SI_USER %d\n", (int)xfsz, xfsz_code == SI_USER);
	SHOW("pwrite 10 at 5", pwrite(fd, "ABCDEFGHIJ", 10, 5));
	SHOW("write 0 bytes at the limit", write(fd, "", 0));
	SHOW("ftruncate 10", ftruncate(fd, 10));
	SHOW("ftruncate 11", ftruncate(fd, 11));
	SHOW("fallocate to 12", fallocate(fd, 0, 0, 12));
	SHOW("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 12));
	printf("  SIGXFSZ %d\n", (int)xfsz);
	int null = open("/dev/null", O_WRONLY);
	SHOW("write 20 to /dev/null", write(null, "0123456789abcdefghij", 20));
	close(fd);
	close(null);
	fclose(stdout);
	stdout = real;
	setrlimit(RLIMIT_FSIZE, &(struct rlimit){RLIM_INFINITY, RLIM_INFINITY});
	fputs(out, stdout);
	free(out);
}

static void nproc(void)
{
	SHOW("setuid 54321", setuid(54321));
	SHOW("setrlimit NPROC 1", setrlimit(RLIMIT_NPROC, &(struct rlimit){1, 1}));
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	printf("fork = %s\n", p < 0 ? ename(errno) : "a child");
	if (p > 0)
		waitpid(p, NULL, 0);
}

static void as(void)
{
	struct rlimit r;
	getrlimit(RLIMIT_AS, &r);
	SHOW("setrlimit AS 1 GiB", setrlimit(RLIMIT_AS, &(struct rlimit){1UL << 30, r.rlim_max}));
	void *m = mmap(NULL, 2UL << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 2 GiB = %s\n", m == MAP_FAILED ? ename(errno) : "mapped");
	m = mmap(NULL, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 1 MiB = %s\n", m == MAP_FAILED ? ename(errno) : "mapped");
	SHOW("getrlimit AS", getrlimit(RLIMIT_AS, &r));
	printf("  cur 1 GiB %d\n", r.rlim_cur == 1UL << 30);
}

static void in_child(void (*fn)(void))
{
	pid_t p = fork();
	if (p == 0) {
		fn();
		exit(0);
	}
	waitpid(p, NULL, 0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2 || chdir(argv[1]) < 0)
		return 2;
	in_child(fsize);
	in_child(nproc);
	in_child(as);
	unlink("f");
	return 0;
}
