#!/usr/bin/env bash
# End to end: uos runs a guest whose host processes hold what
# supervisor/kernel/contain.c promises, read from the host's /proc/PID/status while
# the guest waits for it: the uid and gid of their own (0x70000000 + uos's pid, or
# --host-user's), no groups, every capability set empty, no_new_privs, the
# seccomp filter; and the guest runs to its end.  Root only (77 otherwise).
. "$(dirname "$0")/../../system/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "not root: skipped"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# first_child PID: the first host child of PID once its seccomp filter is in, or
# nothing (PID is gone, or 10 s passed).
first_child() {
	local c i
	for i in $(seq 200); do
		kill -0 "$1" 2>/dev/null || return
		c=$(pgrep -P "$1" | head -n 1)
		if [ -n "$c" ] && grep -q "^Seccomp:.2" "/proc/$c/status" 2>/dev/null; then
			sleep 0.3 # past the exec of the program (the guest waits for the check)
			echo "$c"
			return
		fi
		sleep 0.02
	done
}

# contained UID|- GID|- UOS-ARGS...: run `uos ARGS /bin/sh -c 'read x'` and check its
# guest ("-": uos's default); the guest ends when the check is done, however slow the machine.
contained() {
	local uid=$1 gid=$2
	shift 2
	rm -f "$tmp/go" && mkfifo "$tmp/go" && exec 3<>"$tmp/go"
	"$UOS" "$@" /bin/sh -c 'read x' <&3 >"$tmp/out" 2>"$tmp/err" &
	local u=$!
	[ "$uid" = - ] && uid=$((0x70000000 + u))
	[ "$gid" = - ] && gid=$((0x70000000 + u))
	local c
	c=$(first_child "$u")
	[ -n "$c" ] && cp "/proc/$c/status" "$tmp/status" 2>/dev/null || : >"$tmp/status"
	echo go >&3
	wait "$u"
	exec 3>&-
	status=$?
	show_file "uos $* /bin/sh -c 'read x': stderr" "$tmp/err"
	show_file "the guest's host /proc/PID/status" "$tmp/status"
	check "$*: the guest ran to its end (status $status)" [ "$status" -eq 0 ]
	check "$*: host uid $uid" grep -Pq "^Uid:\t$uid\t$uid\t$uid\t$uid$" "$tmp/status"
	check "$*: host gid $gid" grep -Pq "^Gid:\t$gid\t$gid\t$gid\t$gid$" "$tmp/status"
	check "$*: no groups" grep -Pq "^Groups:\s*$" "$tmp/status"
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		check "$*: $set empty" grep -Pq "^$set:\t0{16}$" "$tmp/status"
	done
	check "$*: no_new_privs" grep -Pq "^NoNewPrivs:\t1$" "$tmp/status"
	check "$*: seccomp filter" grep -Pq "^Seccomp:\t2$" "$tmp/status"
}

contained - - --contain
contained 4242 4343 --host-user 4242:4343
checks_exit
