/*
 * exit and exit_group: the host runs them; the trap layer sees the status
 * by waitpid (trap.c, task.c).
 */
#include "handlers.h"

long sys_exit(struct task *t, const struct sysargs *a)
{
	return -UOS_EHOST;
}

long sys_exit_group(struct task *t, const struct sysargs *a)
{
	return -UOS_EHOST;
}
