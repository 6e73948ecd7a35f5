#!/usr/bin/env bash
# A #!/bin/busybox sh script started directly, with arguments.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- "$DONE_DIR/script_args.busybox" one "two words" ''
