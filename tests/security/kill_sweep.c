/*
 * kill_sweep MAXPID VICTIM: signal every pid there is.
 *
 * Attack: a guest names processes by pid in kill, tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_open (+ pidfd_send_signal)
 * and kill of a process group; if uos passed a pid through to the host, the
 * guest could signal any host process (uos itself, the shell that started
 * it, ...).  The guest, the only process of its pid space, sends SIGTERM or
 * SIGKILL through each of those calls to every pid 1..MAXPID but its own
 * (the script passes the host's pid_max, at most 70000; kill with SIGKILL
 * goes to 70000 whatever it is) and to VICTIM, a host process the script
 * started, then to -1.
 *
 * Escape: a host process gets a signal (the script checks that VICTIM is
 * alive and recorded nothing, and that uos exits with the guest's status,
 * so neither uos nor the script died).  Prints, per call, how many pids
 * answered anything but ESRCH (expected: none, the guest is alone).
 */
#include "sec.h"

#include <signal.h>

static long maxpid, victim, self;

typedef long (*sender)(long pid, int sig);

static long s_kill(long pid, int sig)
{
	return kill((pid_t)pid, sig);
}

static long s_killpg(long pid, int sig)
{
	return kill((pid_t)-pid, sig);
}

static long s_tkill(long pid, int sig)
{
	return syscall(SYS_tkill, pid, sig);
}

static long s_tgkill(long pid, int sig)
{
	return syscall(SYS_tgkill, pid, pid, sig);
}

static long s_sigqueue(long pid, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_QUEUE};
	si.si_pid = 1;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static long s_tgsigqueue(long pid, int sig)
{
	siginfo_t si = {.si_signo = sig, .si_code = SI_QUEUE};
	return syscall(SYS_rt_tgsigqueueinfo, pid, pid, sig, &si);
}

static long s_pidfd(long pid, int sig)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return fd;
	long r = syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	close((int)fd);
	return r;
}

static void sweep(const char *name, sender fn, int sig, long upto)
{
	long hits = 0, first = 0;
	for (long pid = 1; pid <= upto + 1; pid++) {
		long p = pid == upto + 1 ? victim : pid;
		if (p == self || (pid == upto + 1 && victim <= upto))
			continue;
		errno = 0;
		if (fn(p, sig) == 0 || errno != ESRCH) {
			if (!hits++)
				first = p;
		}
	}
	say("%s(%s): %ld pids answered%s", name, sig == SIGKILL ? "SIGKILL" : "SIGTERM", hits,
	    hits ? "" : "\n");
	if (hits)
		say(" (first %ld: %s)\n", first, strerrorname_np(errno) ?: "OK");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: kill_sweep MAXPID VICTIM\n");
		return 2;
	}
	maxpid = atol(argv[1]);
	victim = atol(argv[2]);
	self = getpid();
	const struct {
		const char *name;
		sender fn;
		int sig;
		long upto;
	} calls[] = {
		{"kill", s_kill, SIGTERM, maxpid},
		{"kill-pgrp", s_killpg, SIGKILL, maxpid},
		{"tkill", s_tkill, SIGKILL, maxpid},
		{"tgkill", s_tgkill, SIGTERM, maxpid},
		{"rt_sigqueueinfo", s_sigqueue, SIGTERM, maxpid},
		{"rt_tgsigqueueinfo", s_tgsigqueue, SIGKILL, maxpid},
		{"pidfd_send_signal", s_pidfd, SIGTERM, maxpid},
		{"kill", s_kill, SIGKILL, 70000},
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		sweep(calls[i].name, calls[i].fn, calls[i].sig, calls[i].upto);
	say("kill(-1, SIGTERM): %s\n", kill(-1, SIGTERM) == 0 ? "OK" : strerrorname_np(errno));
	say("kill(-1, SIGKILL): %s\n", kill(-1, SIGKILL) == 0 ? "OK" : strerrorname_np(errno));
	say("kill_sweep: done\n");
	return 0;
}
