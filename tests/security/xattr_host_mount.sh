#!/usr/bin/env bash
# A guest root on a writable host mount (--mount DIR:/m:rw) tries to put a
# file capability (setcap, setfattr security.capability), a trusted.* and
# another security.* attribute on host files, and to remove such attributes
# the host set: each must fail with EPERM and the host files must keep
# exactly the attributes they had (judged by the host's getfattr).  user.*
# and ACL changes reach the host file, as on a Linux bind mount; a
# read-only mount refuses even those (EROFS).  Skipped (77) without root or
# the attr tools (the host must be able to set trusted.* to compare).
. "$(dirname "$0")/../system/lib.sh"
W=$(mktemp -d /tmp/uos-sec.XXXXXX)
trap 'rm -rf "$W"' EXIT

[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
for tool in setfattr getfattr setcap; do
	command -v $tool >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
mkdir "$W/m" "$W/ro"
cp /usr/bin/true "$W/m/prog"
touch "$W/m/kept" "$W/ro/f"
setfattr -n trusted.host -v 1 "$W/m/kept" || { echo "skip: no trusted.* here"; exit 77; }
setcap cap_kill+ep "$W/m/kept"
setfattr -n user.k -v hello "$W/m/kept"
ln -s kept "$W/m/link"
attrs() { getfattr -h -d -m - -e hex "$1" 2>/dev/null | grep -v '^#'; }
before_kept=$(attrs "$W/m/kept")
# What a guest may read (uos runs as an unprivileged host user: no trusted.*).
readable() { getfattr "$@" -d -m '^(user|security)\.' -e hex 2>/dev/null | grep -v '^#'; }
host_view=$(readable "$W/m/kept")

cap=0x0100000200200000000000000000000000000000 # cap_net_raw+ep, revision 2
guest='
try() { e=$("$@" 2>&1 >/dev/null); echo "$? $* :: $e"; }
try setfattr -n security.capability -v '$cap' /m/prog
try setcap cap_net_raw+ep /m/prog
try setfattr -n trusted.x -v 1 /m/prog
try setfattr -n security.evil -v 1 /m/prog
try setfattr -x trusted.host /m/kept
try setfattr -x security.capability /m/kept
try setcap -r /m/kept
try setfattr -n user.x -v 1 /m/prog
try setfattr -n user.x -v 1 /ro/f
'
out=$W/out
"$UOS" --mount "$W/m:/m:rw" --mount "$W/ro:/ro" sh -c "$guest" </dev/null >"$out" 2>&1
show_file "guest" "$out"
for line in "security.capability -v" "setcap cap_net_raw" "trusted.x" "security.evil" \
	"-x trusted.host" "-x security.capability" "setcap -r"; do
	check "refused with EPERM: $line" grep -q "^1 .*$line.*not permitted" "$out"
done
check "user.x set on the writable mount" grep -q "^0 setfattr -n user.x -v 1 /m/prog" "$out"
check "user.x refused on the read-only mount (EROFS)" \
	grep -q "^1 setfattr -n user.x -v 1 /ro/f.*Read-only file system" "$out"

guest_view=$("$UOS" --mount "$W/m:/m" sh -c 'cd /m && getfattr -d -m "^(user|security)\." -e hex kept' 2>/dev/null | grep -v '^#')
echo "guest reads kept: $guest_view"
check "a guest reads a host file's attributes as the host does" [ "$guest_view" = "$host_view" ]
through_link=$("$UOS" --mount "$W/m:/m" getfattr -d -m '^(user|security)\.' -e hex /m/link 2>/dev/null | grep -v '^#')
check "and through a symlink to it" [ "$through_link" = "$host_view" ]
check "a symlink itself has none (getfattr -h)" [ -z "$("$UOS" --mount "$W/m:/m" getfattr -h -d -m - /m/link 2>/dev/null)" ]

prog=$(attrs "$W/m/prog")
echo "host: prog has: $prog"
check "the host file has no security.* or trusted.* attribute" \
	sh -c "! echo '$prog' | grep -Eq '^(security|trusted)\.'"
check "the host file has user.x (as a bind mount)" sh -c "echo '$prog' | grep -q '^user.x=0x31'"
check "the host's own attributes stay" [ "$(attrs "$W/m/kept")" = "$before_kept" ]
check "nothing reached the read-only file" [ -z "$(attrs "$W/ro/f")" ]
checks_exit
