#!/usr/bin/env bash
# --summary's "where the cost went": for /bin/true, the stops uos waited for
# and the host calls it made, in all and per guest call.  The numbers must be
# real: the counts of the host calls that only uos's own code makes (wait4,
# ptrace, process_vm_readv/writev, fcntl, poll) equal what strace -c counts of
# the uos process itself (without -f: the guests are uos's tracees).
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_uos "$tmp/out" "$tmp/err" --summary /bin/true
check "uos --summary /bin/true exits 0" test "$status" -eq 0
sum=$tmp/err
calls=$(sed -n 's/^where the cost went: \([0-9]*\) guest calls.*/\1/p' "$sum")
stops=$(sed -n 's/^stops uos waited for: \([0-9]*\), \([0-9.]*\) per guest call.*/\1/p' "$sum")
seccomp=$(sed -n 's/^stops uos waited for: .* (\([0-9]*\) seccomp stops.*/\1/p' "$sum")
hostn=$(sed -n 's/^host calls uos made: \([0-9]*\), [0-9.]* per guest call$/\1/p' "$sum")
check "the section is there" test -n "$calls" -a -n "$stops" -a -n "$seccomp" -a -n "$hostn"
total=$(awk '$NF == "total" && $1 ~ /^[0-9]+$/ { print $1; exit }' "$sum")
check "guest calls ($calls) are the summary's total ($total)" test "$calls" = "$total"
check "/bin/true makes at least 20 calls ($calls)" test "${calls:-0}" -ge 20
check "a seccomp stop per guest call at least ($seccomp >= $calls)" \
	test "${seccomp:-0}" -ge "${calls:-1}"
check "stops >= seccomp stops ($stops >= $seccomp)" test "${stops:-0}" -ge "${seccomp:-1}"
check "host calls >= stops ($hostn >= $stops)" test "${hostn:-0}" -ge "${stops:-1}"
ratio=$(awk -v s="$stops" -v c="$calls" 'BEGIN { printf "%.2f", s / c }')
check "the per-call ratio is printed ($ratio)" \
	grep -q "^stops uos waited for: $stops, $ratio per guest call" "$sum"
check "ptrace is broken down by request" grep -qE '^ +[0-9]+ +[0-9.]+    PTRACE_GETREGS$' "$sum"

# kind COUNTS-FILE NAME: the count of host call NAME in a "calls per-call name" table.
count_in() {
	awk -v n="$2" '$NF == n && $1 ~ /^[0-9]+$/ { print $1; exit }' "$1"
}
if ! command -v strace >/dev/null; then
	echo "SKIP: no strace, the counts are not compared"
else
	kinds=wait4,ptrace,process_vm_readv,process_vm_writev,fcntl,poll
	# Under ASan, LeakSanitizer's check at exit waits for a thread of its own
	# with a wait4 of its own, after the summary is printed: not uos's.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -c -U name,calls -o "$tmp/strace" -e trace=$kinds \
		"$UOS" --summary /bin/true </dev/null >/dev/null 2>"$tmp/sum2"
	sed -n '/^host calls uos made/,$p' "$tmp/sum2" >"$tmp/host"
	for k in ${kinds//,/ }; do
		s=$(awk -v n="$k" '$1 == n { print $2 }' "$tmp/strace")
		u=$(count_in "$tmp/host" "$k")
		check "$k: uos counted ${u:-0}, strace ${s:-0}" test "${u:-0}" = "${s:-0}"
	done
	w=$(awk '$1 == "wait4" { print $2 }' "$tmp/strace")
	check "uos waited (strace: $w wait4)" test "${w:-0}" -gt 0
fi

# With an image mounted writable, the loop has a deadline (the periodic
# writeback): it still sleeps in wait4 (the alarm ends that sleep at the
# deadline), about one wait4 and no poll per stop, not a poll, a read of
# SIGCHLD's signalfd and a wait4 that finds nothing.
"$UOS" mkfs "$tmp/img" 8M >/dev/null
run_uos "$tmp/out" "$tmp/err2" --summary --mount "$tmp/img:/mnt:rw" \
	dd if=/dev/zero of=/dev/null bs=1 count=2000
check "dd under uos with an image mounted exits 0" test "$status" -eq 0
check "e2fsck -fn finds the image clean" sh -c 'e2fsck -fn "$1" >/dev/null 2>&1' sh "$tmp/img"
sed -n '/^host calls uos made/,$p' "$tmp/err2" >"$tmp/host2"
calls2=$(sed -n 's/^where the cost went: \([0-9]*\) guest calls.*/\1/p' "$tmp/err2")
w=$(count_in "$tmp/host2" wait4)
p=$(count_in "$tmp/host2" poll)
check "with a deadline, one wait4 per guest call or so ($w for $calls2)" \
	test "${w:-0}" -le $((${calls2:-0} * 11 / 10 + 20))
check "with a deadline, almost no poll (${p:-0} for $calls2)" test "${p:-0}" -le 20
if [ "$checks_failed" -ne 0 ]; then
	sed -n '/^where the cost went/,$p' "$sum" "$tmp/err2"
fi
exit "$checks_failed"
