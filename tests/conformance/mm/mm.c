/* mm: mmap, munmap, mprotect, brk, mremap, msync, madvise, mincore. */
#define AREA "mm"
#include "../harness.h"
#include <sched.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096

static void *anon(size_t n, int prot)
{
	return mmap(NULL, n, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Does /proc/self/maps have a line starting at address p? */
static int mapped_at(void *p)
{
	char buf[65536], want[32];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n, len = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, want, strlen(want)))
			return 1;
	return 0;
}

CASE(mmap_anon_zeroed)
{
	unsigned char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(p[0] | p[PG] | p[2 * PG - 1], 0);
	p[5] = 7;
	EXPECT_EQ(p[5], 7);
	munmap(p, 2 * PG);
}

CASE(mmap_page_aligned)
{
	void *p = anon(100, PROT_READ);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_EQ((unsigned long)p % PG, 0);
	munmap(p, 100);
}

CASE(mmap_zero_length_einval)
{
	EXPECT_ERRNO(anon(0, PROT_READ), EINVAL);
}

CASE(mmap_no_type_einval)
{
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
}

CASE(mmap_unaligned_offset_einval)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	close(fd);
}

CASE(mmap_bad_fd_ebadf)
{
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 555, 0), EBADF);
}

CASE(mmap_fixed_unaligned_einval)
{
	EXPECT_ERRNO(mmap((void *)0x10000001, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			  -1, 0),
		     EINVAL);
}

CASE(mmap_fixed_replaces)
{
	unsigned char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	EXPECT_TRUE(p != MAP_FAILED);
	p[PG] = 9;
	void *q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	EXPECT_TRUE(q == p + PG);
	EXPECT_EQ(p[PG], 0);
	munmap(p, 2 * PG);
}

CASE(mmap_fixed_noreplace_eexist)
{
	void *p = anon(PG, PROT_READ);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_ERRNO(mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		     EEXIST);
	munmap(p, PG);
}

CASE(mmap_file_contents)
{
	char b[16];
	int fd = OK(open("/etc/passwd", O_RDONLY));
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(pread(fd, b, 16, 0), 16);
	EXPECT_MEMEQ(p, b, 16);
	munmap(p, PG);
	close(fd);
}

/* Map file name's first page and compare it with what read gives. */
static int maps_as_read(const char *name, int flags)
{
	char b[64];
	int fd = open(name, flags);
	if (fd < 0)
		return -1;
	char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	ssize_t n = pread(fd, b, sizeof(b), 0);
	int same = p != MAP_FAILED && n > 0 && !memcmp(p, b, (size_t)n);
	if (p != MAP_FAILED)
		munmap(p, PG);
	close(fd);
	return same;
}

/* More files than uos keeps given to a process (guest.c's slots), each mapped again and again. */
CASE(mmap_many_files_each_its_own)
{
	scratch();
	char name[16];
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		int fd = OK(open(name, O_CREAT | O_WRONLY, 0644));
		EXPECT_EQ(dprintf(fd, "file number %d", i), 13);
		close(fd);
	}
	static const int order[] = {0, 1, 2, 3, 4, 5, 6, 0, 2, 4, 6, 1, 3, 5, 5, 0, 6, 6, 3};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(name, sizeof(name), "f%d", order[i]);
		EXPECT_EQ(maps_as_read(name, i % 3 ? O_RDONLY : O_RDWR), 1);
	}
}

/*
 * A process sharing its fd table (CLONE_FILES) execs: the exec unshares its
 * host table, and the files its new program maps must not be taken for the
 * parent's, nor the other way round.
 */
