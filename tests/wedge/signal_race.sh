#!/bin/sh
# A signal to uos is never lost (supervisor/transport/intr.c): uos sleeps
# in a blocking wait4 when only a stop can come, and its own signals must
# end that sleep whenever they land, also between its check for them and
# the wait4 itself.  Two guests that ignore SIGTERM: one that makes no call
# (uos asleep in wait4) and one that calls getppid as fast as it can (the
# signal lands anywhere in the loop).  Once the guest is running, SIGTERM
# after a random 0 to 9.9 ms, 100 times each, with --stop-timeout 0: uos
# must kill the guest at once and exit 137 every time (143 would be uos
# dead of the signal itself, a hang a signal it lost).
# usage: UOS=path/to/uos signal_race.sh WEDGE_GUEST
. "$(dirname "$0")/../imgfs/lib.sh"
guest=${2:-$1}
[ -x "$guest" ] || { echo "usage: UOS=uos $0 WEDGE_GUEST"; exit 2; }

# race MODE: 100 tries; fails for each hang or other status.
race() {
	hung=0 other=0 i=0
	while [ $i -lt 100 ]; do
		: >"$W/out"
		"$UOS" --stop-timeout 0 "$guest" "$1" >"$W/out" 2>/dev/null </dev/null &
		pid=$!
		j=0
		while [ $j -lt 500 ] && ! grep -q ready "$W/out"; do
			sleep 0.01
			j=$((j + 1))
		done
		sleep "0.00$(od -An -N1 -tu1 /dev/urandom | awk '{printf "%02d", $1 % 100}')"
		kill -TERM $pid
		j=0
		while [ $j -lt 50 ] && kill -0 $pid 2>/dev/null; do
			sleep 0.1
			j=$((j + 1))
		done
		if kill -0 $pid 2>/dev/null; then
			hung=$((hung + 1))
			kill -KILL $pid
		fi
		wait $pid
		st=$?
		[ $st -eq 137 ] || other=$((other + 1))
		i=$((i + 1))
	done
	[ $hung -eq 0 ] && pass "$1: SIGTERM ended uos at once 100 times" ||
		fail "$1: uos missed SIGTERM $hung times of 100"
	[ $other -eq 0 ] && pass "$1: status 137 each time" ||
		fail "$1: another status $other times of 100"
}

race spin
race calls
finish
