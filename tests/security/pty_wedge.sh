#!/usr/bin/env bash
# pty_wedge.sh PROGRAM term|ignore: threads of a guest blocked on full
# pseudo-terminals (a slave's writer whose master nobody reads, a master's
# writer whose slave nobody reads, readers nobody writes to, a VTIME read;
# see pty_wedge.c) do not wedge uos: the guest's other thread keeps being
# served (getpid progresses, pipes, fork, new pairs), each blocked call ends
# as Linux ends it, and once they block again SIGTERM to uos ends it within
# its stop timeout: at once with 143 (term: the guest dies of SIGTERM), or
# after --stop-timeout with 137 (ignore: SIGTERM ignored).
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
term) want=143 ;;
ignore) want=137 ;;
*) echo "usage: $0 PROGRAM term|ignore"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
"$UOS" --stop-timeout 2 --root "$W/root" -- "/$(basename "$prog")" "$mode" </dev/null >"$out" 2>"$err" &
UOS_PID=$!
for _ in $(seq 1200); do # 120 s for the guest's two rounds (each waits for queues to fill)
	grep -q "READY$" "$out" && break
	kill -0 "$UOS_PID" 2>/dev/null || break
	sleep 0.1
done
show_file "guest output" "$out"
check "the guest got its threads blocked and said READY" grep -q "READY$" "$out"
t0=$(date +%s%N)
kill -TERM "$UOS_PID" 2>/dev/null
wedged=0
for _ in $(seq 100); do # 10 s: the stop timeout (2 s) and the killed guests' reaping (1 s)
	kill -0 "$UOS_PID" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$UOS_PID" 2>/dev/null; then
	wedged=term
	echo "uos wchan: $(cat "/proc/$UOS_PID/wchan" 2>/dev/null)"
	kill -KILL "$UOS_PID"
fi
wait "$UOS_PID"
status=$?
UOS_PID=
ms=$((($(date +%s%N) - t0) / 1000000))
echo "uos -> status $status, ${ms} ms after SIGTERM"
show_file "uos stderr" "$err"
check "uos ended within 10 s of SIGTERM (${ms} ms)" [ "$wedged" = 0 ]
check "uos exits with $want (got $status)" [ "$status" -eq "$want" ]
check "the guest saw nothing bad" grep -q "^pty_wedge $mode: 0 bad; READY$" "$out"
check "getpid progressed while four threads were blocked" grep -q "^four threads blocked: getpid progresses in 1 s$" "$out"
check "getpid progressed while three threads were blocked again" grep -q "^blocked again: getpid progresses in 1 s$" "$out"
if grep -qE "AddressSanitizer|LeakSanitizer|runtime error|internal error|BUG at|UOS_BUG" "$err"; then
	fail "uos reported an internal error"
else
	pass "no sanitizer report or uos bug"
fi
if [ "$mode" = term ]; then
	check "uos wrote nothing on stderr" [ ! -s "$err" ]
else
	check "uos's stderr says only that it killed the guest" \
		[ "$(grep -vc "the guest did not exit after SIGTERM: killing it" "$err")" = 0 ]
fi
sec_check_host
checks_exit
