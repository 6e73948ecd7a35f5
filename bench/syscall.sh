#!/usr/bin/env bash
# The cost of one trapped system call: getppid in a loop, natively and under
# uos, both pinned to CPU 0 (taskset -c 0), ROUNDS runs each, best run kept.
# Prints a table; asserts nothing about time.
#   bench/syscall.sh [N-CALLS] [ROUNDS]      (defaults 200000, 3)
# $UOS: the uos binary (default build/supervisor/uos); $GETPPID_LOOP: the
# workload (default: the meson-built one, else compiled here with gcc -static).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
UOS=${UOS:-$root/build/supervisor/uos}
n=${1:-200000}
rounds=${2:-3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

prog=${GETPPID_LOOP:-$root/build/bench/getppid_loop}
if [ ! -x "$prog" ]; then
	prog=$tmp/getppid_loop
	gcc -O2 -static -o "$prog" "$here/getppid_loop.c"
fi

pin=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	pin=(taskset -c 0)
fi

# best CMD...: run CMD $rounds times, print the lowest ns_per_call.
best() {
	local i v b=
	for ((i = 0; i < rounds; i++)); do
		v=$("${pin[@]}" "$@" | awk '/^ns_per_call/ { print $2 }')
		[ -n "$v" ] || return 1
		if [ -z "$b" ] || awk -v a="$v" -v b="$b" 'BEGIN { exit !(a < b) }'; then
			b=$v
		fi
	done
	echo "$b"
}

native=$(best "$prog" "$n")
if ! under=$(best "$UOS" -- "$prog" "$n"); then
	under=
fi

echo "getppid x $n, best of $rounds, ${pin[*]:-not pinned}"
printf '%-12s %14s %14s %8s\n' workload "native ns/call" "uos ns/call" ratio
if [ -n "$under" ]; then
	ratio=$(awk -v a="$under" -v b="$native" 'BEGIN { printf "%.1fx", a / b }')
else
	under="(failed)"
	ratio="-"
fi
printf '%-12s %14s %14s %8s\n' getppid "$native" "$under" "$ratio"
