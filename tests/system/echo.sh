#!/usr/bin/env bash
# /bin/echo hello prints the same natively and under uos.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /bin/echo hello
