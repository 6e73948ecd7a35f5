/*
 * Scheduling books: nice values through getpriority/setpriority, policies
 * and priority ranges through sched_*.  Prints what it observes; the same
 * natively (as root) and under uos.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "");
}

int main(void)
{
	struct sched_param sp = {0};
	show("getpriority raw (20 - nice)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	show("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
	show("getpriority raw after 5", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	show("setpriority 40 clamps to 19", setpriority(PRIO_PROCESS, 0, 40));
	show("getpriority raw after 40", syscall(SYS_getpriority, PRIO_PROCESS, 0));
	show("setpriority back to 0 (root)", setpriority(PRIO_PROCESS, 0, 0));
	show("getpriority bad which", syscall(SYS_getpriority, 7, 0));
	show("getpriority no such pid", syscall(SYS_getpriority, PRIO_PROCESS, 999999));
	show("setpriority no such pgrp", setpriority(PRIO_PGRP, 999999, 1));
	show("getpriority own pgrp", syscall(SYS_getpriority, PRIO_PGRP, 0));
	show("sched_getscheduler", sched_getscheduler(0));
	show("sched_get_priority_max FIFO", sched_get_priority_max(SCHED_FIFO));
	show("sched_get_priority_min RR", sched_get_priority_min(SCHED_RR));
	show("sched_get_priority_max OTHER", sched_get_priority_max(SCHED_OTHER));
	show("sched_get_priority_max bad", sched_get_priority_max(42));
	show("sched_setscheduler BATCH", sched_setscheduler(0, SCHED_BATCH, &sp));
	show("sched_getscheduler after", sched_getscheduler(0));
	sp.sched_priority = 5;
	show("sched_setscheduler OTHER prio 5", sched_setscheduler(0, SCHED_OTHER, &sp));
	show("sched_setscheduler bad policy", sched_setscheduler(0, 42, &sp));
	show("sched_getparam", sched_getparam(0, &sp));
	printf("priority = %d\n", sp.sched_priority);
	show("sched_getscheduler no such pid", sched_getscheduler(999999));
	show("sched_getscheduler negative pid", sched_getscheduler(-1));
	sp.sched_priority = 0;
	show("back to OTHER", sched_setscheduler(0, SCHED_OTHER, &sp));
	return 0;
}
