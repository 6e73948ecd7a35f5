#!/usr/bin/env bash
# notify_race.sh PROGRAM MODE [ROUNDS]: attacks on the calls uos answers
# through its seccomp listener (see notify_race.c).  The guest must end
# every round as it does natively (0 bad), uos without an internal error or
# wedge, and the host untouched.  Every mode but listener also runs natively
# first (DIR: a scratch directory), so that a mode that cannot pass there is
# caught.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2 rounds=${3:-1000}
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
want="notify_race: $mode: $( [ "$mode" = listener ] && echo 1 || echo "$rounds") rounds, 0 bad"
if [ "$mode" != listener ]; then
	mkdir "$W/watch/native"
	native=$(timeout 60 "$(realpath "$prog")" "$mode" "$rounds" "$W/watch/native" 2>&1)
	check "natively: $want (got: $native)" [ "$native" = "$want" ]
fi
sec_run 120 "$out" "$err" --notify --root "$W/root" -- "/$(basename "$prog")" "$mode" "$rounds" /tmp
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "under uos: $want" grep -qx "$want" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
