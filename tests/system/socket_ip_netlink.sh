#!/usr/bin/env bash
# Issue 10: iproute2 and Python read uos's network over netlink and the
# interface ioctls, and /proc/net's files about lo, as they read a fresh
# network namespace with lo up (natively: unshare -n, then `ip link set lo
# up`; skipped without unshare, a network namespace, or ip).  Then what uos
# alone answers: no audit, no packet sockets, no changes to its interfaces.
. "$(dirname "$0")/lib.sh"
IP=$(command -v ip) || { echo "skip: no ip"; exit 77; }
native=$(mktemp) mine=$(mktemp) err=$(mktemp)
trap 'rm -f "$native" "$mine" "$err"' EXIT
show="ip addr; ip route; ip -6 route; ip route show table local; ip -6 route show table local
ip link; ip -d link; ip -o addr show dev lo; ip -4 route show table all; ip link show lo; ip rule; ip -6 rule
ip netconf; if command -v tc >/dev/null; then tc -s qdisc; fi
ip route get 127.0.0.1; ip -6 route get ::1; ip route get 127.0.0.1 from 127.3.3.3; ip route get 127.255.255.255; ip route get 192.0.2.1 2>&1
cat /proc/net/arp /proc/net/dev /proc/net/if_inet6 /proc/net/igmp /proc/net/igmp6 /proc/net/route; ip maddr
awk '{ \$7 = \"(refs)\"; print }' /proc/net/ipv6_route
python3 -c 'import socket; print(socket.if_nameindex(), socket.if_nametoindex(\"lo\"), socket.if_indextoname(1))'"
if ! unshare -n -- sh -c "$IP link set lo up && $show" >"$native" 2>"$err"; then
	echo "skip: no network namespace here: $(cat "$err")"
	exit 77
fi
run_uos "$mine" "$err" -- /bin/sh -c "$show"
check "ip and python print what a fresh network namespace shows" diff -u "$native" "$mine"
check "status 0 (got $status)" [ "$status" -eq 0 ]
[ -s "$err" ] && show_file "uos stderr" "$err"

run_uos "$mine" "$err" -- /usr/bin/python3 -c '
import errno, socket
def code(f):
    try:
        f().close()
        return 0
    except OSError as e:
        return errno.errorcode[e.errno]
print("audit", code(lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)))
print("packet", code(lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)))
print("raw", code(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, 1)))
'
check "NETLINK_AUDIT EPROTONOSUPPORT, AF_PACKET and raw IP EPERM" \
	diff -u <(printf 'audit EPROTONOSUPPORT\npacket EPERM\nraw EPERM\n') "$mine"
run_uos "$mine" "$err" -- /bin/sh -c "$IP link set lo mtu 1500; $IP addr add 10.0.0.1/8 dev lo; ip link show lo | head -1"
check "changes say EPERM and change nothing" grep -q "mtu 65536" "$mine"
check "ip reports EPERM" grep -q "Operation not permitted" "$err"
checks_exit
