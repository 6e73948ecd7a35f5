/*
 * The exec stub: the only program uos ever asks the host to execve.
 *
 * It is a tiny static ELF built in memory (no file on disk) and held in a
 * memfd.  Its whole text is `syscall; ud2` at STUB_ENTRY.  When the host has
 * exec'd it, uos loads the real program with its own loader, issuing the
 * needed mmap calls through that one syscall instruction, then unmaps the stub.
 */
#pragma once

#define STUB_ADDR 0x10000000000UL /* 1 TiB: clear of static programs, PIE and mmap areas */
#define STUB_ENTRY (STUB_ADDR + 64 + 2 * 56) /* after the ELF header and two program headers */
#define STUB_SIZE 0x1000UL

/* Create the memfd holding the stub.  Returns the fd (close-on-exec) or -errno. */
int stub_create(void);
