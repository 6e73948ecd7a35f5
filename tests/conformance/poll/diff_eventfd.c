/* ev_eventfd: the eventfd counter, EFD_SEMAPHORE, EFD_NONBLOCK, overflow,
 * short buffers, poll readiness, and a blocking read woken by a child's
 * write. */
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "guest.h"

static void show_poll(const char *what, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
	int r = poll(&p, 1, 0);
	printf("%s: poll=%d in=%d out=%d\n", what, r, !!(p.revents & POLLIN),
	       !!(p.revents & POLLOUT));
}

int main(void)
{
	uint64_t v;
	struct stat st;
	close_inherited_fds();
	SHOW("eventfd2 bad flags", eventfd(0, 0x1234));
	int fd = eventfd(3, EFD_NONBLOCK);
	SHOW("eventfd2", fd);
	SHOW("fstat", fstat(fd, &st));
	printf("mode 0%o\n", (unsigned)st.st_mode);
	show_poll("initial 3", fd);
	SHOW("read short", read(fd, &v, 4));
	SHOW("read", read(fd, &v, 8));
	printf("value %llu\n", (unsigned long long)v);
	SHOW("read empty", read(fd, &v, 8));
	show_poll("empty", fd);
	v = 5;
	SHOW("write 5", write(fd, &v, 8));
	SHOW("write 7", write(fd, &v, 8));
	uint64_t two[2] = {0, 0};
	SHOW("read 16 bytes", read(fd, two, 16));
	printf("value %llu\n", (unsigned long long)two[0]);
	v = UINT64_MAX;
	SHOW("write max", write(fd, &v, 8));
	v = UINT64_MAX - 1;
	SHOW("write max-1", write(fd, &v, 8));
	show_poll("full", fd);
	v = 1;
	SHOW("write overflow", write(fd, &v, 8));
	SHOW("read", read(fd, &v, 8));
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	for (int i = 0; i < 3; i++) {
		v = 0;
		SHOW("semaphore read", read(fd, &v, 8));
		printf("value %llu\n", (unsigned long long)v);
	}
	close(fd);

	fd = eventfd(0, 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		v = 42;
		write(fd, &v, 8);
		_exit(0);
	}
	SHOW("blocking read", read(fd, &v, 8));
	printf("value %llu\n", (unsigned long long)v);
	int status;
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WEXITSTATUS(status));
	return 0;
}
