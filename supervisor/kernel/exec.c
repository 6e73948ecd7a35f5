/*
 * The loader (see exec.h).  Prepare reads files only through the VFS, so a
 * root image can carry its own ld.so and libc; commit seals uos's page,
 * maps the files into the guest through the guest interface (the file is
 * handed over as an fd, then mmap'd), recording every region in the memory
 * books, and writes the initial stack the way Linux's binfmt_elf lays it out.
 */
#include "exec.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "elfparse.h"
#include "exec_creds.h"
#include "fdtable.h"
#include "guest.h"
#include "hostmaps.h"
#include "mm.h"
#include "task.h"
#include "vfs.h"

#define PAGE_DOWN(x) ((x) & ~(ELF_PAGE - 1))
#define PAGE_UP(x) (((x) + ELF_PAGE - 1) & ~(ELF_PAGE - 1))
#define MAX_SCRIPT_DEPTH 4	/* Linux gives ELOOP beyond this many #! levels */
#define SCRIPT_LINE 256		/* BINPRM_BUF_SIZE */
#define ARG_MAX_BYTES (2UL << 20) /* a quarter of the default 8 MiB stack limit */
_Static_assert(ARG_MAX_BYTES < STUB_NPAD * STUB_PAD_CHUNK, "the stub's pad covers any stack");
#define PIE_BASE 0x555555554000UL
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NAUXV 24

struct exec_file {
	struct vfs_file *f;
	struct stat st;
	struct elf_image elf;
	unsigned long bias; /* load address minus link address, set by commit */
	/* The file's first bytes, read once: a #! line, the ELF header, usually its program headers. */
	char head[1024];
	long head_len; /* < 0: not read (yet) */
};

struct exec_plan {
	struct exec_file prog, interp;
	bool has_interp;
	char **argv, **envp; /* NULL-terminated deep copies */
	char *execfn;	     /* the name the program was run by (AT_EXECFN) */
	struct creds cred;   /* the process's after the exec (exec_creds.c) */
	bool secure;	     /* AT_SECURE: the exec raised privileges */
};

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static size_t strv_len(char *const v[])
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* A deep copy of v with `pre` (npre strings) in front of v[skip..]. */
static char **strv_build(char *const pre[], size_t npre, char *const v[], size_t skip)
{
	size_t n = strv_len(v);
	skip = skip < n ? skip : n;
	char **out = calloc(npre + n - skip + 1, sizeof(char *));
	if (!out)
		return NULL;
	for (size_t i = 0; i < npre + n - skip; i++) {
		out[i] = strdup(i < npre ? pre[i] : v[skip + i - npre]);
		if (!out[i]) {
			strv_free(out);
			return NULL;
		}
	}
	return out;
}

void exec_plan_free(struct exec_plan *p)
{
	if (!p)
		return;
	if (p->prog.f)
		vfs_file_put(p->prog.f);
	if (p->interp.f)
		vfs_file_put(p->interp.f);
	strv_free(p->argv);
	strv_free(p->envp);
	free(p->execfn);
	free(p);
}

/* The first bytes of ef's file (ef->head), read at the first call: their count, or -errno. */
static long read_head(struct exec_file *ef)
{
	if (ef->head_len < 0)
		ef->head_len = vfs_read(ef->f, ef->head, sizeof(ef->head), 0);
	return ef->head_len;
}

/* elf_parse's pread: from the head when it holds the range (no host call), else the file. */
static long file_pread(void *ctx, void *buf, size_t len, off_t off)
{
	struct exec_file *ef = ctx;
	size_t have = ef->head_len > 0 ? (size_t)ef->head_len : 0;

	if (off >= 0 && (size_t)off <= have && len <= have - (size_t)off) {
		memcpy(buf, ef->head + off, len);
		return (long)len;
	}
	return vfs_read(ef->f, buf, len, off);
}

