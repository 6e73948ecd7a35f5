#!/usr/bin/env bash
# Issue 14 (capabilities at exec): a set-user-ID-root copy of id run as
# nobody has euid 0, and a copy of grep that setcap gave cap_net_raw+ep
# starts with it (its Cap* lines), unless no_new_privs; the set-user-ID
# program runs with AT_SECURE (ld.so ignores LD_PRELOAD); getcap and
# setcap -r see and remove the attribute, and nobody may not set one.  The
# same script runs natively and under uos in a directory of the overlay
# (tmpfs upper), of an ext2 image mounted rw, and on files the host made
# (the overlay's lower layer, the host's own attributes).  Skipped (77)
# when the host is not root or lacks the tools.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

[ "$(id -u)" = 0 ] || { echo "skip: the native side needs root"; exit 77; }
for tool in setpriv setcap getcap; do
	command -v $tool >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
# both sides alike: a host root may lack CAP_SYS_RESOURCE
wrap=(setpriv --bounding-set -sys_resource --)

# The script, with the directory to work in as $1 (made here).
script='
d=$1
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
mkdir -p "$d" && chmod 755 "$d" && cd "$d" || exit 9
cp /usr/bin/id ./id && chmod 4755 ./id
$nobody ./id
$nobody --no-new-privs ./id
$nobody env LD_PRELOAD=/nonexistent-uos.so ./id -u 2>&1
$nobody env LD_PRELOAD=/nonexistent-uos.so /usr/bin/id -u 2>&1
cp /usr/bin/grep ./g && setcap cap_net_raw+ep ./g && getcap ./g
$nobody ./g -E "^Cap(Prm|Eff|Amb)" /proc/self/status
$nobody --no-new-privs ./g -E "^Cap(Prm|Eff)" /proc/self/status
setcap cap_kill+p ./g && getcap ./g
$nobody ./g -E "^Cap(Prm|Eff)" /proc/self/status
setcap -r ./g; getcap ./g; echo "removed: $?"
$nobody setcap cap_kill+ep ./g 2>&1; echo "nobody setcap: $?"
'

# same NAME UOS-ARGS -- DIR-NATIVE DIR-UOS: the script's output natively and under uos.
same() {
	local name=$1 nat=$3 guest=$4
	local -a uargs=()
	[ -n "$2" ] && read -r -a uargs <<<"$2"
	(cd / && timeout 60 "${wrap[@]}" sh -c "$script" sh "$nat") </dev/null >"$tmp/$name.native" 2>&1
	echo "status $?" >>"$tmp/$name.native"
	(cd / && timeout 60 "$UOS" "${uargs[@]}" "${wrap[@]}" sh -c "$script" sh "$guest") \
		</dev/null >"$tmp/$name.uos" 2>&1
	echo "status $?" >>"$tmp/$name.uos"
	same_output "$name" "$tmp"
}

same overlay "" "$tmp/n1" "$tmp/g1"
if "$UOS" mkfs "$tmp/x.img" 32M >/dev/null 2>&1; then
	same ext2-image "--mount $tmp/x.img:/mnt:rw" "$tmp/n2" /mnt/g2
else
	fail "uos mkfs"
fi

# Files the host made: the guest sees them in the overlay's lower layer.
mkdir "$tmp/host" && chmod 755 "$tmp/host"
cp /usr/bin/id "$tmp/host/id" && chmod 4755 "$tmp/host/id"
cp /usr/bin/grep "$tmp/host/g" && setcap cap_net_raw+ep "$tmp/host/g"
host='setpriv --reuid=65534 --regid=65534 --clear-groups "$1/id"
setpriv --reuid=65534 --regid=65534 --clear-groups "$1/g" -E "^Cap(Prm|Eff)" /proc/self/status'
(cd / && "${wrap[@]}" sh -c "$host" sh "$tmp/host") >"$tmp/host.native" 2>&1
(cd / && "$UOS" "${wrap[@]}" sh -c "$host" sh "$tmp/host") </dev/null >"$tmp/host.uos" 2>&1
if diff "$tmp/host.native" "$tmp/host.uos"; then
	pass "host files: $(tr '\n' ' ' <"$tmp/host.uos")"
else
	fail "host files differ (native < > uos)"
fi
exit $checks_failed
