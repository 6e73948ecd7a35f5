#!/usr/bin/env bash
# futex_pi_refused.sh: PI futexes find a lock's owner by the tid in the futex
# word, which under uos is a virtual tid, so uos refuses the PI operations
# with ENOSYS (as a kernel built without them), in host and serial mode:
# glibc then refuses PTHREAD_PRIO_INHERIT mutexes cleanly (ENOTSUP) instead
# of the host boosting or blaming an unrelated host task.
. "$(dirname "$0")/lib.sh"
prog=$1
for mode in host serial:3; do
	out=$("$UOS" --sched=$mode "$prog") || fail "$mode: exit status $?"
	case $out in
	*"init = Operation not supported"*) ;;
	*) fail "$mode: PI mutex not refused: $out" ;;
	esac
done
[ "$checks_failed" = 0 ] && pass "PI mutexes refused in host and serial mode"
checks_exit