/* Parse f's ELF headers; a program at fixed addresses must leave uos's page alone. */
static int parse_elf(struct exec_file *ef, const char **why)
{
	const struct elf_image *e = &ef->elf;
	read_head(ef); /* an error is elf_parse's to meet */
	int r = elf_parse(file_pread, ef, ef->st.st_size, &ef->elf, why);
	if (r == 0 && e->type == ET_EXEC && e->lo < STUB_END && e->hi > STUB_ADDR) {
		*why = "its segments overlap the page uos keeps in every guest";
		r = -ENOEXEC;
	}
	return r;
}

/* Open path for execution: a regular file with an x bit.  0 or -errno. */
static int open_exec(struct task *t, const char *path, struct exec_file *ef)
{
	int r = vfs_open(&t->vc, NULL, path, O_RDONLY | O_CLOEXEC, 0, &ef->f);
	if (r < 0)
		return r;
	ef->head_len = -1;
	r = vfs_fstat(ef->f, &ef->st);
	if (r == 0 && (!S_ISREG(ef->st.st_mode) || !(ef->st.st_mode & 0111)))
		r = -EACCES;
	if (r < 0) {
		vfs_file_put(ef->f);
		ef->f = NULL;
	}
	return r;
}

static const char *getenv_in(char *const envp[], const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], name, n) && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

/* execvp's search: the first executable hit; EACCES if only unexecutable ones. */
static int search_path(struct task *t, const char *name, char *const envp[], char **out)
{
	const char *path = getenv_in(envp, "PATH");
	int err = -ENOENT;
	for (const char *p = path ? path : DEFAULT_PATH; p; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		size_t dlen = strchr(p, ':') ? (size_t)(strchr(p, ':') - p) : strlen(p);
		char cand[PATH_MAX];
		if (snprintf(cand, sizeof(cand), "%.*s%s%s", (int)dlen, p, dlen ? "/" : "", name) >=
		    (int)sizeof(cand))
			continue;
		struct exec_file ef = {0};
		int r = open_exec(t, cand, &ef);
		if (r == 0) {
			vfs_file_put(ef.f);
			*out = strdup(cand);
			return *out ? 0 : -ENOMEM;
		}
		if (r == -EACCES)
			err = r;
	}
	return err;
}

/*
 * Parse a "#!" line (Linux's binfmt_script): interpreter, then at most one
 * argument, the rest of the line with surrounding blanks trimmed.
 */
static int parse_script(char *buf, size_t n, char **interp, char **arg)
{
	char *end = memchr(buf, '\n', n);
	if (!end) {
		if (n == SCRIPT_LINE)
			return -ENOEXEC; /* the line does not fit: Linux refuses */
		end = buf + n;
	}
	*end = 0;
	char *p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (!*p)
		return 0;
	*p++ = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	char *q = p + strlen(p);
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		*--q = 0;
	*arg = *p ? p : NULL;
	return 0;
}

/* Replace the plan's argv for a script: interp [arg] path argv[1..]. */
static int script_argv(struct exec_plan *p, char *interp, char *arg, const char *path)
{
	char *pre[3] = {interp, arg ? arg : (char *)path, (char *)path};
	char **argv = strv_build(pre, arg ? 3 : 2, p->argv, 1);
	if (!argv)
		return -ENOMEM;
	strv_free(p->argv);
	p->argv = argv;
	return 0;
}

static int load_interp(struct task *t, struct exec_plan *p, const char **why)
{
	int r = open_exec(t, p->prog.elf.interp, &p->interp);
	if (r < 0) {
		*why = "cannot open the ELF interpreter";
		return r == -EACCES ? r : -ENOENT;
	}
	r = parse_elf(&p->interp, why);
	if (r == 0 && p->interp.elf.interp[0]) {
		*why = "the ELF interpreter has an interpreter";
		r = -ENOEXEC;
	}
	p->has_interp = true;
	return r;
}

