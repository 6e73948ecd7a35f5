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
 *	                 uos reads them as untrusted), and the loader's table
 *	STUB_BATCH  ---  the loader's code: R-X from the exec of the stub until
 *	                 the program's first instruction, then PROT_NONE (below)
 *
 * When the host has exec'd the stub, uos loads the real program with its
 * own loader; the stub's code never runs as a program.
 */
#pragma once

#define STUB_PAGE 0x1000UL
#define STUB_ADDR 0x100000UL /* 1 MiB: below the default bases of non-PIE programs (ld 4 MiB, lld 2 MiB), clear of sanitizer shadows */
#define STUB_HEADERS (64 + 5 * 56) /* the ELF header and five program headers */
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
 * Where the loader's calls (the batch, below) end at an exec: the loader's
 * page made inaccessible, then the whole of uos's region sealed, so that
 * the host itself refuses to change it for the life of the address space,
 * even if a call reached it past uos's own checks (sys_mm.c):
 *
 *	STUB_SEAL        mov $10,%eax
 *	                 mov $STUB_BATCH,%edi
 *	                 mov $STUB_PAGE,%esi
 *	                 xor %edx,%edx
 *	                 syscall                    mprotect(STUB_BATCH, STUB_PAGE, PROT_NONE)
 *	                 mov %rax,%r14
 *	                 mov $STUB_SEAL_NR,%eax
 *	                 mov $STUB_ADDR,%edi
 *	                 mov $STUB_SIZE,%esi
 *	                 syscall                    mseal(STUB_ADDR, STUB_SIZE, 0)
 *	                 jmp STUB_CHAIN
 *
 * The filter lets exactly those two calls through without a stop
 * (seccomp_gen.c), so the placeholder's stop that follows carries their
 * results (r14, rbx).  A guest may make the same calls at any time; they
 * change what is inaccessible and sealed already.
 */
#define STUB_SEAL (STUB_RESUME_R8 + 5)
#define STUB_SEAL_NR 462 /* mseal */
#define STUB_CODE_SIZE (STUB_SEAL + 41 - STUB_SYSCALL)

#define STUB_DATA (STUB_ADDR + STUB_PAGE)
#define STUB_DATA_PAGES 3UL
#define STUB_IN (STUB_DATA + STUB_DATA_PAGES * STUB_PAGE)
#define STUB_OUT (STUB_IN + STUB_PAGE)
#define STUB_BATCH (STUB_OUT + STUB_PAGE)
#define STUB_END (STUB_BATCH + STUB_PAGE)
#define STUB_SIZE (STUB_END - STUB_ADDR)

/*
 * The loader's page, which runs the calls that load a program at an exec
 * with no stop between them: uos writes them as a table at STUB_TABLE
 * (entries of a number and six arguments, ended by a number below 0) and
 * resumes the task, just exec'd, at STUB_BATCH:
 *
 *	STUB_BATCH       mov $STUB_TABLE,%ebx
 *	         1:      mov (%rbx),%rax
 *	                 test %rax,%rax
 *	                 js 2f
 *	                 mov 8(%rbx),%rdi ... mov 48(%rbx),%r9
 *	                 syscall                    (STUB_BATCH_RET follows it)
 *	                 mov %rax,(%rbx)            each result over its number
 *	                 add $56,%rbx
 *	                 cmp $-4095,%rax
 *	                 jb 1b                      an error ends the table
 *	         2:      jmp STUB_SEAL
 *
 * The filter lets the loader's calls (mmap, mprotect, munmap, recvmsg,
 * close, close_range) made at STUB_BATCH_RET through without a stop.  That
 * is safe only because no guest code runs while the page can run: the host
 * maps it with the stub, the only thread of the new image runs it once,
 * under uos, and STUB_SEAL then makes it PROT_NONE and seals it before the
 * program's first instruction, for the life of the address space (a
 * guest's fork inherits it so).  Without mseal(2) in the host, uos's own
 * checks refuse every change to it (sys_mm.c).
 */
#define STUB_BATCH_RET (STUB_BATCH + 0x27)
#define STUB_BATCH_SIZE 0x3b
#define STUB_TABLE (STUB_OUT + 256) /* after guest.c's recvmsg header */
#define STUB_TABLE_MAX ((STUB_BATCH - STUB_TABLE) / 56 - 1) /* entries, the end mark apart */

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
