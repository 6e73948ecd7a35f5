/* mmap_exec FILE: map FILE private with PROT_READ|PROT_EXEC, then PROT_READ,
 * and say what each gave (errno names, no addresses): mmap_refused.sh runs
 * it on a noexec mount natively and under uos. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static void try(int fd, int prot, const char *what)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);
	printf("%s: %s\n", what, p == MAP_FAILED ? strerrorname_np(errno) : "mapped");
}

int main(int argc, char **argv)
{
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : -1;
	if (fd < 0) {
		perror("mmap_exec: open");
		return 2;
	}
	try(fd, PROT_READ | PROT_EXEC, "read and exec");
	try(fd, PROT_READ, "read");
	return 0;
}
