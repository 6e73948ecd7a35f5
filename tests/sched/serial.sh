#!/usr/bin/env bash
# --sched=serial:SEED replays the same interleaving: a racy program prints the
# same result for the same seed every time (and the same --trace order of
# syscalls), and different results for some seeds.
# A process whose main returns while a thread waits ends, for every seed.
# A thread woken from a futex wait uos kept holds the CPU until its next call.
#   serial.sh RACY_BINARY EXIT_WAITING_BINARY WOKEN_HOLDS_BINARY   (uos from $UOS)
set -euo pipefail
uos=${UOS:?set UOS to the uos binary}
prog=$1
exit_waiting=$2
woken_holds=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

for seed in 3 7; do
	first=$("$uos" --sched=serial:$seed "$prog")
	for run in 1 2 3; do
		again=$("$uos" --sched=serial:$seed "$prog")
		[ "$again" = "$first" ] || fail "seed $seed gave $first, then $again"
	done
	echo "ok: seed $seed always gives $first"
done

# The order of syscalls across tasks is the same too (addresses and random bytes aside).
for run in 1 2; do
	"$uos" --sched=serial:5 --trace="$tmp/trace$run" "$prog" >/dev/null
	sed -E 's/0x[0-9a-f]+/X/g; /getrandom/d' "$tmp/trace$run" >"$tmp/norm$run"
done
cmp -s "$tmp/norm1" "$tmp/norm2" || fail "two traces of seed 5 differ: $(diff "$tmp/norm1" "$tmp/norm2" | head -5)"
echo "ok: the syscall order of seed 5 is the same twice ($(wc -l <"$tmp/norm1") calls)"

declare -A seen
for seed in $(seq 1 20); do
	seen[$("$uos" --sched=serial:$seed "$prog")]=1
done
[ "${#seen[@]}" -gt 1 ] || fail "20 seeds all gave the same result: ${!seen[*]}"
echo "ok: 20 seeds gave ${#seen[@]} different results: ${!seen[*]}"

for seed in 1 2 3 4 5; do
	out=$(timeout 20 "$uos" --sched=serial:$seed "$exit_waiting") ||
		fail "seed $seed: main exiting beside a waiting thread: status $?"
	[ "$out" = "main exits" ] || fail "seed $seed: exit_waiting printed $out"
done
echo "ok: main exiting beside a thread waiting in sigwait ends, 5 seeds"

for seed in 1 2 3 4 5 6 7 8; do
	out=$(timeout 60 "$uos" --sched=serial:$seed "$woken_holds") || fail "seed $seed: woken_holds: status $?"
	[ "$out" = held ] || fail "seed $seed: a thread woken from a futex wait: $out"
done
echo "ok: a thread woken from a futex wait holds the CPU until its next call, 8 seeds"
