/*
 * The syscall table and the dispatcher.
 *
 * sys_table is generated from syscalls.def: one row per x86-64 syscall
 * number.  Handlers of FULL and PARTIAL rows are referenced weakly, so a row
 * whose handler is not written yet links as NULL and is reported as
 * unimplemented instead of breaking the build.  The dispatcher is the one
 * place that decides what happens to a trapped call: answer it with the
 * handler, hand it to the host (HOST rows only), or refuse it with -ENOSYS.
 * It counts every call and every error for --summary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hostargs.h"
#include "syscall.h"
#include "trace.h"

/* Make every handler weak: a missing one resolves to NULL at link time. */
#define SYS_WEAK_FULL(name) extern __typeof__(sys_##name) sys_##name __attribute__((weak));
#define SYS_WEAK_PARTIAL(name) SYS_WEAK_FULL(name)
#define SYS_WEAK_HOST(name)
#define SYS_WEAK_NONE(name)
#define SYSCALL(nr, name, level, args, ret, note) SYS_WEAK_##level(name)
#include "syscalls.def"
#undef SYSCALL

#define SYS_FN_FULL(name) sys_##name
#define SYS_FN_PARTIAL(name) sys_##name
#define SYS_FN_HOST(name) NULL
#define SYS_FN_NONE(name) NULL

const struct sys_entry sys_table[SYS_NR_MAX] = {
#define SYSCALL(nr, name_, level_, args_, ret_, note_)                                             \
	[nr] = {                                                                                   \
	    .name = #name_,                                                                        \
	    .fn = SYS_FN_##level_(name_),                                                          \
	    .level = SYS_##level_,                                                                 \
	    .args = args_,                                                                         \
	    .ret = RET_##ret_,                                                                     \
	    .note = note_,                                                                         \
	},
#include "syscalls.def"
#undef SYSCALL
};

const struct sys_entry *sys_lookup(long nr)
{
	if (nr < 0 || nr >= SYS_NR_MAX || !sys_table[nr].name)
		return NULL;
	return &sys_table[nr];
}

int sys_arg_index(const struct sys_entry *e, enum arg_kind kind)
{
	for (int i = 0; i < e->args.n; i++)
		if (e->args.k[i] == kind)
			return i;
	return -1;
}

const char *sys_level_name(enum sys_level level)
{
	switch (level) {
	case SYS_FULL:
		return "FULL";
	case SYS_PARTIAL:
		return "PARTIAL";
	case SYS_HOST:
		return "HOST";
	case SYS_NONE:
		return "NONE";
	}
	return "?";
}

/*
 * Count an unanswerable call; with --warn-unsupported, report it once per
 * number (--summary lists them all at exit either way).
 */
static void warn_once(struct kernel *k, int nr, const struct sys_entry *e, const char *why)
{
	if (nr < 0 || nr >= SYS_NR_MAX) {
		if (k->stats.bad_nr++ == 0 && k->opts.warn_unsupported)
			uos_warn("unsupported syscall number %d (reported once)", nr);
		return;
	}
	if (k->stats.warned[nr] || !k->opts.warn_unsupported)
		return;
	k->stats.warned[nr] = true;
	if (e)
		uos_warn("unsupported syscall %s (%d): %s", e->name, nr, why);
	else
		uos_warn("unsupported syscall %d: no such syscall", nr);
}

/* Run the row's answer: handler, host, or -ENOSYS. */
static long dispatch_row(struct task *t, const struct sys_entry *e)
{
	const struct sysargs *a = &t->cur;

	switch (e->level) {
	case SYS_NONE:
		warn_once(t->k, a->nr, e, e->note[0] ? e->note : "not supported");
		return -ENOSYS;
	case SYS_HOST: { /* the filter passes good arguments; these stopped (or --trace ...) */
		long r = hostargs_check(t, e, a);
		return r < 0 ? r : -UOS_EHOST;
	}
	case SYS_FULL:
	case SYS_PARTIAL:
		if (!e->fn) {
			warn_once(t->k, a->nr, e, "not implemented yet");
			return -ENOSYS;
		}
		return e->fn(t, a);
	}
	return -ENOSYS;
}

static bool is_internal(long r)
{
	return r == -UOS_EBLOCK || r == -UOS_ENORESULT || r == -UOS_EHOST;
}

/*
 * Serve t->cur (contract in syscall.h).  A -UOS_EBLOCK result is not
 * counted: the handler runs again when the task wakes.
 */
long sys_dispatch(struct task *t)
{
	struct kernel *k = t->k;
	const struct sysargs *a = &t->cur;
	const struct sys_entry *e = sys_lookup(a->nr);
	long r;

	trace_enter(t, a);
	k->serving = t;
	if (e) {
		r = dispatch_row(t, e);
	} else {
		warn_once(k, a->nr, NULL, NULL);
		r = -ENOSYS;
	}
	k->serving = NULL;
	UOS_BUG_ON(r <= -4096 && !is_internal(r));
	if (r != -UOS_EBLOCK && a->nr >= 0 && a->nr < SYS_NR_MAX)
		k->stats.calls[a->nr]++;
	return r;
}

static void count_failure(struct kstats *s, int nr, int err)
{
	s->errors[nr]++;
	for (size_t i = 0; i < ARRAY_SIZE(s->fails); i++) {
		struct kfail *f = &s->fails[i];
		if (f->n && (f->nr != nr || f->err != err))
			continue;
		*f = (struct kfail){(short)nr, (short)err, f->n + 1};
		return;
	}
}

void sys_finish(struct task *t, long ret)
{
	int nr = t->cur.nr;
	if (ret < 0 && ret >= -4095 && nr >= 0 && nr < SYS_NR_MAX)
		count_failure(&t->k->stats, nr, (int)-ret);
	trace_call(t, &t->cur, ret);
}

void sys_print_table(FILE *out)
{
	unsigned long count[4] = {0};

	fprintf(out, "%4s %-24s %-8s %s\n", "nr", "name", "level", "note");
	for (int nr = 0; nr < SYS_NR_MAX; nr++) {
		const struct sys_entry *e = sys_lookup(nr);

		if (!e)
			continue;
		count[e->level]++;
		fprintf(out, "%4d %-24s %-8s %s%s\n", nr, e->name, sys_level_name(e->level),
			e->note,
			(e->level <= SYS_PARTIAL && !e->fn) ? " [not implemented yet]" : "");
	}
	fprintf(out, "%lu FULL, %lu PARTIAL, %lu HOST, %lu NONE\n", count[SYS_FULL],
		count[SYS_PARTIAL], count[SYS_HOST], count[SYS_NONE]);
}
