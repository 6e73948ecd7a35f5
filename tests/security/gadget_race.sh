#!/usr/bin/env bash
# gadget_race.sh PROGRAM mmap|signalfd|exec [COUNT DMAX_US]: a sibling thread
# turns the syscall instruction that uos resumes its injected calls at into a
# jump to attacker code (see gadget_race.c) while the main thread maps a
# file, reads two records from a signalfd, or execs.  An escape is any of the attacker's calls reaching the host: the
# marker created, the canary truncated or read, the watched host process
# signalled or connected to, uos exiting with 99.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
mmap | signalfd) count=${3:-1500} dmax=${4:-300} ;;
exec) count=${3:-1000} dmax=${4:-3000} ;;
*) echo "usage: $0 PROGRAM mmap|signalfd|exec [COUNT DMAX_US]"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 120 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$MARKER" "$CANARY" \
	"$WATCH_PID" "$WATCH_PORT" "$count" "$dmax"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
if [ "$mode" != exec ]; then
	check "the guest ran all its attempts" grep -q "^gadget_race $mode: $count attempts" "$out"
else
	check "the guest made all its execs" grep -q "^gadget_race exec: $count execs" "$out"
fi
check "uos exits with the guest's status 0, not the payload's 99 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
