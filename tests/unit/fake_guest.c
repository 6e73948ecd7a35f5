/* The fake guest transport (see fake_guest.h). */
#include "fake_guest.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdkinds.h"
#include "gmem.h"
#include "guest.h"
#include "hostmaps.h"
#include "siginfo.h"
#include "repath.h"
#include "task.h"
#include "trap.h"
#include "vfs.h"

static struct fake_guest fake = {.given_fd = -1};

struct fake_guest *fake_guest(void)
{
	return &fake;
}

void fake_guest_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.given_fd = -1;
}

void fake_guest_map(const struct tgroup *tg, unsigned long addr, void *buf, size_t len)
{
	if (fake.nregions == FAKE_MAX)
		abort();
	fake.regions[fake.nregions++] = (struct fake_region){tg, addr, len, buf};
}

/* The buffer behind [addr, addr+len) in t's process, or NULL: one region must hold it all. */
static unsigned char *lookup(const struct task *t, unsigned long addr, size_t len)
{
	if (addr + len < addr)
		return NULL;
	for (int i = 0; i < fake.nregions; i++) {
		const struct fake_region *r = &fake.regions[i];
		if (r->tg && r->tg != t->tg)
			continue;
		if (addr >= r->addr && addr + len <= r->addr + r->len)
			return (unsigned char *)r->buf + (addr - r->addr);
	}
	return NULL;
}

/* ---- gmem.h */

