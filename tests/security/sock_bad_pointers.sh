#!/usr/bin/env bash
# sock_bad_pointers.sh PROGRAM: the socket calls with wild pointers
# (see sock_bad_pointers.c), natively and under uos: every line the guest
# prints must be the native run's (EFAULT where Linux says it, a message kept
# or lost as Linux does), no fd added to the guest's table, the files of lost
# messages closed (the pipe reads end-of-file), no internal error, status 0.
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err native=$W/watch/native
"$prog" >"$native" 2>&1 </dev/null
check "the native run finishes (status $?)" grep -q "^sock_bad_pointers: done" "$native"
sec_run 60 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
if cmp -s "$native" "$out"; then
	pass "every line is Linux's ($(wc -l <"$out") lines)"
else
	fail "the guest's lines differ from the native run's (< native, > uos):"
	diff "$native" "$out" | head -40
fi
check "no fd was added to the guest's table" grep -q "^fds added to the table: 0$" "$out"
check "no file of a lost message stays in flight" grep -q "^the pipe, its write end closed here: end of file" "$out"
sec_check_host
checks_exit
