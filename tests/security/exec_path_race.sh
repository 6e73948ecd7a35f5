#!/usr/bin/env bash
# exec_path_race.sh PROGRAM exec|vfork [MAX]: a sibling thread rewrites the
# host path of the execve that uos stages in guest memory (see
# exec_path_race.c) with the path of the host canary (outside the guest's
# root, not executable), while the main thread execs (exec) or a vfork child
# of it does (vfork).
# An escape shows as a failed exec (EACCES: the host resolved the canary).
# Host-side checks: canary unchanged and unread, nothing created, the
# watched host process untouched, uos exits with the guest's status in time.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2 max=${3:-1000}
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 120 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$CANARY" "$max"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest made all its execs" grep -q "^exec_path_race: $max execs" "$out"
check "no exec failed (a failure means the host resolved the guest's path)" \
	grep -q "^exec_path_race: $max execs, 0 failed" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
