#!/usr/bin/env bash
# inject_dying.sh PROGRAM [ROUNDS]: threads killed (by exit_group or by
# another thread's execve) in the middle of calls that uos injects into them
# (see inject_dying.c).  uos must run every round and exit with the guest's
# status, without an internal error; and the host is untouched.
. "$(dirname "$0")/lib.sh"
prog=$1 rounds=${2:-1000}
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 120 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$rounds"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "every round ended as expected" grep -q "^inject_dying: $rounds rounds, 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
