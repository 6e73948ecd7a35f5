/*
 * Counts of the host system calls uos itself makes, and of the stops its
 * waits return, for --summary ("where does the cost go").
 *
 * The counting is done by hostcall_wrap.c, linked into the uos executable
 * only: the linker's --wrap sends every call uos's code makes to the libc
 * system-call functions it lists (ptrace, wait4, openat, close, ... all that
 * uos makes while it serves guests) through a function that adds one to a
 * counter and calls libc, so no call site knows of it and none is missed.
 * Not seen: libc's own inner calls (the dynamic loader's, malloc's mmap,
 * stdio's buffers, readdir's getdents64) and the few libc functions uos calls
 * at start-up only (fork, prctl, setresuid, ...).
 *
 * The counters are the one mutable global of uos, on purpose: they count
 * what the host process does, whichever kernel object asked, and a wrapper
 * has no struct kernel to reach.  Only the wrappers write them; they cost
 * an increment whether or not --summary is on.
 */
#pragma once

#define HOSTCALL_NR_MAX 512    /* x86-64 syscall numbers are below this */
#define HOSTCALL_PTRACE_MAX 65 /* ptrace requests, by HOSTCALL_PTRACE_INDEX */

/* What a wait4 returned: a stop by kind, a death, or nothing (WNOHANG). */
enum hostcall_wait {
	HOSTCALL_STOP_SECCOMP, /* a seccomp stop: a trapped guest call */
	HOSTCALL_STOP_SYSCALL, /* a syscall-exit stop (PTRACE_SYSCALL) */
	HOSTCALL_STOP_EVENT,   /* fork, vfork, clone, exec, exit, vfork-done */
	HOSTCALL_STOP_SIGNAL,  /* a signal-delivery stop or a group-stop */
	HOSTCALL_WAIT_DEATH,   /* a host task's exit or death by signal */
	HOSTCALL_WAIT_NONE,    /* WNOHANG and nothing had come */
	HOSTCALL_WAIT_KINDS,
};

struct hostcalls {
	unsigned long by_nr[HOSTCALL_NR_MAX];	   /* by the host call's x86-64 number */
	unsigned long ptrace[HOSTCALL_PTRACE_MAX]; /* ptrace by request */
	unsigned long waits[HOSTCALL_WAIT_KINDS];  /* what wait4 returned */
};

/* Written by hostcall_wrap.c only; read with hostcall_counts(). */
extern struct hostcalls hostcall_tally;

/* The counts so far (all zero in a program linked without the wrappers). */
const struct hostcalls *hostcall_counts(void);

/* The index of ptrace request req in struct hostcalls' ptrace[] (a constant expression). */
#define HOSTCALL_PTRACE_INDEX(req)                                                                 \
	((unsigned long)(req) < 32	    ? (int)(req)                                           \
	 : (unsigned long)(req)-0x4200 < 32 ? 32 + (int)((req)-0x4200)                             \
					    : HOSTCALL_PTRACE_MAX - 1)

/* The name of the request at index i ("PTRACE_GETREGS"), or NULL if unnamed. */
const char *hostcall_ptrace_name(int i);

/* A word for wait result kind w ("seccomp", "death", ...). */
const char *hostcall_wait_name(enum hostcall_wait w);
