/*
 * ELF parsing and validation for uos's own loader: pure code, no guest.
 * The result is a load plan: which ranges of the file go where, with which
 * protection, where the program headers are, and the interpreter's path.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define ELF_MAX_LOADS 32
#define ELF_PAGE 4096UL
#define ELF_TASK_SIZE 0x7ffffffff000UL /* x86-64 user address space end */

struct elf_load {
	unsigned long vaddr, memsz, filesz; /* as in the program header */
	unsigned long long off;
	int prot; /* PROT_* */
};

struct elf_image {
	int type; /* ET_EXEC or ET_DYN */
	unsigned long entry;
	unsigned long phdr; /* where the program headers are once loaded (unbiased) */
	unsigned long phnum;
	unsigned long lo, hi; /* page-aligned span of all PT_LOAD segments (unbiased) */
	int nload;
	struct elf_load load[ELF_MAX_LOADS];
	char interp[PATH_MAX]; /* PT_INTERP path, or "" */
};

/* Reads len bytes at off; returns the count read or -errno. */
typedef long (*elf_pread_fn)(void *ctx, void *buf, size_t len, off_t off);

/*
 * Parse and validate an x86-64 ELF executable of size bytes.  Returns 0, or
 * -ENOEXEC with *why set to a short reason (truncated, overlapping segments,
 * misaligned segment, absurd size, bad interpreter path ...), or another
 * -errno from pread.
 */
int elf_parse(elf_pread_fn pread, void *ctx, off_t size, struct elf_image *img, const char **why);
