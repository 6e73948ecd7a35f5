/* fd_getfl_kinds: the status flags F_GETFL reports for each kind of file,
 * O_LARGEFILE included where Linux adds it (open, memfd_create) and not
 * where it does not (pipes, sockets, eventfd, epoll ...). */
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include "guest.h"

int main(void)
{
	int p[2], s[2];
	sigset_t none;

	sigemptyset(&none);
	close_inherited_fds();
	SHOW("pipe", pipe(p));
	SHOW("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, s));
	SHOW("open F_GETFL", fcntl(open("/etc/passwd", O_RDONLY), F_GETFL));
	SHOW("open O_PATH F_GETFL", fcntl(open("/etc/passwd", O_PATH), F_GETFL));
	SHOW("open dir F_GETFL", fcntl(open("/etc", O_RDONLY | O_DIRECTORY), F_GETFL));
	SHOW("open /dev/null F_GETFL", fcntl(open("/dev/null", O_WRONLY | O_APPEND), F_GETFL));
	SHOW("O_TMPFILE F_GETFL", fcntl(open("/tmp", O_TMPFILE | O_RDWR, 0600), F_GETFL));
	SHOW("memfd F_GETFL", fcntl(memfd_create("x", 0), F_GETFL));
	SHOW("pipe read end F_GETFL", fcntl(p[0], F_GETFL));
	SHOW("pipe write end F_GETFL", fcntl(p[1], F_GETFL));
	SHOW("socket F_GETFL", fcntl(s[0], F_GETFL));
	SHOW("eventfd F_GETFL", fcntl(eventfd(0, EFD_NONBLOCK), F_GETFL));
	SHOW("epoll F_GETFL", fcntl(epoll_create1(0), F_GETFL));
	SHOW("inotify F_GETFL", fcntl(inotify_init1(0), F_GETFL));
	SHOW("timerfd F_GETFL", fcntl(timerfd_create(CLOCK_MONOTONIC, 0), F_GETFL));
	SHOW("signalfd F_GETFL", fcntl(signalfd(-1, &none, 0), F_GETFL));
	return 0;
}
