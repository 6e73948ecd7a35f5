# shellcheck shell=bash
# Sourced by the attack scripts of tests/security/: a scratch area on the host
# with the things an escape would touch, a watched host process, a bounded
# run of uos, and the host-side checks.  Builds on tests/system/lib.sh (check,
# fail, pass, show_file, checks_exit).
#
# sec_setup [PROGRAM...]   makes $W (mktemp -d, removed at exit) holding
#   $W/root/       the guest's root for --root DIR: the PROGRAMs (as
#                  /NAME), /tmp; read-only to the guest (an overlay on top)
#   $CANARY        a host file outside every root the guest gets, with the
#                  secret $SECRET and an old mtime
#   $MARKER        a host path that attacks try to create; must never exist
#   $FIFO          a host FIFO outside the root (for attacks that wedge)
#   $WATCH_PID     host_watch.py (signals and TCP connections it gets are
#                  logged), listening on 127.0.0.1:$WATCH_PORT
# and snapshots every name, size, mtime and mode under $W.
# sec_run LIMIT OUT ERR UOS-ARGS...   runs uos (stdin /dev/null); if it has
#   not exited after LIMIT seconds, SIGTERM, then SIGKILL 5 s later.  Sets
#   $status, $secs (wall seconds), $wedged (0, or "term"/"kill": what it
#   took to end it), $max_children (the most host processes uos had as
#   children at once) and $max_rss_kb (uos's own largest resident set),
#   both sampled every 0.1 s.
# sec_check_run   uos ended by itself, with no sanitizer report or uos bug,
#   and its resident memory stayed under $SEC_MAX_RSS_KB (1 GiB).
# sec_check_host  the host-side checks: canary unchanged, marker absent,
#   and unread (atime), marker absent, nothing under $W created, changed or
#   removed, host_watch alive and unhit.
. "$(dirname "${BASH_SOURCE[0]}")/../system/lib.sh"
SEC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

sec_cleanup() {
	[ -n "${WATCH_PID:-}" ] && kill -KILL "$WATCH_PID" 2>/dev/null
	[ -n "${UOS_PID:-}" ] && kill -KILL "$UOS_PID" 2>/dev/null
	wait 2>/dev/null
	[ -n "${W:-}" ] && [ -d "$W" ] && rm -rf -- "$W"
}

sec_snapshot() {
	find "$W" -path "$W/watch" -prune -o -printf '%p %y %s %T@ %m\n' | LC_ALL=C sort
}

sec_setup() {
	W=$(mktemp -d /tmp/uos-sec.XXXXXX) || exit 1
	trap sec_cleanup EXIT
	trap 'exit 1' INT TERM HUP PIPE # meson's timeout, a closed pipe: clean up on the way out
	mkdir -p "$W/root/tmp" "$W/watch"
	for p in "$@"; do
		cp "$p" "$W/root/$(basename "$p")"
	done
	SECRET="SECRET-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
	CANARY=$W/canary
	MARKER=$W/marker
	FIFO=$W/fifo
	printf '%s\n' "$SECRET" >"$CANARY"
	touch -d '2001-02-03 04:05:06' "$CANARY"
	mkfifo "$FIFO"
	CANARY_SUM=$(printf '%s\n' "$SECRET" | sha256sum)
	CANARY_ATIME=$(stat -c %X "$CANARY")
	sec_high_pids
	/usr/bin/python3 "$SEC_DIR/host_watch.py" "$W/watch" </dev/null >/dev/null 2>&1 &
	WATCH_PID=$!
	for _ in $(seq 100); do
		[ -s "$W/watch/port" ] && break
		sleep 0.05
	done
	WATCH_PORT=$(cat "$W/watch/port" 2>/dev/null)
	[ -n "$WATCH_PORT" ] || { echo "FAIL: host_watch.py did not start"; exit 1; }
	touch -d '2001-02-03 04:05:06' "$W" "$W/root" "$W/root/tmp"
	sec_snapshot >"$W/watch/before"
	echo "scratch $W, canary $CANARY, marker $MARKER, host_watch pid $WATCH_PID port $WATCH_PORT"
}

