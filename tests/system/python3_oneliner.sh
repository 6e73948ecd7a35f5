#!/usr/bin/env bash
# Debian's python3 (not a pyenv shim): imports, listdir, hashlib.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c \
	'import os, json, hashlib; print(sorted(os.listdir("/etc"))[:3], hashlib.sha256(b"x").hexdigest())'
