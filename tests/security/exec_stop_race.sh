#!/usr/bin/env bash
# exec_stop_race.sh PROGRAM timer|tgkill|busy [MAX]: stops that uos does not
# expect while a thread execs (host timer signals to the exec'ing thread;
# tgkill from a sibling thread; sibling threads making calls, forking and
# mapping files; see exec_stop_race.c).  The signal handler tries the attacker's
# calls; an escape is any of them reaching the host: the marker created, the
# canary read into it, the watched host process signalled or connected to,
# uos exiting with 99.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
timer | tgkill) max=${3:-1000} ;;
busy) max=${3:-1000} ;;
*) echo "usage: $0 PROGRAM timer|tgkill|busy [MAX]"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 120 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$MARKER" "$CANARY" \
	"$WATCH_PID" "$WATCH_PORT" "$max"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest made all its execs" grep -q "^exec_stop_race $mode: $max execs" "$out"
check "uos exits with the guest's status 0, not the payload's 99 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
