#!/usr/bin/env bash
# sock_net_host.sh PROGRAM: the guest of sock_net_host.c under --net=host as
# uid 1000, with a directory holding host AF_UNIX sockets (stream and
# datagram, served by a host process that logs what reaches them) mounted
# at /hostsock.  Judged on the host: no host AF_UNIX socket reached; no
# netlink, raw or packet socket; the privileged options and port refused;
# every wild pointer EFAULT; host sockets bounded (ENFILE) and freed (uos's
# own fd count at the end is its count before); uos alive to the end.
. "$(dirname "$0")/lib.sh"
prog=$1
need_tools python3
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err sock=$W/watch/sock
mkdir "$sock"
python3 - "$sock" <<'EOF' &
import os, socket, sys, threading
d = sys.argv[1]
st = socket.socket(socket.AF_UNIX); st.bind(d + "/s.sock"); st.listen()
dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); dg.bind(d + "/d.sock")
os.chmod(d + "/s.sock", 0o777); os.chmod(d + "/d.sock", 0o777)
def log(what):
    with open(d + "/log", "a") as f:
        f.write(what + "\n")
threading.Thread(target=lambda: [log("stream") for _ in iter(st.accept, None)], daemon=True).start()
while True:
    dg.recv(100)
    log("dgram")
EOF
UNIX_PID=$!
for _ in $(seq 100); do [ -S "$sock/d.sock" ] && break; sleep 0.05; done
# uos's own fds when the guest starts and when it has closed everything.
(
	for mark in baseline idle; do
		for _ in $(seq 600); do grep -q "^$mark" "$out" 2>/dev/null && break; sleep 0.05; done
		pid=$(pgrep -P $$ -x uos | head -1)
		ls "/proc/$pid/fd" 2>/dev/null | wc -l >"$W/watch/fds-$mark"
	done
) &
FDS_PID=$!
sec_run 120 "$out" "$err" --net=host --user 1000:1000 --root "$W/root" \
	--mount "$sock:/hostsock" -- "/$(basename "$prog")"
wait "$FDS_PID"
kill "$UNIX_PID" 2>/dev/null
show_file "guest output" <(grep -v '^badptr.*EFAULT$' "$out")
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran to its end" grep -q "^sock_net_host: done" "$out"
check "exit status 0 (got $status)" [ "$status" -eq 0 ]
check "no host AF_UNIX socket was reached" [ ! -s "$sock/log" ]
check "AF_UNIX stream connect to the host socket file refused" \
	grep -q "^unix stream-connect: ECONNREFUSED" "$out"
check "AF_UNIX datagram to the host socket file refused" \
	grep -q "^unix dgram-sendto: ECONNREFUSED" "$out"
check "no raw, packet socket" [ "$(grep -c '^family raw-icmp: EPERM\|^family raw6: EPERM\|^family packet: EPERM\|^family sock-packet: EPERM' "$out")" -eq 4 ]
check "netlink is uos's own, if any (no host socket)" grep -q "^family netlink: " "$out"
for o in SO_BINDTODEVICE SO_MARK SO_RCVBUFFORCE SO_PRIORITY-7 IP_TRANSPARENT; do
	check "$o refused with EPERM" grep -q "^opt $o: EPERM" "$out"
done
check "SO_ATTACH_FILTER not passed to the host" grep -q "^opt SO_ATTACH_FILTER: ENOPROTOOPT" "$out"
check "TCP_NODELAY passed" grep -q "^opt TCP_NODELAY: ok" "$out"
check "port 80 for uid 1000: EACCES" grep -q "^bind port-80: EACCES" "$out"
# A read-only page is a good address for what a call only reads.
bad=$(grep '^badptr' "$out" | grep -v '^badptr \(bind\|connect\|sendto-[a-z]*\) readonly:')
nbad=$(echo "$bad" | grep -c .)
check "every wild pointer gives EFAULT ($nbad calls)" \
	[ "$nbad" -ge 50 ] && ! echo "$bad" | grep -qv 'EFAULT$'
n=$(sed -n 's/^exhaust parent: \([0-9]*\) then ENFILE$/\1/p' "$out")
check "host sockets bounded: ENFILE after ${n:-?} in the parent (the child holds 2000)" \
	[ -n "$n" ] && [ "$n" -le 4096 ]
check "a socket can be made again after they are closed" grep -q "^after close: ok" "$out"
b=$(cat "$W/watch/fds-baseline" 2>/dev/null) i=$(cat "$W/watch/fds-idle" 2>/dev/null)
check "uos's own fds: ${b:-?} at the start, ${i:-?} once the guest closed its sockets" \
	[ -n "$b" ] && [ -n "$i" ] && [ "$b" -gt 0 ] && [ "$i" -le $((b + 4)) ]
sec_check_host
checks_exit
