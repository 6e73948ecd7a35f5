#!/usr/bin/env bash
# /bin/sh -c 'echo x > FILE' under uos in a directory mounted read-only
# (--mount DIR:DIR:ro): the redirection fails with a read-only error, sh
# exits non-zero, nothing appears on the host, and --summary names the
# failed call (openat, EROFS).  Without the mount, the same redirection
# succeeds inside uos's in-memory overlay and the host still sees nothing.
. "$(dirname "$0")/lib.sh"

d=$(mktemp -d /tmp/uos-erofs.XXXXXX)
f=$d/file
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"; rm -rf "$d"' EXIT

run_uos "$out" "$err" --summary --mount "$d:$d:ro" -- /bin/sh -c "echo x > $f"
show_file "uos stderr" "$err"
check "sh exits non-zero (status $status)" [ "$status" -ne 0 ]
check "stderr says read-only" grep -qi "read-only" "$err"
check "nothing appeared on the host" [ ! -e "$f" ]
check "--summary names openat with EROFS" grep -q "openat.*EROFS" "$err"

run_uos "$out" "$err" -- /bin/sh -c "echo x > $f && cat $f"
check "the overlay takes the write (status $status)" [ "$status" -eq 0 ]
check "the guest reads back what it wrote" grep -qx x "$out"
check "still nothing on the host" [ ! -e "$f" ]
checks_exit
