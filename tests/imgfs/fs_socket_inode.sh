#!/bin/sh
# Issue 10: an AF_UNIX socket bound on an ext2 image (the --overlay upper
# layer) is a socket inode the image keeps: a client connects through it,
# debugfs sees a socket, and e2fsck -fn finds the image clean.
# usage: UOS=path/to/uos fs_socket_inode.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || exit 77

"$UOS" --overlay "$W/up.img" /usr/bin/python3 -c '
import os, socket, stat
s = socket.socket(socket.AF_UNIX)
s.bind("/srv.sock")
s.listen(1)
c = socket.socket(socket.AF_UNIX)
c.connect("/srv.sock")
a, _ = s.accept()
c.sendall(b"image")
print(a.recv(5).decode(), stat.S_ISSOCK(os.stat("/srv.sock").st_mode))
' >"$W/out" 2>&1
printf 'image True\n' >"$W/want"
same "a socket bound on the image carries a connection" "$W/want" "$W/out"
debugfs -R "stat /srv.sock" "$W/up.img" 2>/dev/null | grep -q "Type: socket" &&
	pass "the image keeps a socket inode" || fail "no socket inode /srv.sock on the image"
fsck_clean "$W/up.img"
finish