CASE(mmap_files_after_clone_files_exec)
{
	scratch();
	int fd = OK(open("mine", O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(write(fd, "the parent's file", 17), 17);
	close(fd);
	EXPECT_EQ(maps_as_read("mine", O_RDONLY), 1);
	pid_t c = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		execl("/bin/true", "true", (char *)NULL); /* ld.so maps libc: given to the child */
		_exit(127);
	}
	EXPECT_TRUE(c > 0);
	int st;
	EXPECT_EQ(waitpid(c, &st, 0), c);
	EXPECT_EQ(st, 0);
	EXPECT_EQ(maps_as_read("/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY), 1);
	EXPECT_EQ(maps_as_read("mine", O_RDONLY), 1);
}

CASE(mmap_file_write_on_rdonly_eacces)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	close(fd);
}

CASE(mmap_private_write_on_rdonly_ok)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	char first = p[0];
	p[0] = first ^ 1;
	char b;
	EXPECT_EQ(pread(fd, &b, 1, 0), 1);
	EXPECT_EQ(b, first);
	munmap(p, PG);
	close(fd);
}

CASE(mmap_directory_enodev)
{
	int fd = OK(open("/etc", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
	close(fd);
}

CASE(mmap_wronly_file_eacces)
{
	int fd = OK(open("/dev/null", O_WRONLY));
	EXPECT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
	close(fd);
}

CASE(mmap_shows_in_proc_maps)
{
	void *p = anon(PG, PROT_READ);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(mapped_at(p), 1);
	munmap(p, PG);
	EXPECT_EQ(mapped_at(p), 0);
}

CASE(munmap_unaligned_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(munmap(p + 1, PG), EINVAL);
	munmap(p, PG);
}

CASE(munmap_zero_len_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(munmap(p, 0), EINVAL);
	munmap(p, PG);
}

CASE(munmap_unmapped_ok)
{
	char *p = anon(PG, PROT_READ);
	OK(munmap(p, PG));
	EXPECT_EQ(munmap(p, PG), 0);
}

CASE(munmap_middle_splits)
{
	char *p = anon(3 * PG, PROT_READ);
	OK(munmap(p + PG, PG));
	EXPECT_EQ(mapped_at(p), 1);
	EXPECT_EQ(mapped_at(p + 2 * PG), 1);
	EXPECT_ERRNO(mincore(p + PG, PG, (unsigned char[1]){0}), ENOMEM);
	munmap(p, 3 * PG);
}

CASE(mprotect_readonly_then_rw)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	EXPECT_EQ(mprotect(p, PG, PROT_READ), 0);
	EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	p[0] = 1;
	munmap(p, PG);
}

static sigjmp_buf segv_jb;
static void on_segv(int s)
{
	siglongjmp(segv_jb, 1);
}

CASE(mprotect_none_faults)
{
	volatile char *p = anon(PG, PROT_READ | PROT_WRITE);
	struct sigaction sa = {.sa_handler = on_segv}, old;
	OK(mprotect((void *)p, PG, PROT_NONE));
	sigaction(SIGSEGV, &sa, &old);
	int faulted = 0;
	if (sigsetjmp(segv_jb, 1))
		faulted = 1;
	else
		(void)p[0];
	sigaction(SIGSEGV, &old, NULL);
	munmap((void *)p, PG);
	EXPECT_EQ(faulted, 1);
}

CASE(mprotect_unaligned_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(mprotect(p + 1, PG, PROT_READ), EINVAL);
	munmap(p, PG);
}

CASE(mprotect_unmapped_enomem)
{
	char *p = anon(PG, PROT_READ);
	munmap(p, PG);
	EXPECT_ERRNO(mprotect(p, PG, PROT_READ), ENOMEM);
}

CASE(mprotect_bad_prot_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(mprotect(p, PG, 0x100), EINVAL);
	munmap(p, PG);
}

CASE(mprotect_shared_write_on_rdonly_eacces)
{
	int fd = OK(open("/etc/passwd", O_RDONLY));
	char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	EXPECT_ERRNO(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	munmap(p, PG);
	close(fd);
}

/*
 * A file mapped shared through a read-write fd, then through a read-only fd
 * of the same file (uos keeps the last file it gave a process for the next
 * mapping of it: never across access modes): the second mapping stays
 * read-only, in this process and in a child that inherits it all.
 */
CASE(mprotect_shared_write_after_rw_map_of_same_file_eacces)
{
	scratch();
	int rw = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(ftruncate(rw, PG));
	char *w = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	EXPECT_TRUE(w != MAP_FAILED);
	w[0] = 'x';
	int ro = OK(open("f", O_RDONLY));
	char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	EXPECT_TRUE(r != MAP_FAILED);
	EXPECT_EQ(r[0], 'x');
	EXPECT_ERRNO(mprotect(r, PG, PROT_READ | PROT_WRITE), EACCES);
	pid_t c = OK(fork());
	if (c == 0) {
		char *r2 = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
		_exit(r2 == MAP_FAILED ? 2 : mprotect(r2, PG, PROT_READ | PROT_WRITE) == 0 ? 3 : errno == EACCES ? 0 : 4);
	}
	int st;
	EXPECT_EQ(waitpid(c, &st, 0), c);
	EXPECT_EQ(WEXITSTATUS(st), 0);
	char *w2 = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	EXPECT_TRUE(w2 != MAP_FAILED);
	w2[1] = 'y';
	EXPECT_EQ(r[1], 'y');
	munmap(w, PG);
	munmap(w2, PG);
	munmap(r, PG);
	close(rw);
	close(ro);
}

CASE(brk_query_and_grow)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	EXPECT_TRUE(cur != NULL);
	char *n = (char *)syscall(SYS_brk, cur + 2 * PG);
	EXPECT_TRUE(n == cur + 2 * PG);
	cur[0] = 1;
	cur[2 * PG - 1] = 2;
	EXPECT_TRUE((char *)syscall(SYS_brk, cur) == cur);
}

CASE(brk_below_start_unchanged)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	EXPECT_TRUE((char *)syscall(SYS_brk, 4096) == cur);
}

CASE(sbrk_libc)
{
	void *a = sbrk(0);
	EXPECT_TRUE(sbrk(PG) == a);
	EXPECT_TRUE(sbrk(0) == (char *)a + PG);
	sbrk(-PG);
}

CASE(mremap_grow_may_move)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 42;
	char *q = mremap(p, PG, 4 * PG, MREMAP_MAYMOVE);
	EXPECT_TRUE(q != MAP_FAILED);
	EXPECT_EQ(q[0], 42);
	EXPECT_EQ(q[3 * PG], 0);
	munmap(q, 4 * PG);
}

