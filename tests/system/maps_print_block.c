/* maps_print_block: print /proc/self/maps, then "END", then block reading
 * stdin until EOF. While it blocks, tests/system/proc_maps_vs_host.py compares
 * what it printed (uos's rendering) with the host kernel's maps of the same
 * process. Only raw system calls run between reading maps and blocking, and
 * the buffer is in .bss, so nothing maps or unmaps in between. */
#include <fcntl.h>
#include <unistd.h>

static char buf[1 << 20];

int main(void)
{
	ssize_t n, got = 0;
	int fd = open("/proc/self/maps", O_RDONLY);

	while (fd >= 0 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	if (fd >= 0)
		close(fd);
	for (ssize_t off = 0; off < got; off += n)
		if ((n = write(1, buf + off, got - off)) <= 0)
			return 1;
	write(1, "END\n", 4);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
