/* proc_prctl: the prctl options kept as books: the timer slack (per thread,
 * inherited at clone, 0 resets it to the inherited value), the capability
 * bounding set (full; EINVAL past CAP_LAST_CAP), securebits, KEEPCAPS and
 * THP_DISABLE with their argument checks, and EINVAL for an unknown option. */
#include <pthread.h>
#include <sys/prctl.h>
#include "guest.h"

static void *thread_slack(void *arg)
{
	SHOW("thread's timer slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("thread sets 0", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("thread's slack after 0", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	return arg;
}

int main(void)
{
	pthread_t th;
	close_inherited_fds();
	SHOW("timer slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("set timer slack", prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0));
	SHOW("timer slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	pthread_create(&th, NULL, thread_slack, NULL);
	pthread_join(th, NULL);
	SHOW("set timer slack 0", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("timer slack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	SHOW("capbset_read 0", prctl(PR_CAPBSET_READ, 0, 0, 0, 0));
	SHOW("capbset_read 40", prctl(PR_CAPBSET_READ, 40, 0, 0, 0));
	SHOW("capbset_read 41", prctl(PR_CAPBSET_READ, 41, 0, 0, 0));
	SHOW("capbset_read -1", prctl(PR_CAPBSET_READ, -1L, 0, 0, 0));
	SHOW("securebits", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
	SHOW("keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	SHOW("set keepcaps 2", prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
	SHOW("set keepcaps 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	SHOW("keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	SHOW("thp disabled", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	SHOW("thp, stray argument", prctl(PR_GET_THP_DISABLE, 1, 0, 0, 0));
	SHOW("set thp disabled", prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
	SHOW("thp disabled", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	SHOW("unknown option", prctl(12345, 0, 0, 0, 0));
	return 0;
}
