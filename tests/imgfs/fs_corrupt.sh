#!/bin/sh
# Corrupt images are refused at mount with a clear message and never crash
# uos: a bad superblock magic, a group descriptor pointing outside the
# image, a truncated image, an ext4 image (journal, extents), a random
# file; then a seeded fuzz run: images with random bytes flipped in their
# metadata, mounted and walked, read, written and deleted from by a guest,
# where every failure must be an errno, never a crash of uos.
# usage: UOS=path/to/uos fs_corrupt.sh
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

# A small populated image with 1 KiB blocks (metadata in the first 300 KiB).
mkdir -p "$W/src/d/e"
seq 1 20000 >"$W/src/numbers"
echo hi >"$W/src/d/e/f"
ln -s ../numbers "$W/src/d/link"
truncate -s 4M "$W/good.img"
mke2fs -q -t ext2 -b 1024 -d "$W/src" -F "$W/good.img" || fail "mke2fs"

# refused IMAGE MESSAGE: the mount fails (status 125) saying MESSAGE.
refused() {
	"$UOS" --mount "$1:/m" /bin/true >"$W/out" 2>"$W/err"
	st=$?
	if [ $st -eq 125 ] && grep -q "$2" "$W/err"; then
		pass "$(basename "$1") refused: $(grep -m1 "$2" "$W/err")"
	else
		fail "$(basename "$1"): status $st, expected 125 and '$2' in:"
		cat "$W/err"
	fi
}
poke() { # poke IMAGE OFFSET BYTES...: write bytes (octal escapes) at OFFSET
	f=$1 off=$2
	shift 2
	printf "$@" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}

cp "$W/good.img" "$W/magic.img"
poke "$W/magic.img" $((1024 + 56)) '\000\000'
refused "$W/magic.img" "not an ext2 image"

cp "$W/good.img" "$W/gd.img" # group 0's inode table (at 2048 + 8) far outside
poke "$W/gd.img" $((2048 + 8)) '\377\377\377\177'
refused "$W/gd.img" "outside the image"

head -c 1M "$W/good.img" >"$W/short.img"
refused "$W/short.img" "smaller than"

truncate -s 8M "$W/ext4.img" && mke2fs -q -t ext4 -F "$W/ext4.img"
refused "$W/ext4.img" "not supported"

head -c 100000 /dev/urandom >"$W/random.img"
refused "$W/random.img" "not an ext2 image"

: >"$W/empty.img"
refused "$W/empty.img" "too small"

"$UOS" --root "$W/magic.img" /bin/true >/dev/null 2>"$W/err"
[ $? -eq 125 ] && grep -q "not an ext2 image" "$W/err" &&
	pass "--root refuses a corrupt image the same way" || fail "--root of a corrupt image"

# The fuzz run: 150 images, each with 20 random bytes changed in the
# superblock, group descriptors, bitmaps, inode table and first data blocks.
[ -x $PY ] || { echo "SKIP: fuzz (no $PY)"; finish; }
crashes=0 mounted=0
i=0
while [ $i -lt 150 ]; do
	cp "$W/good.img" "$W/fuzz.img"
	$PY -c 'import random, sys
r = random.Random(int(sys.argv[2]))
with open(sys.argv[1], "r+b") as f:
    for _ in range(20):
        f.seek(r.randrange(1024, 300 * 1024)); f.write(bytes([r.randrange(256)]))' "$W/fuzz.img" $i
	"$UOS" --mount "$W/fuzz.img:/m:rw" /bin/busybox sh -c '
		ls -lR /m; find /m -type f -exec cat {} + | wc -c
		mkdir /m/new; seq 1 3000 >/m/new/f; cat /m/new/f | wc -l
		mv /m/numbers /m/d/n2; rm -rf /m/d; ls /m' >"$W/fz.out" 2>"$W/fz.err"
	st=$?
	[ $st -ne 125 ] && mounted=$((mounted + 1))
	if [ $st -ge 128 ] || grep -q "internal error\|AddressSanitizer" "$W/fz.err"; then
		crashes=$((crashes + 1))
		fail "fuzz seed $i: status $st"
		tail -5 "$W/fz.err"
		cp "$W/fuzz.img" "/tmp/uos-fuzz-crash-$i.img" # kept for the post-mortem
	fi
	i=$((i + 1))
done
[ $crashes -eq 0 ] && pass "150 fuzzed images ($mounted mounted, the rest refused): no crash"
finish