int gmem_read(struct task *t, void *dst, unsigned long src, size_t len)
{
	unsigned char *p = lookup(t, src, len);
	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

int gmem_write(struct task *t, unsigned long dst, const void *src, size_t len)
{
	unsigned char *p = lookup(t, dst, len);
	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
}

/* The fake has no protections: a poke is a write. */
int gmem_poke(struct task *t, unsigned long dst, const void *src, size_t len)
{
	return gmem_write(t, dst, src, len);
}

long gmem_strncpy(struct task *t, char *dst, unsigned long src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (gmem_read(t, dst + i, src + i, 1) < 0)
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	if (max)
		dst[max - 1] = 0;
	return -ENAMETOOLONG;
}

/* ---- guest.h */

long guest_call(struct task *t, int nr, const unsigned long args[6])
{
	if (fake.ncalls < FAKE_MAX) {
		struct fake_call *c = &fake.calls[fake.ncalls++];
		c->t = t;
		c->nr = nr;
		memcpy(c->args, args, sizeof(c->args));
	}
	if (fake.call_kills) {
		t->stop = TASK_DEAD;
		return -ESRCH;
	}
	return fake.call_result;
}

/* The loader's calls are made one by one, as guest_call records them. */
void guest_batch_begin(struct task *t)
{
}

int guest_batch_run(struct task *t)
{
	return 0;
}

int guest_put_in(struct task *t, const void *src, size_t len)
{
	if (len > sizeof(fake.in))
		return -EINVAL;
	memcpy(fake.in, src, len);
	fake.in_len = len;
	return 0;
}

int guest_get_out(struct task *t, void *dst, size_t len)
{
	if (len > sizeof(fake.out))
		return -EFAULT;
	memcpy(dst, fake.out, len);
	return 0;
}

long guest_file_give(struct task *t, int hostfd, bool writable)
{
	fake.gives++;
	if (fake.give_result < 0)
		return fake.give_result; /* a failed give leaves nothing to drop */
	fake.given_fd = hostfd;
	fake.given_writable = writable;
	return GUEST_XFER_FD;
}

void guest_file_drop(struct task *t)
{
	fake.drops++;
	fake.given_fd = -1;
}

/* ---- hostmaps.h */

int hostmaps_record(struct task *t, unsigned long *lo, unsigned long *top)
{
	fake.records++;
	*lo = fake.stack_lo;
	*top = fake.stack_top;
	return fake.stack_top ? 0 : -ENOEXEC;
}

void hostmaps_sync_stack(struct task *t)
{
	fake.stack_syncs++;
}

/* ---- trap.h: the two calls the kernel makes */

void guest_run(struct task *t)
{
	if (fake.nran < FAKE_MAX)
		fake.ran[fake.nran++] = t;
}

int guest_sigmask(const struct task *t, uint64_t *mask)
{
	(void)t;
	(void)mask;
	return -ESRCH; /* no task of the fake is at a host stop */
}

void guest_continue(struct task *t)
{
	if (fake.ncontinued < FAKE_MAX)
		fake.continued[fake.ncontinued++] = t;
}

/* ---- host stand-ins */

static void ignore_it(int sig)
{
}

pid_t fake_host_spawn(uint64_t blocked, uint64_t caught)
{
	int p[2];
	char c = 0;
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t set;
		sigemptyset(&set);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/*
		 * SA_NODEFER: the mask /proc shows stays the stand-in's own
		 * while the handler runs, as a traced guest's does (it is
		 * stopped when uos reads it, never inside a handler).
		 */
		struct sigaction sa = {.sa_handler = ignore_it, .sa_flags = SA_NODEFER | SA_RESTART};
		for (int sig = 1; sig <= 64; sig++) {
			if (blocked & (1ULL << (sig - 1)))
				sigaddset(&set, sig);
			if (caught & (1ULL << (sig - 1)))
				sigaction(sig, &sa, NULL);
		}
		sigprocmask(SIG_SETMASK, &set, NULL);
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	/* It is set up once it says so: no test looks at it before. */
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

void fake_host_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

uint64_t fake_host_pending(pid_t pid)
{
	char path[64], line[128];
	uint64_t set = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long v;
		if (sscanf(line, "SigPnd: %llx", &v) == 1 || sscanf(line, "ShdPnd: %llx", &v) == 1)
			set |= v;
	}
	fclose(fp);
	return set;
}

/* ---- a kernel for a test */

void fake_env_init(struct fake_env *e)
{
	fake_guest_reset();
	e->k = calloc(1, sizeof(*e->k));
	if (!e->k)
		abort();
	kernel_init(e->k);
	strcpy(e->root, "/tmp/uos-fake-XXXXXX");
	/* The default world (vfs_ns_init_config): the scratch tree under a tmpfs, writable */
	struct vfs_config cfg = {.root_dir = e->root, .procfs = &procfs_ops};
	const char *why;
	/* 0755 as a real /: the tests' guests are not all root (mkdtemp makes it 0700) */
	if (!mkdtemp(e->root) || chmod(e->root, 0755) < 0 ||
	    vfs_ns_init_config(&e->k->memcg, &cfg, &e->k->vfs, &why) < 0)
		abort();
	repath_init(e->k);
	pid_t h = fake_host_spawn(FAKE_ALL_SIGS, 0);
	e->init = task_create_init(e->k, h);
	if (h < 0 || !e->init)
		abort();
	free(e->init->tg->fs.cwd); /* not the host's cwd: the guest's root */
	e->init->tg->fs.cwd = strdup("/");
	e->init->tg->host_tgid = h;
	UOS_BUG_ON(e->init->state != TASK_ACTIVE); /* PID 1 starts ACTIVE: signals go to the host */
}

struct task *fake_env_fork(struct fake_env *e, struct task *parent, unsigned long flags)
{
	pid_t h = fake_host_spawn(FAKE_ALL_SIGS, 0);
	struct task *t = task_fork(parent, flags, (flags & CLONE_THREAD) ? 0 : SIGCHLD, h);
	if (h < 0 || !t)
		abort();
	if (!(flags & CLONE_THREAD))
		t->tg->host_tgid = h;
	task_set_state(t, TASK_ACTIVE);
	return t;
}

void fake_env_fini(struct fake_env *e)
{
	char cmd[128];
	for (struct task *t = e->k->tasks; t; t = t->next)
		if (t->hpid > 0)
			fake_host_kill(t->hpid);
	task_free_all(e->k);
	vfs_ns_fini(e->k->vfs);
	free(e->k);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->root);
	if (system(cmd) != 0)
		abort();
}

void fake_env_exit(struct task *t, int st)
{
	if (t->hpid > 0)
		fake_host_kill(t->hpid);
	task_exit(t, st, NULL);
}

bool fake_taken(struct task *t, int sig, int code, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = t->k->self_pid;
	return sig_fix_info(t, si) && si->si_code != SI_KERNEL;
}