/* Follow #! lines to an ELF file and validate it and its interpreter. */
static int resolve(struct task *t, struct exec_plan *p, const char *path, const char **why)
{
	char *buf = p->prog.head, *cur = strdup(path);
	int r = cur ? 0 : -ENOMEM;
	for (int depth = 0; r == 0; depth++) {
		r = open_exec(t, cur, &p->prog);
		if (r < 0)
			break;
		long n = read_head(&p->prog);
		if (n < 0) {
			r = (int)n;
			break;
		}
		if (n > SCRIPT_LINE)
			n = SCRIPT_LINE; /* all Linux reads of a #! line */
		if (n < 2 || buf[0] != '#' || buf[1] != '!') {
			r = parse_elf(&p->prog, why);
			if (r == 0 && p->prog.elf.interp[0])
				r = load_interp(t, p, why);
			break;
		}
		char *interp, *arg;
		if (depth == MAX_SCRIPT_DEPTH) {
			r = -ELOOP;
		} else if ((r = parse_script(buf, n, &interp, &arg)) < 0) {
			*why = "bad #! line";
		} else if ((r = script_argv(p, interp, arg, cur)) == 0) {
			free(cur);
			cur = strdup(interp);
			r = cur ? 0 : -ENOMEM;
		}
		vfs_file_put(p->prog.f);
		p->prog.f = NULL;
	}
	free(cur);
	return r;
}

int exec_prepare(struct task *t, const char *path, char *const argv[], char *const envp[],
		 bool search, struct exec_plan **out, const char **why)
{
	struct exec_plan *p = calloc(1, sizeof(*p));
	char *found = NULL;
	int r = 0;
	*why = NULL;
	if (!p)
		return -ENOMEM;
	if (!*path)
		r = -ENOENT;
	else if (search && !strchr(path, '/'))
		r = search_path(t, path, envp, &found);
	p->argv = strv_build(NULL, 0, argv, 0);
	p->envp = strv_build(NULL, 0, envp, 0);
	p->execfn = strdup(found ? found : path);
	if (r == 0 && (!p->argv || !p->envp || !p->execfn))
		r = -ENOMEM;
	if (r == 0)
		r = resolve(t, p, p->execfn, why);
	if (r == 0)
		r = exec_creds_prepare(t, p->prog.f, &p->prog.st, &p->cred, &p->secure);
	if (r == 0 && exec_stack_size(p) > ARG_MAX_BYTES)
		r = -E2BIG;
	free(found);
	if (r < 0) {
		exec_plan_free(p);
		return r;
	}
	*out = p;
	return 0;
}

static size_t strv_bytes(char *const v[])
{
	size_t n = 0;
	for (size_t i = 0; v && v[i]; i++)
		n += strlen(v[i]) + 1;
	return n;
}

size_t exec_stack_size(const struct exec_plan *p)
{
	size_t strings = strv_bytes(p->argv) + strv_bytes(p->envp) + strlen(p->execfn) + 1;
	size_t vectors = 8 * (strv_len(p->argv) + strv_len(p->envp) + 3) + 16 * NAUXV;
	return strings + vectors + 16 + 16 + 64; /* random bytes, platform, alignment */
}

/* ---- commit: everything below runs at the stub's exec stop ---- */

static unsigned long rand_pages(unsigned long max_pages)
{
	unsigned long r = 0;
	if (!uos_random(&r, sizeof(r)))
		r = 0;
	return (r % max_pages) * ELF_PAGE;
}

/*
 * Inject mmap at addr (flags: MAP_FIXED, or MAP_FIXED_NOREPLACE; never over
 * uos's region) and record the region.  Returns the address or -errno.
 */
static long guest_mmap(struct task *t, unsigned long addr, unsigned long len, int prot, int flags,
		       int gfd, unsigned long long off, const struct vma_src *src)
{
	if (addr < STUB_END && addr + len > STUB_ADDR)
		return -EINVAL;
	long r = GUEST_CALL(t, SYS_mmap, addr, len, prot, flags, (unsigned long)gfd, off);
	if (r < 0 && r > -4096)
		return r;
	if ((unsigned long)r != addr)
		return -EINVAL;
	int m = mm_map(t->tg->mm, r, len, prot, flags & MM_FLAGS, src);
	return m < 0 ? m : r;
}

