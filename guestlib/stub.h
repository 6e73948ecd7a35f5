/*
 * The exec stub, which is also uos's page in every guest.
 *
 * The stub is the only program uos asks the host to execve: a tiny static
 * ELF built in memory (no file on disk) and held in a memfd.  Its image
 * stays mapped at STUB_ADDR for the life of the address space, as uos's own
 * page: the code uos resumes injected calls at, and the memory their
 * arguments live in.  The guest cannot change any of it: the code and the
 * data are read-only, and uos refuses (and seals, where the host has
 * mseal) every call that would map over, unmap, remap or mprotect it.
 *
 *	STUB_ADDR   R-X  ELF header, program headers, the entry STUB_SYSCALL
 *	                 (`syscall; ud2`, never run), then the chain,
 *	                 STUB_RESUME_R8 and STUB_SEAL (below)
 *	STUB_DATA   R--  constant data: the stub's own execveat arguments (struct stub_data)
 *	STUB_IN     R--  inputs of an injected call, written by uos through /proc/PID/mem
 *	STUB_OUT    RW-  outputs of an injected call (the guest can write here too:
 *	                 uos reads them as untrusted)
 *
 * When the host has exec'd the stub, uos loads the real program with its
 * own loader; the stub's code never runs as a program.
 */
#pragma once

#define STUB_PAGE 0x1000UL
#define STUB_ADDR 0x100000UL /* 1 MiB: below the default bases of non-PIE programs (ld 4 MiB, lld 2 MiB), clear of sanitizer shadows */
#define STUB_HEADERS (64 + 4 * 56) /* the ELF header and four program headers */
#define STUB_SYSCALL (STUB_ADDR + STUB_HEADERS) /* the entry: uos takes over at the exec stop */

/*
 * The chain, which runs injected calls one after another at one stop each:
 *
 *	STUB_CHAIN       mov %rax,%rbx              an injected call returns here
 *	STUB_CHAIN_CALL  mov $STUB_CHAIN_NR,%eax
 *	                 syscall                    the placeholder: its seccomp stop
 *	STUB_CHAIN_STOP  ud2                        is at STUB_CHAIN_STOP
 *
 * At the placeholder's seccomp stop uos reads the last call's result in
 * rbx and turns the placeholder into the next call (returning to
 * STUB_CHAIN), or skips it and gives the guest its registers back.  The
 * placeholder never runs: the filter traps it, and uos always rewrites it.
 */
#define STUB_CHAIN (STUB_SYSCALL + 4)
#define STUB_CHAIN_CALL (STUB_CHAIN + 3)
#define STUB_CHAIN_STOP (STUB_CHAIN_CALL + 7)
#define STUB_CHAIN_NR 111 /* getpgrp: harmless, uos answers it itself, and at a stop (not notified) */

/*
 * Where a guest's own call that the host ran with its r8 changed returns,
 * to give the guest its r8 back with no stop (inject_host_runs_r8):
 *
 *	STUB_RESUME_R8   mov %r11,%r8               r11: the guest's r8
 *	                 jmp *%rcx                  rcx: where its call returns
 *
 * A call leaves rcx and r11 undefined, so the guest loses nothing; rcx
 * even holds what the host's `syscall` puts there.
 */
#define STUB_RESUME_R8 (STUB_CHAIN_STOP + 2)

/*
 * Where a task enters the chain at its exec stop, sealing uos's page on the
 * way (inject_exec_enter), so that the host itself refuses to change it for
 * the life of the address space, even if a call reached it past uos's own
 * checks (sys_mm.c):
 *
 *	STUB_SEAL        mov $STUB_SEAL_NR,%eax
 *	                 mov $STUB_ADDR,%edi
 *	                 mov $STUB_SIZE,%esi
 *	                 xor %edx,%edx
 *	                 syscall                    mseal(STUB_ADDR, STUB_SIZE, 0)
 *	                 jmp STUB_CHAIN
 *
 * The filter lets exactly that mseal through without a stop (seccomp_gen.c),
 * so the placeholder's stop that follows carries its result: the exec's
 * seal costs no stop of its own.  A guest may make the same call at any
 * time; it seals what is sealed already.
 */
#define STUB_SEAL (STUB_RESUME_R8 + 5)
#define STUB_SEAL_NR 462 /* mseal */
#define STUB_CODE_SIZE (STUB_SEAL + 21 - STUB_SYSCALL)

#define STUB_DATA (STUB_ADDR + STUB_PAGE)
#define STUB_DATA_PAGES 3UL
#define STUB_IN (STUB_DATA + STUB_DATA_PAGES * STUB_PAGE)
#define STUB_OUT (STUB_IN + STUB_PAGE)
#define STUB_END (STUB_OUT + STUB_PAGE)
#define STUB_SIZE (STUB_END - STUB_ADDR)

/*
 * The environment that makes the host's new stack large enough for the
 * stack uos builds: up to STUB_NPAD pointers to one string of
 * STUB_PAD_CHUNK bytes (with its NUL).
 */
#define STUB_PAD_CHUNK 4096UL
#define STUB_NPAD 520UL

struct stub_data {
	char empty[8];			 /* "": execveat's path with AT_EMPTY_PATH */
	char argv0[8];			 /* "uos" */
	unsigned long argv[2];		 /* {argv0, NULL} */
	unsigned long envv[STUB_NPAD + 1]; /* STUB_NPAD times the pad string, then NULL */
	char pad[STUB_PAD_CHUNK];	 /* "P=xxx...x" */
};

_Static_assert(sizeof(struct stub_data) <= STUB_DATA_PAGES * STUB_PAGE, "stub data fits");

/* Create the sealed memfd holding the stub.  Returns a read-only fd of it (close-on-exec) or -errno. */
int stub_create(void);

/*
 * The arguments of execveat(fd, "", argv, envp, AT_EMPTY_PATH) that exec
 * the stub from file descriptor fd with an environment of at least pad
 * bytes, for a caller in whose address space the stub's data is mapped at
 * STUB_DATA.  pad must be below STUB_NPAD * STUB_PAD_CHUNK.
 */
void stub_exec_args(int fd, unsigned long pad, unsigned long args[6]);
