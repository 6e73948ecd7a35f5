/*
 * Containment: what the host lets a guest process do, in layers under the
 * syscall filter, so that one bug in uos is not an escape (contain.c).
 *
 * uos decides everything that can fail before it forks the first guest
 * (contain_prepare); the forked child, between PTRACE_TRACEME and the
 * seccomp filter, makes only the few calls of contain_enter.  Every later
 * guest process is forked from that one and inherits the layers.  Nothing
 * here touches uos itself: files it opens are opened with its own rights.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Whether uos applies the uid change, the capability drop and Landlock
 * when no option says.  The hidden --contain and --no-contain choose per
 * run (--no-contain: for comparing, never for use).
 */
#define CONTAIN_DEFAULT true

/* What the command line asks for (main.c). */
struct contain_opts {
	bool on;	/* the uid change, the capability drop and Landlock apply */
	bool host_user; /* --host-user given: uid and gid below */
	uid_t uid;
	gid_t gid;
};

/* The containment decided for this run, before the first fork. */
struct contain {
	bool on;      /* layers beyond RLIMIT_CORE and no_new_privs apply */
	bool set_ids; /* uos is root: guests take uid and gid, no groups */
	uid_t uid;    /* the guests' host uid and gid */
	gid_t gid;
	bool drop_bset;	  /* uos holds CAP_SETPCAP: bounding set emptied, securebits locked */
	int landlock_abi; /* the Landlock ABI whose every right is denied; 0: none */
	int ruleset_fd;	  /* the Landlock ruleset (close-on-exec), or -1 */
};

/*
 * Decide the containment of this run into *c: probe the Landlock ABI and
 * build its ruleset, pick the guests' host ids (--host-user, or a uid of
 * their own when uos is root), see which capabilities uos may drop.  With
 * o->on false only RLIMIT_CORE and no_new_privs will apply.  On a kernel
 * without Landlock, goes on without it.  Returns 0, or -errno with *why
 * saying what is wrong (--host-user when uos is not root, a root without
 * CAP_SETUID/CAP_SETGID, a ruleset the kernel refused).
 */
int contain_prepare(struct contain *c, const struct contain_opts *o, const char **why);

/*
 * In the first guest's child (spawn.c), before the seccomp filter: take
 * every layer of c (RLIMIT_CORE 0, no_new_privs, then, when c->on:
 * securebits and bounding set, groups, gid, uid, capability sets,
 * Landlock).  Raw system calls only (uos_raw_syscall), no allocation.  Returns 0, or -errno with *what naming the call that failed;
 * the caller must not go on to exec the guest then.
 */
int contain_enter(const struct contain *c, const char **what);

/* One line (no newline) saying what the guests hold, for --summary and --syscalls. */
void contain_describe(const struct contain *c, char *buf, size_t n);

/*
 * Set the host limit res of guest process pid to *new.  The host lets only a
 * process of the same ids, or one with CAP_SYS_RESOURCE (which a root uos
 * may lack: this machine's root does), change another's limits: when the
 * guests have ids of their own, a child of uos takes them and makes the
 * call.  0 or -errno (EPERM for a hard limit above the host's).
 */
struct rlimit;
int contain_prlimit(const struct contain *c, pid_t pid, int res, const struct rlimit *new);

/* Close the ruleset in uos once the first guest holds its domain. */
void contain_release(struct contain *c);
