#!/usr/bin/env bash
# Issue 5: a five-process pipeline, a background subshell and wait in bash.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /bin/bash -c \
	'seq 1 100000 | sort -rn | uniq | tail -3 | wc -l; (sleep 0.1; echo a) & wait; echo $?'
