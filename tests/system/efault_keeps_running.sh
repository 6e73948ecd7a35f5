#!/usr/bin/env bash
# Wild pointers: every call gets EFAULT (as natively), the program runs to its
# end and exits 0, and uos is not harmed. Usage: efault_keeps_running.sh PROG
. "$(dirname "$0")/lib.sh"

prog=$1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

check "same output and status as native" "$DIFFTEST" --expect-status 0 -- "$prog"
run_uos "$out" "$err" -- "$prog"
check "exit status 0 under uos (got $status)" [ "$status" -eq 0 ]
check "EFAULT reported" grep -q "EFAULT" "$out"
check "program ran to its end" grep -q "^still running" "$out"
checks_exit
