#!/usr/bin/env bash
# Issue 5: a memory bomb under --memory 256M gets ENOMEM (mmap and malloc) and
# uos keeps running; the limit counts every mapping in uos's memory books.
. "$(dirname "$0")/lib.sh"
bomb=$1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 60 "$UOS" --memory 256M "$bomb" </dev/null >"$out" 2>"$err"
status=$?
show_file stdout "$out"
show_file stderr "$err"
check "uos exited with the guest's status 0 (got $status)" test "$status" -eq 0
check "mmap got ENOMEM below 256 MiB" grep -qE "mmap failed after (1?[0-9]?[0-9]|2[0-4][0-9]) MiB: ENOMEM" "$out"
check "malloc beyond the limit gave NULL" grep -q "malloc 300 MiB: NULL" "$out"
check "the guest finished" grep -q "bomb done" "$out"
checks_exit
