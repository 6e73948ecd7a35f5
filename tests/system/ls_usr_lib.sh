#!/usr/bin/env bash
# ls -la /usr/lib: getdents, stat of every entry, readlink of the symlinks,
# user and group names from /etc/passwd and /etc/group.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /bin/ls -la /usr/lib
