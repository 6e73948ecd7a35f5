#!/usr/bin/env bash
# fork_dying.sh PROGRAM [ROUNDS]: threads killed (by exit_group or another
# thread's execve) in the middle of fork (see fork_dying.c), under --pids 16
# (tasks: threads count).  uos must exit in time with the guest's status and
# without an internal error, and never have more host processes than
# --pids allows: the guest itself never has more than 6 at once, but the
# dead ones wait for uos to reap them, which takes longer on a loaded
# machine (9 to 12 were seen there, with uos of before and after the
# round-ending change in loop.c alike).
. "$(dirname "$0")/lib.sh"
prog=$1 rounds=${2:-1000}
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 120 "$out" "$err" --pids 16 --root "$W/root" -- "/$(basename "$prog")" "$rounds"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "every round ended as expected" grep -q "^fork_dying: $rounds rounds, 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
check "uos never had more than 16 host processes, the --pids bound (seen $max_children)" \
	[ "$max_children" -le 16 ]
sec_check_host
checks_exit
