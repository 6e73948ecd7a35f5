#!/usr/bin/env bash
# Issue 10: netcat-openbsd at both ends, over TCP on the loopback and over
# an AF_UNIX path: each side sends a line and prints what the other sent;
# then a probe of a port nobody listens on (refused, over IPv4 and IPv6).
. "$(dirname "$0")/lib.sh"
[ -x /bin/nc ] || { echo "nc (netcat-openbsd) not installed"; exit 77; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
exec "$DIFFTEST" --expect-status 0 -- /bin/bash -c '
port=$1 d=$(mktemp -d)
printf "from server\n" >"$d/in"
# The client retries until the server listens: nc exits 1 when refused.
talk() {
	local i=0
	until printf "from client\n" | nc -N "$@" >"$d/client" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { echo "client gave up"; break; }
		sleep 0.05
	done
}
nc -l 127.0.0.1 "$port" <"$d/in" >"$d/server" &
talk 127.0.0.1 "$port"
wait
echo "tcp: server got \"$(cat "$d/server")\", client got \"$(cat "$d/client")\""
nc -lU "$d/s.sock" <"$d/in" >"$d/server" &
talk -U "$d/s.sock"
wait
echo "unix: server got \"$(cat "$d/server")\", client got \"$(cat "$d/client")\""
nc -z 127.0.0.1 "$port"; echo "refused v4: $?"
nc -z ::1 "$port" 2>/dev/null; echo "refused v6: $?"
rm -rf "$d"
' nc "$port"
