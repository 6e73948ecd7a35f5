#!/bin/sh
# The image options and their promises:
# - --root IMAGE is writable and keeps the guest's changes, /tmp is a tmpfs
#   beside it, /proc and /dev are uos's own;
# - the image is synced and cleanly unmounted however uos ends: PID 1
#   exiting, PID 1 killed by a signal (with a file unlinked while open),
#   uos itself sent SIGTERM;
# - --root IMAGE:ro leaves the image byte for byte unchanged;
# - --overlay IMAGE creates the image when missing, keeps the upper layer
#   there (files, directories, whiteouts of deleted host files) across runs,
#   and leaves the host untouched; --root BASE --overlay CHANGES keeps BASE
#   unchanged;
# - --mount IMAGE:DST is read-only unless rw; one image mounted twice with
#   a writer is refused.
# Every image written is e2fsck -fn clean afterwards.
# usage: UOS=path/to/uos fs_image_roots.sh
. "$(dirname "$0")/lib.sh"

busybox_tree "$W/tree"
"$UOS" mkfs "$W/root.img" 64M --from "$W/tree" || fail "uos mkfs"

# /tmp, /proc and /dev under --root IMAGE; a write that persists.
"$UOS" --root "$W/root.img" /bin/sh -c '
	stat -f -c %T /tmp; echo gone >/tmp/t; ls /proc/self/fd >/dev/null && echo proc
	echo dev >/dev/null && echo kept >/work/kept' >"$W/out" 2>&1
printf 'tmpfs\nproc\n' >"$W/want"
same "--root IMAGE: /tmp is tmpfs, /proc and /dev work" "$W/want" "$W/out"
debugfs -R "cat /work/kept" "$W/root.img" 2>/dev/null | grep -qx kept &&
	pass "--root IMAGE keeps the guest's writes" || fail "/work/kept not on the image"
debugfs -R "stat /tmp/t" "$W/root.img" 2>&1 | grep -q "not found" &&
	pass "/tmp's files stay off the image" || fail "/tmp/t reached the image"
fsck_clean "$W/root.img"

# on_image IMAGE PATH: wait up to 5 s for PATH to show on IMAGE (uos runs).
on_image() {
	n=0
	while [ $n -lt 50 ] && ! debugfs -R "stat $2" "$1" 2>/dev/null | grep -q Inode; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.3
}

# PID 1 killed by SIGKILL from the host while it holds an unlinked file open.
# (PID 1 cannot kill itself: like a pid namespace's init it is immune to
# signals from inside without a handler, SIGKILL included.)
"$UOS" --root "$W/root.img" /bin/sh -c '
	seq 1 100000 >/work/big; exec 3</work/big; rm /work/big
	echo before-kill >/work/k; exec sleep 100' >/dev/null 2>&1 &
pid=$!
on_image "$W/root.img" /work/k
pkill -KILL -P $pid
wait $pid
st=$?
[ $st -eq 137 ] && pass "PID 1 killed: uos exits 137" || fail "PID 1 killed: status $st"
debugfs -R "cat /work/k" "$W/root.img" 2>/dev/null | grep -qx before-kill &&
	pass "the killed guest's write is on the image" || fail "/work/k missing after the kill"
fsck_clean "$W/root.img"

# uos itself gets SIGTERM (it passes it on to the guest, then exits).
"$UOS" --root "$W/root.img" /bin/sh -c 'echo term >/work/term; exec sleep 100' >/dev/null 2>&1 &
pid=$!
on_image "$W/root.img" /work/term
kill -TERM $pid
wait $pid
st=$?
[ $st -eq 143 ] && pass "uos sent SIGTERM exits 143" || fail "uos sent SIGTERM: status $st"
fsck_clean "$W/root.img"

# --root IMAGE:ro: the guest writes into memory, the image stays the same.
sum=$(md5sum <"$W/root.img")
"$UOS" --root "$W/root.img:ro" /bin/sh -c 'echo x >/work/ro; rm -r /bin/ls; cat /work/ro' \
	>"$W/out" 2>&1
echo x >"$W/want"
same "--root IMAGE:ro: the guest may write" "$W/want" "$W/out"
[ "$(md5sum <"$W/root.img")" = "$sum" ] && pass "--root IMAGE:ro leaves the image unchanged" ||
	fail "--root IMAGE:ro changed the image"

# --mount IMAGE:DST is read-only unless rw.
"$UOS" --mount "$W/root.img:/img" /bin/sh -c 'echo x >/img/work/no' >/dev/null 2>"$W/err"
grep -q "Read-only file system" "$W/err" && pass "--mount IMAGE:DST is read-only" ||
	{ fail "--mount IMAGE:DST was not read-only"; cat "$W/err"; }
[ "$(md5sum <"$W/root.img")" = "$sum" ] || fail "a read-only --mount changed the image"

# One image twice with a writer among them: refused before the guest runs.
"$UOS" --root "$W/root.img" --mount "$W/root.img:/again" /bin/true >/dev/null 2>"$W/err"
[ $? -eq 125 ] && grep -q "mounted twice" "$W/err" && pass "an image mounted twice (once rw) is refused" ||
	{ fail "an image mounted twice"; cat "$W/err"; }

# --overlay IMAGE over the host's /: made when missing, kept across runs.
"$UOS" --overlay "$W/ov.img" /bin/sh -c '
	echo persist >/root/uos-ov-test; mkdir -p /opt/uos-ov/dir; rm /etc/passwd' >"$W/out" 2>&1 ||
	{ fail "first --overlay run"; cat "$W/out"; }
[ -f "$W/ov.img" ] && pass "--overlay made the missing image" || fail "--overlay made no image"
[ -e /root/uos-ov-test ] || [ -e /opt/uos-ov ] || [ ! -e /etc/passwd ] &&
	fail "the host was changed" || pass "the host is untouched"
fsck_clean "$W/ov.img"
"$UOS" --overlay "$W/ov.img" /bin/sh -c '
	cat /root/uos-ov-test; ls -d /opt/uos-ov/dir; ls /etc/passwd 2>&1 | grep -c "No such"' \
	>"$W/out" 2>&1
printf 'persist\n/opt/uos-ov/dir\n1\n' >"$W/want"
same "a second --overlay run sees the first one's changes" "$W/want" "$W/out"
fsck_clean "$W/ov.img"

# --root BASE --overlay CHANGES: BASE unchanged, CHANGES kept.
"$UOS" --root "$W/root.img" --overlay "$W/ch.img" /bin/sh -c 'echo c >/work/c; rm /work/kept' \
	>/dev/null 2>&1
"$UOS" --root "$W/root.img" --overlay "$W/ch.img" /bin/sh -c 'cat /work/c; ls /work' \
	>"$W/out" 2>&1
[ "$(md5sum <"$W/root.img")" = "$sum" ] && pass "--root BASE --overlay CHANGES: BASE unchanged" ||
	fail "the base image changed under --overlay"
grep -qx c "$W/out" && ! grep -q kept "$W/out" && pass "CHANGES keeps the changes" ||
	{ fail "the overlay image lost the changes"; cat "$W/out"; }
fsck_clean "$W/ch.img"
fsck_clean "$W/root.img"
finish
