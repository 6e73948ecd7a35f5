#!/usr/bin/env bash
# A static program doing int $0x80 is stopped by uos, which says "i386", and
# uos exits non-zero. Usage: int80_refused.sh PATH-TO-int80_i386
. "$(dirname "$0")/lib.sh"

prog=$1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

run_uos "$out" "$err" -- "$prog"
show_file "uos stdout" "$out"
show_file "uos stderr" "$err"
check "uos exits non-zero (status $status)" [ "$status" -ne 0 ]
check "stderr names the i386 ABI" grep -q "i386" "$err"
check "the program ran up to the call" grep -q "^before" "$out"
check "the call did not return" bash -c "! grep -q '^after' '$out'"
checks_exit
