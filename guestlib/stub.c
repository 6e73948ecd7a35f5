/*
 * Builds the exec stub (see stub.h) into a memfd: one ELF header, one
 * PT_LOAD program header covering the whole file, a PT_GNU_STACK header for
 * a non-executable stack, then the code.  Nothing here runs in uos; the bytes
 * run in the guest for the few instructions before uos takes over.
 */
#include "stub.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

struct stub_image {
	Elf64_Ehdr eh;
	Elf64_Phdr load;
	Elf64_Phdr stack;
	unsigned char code[4];
} __attribute__((packed));

_Static_assert(offsetof(struct stub_image, code) == STUB_ENTRY - STUB_ADDR, "stub layout");

static void stub_fill(struct stub_image *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->eh.e_ident, ELFMAG, SELFMAG);
	s->eh.e_ident[EI_CLASS] = ELFCLASS64;
	s->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	s->eh.e_ident[EI_VERSION] = EV_CURRENT;
	s->eh.e_type = ET_EXEC;
	s->eh.e_machine = EM_X86_64;
	s->eh.e_version = EV_CURRENT;
	s->eh.e_entry = STUB_ENTRY;
	s->eh.e_phoff = offsetof(struct stub_image, load);
	s->eh.e_ehsize = sizeof(Elf64_Ehdr);
	s->eh.e_phentsize = sizeof(Elf64_Phdr);
	s->eh.e_phnum = 2;
	s->load.p_type = PT_LOAD;
	s->load.p_flags = PF_R | PF_X;
	s->load.p_vaddr = s->load.p_paddr = STUB_ADDR;
	s->load.p_filesz = s->load.p_memsz = sizeof(*s);
	s->load.p_align = 0x1000;
	s->stack.p_type = PT_GNU_STACK;
	s->stack.p_flags = PF_R | PF_W;
	/* syscall; ud2 */
	memcpy(s->code, "\x0f\x05\x0f\x0b", 4);
}

int stub_create(void)
{
	struct stub_image s;
	stub_fill(&s);
	int fd = memfd_create("uos-stub", MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("uos-stub", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, &s, sizeof(s)) != (ssize_t)sizeof(s)) {
		int err = errno ? errno : EIO;
		close(fd);
		return -err;
	}
	return fd;
}
