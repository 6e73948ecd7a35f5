#!/bin/sh
# SIGTERM to uos goes to PID 1; whatever the guests do, uos is gone within
# --stop-timeout (default 2 s), the guests left are killed, the image is
# synced and e2fsck -fn clean, and uos exits 137 (128+SIGKILL), as docker
# stop's status says a killed container; a second SIGTERM, or
# --stop-timeout 0, kills them at once.  The guests sit where uos must not
# wait: PID 1 and another process ignore SIGTERM, a reader is parked on a
# pipe, another in a FIFO's open, a process is stopped (SIGSTOP), a parent
# is inside vfork; also under --sched=serial.
# usage: UOS=path/to/uos stop_timeout.sh WEDGE_GUEST
. "$(dirname "$0")/../imgfs/lib.sh"
guest=${2:-$1}
[ -x "$guest" ] || { echo "usage: UOS=uos $0 WEDGE_GUEST"; exit 2; }

busybox_tree "$W/tree"
cp "$guest" "$W/tree/bin/wedge_guest"
"$UOS" mkfs "$W/root.img" 64M --from "$W/tree" >/dev/null || fail "uos mkfs"

now_ms() { date +%s%3N; }

# wait_ready FILE N: wait up to 10 s for N "ready" lines in FILE.
wait_ready() {
	i=0
	while [ $i -lt 100 ] && [ "$(grep -c ready "$1")" -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(grep -c ready "$1")" -ge "$2" ] || { fail "the guests did not get ready:"; cat "$1"; }
}

# The wedged guests, each printing "ready" once in place (6 lines in all).
WEDGED='trap "" TERM
echo kept >/work/kept
sleep 1000 | cat & echo "pipe ready"
mkfifo /work/ff; cat /work/ff & echo "fifo ready"
sleep 1000 & kill -STOP $! && echo "stopped ready"
wedge_guest vfork &
wedge_guest ignore-term &
echo "pid1 ready"
while :; do sleep 1; done'

# stop_case NAME LIMIT_MS MIN_MS SECOND UOS-OPTIONS...: run the wedged guests on
# the image, SIGTERM uos (twice when SECOND is 1), and check that it exits
# with 137 after MIN_MS and within LIMIT_MS, and that the image is clean.
stop_case() {
	name=$1 limit=$2 min=$3 second=$4
	shift 4
	: >"$W/out"
	"$UOS" "$@" --root "$W/root.img" /bin/sh -c "$WEDGED" >"$W/out" 2>"$W/err" </dev/null &
	pid=$!
	wait_ready "$W/out" 6
	t0=$(now_ms)
	kill -TERM $pid
	[ "$second" = 1 ] && sleep 0.2 && kill -TERM $pid
	wait $pid
	st=$?
	took=$(($(now_ms) - t0))
	echo "$name: status $st after $took ms"
	[ $st -eq 137 ] && pass "$name: uos exits 137" || { fail "$name: status $st"; cat "$W/err"; }
	[ $took -le "$limit" ] && pass "$name: gone within $limit ms" || fail "$name: took $took ms"
	[ $took -ge "$min" ] && pass "$name: the guests had $min ms" || fail "$name: killed after $took ms"
	grep -q "did not exit after SIGTERM" "$W/err" && pass "$name: uos says why" ||
		fail "$name: no line on stderr"
	fsck_clean "$W/root.img"
	debugfs -R "cat /work/kept" "$W/root.img" 2>/dev/null | grep -qx kept &&
		pass "$name: the guest's write is on the image" || fail "$name: /work/kept missing"
	debugfs -w -R "rm /work/ff" "$W/root.img" >/dev/null 2>&1
	debugfs -w -R "rm /work/kept" "$W/root.img" >/dev/null 2>&1
}

stop_case "default 2 s" 4500 1800 0
stop_case "--stop-timeout 0.5" 2500 400 0 --stop-timeout 0.5
stop_case "--stop-timeout 0" 1500 0 0 --stop-timeout 0
stop_case "second SIGTERM" 1500 0 1 --stop-timeout 30
stop_case "serial, seed 3" 3500 400 0 --stop-timeout 1 --sched=serial:3

# A guest that does exit on SIGTERM within the timeout keeps its own status.
# (out is emptied first: the background shell's own truncation may come after
# wait_ready has read the last case's 6 lines.)
: >"$W/out"
"$UOS" --root "$W/root.img" /bin/sh -c 'echo ready; exec sleep 1000' >"$W/out" 2>&1 &
pid=$!
wait_ready "$W/out" 1
kill -TERM $pid
wait $pid
st=$?
[ $st -eq 143 ] && pass "PID 1 dying of SIGTERM: 143" || fail "PID 1 dying of SIGTERM: status $st"
fsck_clean "$W/root.img"

# Bad values are misuse.
"$UOS" --stop-timeout -1 /bin/true 2>/dev/null
[ $? -eq 2 ] && pass "--stop-timeout -1 is refused" || fail "--stop-timeout -1 accepted"
"$UOS" --stop-timeout x /bin/true 2>/dev/null
[ $? -eq 2 ] && pass "--stop-timeout x is refused" || fail "--stop-timeout x accepted"
finish
