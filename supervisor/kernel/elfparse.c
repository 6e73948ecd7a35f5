/*
 * ELF validation (see elfparse.h).  Everything the loader later trusts is checked
 * here once: header identity, program header table bounds, each PT_LOAD
 * (inside the file, page-congruent, inside the user address space, in
 * ascending non-overlapping order), the entry point, and the interpreter
 * path.  Linux refuses most of these with ENOEXEC or EINVAL; uos says
 * ENOEXEC and why.
 */
#include "elfparse.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE_DOWN(x) ((x) & ~(ELF_PAGE - 1))
#define PAGE_UP(x) (((x) + ELF_PAGE - 1) & ~(ELF_PAGE - 1))
#define ELF_MAX_PHNUM 512 /* 64 KiB of program headers, as Linux allows */

static int bad(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

static int check_header(const Elf64_Ehdr *eh, off_t size, const char **why)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return bad(why, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		return bad(why, "not an x86-64 ELF file");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_ident[EI_VERSION] != EV_CURRENT)
		return bad(why, "bad ELF identification");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return bad(why, "not an executable or shared object");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM)
		return bad(why, "bad program header table");
	if (eh->e_phoff > (unsigned long)size ||
	    eh->e_phnum * sizeof(Elf64_Phdr) > (unsigned long)size - eh->e_phoff)
		return bad(why, "truncated program header table");
	return 0;
}

static int prot_of(Elf64_Word flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

static int add_load(struct elf_image *img, const Elf64_Phdr *ph, off_t size, const char **why)
{
	if (img->nload == ELF_MAX_LOADS)
		return bad(why, "too many PT_LOAD segments");
	if (ph->p_filesz > ph->p_memsz)
		return bad(why, "segment file size exceeds memory size");
	if (ph->p_offset > (unsigned long)size || ph->p_filesz > (unsigned long)size - ph->p_offset)
		return bad(why, "truncated: segment extends past end of file");
	if ((ph->p_vaddr - ph->p_offset) & (ELF_PAGE - 1))
		return bad(why, "misaligned segment (vaddr and offset not congruent)");
	if (ph->p_vaddr >= ELF_TASK_SIZE || ph->p_memsz > ELF_TASK_SIZE - ph->p_vaddr)
		return bad(why, "absurd segment address or size");
	if (img->nload && PAGE_DOWN(ph->p_vaddr) < img->hi)
		return bad(why, "overlapping or unordered segments");
	struct elf_load *l = &img->load[img->nload++];
	*l = (struct elf_load){ph->p_vaddr, ph->p_memsz, ph->p_filesz, ph->p_offset,
			       prot_of(ph->p_flags)};
	if (img->nload == 1)
		img->lo = PAGE_DOWN(ph->p_vaddr);
	img->hi = PAGE_UP(ph->p_vaddr + ph->p_memsz);
	return 0;
}

static int read_interp(elf_pread_fn pread, void *ctx, off_t size, const Elf64_Phdr *ph,
		       struct elf_image *img, const char **why)
{
	if (img->interp[0])
		return bad(why, "more than one PT_INTERP");
	if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX || ph->p_offset > (unsigned long)size ||
	    ph->p_filesz > (unsigned long)size - ph->p_offset)
		return bad(why, "bad interpreter path");
	long n = pread(ctx, img->interp, ph->p_filesz, ph->p_offset);
	if (n < 0)
		return (int)n;
	if ((unsigned long)n != ph->p_filesz || img->interp[n - 1] != 0 ||
	    strlen(img->interp) != (size_t)n - 1 || img->interp[0] == 0) {
		img->interp[0] = 0;
		return bad(why, "bad interpreter path");
	}
	return 0;
}

/* Where the program headers lie in memory: PT_PHDR, or inside the PT_LOAD holding them. */
static unsigned long find_phdr(const struct elf_image *img, unsigned long phoff, size_t len)
{
	for (int i = 0; i < img->nload; i++) {
		const struct elf_load *l = &img->load[i];
		if (phoff >= l->off && phoff + len <= l->off + l->filesz)
			return l->vaddr + (phoff - l->off);
	}
	return 0;
}

int elf_parse(elf_pread_fn pread, void *ctx, off_t size, struct elf_image *img, const char **why)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[ELF_MAX_PHNUM];
	memset(img, 0, sizeof(*img));
	memset(&eh, 0, sizeof(eh));
	long n = pread(ctx, &eh, sizeof(eh), 0);
	if (n < 0)
		return (int)n;
	if (n < SELFMAG || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return bad(why, "not an ELF file and no #! line");
	if (n != sizeof(eh) || size < (off_t)sizeof(eh))
		return bad(why, "truncated ELF header");
	int r = check_header(&eh, size, why);
	if (r < 0)
		return r;
	size_t phlen = eh.e_phnum * sizeof(Elf64_Phdr);
	n = pread(ctx, ph, phlen, eh.e_phoff);
	if (n < 0)
		return (int)n;
	if ((size_t)n != phlen)
		return bad(why, "truncated program header table");
	img->type = eh.e_type;
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	for (int i = 0; i < eh.e_phnum && r == 0; i++) {
		if (ph[i].p_type == PT_LOAD)
			r = add_load(img, &ph[i], size, why);
		else if (ph[i].p_type == PT_INTERP)
			r = read_interp(pread, ctx, size, &ph[i], img, why);
		else if (ph[i].p_type == PT_PHDR)
			img->phdr = ph[i].p_vaddr;
	}
	if (r < 0)
		return r;
	if (img->nload == 0)
		return bad(why, "no loadable segment");
	if (img->entry < img->lo || img->entry >= img->hi)
		return bad(why, "entry point outside the loaded segments");
	if (!img->phdr)
		img->phdr = find_phdr(img, eh.e_phoff, phlen);
	return 0;
}
