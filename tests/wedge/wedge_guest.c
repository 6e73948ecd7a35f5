/*
 * wedge_guest: guests that sit where uos must not wait for them.
 *   wedge_guest vfork       a vfork parent whose child never execs nor
 *                           exits: the parent stays inside the host's vfork
 *   wedge_guest ignore-term SIGTERM ignored, then sleeps for ever
 *   wedge_guest spin        SIGTERM ignored, then never makes a call (uos
 *                           sleeps in wait4)
 *   wedge_guest calls       SIGTERM ignored, then getppid as fast as it can
 *                           (uos is anywhere between its waits)
 * Each prints "MODE ready" once it is in place, then never returns.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Sleep for ever with raw nanosleep calls (what a vfork child may do: no libc state). */
static void sleep_forever(void)
{
	struct timespec ts = {1000, 0};
	for (;;)
		syscall(SYS_nanosleep, &ts, NULL);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "vfork")) {
		static const char msg[] = "vfork ready\n";
		if (vfork() == 0) {
			syscall(SYS_write, 1, msg, sizeof(msg) - 1);
			sleep_forever();
		}
		return 1; /* the child never releases the parent */
	}
	if (argc == 2 && !strcmp(argv[1], "ignore-term")) {
		static const char msg[] = "ignore-term ready\n";
		signal(SIGTERM, SIG_IGN);
		/* one write: printf's puts writes the line and its newline apart, and
		 * another guest's line on the same pipe could land in between */
		syscall(SYS_write, 1, msg, sizeof(msg) - 1);
		sleep_forever();
	}
	if (argc == 2 && !strcmp(argv[1], "spin")) {
		signal(SIGTERM, SIG_IGN);
		syscall(SYS_write, 1, "spin ready\n", 11);
		for (;;)
			__asm__ volatile("");
	}
	if (argc == 2 && !strcmp(argv[1], "calls")) {
		signal(SIGTERM, SIG_IGN);
		syscall(SYS_write, 1, "calls ready\n", 12);
		for (;;)
			syscall(SYS_getppid);
	}
	fprintf(stderr, "usage: wedge_guest vfork|ignore-term|spin|calls\n");
	return 2;
}
