/*
 * Builds the exec stub (see stub.h) into a sealed memfd: one ELF header,
 * four PT_LOAD program headers (code, read-only data and the input area,
 * the output area, the loader's page) and a PT_GNU_STACK header for a
 * non-executable stack, then the code, the constant data and the loader.  Every segment is file-backed, so
 * the host shows them as the memfd's mappings, never as [heap].  Nothing
 * here runs in uos; the bytes are mapped in the guest.
 */
#include "stub.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define STUB_FILE_PAGES 7 /* code, data, input, output, loader */

struct stub_head {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[5];
	unsigned char code[STUB_CODE_SIZE];
} __attribute__((packed));

_Static_assert(offsetof(struct stub_head, code) == STUB_SYSCALL - STUB_ADDR, "stub layout");
_Static_assert(STUB_END - STUB_ADDR == STUB_FILE_PAGES * STUB_PAGE, "stub size");

static Elf64_Phdr load(unsigned long vaddr, unsigned long size, unsigned flags)
{
	return (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = flags, .p_offset = vaddr - STUB_ADDR,
			    .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = size, .p_memsz = size,
			    .p_align = STUB_PAGE};
}

/* A 32-bit immediate, little-endian. */
#define LE32(v) (v) & 0xff, ((v) >> 8) & 0xff, ((v) >> 16) & 0xff, ((v) >> 24) & 0xff
_Static_assert(STUB_END <= 0xffffffffUL, "the code's immediates are 32-bit");

static void fill_head(struct stub_head *s)
{
	memcpy(s->eh.e_ident, ELFMAG, SELFMAG);
	s->eh.e_ident[EI_CLASS] = ELFCLASS64;
	s->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	s->eh.e_ident[EI_VERSION] = EV_CURRENT;
	s->eh.e_type = ET_EXEC;
	s->eh.e_machine = EM_X86_64;
	s->eh.e_version = EV_CURRENT;
	s->eh.e_entry = STUB_SYSCALL;
	s->eh.e_phoff = offsetof(struct stub_head, ph);
	s->eh.e_ehsize = sizeof(Elf64_Ehdr);
	s->eh.e_phentsize = sizeof(Elf64_Phdr);
	s->eh.e_phnum = 5;
	s->ph[0] = load(STUB_ADDR, STUB_PAGE, PF_R | PF_X);
	s->ph[1] = load(STUB_DATA, STUB_OUT - STUB_DATA, PF_R);
	s->ph[2] = load(STUB_OUT, STUB_PAGE, PF_R | PF_W);
	s->ph[3] = load(STUB_BATCH, STUB_PAGE, PF_R | PF_X);
	s->ph[4] = (Elf64_Phdr){.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
	static const unsigned char code[STUB_CODE_SIZE] = {
		0x0f, 0x05, 0x0f, 0x0b,				  /* syscall; ud2 */
		0x48, 0x89, 0xc3,				  /* STUB_CHAIN: mov %rax,%rbx */
		0xb8, STUB_CHAIN_NR, 0, 0, 0, 0x0f, 0x05, 0x0f, 0x0b, /* mov $nr,%eax; syscall; ud2 */
		0x4d, 0x89, 0xd8, 0xff, 0xe1,			  /* STUB_RESUME_R8: mov %r11,%r8; jmp *%rcx */
		0xb8, LE32(SYS_mprotect),			  /* STUB_SEAL: mov $nr,%eax */
		0xbf, LE32(STUB_BATCH),				  /* mov $STUB_BATCH,%edi */
		0xbe, LE32(STUB_PAGE),				  /* mov $STUB_PAGE,%esi */
		0x31, 0xd2, 0x0f, 0x05,				  /* xor %edx,%edx; syscall */
		0x49, 0x89, 0xc6,				  /* mov %rax,%r14 */
		0xb8, LE32(STUB_SEAL_NR),			  /* mov $nr,%eax */
		0xbf, LE32(STUB_ADDR),				  /* mov $STUB_ADDR,%edi */
		0xbe, LE32(STUB_SIZE),				  /* mov $STUB_SIZE,%esi */
		0x0f, 0x05,					  /* syscall */
		0xeb, (unsigned char)(STUB_CHAIN - (STUB_SEAL + 41)), /* jmp STUB_CHAIN */
	};
	memcpy(s->code, code, sizeof(code));
}

/* The loader's page (stub.h, STUB_BATCH). */
static void fill_batch(unsigned char *page)
{
	static const unsigned char code[STUB_BATCH_SIZE] = {
		0xbb, LE32(STUB_TABLE),		/* mov $STUB_TABLE,%ebx */
		0x48, 0x8b, 0x03,		/* 1: mov (%rbx),%rax */
		0x48, 0x85, 0xc0,		/* test %rax,%rax */
		0x78, 0x29,			/* js 2f */
		0x48, 0x8b, 0x7b, 0x08,		/* mov 8(%rbx),%rdi */
		0x48, 0x8b, 0x73, 0x10,		/* mov 16(%rbx),%rsi */
		0x48, 0x8b, 0x53, 0x18,		/* mov 24(%rbx),%rdx */
		0x4c, 0x8b, 0x53, 0x20,		/* mov 32(%rbx),%r10 */
		0x4c, 0x8b, 0x43, 0x28,		/* mov 40(%rbx),%r8 */
		0x4c, 0x8b, 0x4b, 0x30,		/* mov 48(%rbx),%r9 */
		0x0f, 0x05,			/* syscall: STUB_BATCH_RET follows */
		0x48, 0x89, 0x03,		/* mov %rax,(%rbx) */
		0x48, 0x83, 0xc3, 0x38,		/* add $56,%rbx */
		0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff, /* cmp $-4095,%rax */
		0x72, 0xcf,			/* jb 1b */
		0xe9, LE32((unsigned)(STUB_SEAL - (STUB_BATCH + STUB_BATCH_SIZE))), /* 2: jmp STUB_SEAL */
	};
	_Static_assert(STUB_BATCH_RET - STUB_BATCH == 0x27, "the loader's syscall");
	memcpy(page, code, sizeof(code));
}

static void fill_data(struct stub_data *d)
{
	memcpy(d->argv0, "uos", 4);
	d->argv[0] = STUB_DATA + offsetof(struct stub_data, argv0);
	for (size_t i = 0; i < STUB_NPAD; i++)
		d->envv[i] = STUB_DATA + offsetof(struct stub_data, pad);
	memset(d->pad, 'x', sizeof(d->pad) - 1);
	memcpy(d->pad, "P=", 2);
}

/* Seal everything: the guest may hold this file for an instant (the exec), never change it. */
#define STUB_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* A read-only fd of the same file (a new open file description). */
static int reopen_ro(int fd)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = open(path, O_RDONLY | O_CLOEXEC);
	return ro < 0 ? -errno : ro;
}