static long guest_munmap(struct task *t, unsigned long addr, unsigned long len)
{
	long r = GUEST_CALL(t, SYS_munmap, addr, len);
	if (r == 0)
		mm_unmap(t->tg->mm, addr, len);
	return r;
}

static long guest_mprotect(struct task *t, unsigned long addr, unsigned long len, int prot)
{
	long r = GUEST_CALL(t, SYS_mprotect, addr, len, prot);
	if (r == 0)
		mm_protect(t->tg->mm, addr, len, prot);
	return r;
}

/* Map len bytes of l's file pages at addr (MAP_FIXED in flags): its own, or the whole image's. */
static long map_file_pages(struct task *t, long gfd, const struct exec_file *ef,
			   const struct elf_load *l, unsigned long addr, unsigned long len, int flags)
{
	struct vma_src src = {ef->f->path, ef->st.st_dev, ef->st.st_ino, PAGE_DOWN(l->off)};
	return guest_mmap(t, addr, len, l->prot, MAP_PRIVATE | flags, (int)gfd, src.off, &src);
}

/*
 * Did the span's mapping (reserve_span) put l's file pages where they go?
 * So it does when l lies as far from the first segment in the file as in
 * memory, as the first segment and, in most images, the read-only ones do.
 */
static bool in_span(const struct elf_image *e, const struct elf_load *l)
{
	return PAGE_DOWN(l->off) - PAGE_DOWN(e->load[0].off) == PAGE_DOWN(l->vaddr) - e->lo;
}

/* Put l's file pages at start: mapped, or in the span's mapping already, with l's protection. */
static long segment_pages(struct task *t, long gfd, const struct exec_file *ef,
			  const struct elf_load *l, bool spanned, unsigned long start, unsigned long len)
{
	if (!spanned || !in_span(&ef->elf, l))
		return map_file_pages(t, gfd, ef, l, start, len, MAP_FIXED);
	if (l->prot == ef->elf.load[0].prot)
		return 0;
	return guest_mprotect(t, start, len, l->prot);
}

/*
 * Map one PT_LOAD (`spanned`: in an image the span's mapping placed): file
 * pages, and anonymous pages for the rest of bss (zero_tails clears the
 * file's last page past filesz once it is mapped).
 */