# Guest pids count from 1, and a test's guests make a few thousand tasks: a
# host_watch pid below that (just after the host's pids wrapped) names a
# guest task, whose kill is no escape.  Use up host pids until the next is
# above them.
sec_high_pids() {
	local next
	next=$(sh -c 'echo $$')
	while [ "$next" -lt 5000 ]; do
		for _ in $(seq 200); do :& done
		wait
		next=$(sh -c 'echo $$')
	done
}

sec_run() {
	local limit=$1 out=$2 err=$3 t0 i n end
	shift 3
	t0=$(date +%s.%N)
	"$UOS" "$@" </dev/null >"$out" 2>"$err" &
	UOS_PID=$!
	wedged=0
	max_children=0
	max_rss_kb=0
	end=$((SECONDS + limit))
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$UOS_PID" 2>/dev/null || break
		n=$(pgrep -c -P "$UOS_PID")
		[ "${n:-0}" -gt "$max_children" ] && max_children=$n
		n=$(awk '/^VmRSS:/ {print $2}' "/proc/$UOS_PID/status" 2>/dev/null)
		[ "${n:-0}" -gt "$max_rss_kb" ] && max_rss_kb=$n
		sleep 0.1
	done
	if kill -0 "$UOS_PID" 2>/dev/null; then
		wedged="term"
		kill -TERM "$UOS_PID"
		for ((i = 0; i < 50; i++)); do
			kill -0 "$UOS_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$UOS_PID" 2>/dev/null; then
			wedged="kill"
			kill -KILL "$UOS_PID"
		fi
	fi
	wait "$UOS_PID"
	status=$?
	UOS_PID=
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	echo "uos $* -> status $status after ${secs}s (at most $max_children host children, ${max_rss_kb} kB resident)"
}

sec_check_run() {
	case $wedged in
	0) pass "uos exited by itself" ;;
	term) fail "uos did not exit in time: ended by SIGTERM (wedged?)" ;;
	kill) fail "uos did not exit in time and ignored SIGTERM: killed (wedged)" ;;
	esac
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error|internal error|BUG at|UOS_BUG" "$1"; then
		fail "uos reported an internal error"
	else
		pass "no sanitizer report or uos bug"
	fi
	check "uos stayed under ${SEC_MAX_RSS_KB:=1048576} kB resident (at most $max_rss_kb)" \
		[ "$max_rss_kb" -le "$SEC_MAX_RSS_KB" ]
}

sec_check_host() {
	local now
	# Any read of the canary moves its atime (it is older than a day: relatime updates it).
	if [ "$(stat -c %X "$CANARY")" = "$CANARY_ATIME" ]; then
		pass "the host canary was not read (atime unchanged)"
	else
		fail "the host canary was read: its atime moved"
	fi
	if [ "$(sha256sum <"$CANARY" 2>/dev/null)" = "$CANARY_SUM" ]; then
		pass "the host canary's content is unchanged"
	else
		fail "the host canary changed: $(head -c 60 "$CANARY" | tr '\n' ' ')"
	fi
	if [ -e "$MARKER" ] || [ -L "$MARKER" ]; then
		fail "the marker $MARKER exists on the host ($(head -c 80 "$MARKER" | tr '\n' ' '))"
	else
		pass "the marker was not created on the host"
	fi
	sec_snapshot >"$W/watch/after"
	if cmp -s "$W/watch/before" "$W/watch/after"; then
		pass "nothing under $W (root and outside it) was created, changed or removed"
	else
		fail "the host scratch area changed:"
		diff "$W/watch/before" "$W/watch/after" | head -20
	fi
	if kill -0 "$WATCH_PID" 2>/dev/null; then
		pass "the host process $WATCH_PID is alive"
	else
		fail "the host process $WATCH_PID was killed"
	fi
	now=$(grep -v '^$' "$W/watch/log" 2>/dev/null)
	if [ -z "$now" ]; then
		pass "the host process got no signal and no TCP connection"
	else
		fail "the host process was reached: $(echo "$now" | sort | uniq -c | head -5 | tr '\n' ';')"
	fi
}

# sec_check_secret OUT: the canary's secret never reached the guest's output.
sec_check_secret() {
	if grep -q "$SECRET" "$1"; then
		fail "the guest read the host canary (its secret is in the guest's output)"
	else
		pass "the canary's secret is not in the guest's output"
	fi
}
