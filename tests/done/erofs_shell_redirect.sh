#!/usr/bin/env bash
# /bin/sh -c 'echo x > FILE' under uos: the redirection fails with a
# read-only error, sh exits non-zero, nothing appears on the host, and
# --summary names the failed call (openat, EROFS).
. "$(dirname "$0")/lib.sh"

f=/tmp/uos-done-erofs.$$.$RANDOM
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"; rm -f "$f"' EXIT

run_uos "$out" "$err" --summary -- /bin/sh -c "echo x > $f"
show_file "uos stderr" "$err"
check "sh exits non-zero (status $status)" [ "$status" -ne 0 ]
check "stderr says read-only" grep -qi "read-only" "$err"
check "nothing appeared on the host" [ ! -e "$f" ]
check "--summary names openat with EROFS" grep -q "openat.*EROFS" "$err"
done_exit
