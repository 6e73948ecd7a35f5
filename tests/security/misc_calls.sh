#!/usr/bin/env bash
# misc_calls.sh PROGRAM all|madvise|clone3: calls that would give the guest
# host power if the host ran them (see misc_calls.c): every check must say
# "ok", none "BAD"; and the host side is untouched (a mount(2) the host ran
# would cover $W/watch/mnt: it must not be a mount point afterwards).
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
sec_setup "$prog"
mkdir "$W/watch/mnt"
out=$W/watch/out err=$W/watch/err
sec_run 30 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$W/watch/mnt" \
	"$WATCH_PID"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran every check" grep -q "^misc_calls $mode: " "$out"
grep " BAD$" "$out" | while read -r l; do echo "FAIL: $l"; done
check "no check found the host running the call" grep -q "^misc_calls $mode: 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
if mountpoint -q "$W/watch/mnt"; then
	fail "the guest mounted over a host directory"
	umount "$W/watch/mnt"
else
	pass "no host mount was made"
fi
sec_check_host
checks_exit
