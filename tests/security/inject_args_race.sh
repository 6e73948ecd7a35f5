#!/usr/bin/env bash
# inject_args_race.sh PROGRAM signalfd|timer [COUNT]: a sibling thread
# rewrites the arguments uos leaves below the stack pointer for the
# rt_sigtimedwait it injects for a signalfd read (escape: the injected call
# blocks and wedges uos) or for the host's timer_create (escape: the timer
# fires a signal uos did not check); see inject_args_race.c.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
signalfd) count=${3:-3000} limit=20 ;;
timer) count=${3:-3000} limit=60 ;;
*) echo "usage: $0 PROGRAM signalfd|timer [COUNT]"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run "$limit" "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$count"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "every attempt went as uos checked it" \
	grep -q "^inject_args_race $mode: $count attempts, 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
