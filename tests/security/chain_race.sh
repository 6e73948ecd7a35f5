#!/usr/bin/env bash
# chain_race.sh PROGRAM mmap|exec|exec-map [COUNT]: attacker threads (and a
# signal handler) jump into every byte of the chain on uos's page (stub.h) with
# the registers of an attacker's calls, while uos runs injected calls in the same
# chain for the main thread: COUNT file maps in rotation over more files than
# uos's slots (with children killed mid-jump by their exit_group), or COUNT
# execs of the program itself (exec-map: the attackers map files too, and die
# in the middle of a file's give; see chain_race.c).  Each of those calls must
# be the guest's own, answered by uos: an escape is a getpid answered with the
# host's pid, any other "BAD" line, the marker created, the canary touched,
# the watched host process signalled, uos killing the guest for an unexpected
# stop, an internal error, a wedge.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
mmap) count=${3:-3000} ;;
exec | exec-map) count=${3:-300} ;;
*) echo "usage: $0 PROGRAM mmap|exec|exec-map [COUNT]"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 50 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$MARKER" "$CANARY" \
	"$WATCH_PID" "$count"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran every round, none bad" grep -q "^chain_race $mode: $count rounds, 0 bad;" "$out"
if grep -q "^BAD" "$out"; then
	fail "the guest saw calls through the chain answered wrong: $(grep -c "^BAD" "$out") lines"
else
	pass "every call through the chain was answered as the guest's own"
fi
if grep -q "killing the guest" "$err"; then
	fail "uos killed the guest (a stop it did not expect): $(grep -m1 "killing the guest" "$err")"
else
	pass "uos took no stop of the guest's for one of its own"
fi
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
