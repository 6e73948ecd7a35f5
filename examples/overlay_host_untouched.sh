#!/bin/sh
# The default root keeps the host untouched: with no options the guest
# sees the host's / under a private in-memory overlay, so it may create,
# change and delete any file (even /etc/passwd) and the host never sees it;
# the changes are gone when uos exits.  `--overlay IMAGE` keeps them
# instead, in an ext2 image (made when missing), for the next run; the host
# stays untouched either way.
#
# Run from the top of the tree after building:
#   examples/overlay_host_untouched.sh
# $UOS is the uos binary (default build/supervisor/uos).
set -u
here=$(cd "$(dirname "$0")" && pwd)
UOS=${UOS:-$here/../build/supervisor/uos}
ov=$(mktemp -u /tmp/uos-overlay-XXXXXX.img)
trap 'rm -f "$ov"' EXIT
script='echo "hello from the guest" >/etc/uos-example; rm /etc/passwd; mkdir -p /usr/uos-example
	echo "inside: $(cat /etc/uos-example); /etc/passwd: $(ls /etc/passwd 2>&1)"'
host_view() {
	echo "outside: /etc/uos-example: $(cat /etc/uos-example 2>&1)"
	echo "outside: /etc/passwd has $(wc -l </etc/passwd) lines; /usr/uos-example: $(ls -d /usr/uos-example 2>&1)"
}

echo "== uos /bin/sh -c '...': write, delete and mkdir anywhere"
"$UOS" /bin/sh -c "$script"
host_view

echo "== a second run starts from the host's files again"
"$UOS" /bin/sh -c 'cat /etc/uos-example 2>&1; wc -l </etc/passwd'

echo "== uos --overlay $ov: the same changes, kept in an ext2 image"
"$UOS" --overlay "$ov" /bin/sh -c "$script"
"$UOS" --overlay "$ov" /bin/sh -c 'echo "next run: $(cat /etc/uos-example); $(ls /etc/passwd 2>&1)"'
host_view
echo "== what the image holds (debugfs, not uos): the files and a whiteout for /etc/passwd"
debugfs -R 'ls -l /etc' "$ov" 2>/dev/null
"$UOS" fsck "$ov"
