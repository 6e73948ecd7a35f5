/*
 * Waits that uos's own signals interrupt (intr.c), beside the other
 * handler uos installs (hostnote.c's SIGIO).  A noted signal must end the
 * wait even when it comes while that other handler runs: its frame then
 * returns to the syscall instruction of a wait the host restarts, past the
 * note's check, and the loop would sleep on with the signal noted (a
 * --notify run slept in the listener's RECV with a stop's SIGCHLD noted).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostnote.h"
#include "intr.h"
#include "suites.h"

#define TRIES 200

START_TEST(other_handler_blocks_all)
{
	int p[2];
	struct sigaction sa;
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(hostnote_watch(p[0]), 0);
	ck_assert_int_eq(sigaction(SIGIO, NULL, &sa), 0);
	const int sigs[] = {SIGCHLD, SIGALRM, SIGTERM, SIGINT, SIGRTMIN + 1};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		ck_assert_msg(sigismember(&sa.sa_mask, sigs[i]), "SIGIO's handler lets %d in", sigs[i]);
}
END_TEST

/*
 * The signaller: at each of the parent's sleeps, stop it, queue SIGIO and
 * the noted signal (the host delivers the lower-numbered SIGIO first, and
 * the other at once into its handler, unless that blocks it), continue it.
 * Exits when the parent stops asking (a wait4 that slept on then reports
 * it), or is told to.
 */
static _Noreturn void signaller(int ready, int sig)
{
	pid_t parent = getppid();
	char c;
	for (int i = 0; i <= TRIES; i++) {
		struct pollfd p = {.fd = ready, .events = POLLIN};
		if (poll(&p, 1, 3000) != 1 || read(ready, &c, 1) != 1 || i == TRIES)
			_exit(1);
		usleep(2000); /* the parent is asleep in its wait4 by now, mostly */
		kill(parent, SIGSTOP);
		kill(parent, SIGIO);
		kill(parent, sig);
		kill(parent, SIGCONT);
	}
	_exit(0);
}

START_TEST(noted_during_other_handler_ends_wait)
{
	int sig = SIGRTMIN + 1, ready[2], p[2];
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(hostnote_watch(p[0]), 0);
	ck_assert_int_eq(intr_init(&sig, 1), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		signaller(ready[0], sig);
	for (int i = 0; i < TRIES; i++) {
		int st;
		intr_take(~0UL);
		ck_assert_int_eq(write(ready[1], "x", 1), 1);
		long r = intr_wait4(child, &st, 0, NULL);
		ck_assert_msg(r == -EINTR, "try %d: wait4 slept on with the signal noted (%ld)", i, r);
		ck_assert(intr_take(INTR_BIT(sig)));
	}
	ck_assert_int_eq(write(ready[1], "x", 1), 1); /* done */
	waitpid(child, NULL, 0);
}
END_TEST

Suite *intr_suite(void)
{
	Suite *s = suite_create("intr");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, other_handler_blocks_all);
	tcase_add_test(tc, noted_during_other_handler_ends_wait);
	suite_add_tcase(s, tc);
	return s;
}
