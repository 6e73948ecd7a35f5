/* Children's reports to wait4 and waitid (see reap.h). */
#include "reap.h"

#include <signal.h>
#include <string.h>

#include "task.h"

/*
 * Whether w selects child c of t's process.  A "clone" child (exit signal
 * other than SIGCHLD) only with __WCLONE, any with __WALL.
 */
static bool selected(const struct task *t, const struct tgroup *c, const struct wait_sel *w)
{
	bool clone_child = c->exit_signal != SIGCHLD;
	if (!(w->options & __WALL) && clone_child != !!(w->options & __WCLONE))
		return false;
	if (w->type == P_PID)
		return c->pid == w->id;
	if (w->type == P_PGID)
		return c->pgid == (w->id ? w->id : t->tg->pgid);
	return true;
}

int reap_status(const struct tgroup *c, int options)
{
	if (c->zombie)
		return (options & WEXITED) ? c->wstatus : -1;
	if (c->stop_report && (options & WUNTRACED))
		return (c->stop_report << 8) | 0x7f;
	if (c->cont_report && (options & WCONTINUED))
		return 0xffff;
	return -1;
}

struct tgroup *reap_find(struct task *t, const struct wait_sel *w, bool *any)
{
	*any = false;
	for (struct tgroup *c = t->tg->children; c; c = c->sibling) {
		if (!selected(t, c, w))
			continue;
		*any = true;
		if (reap_status(c, w->options) != -1)
			return c;
	}
	return NULL;
}

void reap_usage(const struct tgroup *c, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	if (!c->zombie)
		return;
	*ru = c->ru;
	rusage_add(ru, &c->child_ru);
}

void reap_take(struct kernel *k, struct tgroup *c)
{
	if (c->zombie && c->parent)
		tg_account_child(c->parent, c);
	if (c->zombie)
		tg_reap(k, c);
	else if (c->stop_report)
		c->stop_report = 0;
	else
		c->cont_report = false;
}