static int map_segment(struct task *t, long gfd, const struct exec_file *ef,
		       const struct elf_load *l, bool spanned)
{
	unsigned long start = PAGE_DOWN(l->vaddr) + ef->bias;
	unsigned long fend = l->vaddr + l->filesz + ef->bias;
	unsigned long mend = PAGE_UP(l->vaddr + l->memsz) + ef->bias;
	unsigned long astart = start;
	if (l->filesz) {
		long r = segment_pages(t, gfd, ef, l, spanned, start, PAGE_UP(fend) - start);
		if (r < 0)
			return (int)r;
		astart = PAGE_UP(fend);
	}
	if (mend > astart) { /* read-write whatever l's flags, as Linux's vm_brk_flags() maps bss */
		int prot = PROT_READ | PROT_WRITE | (l->prot & PROT_EXEC);
		long r = guest_mmap(t, astart, mend - astart, prot,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, NULL);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/*
 * An image is mapped as ld.so maps one: the first segment's file mapping
 * spans the whole image, which places (ET_DYN) or covers (ET_EXEC) it in
 * one call; the later segments replace the rest, and the holes are
 * unmapped.  An ET_DYN image whose first segment has no file pages
 * reserves the span with anonymous PROT_NONE memory.
 */
static bool first_spans(const struct elf_image *e)
{
	return e->load[0].filesz != 0; /* load[0] starts the image: elfparse.c */
}

/*
 * Where an ET_DYN image of len bytes goes, as the host's mmap would put it:
 * at hint when the books show that free, else (ld.so's no hint too) where
 * the host's top-down search would, below the mmap area's base (below the
 * stack at stack_lo when the books do not know it).  0 when nothing is free.
 * uos places it itself so that every loader call is MAP_FIXED_NOREPLACE and
 * its result known before it runs (guest_batch_begin).
 */
static unsigned long place_image(struct mm *mm, unsigned long hint, unsigned long len,
				 unsigned long stack_lo)
{
	if (hint && mm_vacant(mm, hint, len))
		return hint;
	unsigned long at = mm_place(mm, len);
	if (!at)
		at = mm_gap_below(mm, mm->mmap_base ? mm->mmap_base : stack_lo, len);
	if (at && !hint)
		mm_placed(mm, len, at); /* as the host's own placement teaches the books */
	return at;
}

/* Place an ET_DYN image near hint, or cover an ET_EXEC one.  Returns the base or -errno. */
static long reserve_span(struct task *t, long gfd, const struct exec_file *ef,
			 unsigned long hint, unsigned long stack_lo)
{
	const struct elf_image *e = &ef->elf;
	unsigned long span = e->hi - e->lo;
	if (e->type != ET_DYN)
		return map_file_pages(t, gfd, ef, &e->load[0], e->lo, span, MAP_FIXED);
	unsigned long at = place_image(t->tg->mm, hint, span, stack_lo);
	if (!at)
		return -ENOMEM;
	if (first_spans(e))
		return map_file_pages(t, gfd, ef, &e->load[0], at, span, MAP_FIXED_NOREPLACE);
	return guest_mmap(t, at, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0, NULL);
}

/* Place the image (ET_DYN), map every segment, unmap the holes between them. */
static int map_segments(struct task *t, long gfd, struct exec_file *ef, unsigned long hint,
			unsigned long stack_lo)
{
	const struct elf_image *e = &ef->elf;
	bool spanned = first_spans(e), reserved = e->type == ET_DYN || spanned;
	ef->bias = 0;
	if (reserved) {
		long base = reserve_span(t, gfd, ef, hint, stack_lo);
		if (base < 0)
			return (int)base;
		ef->bias = base - e->lo;
	}
	unsigned long prev = e->lo + ef->bias;
	for (int i = 0; i < e->nload; i++) {
		int r = map_segment(t, gfd, ef, &e->load[i], spanned);
		if (r < 0)
			return r;
		unsigned long s = PAGE_DOWN(e->load[i].vaddr) + ef->bias;
		if (reserved && s > prev)
			guest_munmap(t, prev, s - prev);
		prev = PAGE_UP(e->load[i].vaddr + e->load[i].memsz) + ef->bias;
	}
	return 0;
}

static int load_file(struct task *t, struct exec_file *ef, unsigned long hint,
		     unsigned long stack_lo)
{
	int hfd = vfs_hostfd(ef->f);
	if (hfd < 0)
		return hfd;
	long gfd = guest_file_give(t, hfd, false);
	if (gfd < 0)
		return (int)gfd;
	int r = map_segments(t, gfd, ef, hint, stack_lo);
	guest_file_drop(t);
	return r;
}

/* Zero what follows each segment's file bytes on its last file page, once the image is mapped. */
static int zero_tails(struct task *t, const struct exec_file *ef)
{
	static const char zeros[ELF_PAGE];
	for (int i = 0; i < ef->elf.nload; i++) {
		const struct elf_load *l = &ef->elf.load[i];
		unsigned long fend = l->vaddr + l->filesz + ef->bias, end = PAGE_UP(fend);
		if (!l->filesz || l->memsz <= l->filesz || fend == end)
			continue;
		/* A writable segment's page takes a plain write; /proc/PID/mem costs an open. */
		int r = l->prot & PROT_WRITE ? gmem_write(t, fend, zeros, end - fend)
					     : gmem_poke(t, fend, zeros, end - fend);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Map the program and its interpreter, the loader's calls in one batch
 * (guest_batch_begin) that ends with uos's region sealed, then zero their
 * segments' tails.
 */
static int load_images(struct task *t, struct exec_plan *p, unsigned long stack_lo)
{
	guest_batch_begin(t);
	int r = load_file(t, &p->prog, PIE_BASE + rand_pages(1UL << 20), stack_lo);
	if (r == 0 && p->has_interp)
		r = load_file(t, &p->interp, 0, stack_lo);
	int ran = guest_batch_run(t);
	if (r == 0)
		r = ran;
	if (r == 0) /* the loader's page, PROT_NONE for good now */
		mm_protect(t->tg->mm, STUB_BATCH, STUB_PAGE, PROT_NONE);
	if (r == 0)
		r = zero_tails(t, &p->prog);
	if (r == 0 && p->has_interp)
		r = zero_tails(t, &p->interp);
	return r;
}

#define STACK_BUF (ARG_MAX_BYTES + 4096)

struct stack_img {
	unsigned long top, sp;
	char *buf; /* the bytes of [top - STACK_BUF, top), built in uos, written at once */
};

/* Where guest stack address addr is in the uos buffer. */
static char *at(struct stack_img *s, unsigned long addr)
{
	return s->buf + (addr - (s->top - STACK_BUF));
}

/* Push bytes below the current stack pointer; returns their guest address. */
static unsigned long push(struct stack_img *s, const void *data, size_t len)
{
	s->sp -= len;
	memcpy(at(s, s->sp), data, len);
	return s->sp;
}

/* Push the strings of v, filling addrs[] (highest string first, as Linux). */
static void push_strings(struct stack_img *s, char *const v[], unsigned long *addrs)
{
	for (size_t i = strv_len(v); i-- > 0;)
		addrs[i] = push(s, v[i], strlen(v[i]) + 1);
}

static size_t build_auxv(const struct exec_plan *p, const struct task *t, unsigned long *av,
			 unsigned long random, unsigned long platform, unsigned long execfn)
{
	const struct exec_file *pr = &p->prog;
	const struct creds *c = &t->tg->cred;
	const unsigned long pairs[][2] = {
		{AT_SYSINFO_EHDR, getauxval(AT_SYSINFO_EHDR) ? t->tg->mm->vdso : 0},
		{AT_MINSIGSTKSZ, getauxval(AT_MINSIGSTKSZ)},
		{AT_HWCAP, getauxval(AT_HWCAP)},
		{AT_PAGESZ, ELF_PAGE},
		{AT_CLKTCK, (unsigned long)sysconf(_SC_CLK_TCK)},
		{AT_PHDR, pr->elf.phdr + pr->bias},
		{AT_PHENT, sizeof(Elf64_Phdr)},
		{AT_PHNUM, pr->elf.phnum},
		{AT_BASE, p->has_interp ? p->interp.bias : 0},
		{AT_FLAGS, 0},
		{AT_ENTRY, pr->elf.entry + pr->bias},
		{AT_UID, c->uid},
		{AT_EUID, c->euid},
		{AT_GID, c->gid},
		{AT_EGID, c->egid},
		{AT_SECURE, p->secure},
		{AT_RANDOM, random},
		{AT_HWCAP2, getauxval(AT_HWCAP2)},
		{AT_EXECFN, execfn},
		{AT_PLATFORM, platform},
	};
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		if (pairs[i][0] == AT_SYSINFO_EHDR && !pairs[i][1])
			continue;
		av[n++] = pairs[i][0];
		av[n++] = pairs[i][1];
	}
	av[n++] = AT_NULL;
	av[n++] = 0;
	return n;
}

/* Lay out argc, argv, envp, auxv and their strings at the top of the stack. */
static int build_stack(struct task *t, const struct exec_plan *p, unsigned long top,
		       unsigned long lo)
{
	size_t argc = strv_len(p->argv), envc = strv_len(p->envp);
	size_t nvec = 1 + argc + 1 + envc + 1 + 2 * NAUXV;
	unsigned long *vec = calloc(nvec, sizeof(long));
	struct stack_img s = {top, top, malloc(STACK_BUF)};
	unsigned char rnd[16];
	int r = -ENOMEM;
	if (!vec || !s.buf)
		goto out;
	struct mm *mm = t->tg->mm;
	unsigned long zero = 0, execfn, random, platform;
	push(&s, &zero, sizeof(zero));
	execfn = push(&s, p->execfn, strlen(p->execfn) + 1);
	push_strings(&s, p->envp, vec + 1 + argc + 1);
	mm->env_start = envc ? vec[1 + argc + 1] : execfn;
	mm->env_end = execfn;
	push_strings(&s, p->argv, vec + 1);
	mm->arg_start = s.sp;
	mm->arg_end = mm->env_start;
	platform = push(&s, "x86_64", 7);
	if (!uos_random(rnd, sizeof(rnd)))
		memset(rnd, 0x5a, sizeof(rnd));
	random = push(&s, rnd, sizeof(rnd));
	vec[0] = argc;
	size_t nav = build_auxv(p, t, vec + 1 + argc + 1 + envc + 1, random, platform, execfn);
	size_t vlen = (1 + argc + 1 + envc + 1 + nav) * sizeof(long);
	s.sp = (s.sp - vlen) & ~15UL;
	memcpy(at(&s, s.sp), vec, vlen);
	r = -E2BIG;
	if (s.sp < lo)
		goto out;
	r = gmem_write(t, s.sp, at(&s, s.sp), top - s.sp);
	mm->start_stack = s.sp;
	t->regs.rsp = s.sp;
out:
	free(vec);
	free(s.buf);
	return r;
}

/* Point the registers at the entry with a clean register file, as after execve. */
static void set_entry_regs(struct task *t, const struct exec_plan *p)
{
	struct user_regs_struct *r = &t->regs;
	unsigned long rsp = r->rsp, cs = r->cs, ss = r->ss, ds = r->ds, es = r->es;
	unsigned long fs = r->fs, gs = r->gs, eflags = r->eflags;
	memset(r, 0, sizeof(*r));
	*r = (struct user_regs_struct){.rsp = rsp, .cs = cs, .ss = ss, .ds = ds, .es = es,
				       .fs = fs, .gs = gs, .eflags = eflags};
	r->rip = p->has_interp ? p->interp.elf.entry + p->interp.bias
			       : p->prog.elf.entry + p->prog.bias;
	r->orig_rax = -1;
	t->regs_dirty = true;
}

/* Fresh books, then the host's own regions ([stack], [vdso] ...). */
static int new_books(struct task *t, unsigned long *lo, unsigned long *top)
{
	struct mm *mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	mm_free(t->tg->mm);
	t->tg->mm = mm;
	return hostmaps_record(t, lo, top);
}

/* The process after the exec: what the table of task.c resets, with the program's path and name. */
static void set_identity(struct task *t, const struct exec_plan *p)
{
	const char *base = strrchr(p->execfn, '/');
	task_exec_inherit(t, p->prog.f->path, base ? base + 1 : p->execfn);
}

int exec_commit(struct task *t)
{
	struct exec_plan *p = t->plan;
	unsigned long top = 0, lo = 0;
	t->plan = NULL;
	if (t->memfd >= 0) { /* /proc/PID/mem follows the old address space */
		close(t->memfd);
		t->memfd = -1;
	}
	int r = new_books(t, &lo, &top);
	if (r == 0)
		r = load_images(t, p, lo);
	if (r == 0) {
		struct mm *mm = t->tg->mm;
		mm->start_brk = mm->brk = p->prog.elf.hi + p->prog.bias + rand_pages(8192);
	}
	if (r == 0) {
		exec_creds_install(t, &p->cred, p->secure);
		r = build_stack(t, p, top, lo);
	}
	if (r == 0) {
		set_entry_regs(t, p);
		set_identity(t, p);
	}
	exec_plan_free(p);
	return r;
}
