/* mm_mprotect: mprotect changes what a page allows; a write to a read-only
 * page and a read of a PROT_NONE page raise SIGSEGV with SEGV_ACCERR and the
 * faulting address; the argument errors are the kernel's. */
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include "guest.h"

#define PG 4096UL

struct fault {
	sigjmp_buf env;
	void *addr;
	int code;
};

/* The SIGSEGV handler has no argument of ours, so this pointer is the one
 * place it can find the fault record (a test program, not uos). */
static struct fault *cur_fault;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	cur_fault->addr = si->si_addr;
	cur_fault->code = si->si_code;
	siglongjmp(cur_fault->env, 1);
}

/* Touch p (write if `write`); print what happened. */
static void touch(const char *what, volatile unsigned char *p, int write)
{
	struct fault f = { .addr = NULL, .code = 0 };

	cur_fault = &f;
	if (sigsetjmp(f.env, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		printf("%s: no fault\n", what);
	} else {
		printf("%s: SIGSEGV %s, address %s\n", what,
		       f.code == SEGV_ACCERR ? "SEGV_ACCERR" : f.code == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
		       f.addr == (void *)p ? "matches" : "DIFFERS");
	}
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	unsigned char *p;

	sigaction(SIGSEGV, &sa, NULL);
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch("write RW page", p, 1);
	SHOW("mprotect page 1 PROT_READ", mprotect(p + PG, PG, PROT_READ));
	touch("read R page", p + PG, 0);
	touch("write R page", p + PG + 8, 1);
	SHOW("mprotect page 2 PROT_NONE", mprotect(p + 2 * PG, PG, PROT_NONE));
	touch("read NONE page", p + 2 * PG + 16, 0);
	SHOW("mprotect page 2 back to RW", mprotect(p + 2 * PG, PG, PROT_READ | PROT_WRITE));
	touch("write page 2 again", p + 2 * PG, 1);
	SHOW("mprotect unaligned", mprotect(p + 1, PG, PROT_READ));
	SHOW("mprotect bad prot bits", mprotect(p, PG, 0x100));
	SHOW("mprotect len 0", mprotect(p, 0, PROT_READ));
	SHOW("munmap page 3", munmap(p + 3 * PG, PG));
	SHOW("mprotect over a hole", mprotect(p, 4 * PG, PROT_READ));
	touch("write page 3 (unmapped)", p + 3 * PG, 1);
	SHOW("mprotect whole range RW", mprotect(p, 3 * PG, PROT_READ | PROT_WRITE));
	touch("write page 1 after RW", p + PG, 1);
	return 0;
}
