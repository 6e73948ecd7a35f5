/*
 * The crash report printed when a guest dies of a fault signal.
 *
 * The trap layer has already read the registers of the dying task into
 * t->regs; this file reads up to 16 code bytes at rip through gmem (fewer
 * when the page ends; none when rip is unmapped), decodes one instruction
 * with capstone, and writes one line to stderr.  capstone is loaded for the
 * report (dlopen) and let go after it: linked in, its relocations would cost
 * every start of uos some 300 page faults.  It also owns the tables of
 * signal and si_code names, which --trace may borrow.
 */
#include "crash.h"

#include <capstone/capstone.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "gmem.h"
#include "task.h"

static const char *const signames[65] = {
    [1] = "SIGHUP",	  [2] = "SIGINT",	[3] = "SIGQUIT",      [4] = "SIGILL",
    [5] = "SIGTRAP",	  [6] = "SIGABRT",	[7] = "SIGBUS",	      [8] = "SIGFPE",
    [9] = "SIGKILL",	  [10] = "SIGUSR1",	[11] = "SIGSEGV",     [12] = "SIGUSR2",
    [13] = "SIGPIPE",	  [14] = "SIGALRM",	[15] = "SIGTERM",     [16] = "SIGSTKFLT",
    [17] = "SIGCHLD",	  [18] = "SIGCONT",	[19] = "SIGSTOP",     [20] = "SIGTSTP",
    [21] = "SIGTTIN",	  [22] = "SIGTTOU",	[23] = "SIGURG",      [24] = "SIGXCPU",
    [25] = "SIGXFSZ",	  [26] = "SIGVTALRM",	[27] = "SIGPROF",     [28] = "SIGWINCH",
    [29] = "SIGIO",	  [30] = "SIGPWR",	[31] = "SIGSYS",      [32] = "SIGRTMIN",
    [33] = "SIGRTMIN+1",  [34] = "SIGRTMIN+2",	[35] = "SIGRTMIN+3",  [36] = "SIGRTMIN+4",
    [37] = "SIGRTMIN+5",  [38] = "SIGRTMIN+6",	[39] = "SIGRTMIN+7",  [40] = "SIGRTMIN+8",
    [41] = "SIGRTMIN+9",  [42] = "SIGRTMIN+10", [43] = "SIGRTMIN+11", [44] = "SIGRTMIN+12",
    [45] = "SIGRTMIN+13", [46] = "SIGRTMIN+14", [47] = "SIGRTMIN+15", [48] = "SIGRTMIN+16",
    [49] = "SIGRTMIN+17", [50] = "SIGRTMIN+18", [51] = "SIGRTMIN+19", [52] = "SIGRTMIN+20",
    [53] = "SIGRTMIN+21", [54] = "SIGRTMIN+22", [55] = "SIGRTMIN+23", [56] = "SIGRTMIN+24",
    [57] = "SIGRTMIN+25", [58] = "SIGRTMIN+26", [59] = "SIGRTMIN+27", [60] = "SIGRTMIN+28",
    [61] = "SIGRTMIN+29", [62] = "SIGRTMIN+30", [63] = "SIGRTMIN+31", [64] = "SIGRTMIN+32",
};

const char *crash_signame(int sig)
{
	if (sig < 1 || sig >= (int)ARRAY_SIZE(signames))
		return "SIG?";
	return signames[sig];
}

struct codename {
	int sig; /* 0: any signal */
	int code;
	const char *name;
};

