/* proc_self_maps_regions: /proc/self/maps is well formed, sorted and
 * non-overlapping, has the special regions ([stack], [vdso], [vvar], [heap])
 * the kernel shows, and names the program's own file. No address or inode is
 * printed: only what must agree natively and under uos. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include "guest.h"

static char maps[1 << 20];

static int has_suffix_line(const char *name)
{
	char *line, *save = NULL, *copy = strdup(maps);
	int found = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t ll = strlen(line), nl = strlen(name);

		if (ll >= nl && strcmp(line + ll - nl, name) == 0)
			found++;
	}
	free(copy);
	return found;
}

/* Every line parses, starts are ascending, regions do not overlap. */
static void check_format(void)
{
	char *line, *save = NULL, *copy = strdup(maps);
	unsigned long prev_end = 0, lo, hi, off, ino;
	unsigned maj, min;
	char perms[5];
	int n = 0, bad = 0, unsorted = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &lo, &hi, perms, &off, &maj, &min, &ino) != 7 ||
		    lo >= hi || (lo & 4095) || (hi & 4095) || strlen(perms) != 4) {
			bad++;
			continue;
		}
		if (lo < prev_end)
			unsorted++;
		prev_end = hi;
	}
	free(copy);
	EXPECT("every line well formed", n > 0 && bad == 0);
	EXPECT("sorted and non-overlapping", unsorted == 0);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n, got = 0;
	int fd = open("/proc/self/maps", O_RDONLY);

	while (fd >= 0 && (n = read(fd, maps + got, sizeof(maps) - 1 - got)) > 0)
		got += n;
	close(fd);
	check_format();
	printf("[stack] lines: %d\n", has_suffix_line("[stack]"));
	printf("[vdso] lines: %d\n", has_suffix_line("[vdso]"));
	printf("[vvar] lines: %d\n", has_suffix_line("[vvar]"));
	printf("[vsyscall] lines: %d\n", has_suffix_line("[vsyscall]"));
	printf("has [heap]: %s\n", has_suffix_line("[heap]") ? "yes" : "no");
	if (realpath(argv[0], self))
		printf("program's own file mapped: %s\n", has_suffix_line(self) ? "yes" : "no");
	printf("libc.so.6 mapped: %s\n", has_suffix_line("/libc.so.6") ? "yes" : "no");
	printf("ld-linux mapped: %s\n", has_suffix_line("/ld-linux-x86-64.so.2") ? "yes" : "no");
	(void)argc;
	return 0;
}
