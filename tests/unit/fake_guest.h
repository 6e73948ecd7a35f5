/*
 * A fake guest transport for unit tests: the guest interface (gmem.h,
 * guest.h, hostmaps.h and the two trap.h calls the kernel makes) without
 * ptrace, so that task, signal, scheduler, lock, epoll and procfs logic runs
 * in the test process.  Linked instead of the transport (unit-kernel).
 *
 * Guest memory is a list of regions a test maps (fake address -> buffer of
 * its own); an access not wholly inside one region of the task's process
 * gives -EFAULT, as the real gmem does.  guest_call returns what the test
 * set and records each call; the file, hostmaps and trap calls record what
 * they were asked.  The state is one static record (test-only code, and
 * Check runs every test in a process of its own); fake_guest_reset clears it.
 *
 * What the fake cannot stand in for: sigsend.c and the serial scheduler act
 * on the host task (tkill, kill, /proc/PID/status) directly, not through the
 * guest interface.  fake_host_spawn gives a task a real host process to act
 * on (a child that blocks or catches signals as told, and pauses), so that
 * the signal books can be tested without ptrace too.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct kernel;
struct task;
struct tgroup;

/* A signal as a bit of a mask (bit sig-1, as /proc/PID/status shows them). */
#define SIGBIT(sig) (1ULL << ((sig) - 1))
/* Every signal but SIGKILL and SIGSTOP (libc keeps its own two, 32 and 33, unblocked). */
#define FAKE_ALL_SIGS (~0ULL & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP)))

#define FAKE_MAX 64 /* regions, calls and records kept, each */

struct fake_call {
	struct task *t;
	int nr;
	unsigned long args[6];
};

struct fake_guest {
	struct fake_region {
		const struct tgroup *tg; /* whose address space; NULL: every process's */
		unsigned long addr;
		size_t len;
		void *buf;
	} regions[FAKE_MAX];
	int nregions;

	struct fake_call calls[FAKE_MAX]; /* guest_call, in order */
	int ncalls;
	long call_result; /* what guest_call returns */
	bool call_kills;  /* guest_call returns -ESRCH and marks the task TASK_DEAD */

	unsigned char in[4096], out[4096]; /* the stub's input and output areas */
	size_t in_len;

	int given_fd;	   /* guest_file_give: the host fd, or -1 */
	bool given_writable;
	int gives, drops;
	long give_result; /* 0: GUEST_XFER_FD */

	struct task *continued[FAKE_MAX]; /* guest_continue, in order */
	int ncontinued;
	struct task *ran[FAKE_MAX];	  /* guest_run, in order */
	int nran;
	int records, stack_syncs;	  /* hostmaps_record, hostmaps_sync_stack */
	unsigned long stack_lo, stack_top; /* what hostmaps_record reports */
};

/* The fake's one record. */
struct fake_guest *fake_guest(void);
/* Forget every region, call and record. */
void fake_guest_reset(void);
/* Map fake guest addresses [addr, addr+len) of tg's process (NULL: all) to buf. */
void fake_guest_map(const struct tgroup *tg, unsigned long addr, void *buf, size_t len);

/*
 * A host process standing in for a guest task: it blocks the signals of
 * `blocked`, catches those of `caught` with a handler that does nothing,
 * and pauses until killed (or its parent dies).  Its pid, or -1.
 */
pid_t fake_host_spawn(uint64_t blocked, uint64_t caught);
/* Kill and reap it. */
void fake_host_kill(pid_t pid);
/* Its pending signals (thread and shared, /proc/PID/status), bit sig-1. */
uint64_t fake_host_pending(pid_t pid);

/*
 * A kernel for a test: a scratch host directory as the guest's root
 * (vfs_ns_init_config: under a tmpfs, writable, with /proc and /dev), PID 1
 * made by task_create_init with a host stand-in (fake_host_spawn, every
 * signal blocked), and the fake reset.
 */
struct fake_env {
	struct kernel *k;
	struct task *init;
	char root[64];
};
void fake_env_init(struct fake_env *e);
/* A child of parent made by task_fork, with a host stand-in of its own blocking every signal. */
struct task *fake_env_fork(struct fake_env *e, struct task *parent, unsigned long flags);
/* Kill every stand-in, free the tasks and the namespace, remove the scratch tree. */
void fake_env_fini(struct fake_env *e);
/* The host task of t died with wait status st: its stand-in is killed, then task_exit. */
void fake_env_exit(struct task *t, int st);
/*
 * t takes sig as the host reports a signal uos queued (from uos's host pid,
 * code SI_TKILL for tkill, SI_USER for kill): *si gets what the guest sees
 * (sig_fix_info).  False when uos kept nothing for it.
 */
bool fake_taken(struct task *t, int sig, int code, siginfo_t *si);