static const struct codename codenames[] = {
    {SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR"},
    {SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR"},
    {SIGSEGV, SEGV_BNDERR, "SEGV_BNDERR"},
    {SIGSEGV, SEGV_PKUERR, "SEGV_PKUERR"},
    {SIGILL, ILL_ILLOPC, "ILL_ILLOPC"},
    {SIGILL, ILL_ILLOPN, "ILL_ILLOPN"},
    {SIGILL, ILL_ILLADR, "ILL_ILLADR"},
    {SIGILL, ILL_ILLTRP, "ILL_ILLTRP"},
    {SIGILL, ILL_PRVOPC, "ILL_PRVOPC"},
    {SIGILL, ILL_PRVREG, "ILL_PRVREG"},
    {SIGILL, ILL_COPROC, "ILL_COPROC"},
    {SIGILL, ILL_BADSTK, "ILL_BADSTK"},
    {SIGBUS, BUS_ADRALN, "BUS_ADRALN"},
    {SIGBUS, BUS_ADRERR, "BUS_ADRERR"},
    {SIGBUS, BUS_OBJERR, "BUS_OBJERR"},
    {SIGBUS, BUS_MCEERR_AR, "BUS_MCEERR_AR"},
    {SIGBUS, BUS_MCEERR_AO, "BUS_MCEERR_AO"},
    {SIGFPE, FPE_INTDIV, "FPE_INTDIV"},
    {SIGFPE, FPE_INTOVF, "FPE_INTOVF"},
    {SIGFPE, FPE_FLTDIV, "FPE_FLTDIV"},
    {SIGFPE, FPE_FLTOVF, "FPE_FLTOVF"},
    {SIGFPE, FPE_FLTUND, "FPE_FLTUND"},
    {SIGFPE, FPE_FLTRES, "FPE_FLTRES"},
    {SIGFPE, FPE_FLTINV, "FPE_FLTINV"},
    {SIGFPE, FPE_FLTSUB, "FPE_FLTSUB"},
    {SIGTRAP, TRAP_BRKPT, "TRAP_BRKPT"},
    {SIGTRAP, TRAP_TRACE, "TRAP_TRACE"},
    {0, SI_USER, "SI_USER"},
    {0, SI_KERNEL, "SI_KERNEL"},
    {0, SI_QUEUE, "SI_QUEUE"},
    {0, SI_TIMER, "SI_TIMER"},
    {0, SI_MESGQ, "SI_MESGQ"},
    {0, SI_ASYNCIO, "SI_ASYNCIO"},
    {0, SI_SIGIO, "SI_SIGIO"},
    {0, SI_TKILL, "SI_TKILL"},
};

const char *crash_codename(int sig, int code)
{
	/* Positive codes are per signal; zero and negative ones are generic. */
	for (size_t i = 0; i < ARRAY_SIZE(codenames); i++)
		if (codenames[i].code == code &&
		    (codenames[i].sig == sig ||
		     (codenames[i].sig == 0 && (code <= 0 || code == SI_KERNEL))))
			return codenames[i].name;
	return NULL;
}

/* The capstone calls a report makes, from the loaded library. */
struct capstone {
	cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
	size_t (*disasm)(csh handle, const uint8_t *code, size_t size, uint64_t address,
			 size_t count, cs_insn **insn);
	void (*free)(cs_insn *insn, size_t count);
	cs_err (*close)(csh *handle);
};

/* Load capstone into cs; the library's handle, or NULL (not installed). */
static void *capstone_load(struct capstone *cs)
{
	void *lib = dlopen(UOS_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return NULL;
	cs->open = (cs_err(*)(cs_arch, cs_mode, csh *))dlsym(lib, "cs_open");
	cs->disasm = (size_t(*)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **))dlsym(
	    lib, "cs_disasm");
	cs->free = (void (*)(cs_insn *, size_t))dlsym(lib, "cs_free");
	cs->close = (cs_err(*)(csh *))dlsym(lib, "cs_close");
	if (cs->open && cs->disasm && cs->free && cs->close)
		return lib;
	dlclose(lib);
	return NULL;
}

/* Decode one instruction at rip into buf; false when capstone cannot. */
static bool disasm_one(char *buf, size_t size, unsigned long rip, const unsigned char *code,
		       size_t n)
{
	struct capstone cs;
	void *lib = capstone_load(&cs);
	csh h;
	cs_insn *insn;
	size_t count = 0;
	if (!lib)
		return false;
	if (cs.open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
		count = cs.disasm(h, code, n, rip, 1, &insn);
		/* A very long operand string is cut: the report is one line. */
		if (count > 0 && snprintf(buf, size, "%s%s%s", insn->mnemonic,
					  insn->op_str[0] ? " " : "", insn->op_str) >= (int)size)
			buf[size - 1] = '\0';
		if (count > 0)
			cs.free(insn, count);
		cs.close(&h);
	}
	dlclose(lib);
	return count > 0;
}

char *crash_format(char *buf, size_t size, int tid, int sig, const siginfo_t *si, unsigned long rip,
		   const unsigned char *code, size_t n)
{
	char where[96] = "", insn[160];
	if (si) {
		const char *cname = crash_codename(sig, si->si_code);
		char cnum[24];
		snprintf(cnum, sizeof(cnum), "si_code %d", si->si_code);
		/* A signal someone sent (si_code <= 0) has no fault address. */
		if (si->si_code <= 0)
			snprintf(where, sizeof(where), " (%s)", cname ? cname : cnum);
		else
			snprintf(where, sizeof(where), " at address 0x%lx (%s)",
				 (unsigned long)si->si_addr, cname ? cname : cnum);
	}
	if (n == 0)
		snprintf(insn, sizeof(insn), "code not readable");
	else if (!disasm_one(insn, sizeof(insn), rip, code, n))
		snprintf(insn, sizeof(insn), "bad instruction %02x %02x %02x %02x", code[0],
			 n > 1 ? code[1] : 0, n > 2 ? code[2] : 0, n > 3 ? code[3] : 0);
	snprintf(buf, size, "[%d] %s%s: rip 0x%lx: %s", tid, crash_signame(sig), where, rip, insn);
	return buf;
}

/* Read as many of the 16 bytes at rip as are mapped; returns how many. */
static size_t read_code(struct task *t, unsigned long rip, unsigned char *code)
{
	if (gmem_read(t, code, rip, 16) == 0)
		return 16;
	/* The instruction may end at a page boundary: take what lies before it. */
	size_t before = 4096 - (rip & 4095);
	if (before < 16 && gmem_read(t, code, rip, before) == 0)
		return before;
	return 0;
}

void crash_report(struct task *t, int sig, const siginfo_t *si)
{
	unsigned char code[16];
	char line[320];
	unsigned long rip = t->regs.rip;
	size_t n = read_code(t, rip, code);
	crash_format(line, sizeof(line), t->tid, sig, si, rip, code, n);
	uos_warn("%s", line);
}
