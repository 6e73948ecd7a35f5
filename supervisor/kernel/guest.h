/*
 * The guest interface: the only way the kernel acts on a guest.
 *
 * Handlers, the loader and the VFS read and write a guest's memory (gmem.h),
 * run a system call inside it, hand it a host file and map it, and start
 * an exec, only through these calls; none of them knows how it is done.
 * The ptrace transport (trap.c, guest.c) implements them today; a
 * faster transport implements the same calls.
 *
 * What the guest cannot change, whatever its threads do meanwhile:
 * - an injected call is made at a seccomp stop and returns into uos's own
 *   code (the chain, STUB_CHAIN, on a page the guest can neither write nor
 *   map over, unmap, remap or mprotect), which stops again before the next;
 *   but an exec's loader calls, which run one after another on the loader's
 *   page before any guest code runs in the new image, the page then made
 *   PROT_NONE and sealed (guest_batch_begin);
 * - the arguments it reads are registers or uos's read-only input area
 *   (STUB_IN); what it writes goes to the output area (STUB_OUT), which the
 *   guest can write too, so uos reads it back as untrusted data;
 * - every stop an injected call produces is checked (instruction pointer,
 *   call number, arguments); anything unexpected kills the guest;
 * - the host never opens a path for the guest: files reach it as file
 *   descriptors, passed over a socket uos owns.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gmem.h"
#include "stub.h"

struct task;
struct kernel;

/*
 * A guest's host fd table, which only uos changes: the channel uos passes
 * files over, the stub (for execs; a sealed read-only memfd), and the last
 * FDT_XFER_SLOTS files uos gave it, from GUEST_XFER_FD on, all kept across
 * execs.
 */
#define GUEST_CHAN_FD 0
#define GUEST_STUB_FD 1
#define GUEST_XFER_FD 2

/*
 * Create the channel (a datagram socket pair; the guests' end is inherited
 * at GUEST_CHAN_FD by every guest process).  0 or -errno.
 */
int guest_chan_init(struct kernel *k);

/*
 * Run system call nr with register arguments args in the stopped task t and
 * return its result, or -ESRCH when the task died meanwhile (t->stop is then
 * TASK_DEAD).  Valid inside a handler (at the call's seccomp stop, whose
 * call it replaces), at a syscall-exit stop and at the exec stop.  The call
 * must be one the seccomp filter traps, and must not block.
 */
long guest_call(struct task *t, int nr, const unsigned long args[6]);
#define GUEST_CALL(t, nr, ...) guest_call((t), (nr), (const unsigned long[6]){__VA_ARGS__})

/*
 * At t's exec stop, before the loader's calls: queue them instead, to run
 * one after another with no stop between them on the loader's page
 * (stub.h, STUB_BATCH) at guest_batch_run.  Meanwhile guest_call returns
 * what each returns when it does what it was asked (an mmap, which must be
 * MAP_FIXED or MAP_FIXED_NOREPLACE, its address; recvmsg 1; munmap,
 * mprotect, close and close_range 0), and guest_batch_run says whether
 * every one did.  A batch that outgrows the table, or meets another call,
 * runs at once, and the calls after it are made one by one.
 */
void guest_batch_begin(struct task *t);
/*
 * Run the queued calls, then make the loader's page PROT_NONE and seal
 * uos's region, once per exec, before the program runs: 0, when every call
 * returned what guest_call said; the first one's -errno (-EIO for another
 * result), or -ESRCH.  t is then at a seccomp stop.
 */
int guest_batch_run(struct task *t);

/* Copy len (at most STUB_PAGE) bytes to the input area STUB_IN for the next guest_call.  0 or -errno. */
int guest_put_in(struct task *t, const void *src, size_t len);
/* Copy len (at most STUB_PAGE) bytes from the output area STUB_OUT after a guest_call.  0 or -EFAULT. */
int guest_get_out(struct task *t, void *dst, size_t len);

/*
 * Give t's process the host file hostfd: it arrives in one of the slots
 * from GUEST_XFER_FD on in the guest's host fd table, read-only unless
 * writable (a shared mapping of it can then never be made writable).
 * Returns the slot's fd or -errno.  The caller drops it with
 * guest_file_drop when done with it; a failed give leaves nothing to drop.
 * The file may stay there after the drop, for the next give of the same
 * file.
 */
long guest_file_give(struct task *t, int hostfd, bool writable);
void guest_file_drop(struct task *t);
/* t's process exec'd (at its exec stop); what was given to it stays. */
void guest_file_exec(struct task *t);

/*
 * Map host file hostfd into t's address space: mmap(addr, len, prot, flags,
 * file, off), the file given as guest_file_give does.  Returns the address
 * or -errno.
 */
long guest_map_file(struct task *t, int hostfd, bool writable, unsigned long addr,
		    unsigned long len, int prot, int flags, unsigned long off);

/*
 * Have the host run t's own mmap call on host file hostfd, given as
 * guest_file_give gives it, in place of the guest's fd, with no stop
 * after the give (inject_host_runs_r8).  At t's seccomp stop, before the
 * handler returns -UOS_EHOST.  0; 1 when the host's file might refuse a
 * mapping (a filesystem not known to take every one, a noexec mount):
 * nothing runs, the file is given, guest_map_file learns the host's
 * answer; or -errno when the give failed (nothing runs).
 */
long guest_host_maps(struct task *t, int hostfd, bool writable);

/*
 * Start the exec of the stub in t, whose plan is set (t->plan), with an
 * environment of pad bytes.  The handler returns what this returns:
 * -UOS_ENORESULT (the exec stop loads the plan; a failure of the host's
 * execveat becomes the call's result) or -errno.
 */
long guest_exec(struct task *t, size_t pad);

/*
 * Make the host run call nr with args instead of the call t is making
 * (fork becomes clone with CLONE_PARENT ...).  At t's seccomp stop, before
 * the handler returns -UOS_EHOST.
 */
void guest_host_runs(struct task *t, int nr, const unsigned long args[6]);

/*
 * Guest memory below t's stack (past the red zone) for what a call the
 * host runs for t writes back (guest_host_runs): len bytes, valid until t
 * runs again.  The guest can write it too.
 */
unsigned long guest_stack_scratch(struct task *t, size_t len);

/*
 * t's signal mask on the host, read where uos holds t at a stop
 * (PTRACE_GETSIGMASK: one host call).  0, or -ESRCH when t is not at one.
 */
int guest_sigmask(const struct task *t, uint64_t *mask);

/* Serial mode: let a ready task run (the scheduler picked it). */
void guest_run(struct task *t);
/* Resume a task held in a group-stop (a SIGCONT arrived). */
void guest_continue(struct task *t);
