#!/bin/sh
# uos itself never waits for one guest: while a guest sits on a host object
# that could block uos (a host FIFO under --mount, a stdout pipe nobody
# reads, a full pipe or terminal shared with the user's shell), another
# guest keeps working, and SIGTERM still ends uos promptly.
# usage: UOS=path/to/uos host_blocking.sh
. "$(dirname "$0")/../imgfs/lib.sh"

now_ms() { date +%s%3N; }

# ticks FILE: how many "tick" lines FILE has.
ticks() {
	n=$(grep -c tick "$1" 2>/dev/null)
	echo "${n:-0}"
}

# ticking FILE: wait up to 10 s for FILE to show ticks, then check that they
# go on (one more within 5 s: slow under a sanitizer with busy guests).
ticking() {
	i=0
	while [ $i -lt 100 ] && [ "$(ticks "$1")" -lt 2 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	a=$(ticks "$1")
	i=0
	while [ $i -lt 50 ] && [ "$(ticks "$1")" -le "$a" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(ticks "$1")" -gt "$a" ]
}

# term_within PID MS STATUS NAME: SIGTERM uos, which must exit with STATUS within MS.
term_within() {
	t0=$(now_ms)
	kill -TERM "$1"
	wait "$1"
	st=$?
	took=$(($(now_ms) - t0))
	[ $st -eq "$3" ] && [ $took -le "$2" ] && pass "$4: SIGTERM: status $st after $took ms" ||
		fail "$4: SIGTERM: status $st after $took ms (want $3 within $2 ms)"
}

TICK='i=0; while :; do i=$((i+1)); echo tick $i >&2; sleep 0.1; done'

# A guest opens a host FIFO under --mount: the open waits (for a writer
# among the guests), uos does not.
mkdir "$W/m"
mkfifo "$W/m/fifo"
"$UOS" --stop-timeout 0.5 --mount "$W/m:/m" /bin/sh -c "
	trap '' TERM; cat /m/fifo & $TICK" >/dev/null 2>"$W/err" </dev/null &
pid=$!
ticking "$W/err" && pass "FIFO open under --mount: the other guest keeps working" ||
	fail "FIFO open under --mount: the ticks stopped ($(ticks "$W/err"))"
term_within $pid 2500 137 "FIFO open under --mount"

# A FIFO under a writable --mount: both ends among the guests meet.
"$UOS" --mount "$W/m:/m:rw" /bin/sh -c 'cat /m/fifo & echo through >/m/fifo; wait' \
	>"$W/out" 2>&1 </dev/null
grep -qx through "$W/out" && pass "a host FIFO connects two guests" ||
	{ fail "a host FIFO between two guests:"; cat "$W/out"; }

# stdout is a pipe nobody reads: the writer parks, the others go on.
mkfifo "$W/stdout"
exec 9<>"$W/stdout" # a reader that never reads, so the pipe fills
"$UOS" --stop-timeout 0.5 /bin/sh -c "trap '' TERM; yes & $TICK" >"$W/stdout" 2>"$W/err" \
	</dev/null &
pid=$!
ticking "$W/err" && pass "full stdout pipe: the other guest keeps working" ||
	fail "full stdout pipe: the ticks stopped ($(ticks "$W/err"))"
term_within $pid 2500 137 "full stdout pipe"

# stdin is a pipe shared with another reader (the user's shell): the
# guest's read parks, uos never sits in read(2) on it.
"$UOS" --stop-timeout 0.5 /bin/sh -c "trap '' TERM; cat & $TICK" <&9 >/dev/null 2>"$W/err" &
pid=$!
ticking "$W/err" && pass "empty shared stdin: the other guest keeps working" ||
	fail "empty shared stdin: the ticks stopped ($(ticks "$W/err"))"
term_within $pid 2500 137 "empty shared stdin"
exec 9<&-

# Guests that make system calls without a pause leave uos no idle moment:
# the others are still served in turn, and SIGTERM still ends uos.
"$UOS" --stop-timeout 0.5 /bin/sh -c "trap '' TERM
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do yes >/dev/null & done
	$TICK" </dev/null >/dev/null 2>"$W/err" &
pid=$!
ticking "$W/err" && pass "16 busy guests: another one keeps working" ||
	fail "16 busy guests: the ticks stopped ($(ticks "$W/err"))"
term_within $pid 3000 137 "16 busy guests"

# The program stops itself (PID 2 under --init): uos follows it into a stop
# only as a terminal's foreground job, so here it goes on serving the others
# and heeds SIGTERM.
"$UOS" --init --stop-timeout 0.5 /bin/sh -c "$TICK & kill -STOP \$\$; echo continued" \
	</dev/null >/dev/null 2>"$W/err" &
pid=$!
ticking "$W/err" && pass "a stopped program: another guest keeps working" ||
	fail "a stopped program: the ticks stopped ($(ticks "$W/err"))"
term_within $pid 2500 137 "a stopped program"

# A PID 1 that dies of SIGTERM ends uos at once, with its own status.
"$UOS" /bin/sh -c 'sleep 1000' </dev/null >/dev/null 2>&1 &
pid=$!
sleep 0.3
term_within $pid 1500 143 "PID 1 dying of SIGTERM"
finish
