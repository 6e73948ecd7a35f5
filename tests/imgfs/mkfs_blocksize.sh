#!/bin/sh
# uos mkfs --block-size: for 1024, 2048 and 4096 the image has that block
# size (dumpe2fs -h), is e2fsck-clean after mkfs --from a tree and after a
# guest wrote to it under --root, and holds what was written; other sizes
# and bad usage are refused with status 2.
# usage: mkfs_blocksize.sh UOS
set -eu
UOS=${1:-${UOS:?}}
W=$(mktemp -d /var/tmp/uos-mkfs-bs-XXXXXX)
trap 'rm -rf "$W"' EXIT
S=$W/src
mkdir -p "$S/bin" "$S/d" "$S/tmp" "$S/proc" "$S/dev"
cp /bin/busybox "$S/bin/busybox"
head -c 300000 /dev/urandom > "$S/d/big"   # indirect blocks at every block size
truncate -s 5M "$S/d/sparse"; echo end >> "$S/d/sparse"
ln -s ../d/big "$S/bin/link"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

for bs in 1024 2048 4096; do
	img=$W/img$bs.ext2
	if ! "$UOS" mkfs "$img" 64M --block-size "$bs" --from "$S"; then
		fail "mkfs --block-size $bs"
		continue
	fi
	got=$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Block size: *//p')
	[ "$got" = "$bs" ] && echo "ok: block size $bs" || fail "block size $bs: dumpe2fs says '$got'"
	e2fsck -fn "$img" >"$W/fsck" 2>&1 && echo "ok: mkfs $bs clean" || { fail "mkfs $bs not clean"; head "$W/fsck"; }
	debugfs -R "cat /d/big" "$img" 2>/dev/null | cmp -s - "$S/d/big" &&
		echo "ok: big file $bs" || fail "big file differs at $bs"
	"$UOS" --root "$img" /bin/busybox sh -c \
		'busybox seq 1 20000 > /d/seq && busybox cp /d/big /d/copy && busybox rm /d/sparse' ||
		fail "guest run on $bs"
	e2fsck -fn "$img" >"$W/fsck" 2>&1 && echo "ok: after guest $bs clean" || { fail "after guest $bs not clean"; head "$W/fsck"; }
	debugfs -R "cat /d/seq" "$img" 2>/dev/null > "$W/seq$bs"
	seq 1 20000 | cmp -s - "$W/seq$bs" && echo "ok: guest's file $bs" || fail "guest's file at $bs"
	debugfs -R "cat /d/copy" "$img" 2>/dev/null | cmp -s - "$S/d/big" &&
		echo "ok: guest's copy $bs" || fail "guest's copy differs at $bs"
done

# Option order is free; bad sizes and bad usage are status 2.
"$UOS" mkfs "$W/order.ext2" 8M --from "$S/d" --block-size 2048 &&
	[ "$(dumpe2fs -h "$W/order.ext2" 2>/dev/null | sed -n 's/^Block size: *//p')" = 2048 ] &&
	echo "ok: --from before --block-size" || fail "--from before --block-size"
for bad in "--block-size 512" "--block-size 8192" "--block-size x" "--block-size" \
	"--block-size 1024 --block-size 1024" "--frob 1"; do
	# shellcheck disable=SC2086
	if "$UOS" mkfs "$W/bad.ext2" 8M $bad 2>/dev/null; then st=0; else st=$?; fi
	[ "$st" = 2 ] && echo "ok: refused: $bad" || fail "'$bad' gave status $st, not 2"
done
exit $failed
