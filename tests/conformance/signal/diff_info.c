/*
 * signal_info: the siginfo a guest sees for signals other guest processes
 * send, taken every way Linux hands one out: a handler (kill's SI_USER,
 * SIGPIPE's SI_USER from the writer itself), sigtimedwait (sigqueue's
 * SI_QUEUE and si_value, real-time order), and signalfd reading several
 * records in one read.  Pids print as "child", "self" or "other".
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "guest.h"

static pid_t child_pid;
static volatile sig_atomic_t h_code, h_pid_ok, h_signo;

static const char *who(pid_t pid)
{
	return pid == child_pid ? "child" : pid == getpid() ? "self" : "other";
}

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	h_signo = sig;
	h_code = si->si_code;
	h_pid_ok = si->si_pid == getpid();
}

/* Fork a child that sends the parent what send() does, then exits. */
static void from_child(void (*send)(pid_t parent))
{
	pid_t parent = getpid();
	child_pid = fork();
	if (child_pid == 0) {
		send(parent);
		_exit(0);
	}
	waitpid(child_pid, NULL, 0);
}

static void send_kill(pid_t p)
{
	kill(p, SIGUSR1);
}

static void send_queue(pid_t p)
{
	for (int i = 1; i <= 3; i++)
		sigqueue(p, SIGRTMIN + 1, (union sigval){.sival_int = i * 10});
	sigqueue(p, SIGRTMIN, (union sigval){.sival_int = 5});
}

static void send_mixed(pid_t p)
{
	kill(p, SIGUSR2);
	sigqueue(p, SIGRTMIN, (union sigval){.sival_int = 7});
	sigqueue(p, SIGRTMIN, (union sigval){.sival_int = 8});
}

static void by_sigtimedwait(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = {1, 0};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	from_child(send_kill);
	int s = sigtimedwait(&set, &si, &ts);
	printf("sigtimedwait kill: sig ok %d code %d pid %s\n", s == SIGUSR1, si.si_code, who(si.si_pid));
	from_child(send_queue);
	while ((s = sigtimedwait(&set, &si, &(struct timespec){0, 0})) > 0)
		printf("sigtimedwait queue: rtmin+%d code %d value %d pid %s\n", s - SIGRTMIN, si.si_code,
		       si.si_value.sival_int, who(si.si_pid));
	from_child(send_kill);
	s = sigwaitinfo(&set, NULL);
	printf("sigwaitinfo no info: sig ok %d\n", s == SIGUSR1);
	from_child(send_kill);
	errno = 0;
	s = sigtimedwait(&set, (siginfo_t *)8, &ts);
	printf("bad info pointer: %d %s\n", s, ename(errno));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void by_signalfd(void)
{
	sigset_t set;
	struct signalfd_siginfo r[4];
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int fd = signalfd(-1, &set, SFD_NONBLOCK);
	from_child(send_mixed);
	ssize_t n = read(fd, r, sizeof(r));
	printf("signalfd read %zd records\n", n / (ssize_t)sizeof(r[0]));
	for (int i = 0; i < n / (ssize_t)sizeof(r[0]); i++)
		printf("  signo ok %d code %d value %d pid %s\n",
		       r[i].ssi_signo == SIGUSR2 || r[i].ssi_signo == (unsigned)SIGRTMIN, r[i].ssi_code,
		       r[i].ssi_int, who((pid_t)r[i].ssi_pid));
	SHOW("signalfd empty", read(fd, r, sizeof(r)));
	close(fd);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void by_handler(void)
{
	struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
	int p[2];
	sigaction(SIGPIPE, &sa, NULL);
	if (pipe(p) < 0)
		exit(1);
	close(p[0]);
	SHOW("write to a closed pipe", write(p[1], "x", 1));
	printf("SIGPIPE handler: sig ok %d code %d pid self %d\n", h_signo == SIGPIPE, h_code, h_pid_ok);
	close(p[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	by_sigtimedwait();
	by_signalfd();
	by_handler();
	return 0;
}
