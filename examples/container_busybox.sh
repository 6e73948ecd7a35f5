#!/bin/sh
# A container-like run: a root tree holding only busybox-static becomes an
# ext2 image (`uos mkfs IMAGE SIZE --from DIR`), and uos boots a shell in it
# with `--root IMAGE`.  The guest sees the image as its whole world (with
# uos's own /proc and /dev, and an empty tmpfs on /tmp); its changes are
# written into the image and are still there at the next boot, like a
# container's writable root.  `uos fsck` (e2fsck -fn) checks the image
# afterwards.  With no arguments the shell runs a short script; give
# arguments to run them instead (e.g. `/bin/sh` for an interactive shell).
#
# Run from the top of the tree after building (needs busybox-static and
# e2fsprogs):  examples/container_busybox.sh [PROGRAM ARGS...]
# $UOS is the uos binary (default build/supervisor/uos); $IMAGE the image
# to make (default /tmp/uos-busybox.img, kept afterwards).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
UOS=${UOS:-$here/../build/supervisor/uos}
IMAGE=${IMAGE:-/tmp/uos-busybox.img}
tree=$(mktemp -d /tmp/uos-busybox-tree-XXXXXX)
trap 'rm -rf "$tree"' EXIT

# The root tree: busybox and a link per applet, a passwd, a home.
mkdir -p "$tree/bin" "$tree/etc" "$tree/root" "$tree/tmp"
cp /bin/busybox "$tree/bin/"
for applet in $("$tree/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$tree/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$tree/etc/passwd"
echo 'root:x:0:' >"$tree/etc/group"
echo 'echo "welcome to the busybox image"' >"$tree/etc/profile"

echo "== uos mkfs $IMAGE 64M --from <busybox tree> --force"
"$UOS" mkfs "$IMAGE" 64M --from "$tree" --force # --force: made again at each run

if [ $# -gt 0 ]; then
	"$UOS" --root "$IMAGE" "$@"
else
	echo "== first boot: look around, write a file"
	"$UOS" --root "$IMAGE" /bin/sh -c '
		cd /root
		echo "uname: $(uname -n) $(uname -s)"; echo "pid: $$"
		ls /; df -h / | tail -1
		echo "written at first boot" >note; ls -l note
		echo "/tmp is $(stat -f -c %T /tmp)"'
	echo "== second boot: the note is still there"
	"$UOS" --root "$IMAGE" /bin/cat /root/note
fi
echo "== uos fsck $IMAGE"
"$UOS" fsck "$IMAGE"
