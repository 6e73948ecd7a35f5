/* Notes of the host's change events, counted by a SIGIO handler (hostnote.h). */
#include "hostnote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long notes;

static void on_sigio(int sig)
{
	(void)sig;
	__atomic_add_fetch(&notes, 1, __ATOMIC_SEQ_CST);
}

/* The handler, once: 0 or -errno. */
static int handle_sigio(void)
{
	static bool done;
	struct sigaction sa;
	sigset_t set;
	if (done)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigio;
	sa.sa_flags = SA_RESTART;
	/*
	 * Every signal waits for the handler's end: one of intr.h's coming
	 * during it would be noted with no wait to end (its frame returns to
	 * the wait's restarted syscall instruction), and the loop would sleep
	 * on with it noted.  Held to the end, it comes at that instruction,
	 * where intr.c's handler ends the wait.
	 */
	sigfillset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	if (sigaction(SIGIO, &sa, NULL) || sigprocmask(SIG_UNBLOCK, &set, NULL))
		return -errno;
	done = true;
	return 0;
}

int hostnote_watch(int fd)
{
	int r = handle_sigio();
	if (r < 0)
		return r;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETSIG, 0) || fcntl(fd, F_SETOWN, getpid()) ||
	    fcntl(fd, F_SETFL, fl | O_ASYNC))
		return -errno;
	return 0;
}

unsigned long hostnote_count(void)
{
	return __atomic_load_n(&notes, __ATOMIC_SEQ_CST);
}
