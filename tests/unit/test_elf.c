/*
 * The ELF validator against crafted files: a minimal good static program, a
 * good one with an interpreter, and one malformed variant per rule.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "elfparse.h"
#include "suites.h"

/* A crafted file in memory: header, up to four program headers, payload. */
struct crafted {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[4];
	char payload[8192 - sizeof(Elf64_Ehdr) - 4 * sizeof(Elf64_Phdr)];
};

struct blob {
	const void *data;
	size_t size;
};

static long blob_pread(void *ctx, void *buf, size_t len, off_t off)
{
	const struct blob *b = ctx;
	if ((size_t)off >= b->size)
		return 0;
	if (len > b->size - off)
		len = b->size - off;
	memcpy(buf, (const char *)b->data + off, len);
	return (long)len;
}

/* A static program: text at 0x400000 (r-x), data+bss at 0x401000 (rw-). */
static void craft(struct crafted *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->eh.e_ident, ELFMAG, SELFMAG);
	c->eh.e_ident[EI_CLASS] = ELFCLASS64;
	c->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	c->eh.e_ident[EI_VERSION] = EV_CURRENT;
	c->eh.e_type = ET_EXEC;
	c->eh.e_machine = EM_X86_64;
	c->eh.e_version = EV_CURRENT;
	c->eh.e_entry = 0x400100;
	c->eh.e_phoff = sizeof(Elf64_Ehdr);
	c->eh.e_phentsize = sizeof(Elf64_Phdr);
	c->eh.e_phnum = 2;
	c->ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
				.p_vaddr = 0x400000, .p_filesz = 0x1000, .p_memsz = 0x1000};
	c->ph[1] = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000,
				.p_vaddr = 0x401000, .p_filesz = 0x800, .p_memsz = 0x3000};
}

static int parse(struct crafted *c, size_t size, struct elf_image *img, const char **why)
{
	struct blob b = {c, size};
	return elf_parse(blob_pread, &b, (off_t)size, img, why);
}

START_TEST(good_static)
{
	struct crafted c;
	struct elf_image img;
	const char *why = NULL;
	craft(&c);
	ck_assert_int_eq(parse(&c, sizeof(c), &img, &why), 0);
	ck_assert_int_eq(img.nload, 2);
	ck_assert_uint_eq(img.lo, 0x400000);
	ck_assert_uint_eq(img.hi, 0x404000);
	ck_assert_uint_eq(img.phdr, 0x400040);
	ck_assert_int_eq(img.load[0].prot, PROT_READ | PROT_EXEC);
	ck_assert_int_eq(img.load[1].prot, PROT_READ | PROT_WRITE);
	ck_assert_str_eq(img.interp, "");
}
END_TEST

START_TEST(good_interp)
{
	struct crafted c;
	struct elf_image img;
	const char *why = NULL;
	craft(&c);
	c.eh.e_phnum = 3;
	strcpy(c.payload, "/lib64/ld-linux-x86-64.so.2");
	c.ph[2] = (Elf64_Phdr){.p_type = PT_INTERP, .p_offset = offsetof(struct crafted, payload),
			       .p_filesz = strlen(c.payload) + 1};
	ck_assert_int_eq(parse(&c, sizeof(c), &img, &why), 0);
	ck_assert_str_eq(img.interp, "/lib64/ld-linux-x86-64.so.2");
}
END_TEST

/* Each malformed variant: what to break, and the reason the parser must give. */
static void expect_bad(struct crafted *c, size_t size, const char *reason)
{
	struct elf_image img;
	const char *why = NULL;
	ck_assert_int_eq(parse(c, size, &img, &why), -ENOEXEC);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, reason), "expected '%s', got '%s'", reason, why);
}

START_TEST(bad_files)
{
	struct crafted c;
	craft(&c);
	expect_bad(&c, 10, "truncated ELF header");
	expect_bad(&c, 3, "not an ELF");
	craft(&c);
	c.eh.e_ident[0] = 0;
	expect_bad(&c, sizeof(c), "not an ELF");
	craft(&c);
	c.eh.e_machine = EM_386;
	expect_bad(&c, sizeof(c), "x86-64");
	craft(&c);
	c.eh.e_type = ET_REL;
	expect_bad(&c, sizeof(c), "not an executable");
	craft(&c);
	c.eh.e_phnum = 60000;
	expect_bad(&c, sizeof(c), "program header table");
	craft(&c);
	c.eh.e_phoff = sizeof(c) - 8;
	expect_bad(&c, sizeof(c), "truncated program header");
	craft(&c);
	expect_bad(&c, 0x1400, "truncated: segment");
	craft(&c);
	c.ph[1].p_offset = 0x1010;
	expect_bad(&c, sizeof(c), "misaligned");
	craft(&c);
	c.ph[1].p_vaddr = 0x400800 & ~0xfffUL;
	c.ph[1].p_offset = 0;
	expect_bad(&c, sizeof(c), "overlapping");
	craft(&c);
	c.ph[1].p_memsz = ~0UL - 0x1000;
	expect_bad(&c, sizeof(c), "absurd");
	craft(&c);
	c.ph[1].p_filesz = 0x4000;
	expect_bad(&c, sizeof(c), "file size exceeds");
	craft(&c);
	c.eh.e_entry = 0x900000;
	expect_bad(&c, sizeof(c), "entry point");
	craft(&c);
	c.ph[0].p_type = c.ph[1].p_type = PT_NOTE;
	expect_bad(&c, sizeof(c), "no loadable");
}
END_TEST

START_TEST(bad_interp)
{
	struct crafted c;
	craft(&c);
	c.eh.e_phnum = 3;
	memcpy(c.payload, "/lib/ld\0x", 9);
	c.ph[2] = (Elf64_Phdr){.p_type = PT_INTERP, .p_offset = offsetof(struct crafted, payload),
			       .p_filesz = 9}; /* interior NUL, no final NUL */
	expect_bad(&c, sizeof(c), "interpreter");
	c.ph[2].p_filesz = 1 << 20;
	expect_bad(&c, sizeof(c), "interpreter");
	c.ph[2].p_filesz = 1;
	expect_bad(&c, sizeof(c), "interpreter");
}
END_TEST

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, good_static);
	tcase_add_test(tc, good_interp);
	tcase_add_test(tc, bad_files);
	tcase_add_test(tc, bad_interp);
	suite_add_tcase(s, tc);
	return s;
}
