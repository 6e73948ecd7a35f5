#!/bin/sh
# Big files on ext2 images, written and read back under uos:
# - 1 KiB blocks (mke2fs -b 1024): a 300 MiB dense file (past 64 MiB + 268
#   KiB, its blocks hang off the triple indirect block) and a 2 GiB sparse
#   file (data at the start and in its last 4 MiB, holes between);
# - 4 KiB blocks: a 6 GiB sparse file (past 4 GiB: i_size_high, and
#   triple indirect blocks from 4 GiB + 4 MiB on); its checksum is taken
#   over its first and last 4 MiB only, to keep the test quick.
# The checksums read under uos, natively from the source data, and from
# the image by debugfs (not uos) must agree; the sparse files must stay
# sparse; e2fsck -fn must find both images clean.
# usage: UOS=path/to/uos fs_bigfiles.sh
. "$(dirname "$0")/lib.sh"

head -c 300M /dev/urandom >"$W/dense.src"
head -c 4M /dev/urandom >"$W/tail.src"
echo start >"$W/head.src"
# The 2 GiB and 6 GiB sparse files, made natively for their checksums.
dd if="$W/tail.src" of="$W/sparse2g" bs=1M seek=2044 2>/dev/null
dd if="$W/head.src" of="$W/sparse2g" conv=notrunc 2>/dev/null
want_dense=$(sha256sum <"$W/dense.src" | cut -d' ' -f1)
want_2g=$(sha256sum <"$W/sparse2g" | cut -d' ' -f1)
want_6g=$( (cat "$W/head.src"; head -c $((4194304 - 6)) /dev/zero; cat "$W/tail.src") |
	sha256sum | cut -d' ' -f1)
rm -f "$W/sparse2g"

truncate -s 400M "$W/k1.img" && mke2fs -q -t ext2 -b 1024 -F "$W/k1.img" || fail "mke2fs -b 1024"
truncate -s 64M "$W/k4.img" && mke2fs -q -t ext2 -b 4096 -F "$W/k4.img" || fail "mke2fs -b 4096"

# The guest writes the files with dd (reading the sources through the host
# overlay) and prints: checksum, size and 512-byte blocks of each.
"$UOS" --mount "$W/k1.img:/k1:rw" --mount "$W/k4.img:/k4:rw" /bin/sh -c "
	dd if=$W/dense.src of=/k1/dense bs=1M 2>/dev/null &&
	dd if=$W/tail.src of=/k1/sparse bs=1M seek=2044 2>/dev/null &&
	dd if=$W/head.src of=/k1/sparse conv=notrunc 2>/dev/null &&
	dd if=$W/tail.src of=/k4/sparse bs=1M seek=6140 2>/dev/null &&
	dd if=$W/head.src of=/k4/sparse conv=notrunc 2>/dev/null || exit 1
	for f in /k1/dense /k1/sparse; do
		echo \$(sha256sum <\$f | cut -d' ' -f1) \$(stat -c '%s %b' \$f)
	done
	f=/k4/sparse
	echo \$( (dd if=\$f bs=1M count=4; dd if=\$f bs=1M skip=6140) 2>/dev/null |
		sha256sum | cut -d' ' -f1) \$(stat -c '%s %b' \$f)" >"$W/out" 2>"$W/err" || { fail "writing under uos"; cat "$W/err"; }
{
	echo "$want_dense 314572800"
	echo "$want_2g 2147483648"
	echo "$want_6g 6442450944"
} >"$W/want"
cut -d' ' -f1,2 "$W/out" >"$W/got"
same "checksums and sizes read back under uos" "$W/want" "$W/got"
blocks_2g=$(sed -n 2p "$W/out" | cut -d' ' -f3)
blocks_6g=$(sed -n 3p "$W/out" | cut -d' ' -f3)
[ "${blocks_2g:-0}" -gt 8192 ] && [ "$blocks_2g" -lt 9000 ] &&
	[ "${blocks_6g:-0}" -gt 8192 ] && [ "$blocks_6g" -lt 9000 ] &&
	pass "the sparse files stay sparse ($blocks_2g and $blocks_6g blocks of 512)" ||
	fail "the sparse files use $blocks_2g and $blocks_6g blocks of 512"
fsck_clean "$W/k1.img"
fsck_clean "$W/k4.img"

# What debugfs reads from the images, independently of uos.
{
	debugfs -R "cat /dense" "$W/k1.img" 2>/dev/null | sha256sum | cut -d' ' -f1
	debugfs -R "cat /sparse" "$W/k1.img" 2>/dev/null | sha256sum | cut -d' ' -f1
	debugfs -R "dump /sparse $W/k4.sparse" "$W/k4.img" 2>/dev/null
	(dd if="$W/k4.sparse" bs=1M count=4; dd if="$W/k4.sparse" bs=1M skip=6140) 2>/dev/null |
		sha256sum | cut -d' ' -f1
} >"$W/dbg"
cut -d' ' -f1 "$W/want" >"$W/want1"
same "debugfs reads the same data from the images" "$W/want1" "$W/dbg"
finish
