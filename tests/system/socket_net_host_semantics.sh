#!/usr/bin/env bash
# Issue 10: socket_net_host_semantics.py natively and under `uos --net=host`:
# the same lines (Linux's behaviour of host TCP and UDP sockets, as uos serves them).
. "$(dirname "$0")/lib.sh"
need_tools python3
exec "$DIFFTEST" --uos-opts "--net=host" --expect-status 0 -- /usr/bin/python3 \
	"$DONE_DIR/socket_net_host_semantics.py"
