#!/usr/bin/env bash
# Issue 5: a fork bomb under --pids 64 ends with EAGAIN in the guest, and uos
# exits (with the guest's status) instead of hanging.
. "$(dirname "$0")/lib.sh"
bomb=$1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 60 "$UOS" --pids 64 "$bomb" </dev/null >"$out" 2>"$err"
status=$?
show_file stdout "$out"
show_file stderr "$err"
check "uos exited by itself (status $status)" test "$status" -ne 124
check "the guest saw EAGAIN" grep -q "fork failed: EAGAIN" "$out"
check "the guest finished" grep -q "bomb done" "$out"
checks_exit
