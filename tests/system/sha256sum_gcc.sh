#!/usr/bin/env bash
# sha256sum of a large binary, reached through a symlink: bulk reads.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/sha256sum /usr/bin/gcc-12
