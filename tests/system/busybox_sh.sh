#!/usr/bin/env bash
# busybox sh: arithmetic, a redirection from a host file, read, echo.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /bin/busybox sh -c 'echo $((6*7)); read x </etc/hostname; echo "$x"'