int stub_create(void)
{
	unsigned char *img = calloc(STUB_FILE_PAGES, STUB_PAGE);
	if (!img)
		return -ENOMEM;
	fill_head((struct stub_head *)img);
	fill_data((struct stub_data *)(img + (STUB_DATA - STUB_ADDR)));
	fill_batch(img + (STUB_BATCH - STUB_ADDR));
	int fd = memfd_create("uos-stub", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("uos-stub", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int err = fd < 0 ? errno : 0;
	if (!err && write(fd, img, STUB_FILE_PAGES * STUB_PAGE) != STUB_FILE_PAGES * STUB_PAGE)
		err = errno ? errno : EIO;
	if (!err && fcntl(fd, F_ADD_SEALS, STUB_SEALS) < 0)
		err = errno;
	free(img);
	int ro = err ? -1 : reopen_ro(fd);
	if (ro < 0 && !err)
		err = -ro;
	if (fd >= 0)
		close(fd);
	return err ? -err : ro;
}

void stub_exec_args(int fd, unsigned long pad, unsigned long args[6])
{
	unsigned long n = pad / STUB_PAD_CHUNK + 1;
	if (n > STUB_NPAD)
		n = STUB_NPAD; /* the caller's limit keeps it below; never index outside */
	args[0] = (unsigned long)fd;
	args[1] = STUB_DATA + offsetof(struct stub_data, empty);
	args[2] = STUB_DATA + offsetof(struct stub_data, argv);
	args[3] = STUB_DATA + offsetof(struct stub_data, envv) + (STUB_NPAD - n) * sizeof(long);
	args[4] = AT_EMPTY_PATH;
	args[5] = 0;
}
