#!/usr/bin/env bash
# proc_init_signals.sh PROG: PROG as PID 1 natively (a new pid namespace,
# with unshare; skipped when that is not allowed) and under uos --pid1 print the same.
. "$(dirname "$0")/lib.sh"
prog=$1
native=$(mktemp) mine=$(mktemp) err=$(mktemp)
trap 'rm -f "$native" "$mine" "$err"' EXIT
if ! unshare --pid --fork -- "$prog" >"$native" 2>"$err"; then
	echo "skip: no pid namespace here: $(cat "$err")"
	exit 77
fi
run_uos "$mine" "$err" --pid1 -- "$prog"
check "same output as PID 1 of a pid namespace" diff -u "$native" "$mine"
check "status 0 (got $status)" [ "$status" -eq 0 ]
checks_exit
