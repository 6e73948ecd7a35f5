/* mm_memfd_seals: memfd_create's seals (fcntl F_ADD_SEALS, F_GET_SEALS):
 * F_SEAL_SEAL without MFD_ALLOW_SEALING, SHRINK/GROW against ftruncate,
 * writes past the end and fallocate, WRITE refused (EBUSY) while a writable
 * shared mapping exists and then refusing writes and writable shared maps,
 * FUTURE_WRITE leaving existing mappings writable, EPERM on a read-only fd
 * (a reopen through /proc/self/fd), EINVAL on a pipe, MFD_NOEXEC_SEAL. */
#include "guest.h"
#include <fcntl.h>
#include <sys/mman.h>

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#define MFD_NOEXEC_SEAL_ 8U

int main(void)
{
	close_inherited_fds();
	int a = memfd_create("a", 0), b = memfd_create("b", MFD_ALLOW_SEALING);
	SHOW("get seals, no sealing", fcntl(a, F_GET_SEALS));
	SHOW("add seal, no sealing", fcntl(a, F_ADD_SEALS, F_SEAL_WRITE));
	SHOW("get seals, sealing", fcntl(b, F_GET_SEALS));
	SHOW("add bad seal", fcntl(b, F_ADD_SEALS, 0x100));
	SHOW("write", write(b, "hello", 5));
	SHOW("add SHRINK|GROW", fcntl(b, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	SHOW("get", fcntl(b, F_GET_SEALS));
	SHOW("ftruncate smaller", ftruncate(b, 2));
	SHOW("ftruncate larger", ftruncate(b, 100));
	SHOW("ftruncate same", ftruncate(b, 5));
	SHOW("pwrite inside", pwrite(b, "HE", 2, 0));
	SHOW("pwrite past end", pwrite(b, "xx", 2, 4));
	SHOW("fallocate grow", fallocate(b, 0, 0, 4096));
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
	SHOW("add WRITE with a writable mapping", fcntl(b, F_ADD_SEALS, F_SEAL_WRITE));
	munmap(m, 4096);
	SHOW("add WRITE", fcntl(b, F_ADD_SEALS, F_SEAL_WRITE));
	SHOW("write sealed", pwrite(b, "z", 1, 0));
	SHOW("mmap shared writable",
	     mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0) == MAP_FAILED ? -1 : 0);
	SHOW("mmap shared read",
	     mmap(NULL, 4096, PROT_READ, MAP_SHARED, b, 0) == MAP_FAILED ? -1 : 0);
	SHOW("mmap private writable",
	     mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, b, 0) == MAP_FAILED ? -1 : 0);
	char buf[8] = "";
	SHOW("read", pread(b, buf, 8, 0));
	printf("data %.5s\n", buf);
	SHOW("add SEAL", fcntl(b, F_ADD_SEALS, F_SEAL_SEAL));
	SHOW("add after SEAL", fcntl(b, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	SHOW("get", fcntl(b, F_GET_SEALS));
	int c = memfd_create("c", MFD_ALLOW_SEALING);
	write(c, "abc", 3);
	void *cm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, c, 0);
	SHOW("add FUTURE_WRITE with a writable mapping",
	     fcntl(c, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	((char *)cm)[0] = 'X';
	SHOW("write after FUTURE_WRITE", write(c, "q", 1));
	pread(c, buf, 3, 0);
	printf("data %.3s\n", buf);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", c);
	int ro = open(path, O_RDONLY);
	SHOW("add on a read-only fd", fcntl(ro, F_ADD_SEALS, F_SEAL_SHRINK));
	SHOW("get on a read-only fd", fcntl(ro, F_GET_SEALS));
	int p[2];
	pipe(p);
	SHOW("get on a pipe", fcntl(p[0], F_GET_SEALS));
	int n = memfd_create("n", MFD_NOEXEC_SEAL_);
	SHOW("get NOEXEC_SEAL", fcntl(n, F_GET_SEALS));

	return 0;
}
