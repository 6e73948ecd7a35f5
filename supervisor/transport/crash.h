/*
 * The crash report: one line on stderr when a guest dies of a fault signal
 * (SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP), naming the signal, its si_code,
 * the faulting address and the instruction at rip.
 */
#pragma once

#include <signal.h>
#include <stddef.h>

struct task;

/*
 * Print "uos: [TID] SIGSEGV at address 0x0 (SEGV_MAPERR): rip 0x401136:
 * mov dword ptr [rax], 1" to stderr.  Uses t->regs (read by the trap layer)
 * and reads up to 16 bytes at rip through gmem; si may be NULL.
 */
void crash_report(struct task *t, int sig, const siginfo_t *si);

/*
 * Format that line (without "uos: " and newline) into buf[size]: code holds
 * n bytes read at rip (n 0: they could not be read).  Returns buf.
 */
char *crash_format(char *buf, size_t size, int tid, int sig, const siginfo_t *si, unsigned long rip,
		   const unsigned char *code, size_t n);

/* "SIGSEGV", ..., "SIGRTMIN+3" for signals 1..64; "SIG?" otherwise. */
const char *crash_signame(int sig);
/* The name of a fault's si_code ("SEGV_MAPERR", "SI_USER"), or NULL. */
const char *crash_codename(int sig, int code);