CASE(mremap_shrink_in_place)
{
	char *p = anon(4 * PG, PROT_READ | PROT_WRITE);
	char *q = mremap(p, 4 * PG, PG, 0);
	EXPECT_TRUE(q == p);
	EXPECT_EQ(mapped_at(p), 1);
	munmap(p, PG);
}

CASE(mremap_bad_flags_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(mremap(p, PG, PG, 0x80), EINVAL);
	munmap(p, PG);
}

CASE(mremap_fixed_without_maymove_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(mremap(p, PG, PG, MREMAP_FIXED, p + 16 * PG), EINVAL);
	munmap(p, PG);
}

CASE(mremap_unmapped_efault)
{
	char *p = anon(PG, PROT_READ);
	munmap(p, PG);
	EXPECT_ERRNO(mremap(p, PG, 2 * PG, MREMAP_MAYMOVE), EFAULT);
}

CASE(msync_anon_ok)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	EXPECT_EQ(msync(p, PG, MS_SYNC), 0);
	munmap(p, PG);
}

CASE(msync_bad_flags_einval)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	EXPECT_ERRNO(msync(p, PG, MS_SYNC | MS_ASYNC), EINVAL);
	munmap(p, PG);
}

CASE(msync_unmapped_enomem)
{
	char *p = anon(PG, PROT_READ);
	munmap(p, PG);
	EXPECT_ERRNO(msync(p, PG, MS_SYNC), ENOMEM);
}

CASE(madvise_dontneed_zeroes_anon)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 5;
	EXPECT_EQ(madvise(p, PG, MADV_DONTNEED), 0);
	EXPECT_EQ(p[0], 0);
	munmap(p, PG);
}

CASE(madvise_bad_advice_einval)
{
	char *p = anon(PG, PROT_READ);
	EXPECT_ERRNO(madvise(p, PG, 12345), EINVAL);
	munmap(p, PG);
}

CASE(mincore_resident)
{
	unsigned char v = 0;
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 1;
	EXPECT_EQ(mincore(p, PG, &v), 0);
	EXPECT_EQ(v & 1, 1);
	munmap(p, PG);
}

CASE(mmap_shared_file_coherent_with_write)
{
	scratch();
	int fd = OK(open("f", O_CREAT | O_RDWR, 0644));
	OK(ftruncate(fd, PG));
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_TRUE(p != MAP_FAILED);
	p[10] = 'Q';
	char b = 0;
	EXPECT_EQ(pread(fd, &b, 1, 10), 1);
	EXPECT_EQ(b, 'Q');
	EXPECT_EQ(pwrite(fd, "R", 1, 20), 1);
	EXPECT_EQ(p[20], 'R');
	munmap(p, PG);
	close(fd);
}
