/*
 * proc_orphan_pgrp: what a parent's death does to its children, as Linux's
 * exit: a stopped job whose process group becomes orphaned gets SIGHUP then
 * SIGCONT; a child created with another exit signal reparents with
 * SIGCHLD as its exit signal ("we don't want people slaying init"); a
 * zombie reparented to a subreaper is reported to it.  For the last two the
 * main process is a subreaper, so that orphans come to it natively too.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

static int report[2];
static volatile sig_atomic_t got_usr1, got_chld;

static void say(const char *s)
{
	if (write(report[1], s, strlen(s)) < 0)
		_exit(1);
}

static void on_hup(int sig)
{
	(void)sig;
	say("hup ");
}

/* The stopped job: its own process group, stopped until the orphaning wakes it. */
static void job(void)
{
	signal(SIGHUP, on_hup);
	setpgid(0, 0);
	raise(SIGSTOP);
	say("cont\n");
	_exit(0);
}

static void stopped_job_orphaned(void)
{
	pid_t mid = fork();
	if (mid == 0) {
		int st;
		pid_t c = fork();
		if (c == 0)
			job();
		waitpid(c, &st, WUNTRACED);
		_exit(WIFSTOPPED(st) ? 0 : 1); /* the job's only link outside its group goes */
	}
	waitpid(mid, NULL, 0);
	char buf[64] = {0};
	ssize_t n = 0, r;
	while (n < 9 && (r = read(report[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	printf("orphaned stopped job: %s", buf);
	while (waitpid(-1, NULL, 0) > 0) /* the job, if init is this process */
		;
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void on_chld(int sig)
{
	(void)sig;
	got_chld++;
}

static int child_fn(void *arg)
{
	(void)arg;
	usleep(100000); /* outlives its parent */
	return 0;
}

/* A grandchild made with exit signal SIGUSR1, orphaned, then exiting here. */
static void exit_signal_reset(void)
{
	static char stack[65536];
	signal(SIGUSR1, on_usr1);
	signal(SIGCHLD, on_chld);
	pid_t mid = fork();
	if (mid == 0) {
		clone(child_fn, stack + sizeof(stack), SIGUSR1, NULL);
		_exit(0);
	}
	waitpid(mid, NULL, 0);
	got_chld = 0;
	int st;
	pid_t w;
	while ((w = waitpid(-1, &st, __WALL)) < 0 && errno == EINTR)
		;
	printf("reparented child reaped %d, SIGUSR1 %d, SIGCHLD %d\n", w > 0, (int)got_usr1,
	       (int)got_chld);
}

/* A zombie whose parent dies is reported to the subreaper. */
static void zombie_reparented(void)
{
	got_chld = 0;
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0)
			_exit(4);
		usleep(50000); /* its child is a zombie now */
		_exit(0);
	}
	waitpid(mid, NULL, 0);
	int st;
	pid_t w;
	while ((w = waitpid(-1, &st, 0)) < 0 && errno == EINTR)
		;
	printf("zombie reparented: reaped %d status %d, SIGCHLD %d\n", w > 0, WEXITSTATUS(st),
	       got_chld > 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(report) < 0)
		return 1;
	stopped_job_orphaned(); /* reparented to init, which links no group */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	exit_signal_reset();
	zombie_reparented();
	return 0;
}
