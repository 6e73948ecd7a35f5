/* struct kernel: construction and teardown. */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aio.h"
#include "mm.h"
#include "task.h"
#include "vfs.h"

/* What every guest address space maps, each once: vfork children share their parent's books. */
static unsigned long guests_mapped(const void *arg)
{
	const struct kernel *k = arg;
	unsigned long used = 0;

	for (struct tgroup *tg = k->procs; tg; tg = tg->next) {
		bool seen = false;
		if (!tg->mm)
			continue;
		for (struct tgroup *o = k->procs; tg->mm->users > 1 && o != tg && !seen; o = o->next)
			seen = o->mm == tg->mm;
		if (!seen)
			used += tg->mm->total;
	}
	return used;
}

/* Is the host's overcommit policy strict (vm.overcommit_memory 2)? */
static bool commit_strict(void)
{
	char c = 0;
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "re");
	if (f) {
		c = (char)fgetc(f);
		fclose(f);
	}
	return c == '2';
}

/* Whom a socket message comes from: the task being served (net.h). */
static void caller_cred(const void *arg, struct net_cred *out)
{
	const struct kernel *k = arg;
	const struct task *t = k->serving;

	*out = t ? (struct net_cred){t->tg->pid, t->tg->cred.uid, t->tg->cred.gid}
		 : (struct net_cred){0, (unsigned int)-1, (unsigned int)-1};
}

void kernel_init(struct kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->next_pid = 1;
	k->self_pid = getpid();
	k->stub_fd = -1;
	k->chan_uos = k->chan_guest = -1;
	k->sigfd = k->chldfd = k->notify_fd = -1;
	k->contain = (struct contain){.uid = getuid(), .gid = getgid(), .ruleset_fd = -1};
	k->opts.contain.on = CONTAIN_DEFAULT;
	memcg_init(&k->memcg);
	k->memcg.mapped = guests_mapped;
	k->memcg.mapped_arg = k;
	net_init(&k->net, &k->waitq, &k->memcg);
	k->net.caller = caller_cred;
	k->net.caller_arg = k;
	strcpy(k->opts.hostname, "uos");
	k->opts.stop_timeout_ns = KERNEL_STOP_TIMEOUT_NS;
	k->commit_strict = commit_strict();
}

void kernel_fini(struct kernel *k)
{
	task_free_all(k);
	net_fini(&k->net); /* files in flight may be the VFS's: before it goes */
	if (k->vfs) {
		vfs_fifo_fini(k->vfs);
		vfs_ns_fini(k->vfs);
		k->vfs = NULL;
	}
	aio_fini(k);
	free(k->bounce);
	k->bounce = NULL;
	int fds[] = {k->stub_fd, k->chan_uos, k->chan_guest, k->chldfd, k->notify_fd};
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (k->sigfd >= 0)
		close(k->sigfd);
	if (k->has_alarm)
		timer_delete(k->alarm);
	k->has_alarm = false;
	contain_release(&k->contain);
	if (k->opts.trace && k->opts.trace != stderr)
		fclose(k->opts.trace);
	k->opts.trace = NULL;
}

