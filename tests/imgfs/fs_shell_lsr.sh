#!/bin/sh
# A container-like run: a root tree of busybox-static is made into an ext2
# image (uos mkfs --from), then `uos --root IMAGE /bin/sh` runs a script
# that creates, appends, renames, links, symlinks, chmods and deletes files
# and prints `ls -lnR` and checksums of its work directory.  The same script
# run natively (by the same busybox) in a scratch directory must print the
# same, after filtering what must differ (see normalize).  A second boot of
# the image must see the same tree again (the root image is writable and
# keeps the changes), and e2fsck -fn must find the image clean.
# usage: UOS=path/to/uos fs_shell_lsr.sh
. "$(dirname "$0")/lib.sh"

cat >"$W/work.sh" <<'SCRIPT'
set -e
umask 022
mkdir -p "$1" && cd "$1"
echo one >a
echo two >>a
printf 'three\n' >>a
cat a a >b
mv b c
ln c hard
ln c hard2
rm hard2
ln -s c soft
ln -s does-not-exist dangling
mkdir -p d1/d2/d3 keep
echo deep >d1/d2/d3/f
mv d1/d2 d1/moved
mv a keep/a
echo replaced >r1
echo old >r2
mv r1 r2
chmod 640 keep/a
chmod 4755 c
chmod 1777 keep
chmod 700 d1
touch empty
mkdir gone gone/sub
echo x >gone/sub/y
rm -r gone
echo tmp >t
rm t
mkfifo fifo
dd if=/dev/zero of=sparse bs=1 count=1 seek=1048575 2>/dev/null
seq 1 5000 >numbers
sed -i 's/^1/one/' numbers
umask 077
echo private >private
ln -s d1/moved/d3 dirlink
cat dirlink/f >from-link
ls -lnR .
find . -type f | sort | xargs md5sum
SCRIPT

# Dates depend on when each run happened; a directory's size is its
# filesystem's own allocation (ext2: whole blocks; the host's fs: its own),
# and so is every "total" line (blocks in use): drop those, keep the rest.
normalize() {
	awk '/^total / { next }
	     $1 ~ /^[-dlpcbs][-r][-w]/ && NF >= 9 {
		if ($1 ~ /^d/) $5 = "-"
		$6 = $7 = $8 = ""
	     }
	     { print }' "$1"
}

busybox_tree "$W/tree"
cp "$W/work.sh" "$W/tree/work.sh"
"$UOS" mkfs "$W/root.img" 64M --from "$W/tree" || fail "uos mkfs --from a busybox tree"

mkdir "$W/native"
/bin/busybox sh "$W/work.sh" "$W/native/w" >"$W/native.out" 2>&1 || fail "the script natively"
"$UOS" --root "$W/root.img" /bin/sh /work.sh /work/w >"$W/uos.out" 2>"$W/uos.err" ||
	{ fail "the script under uos --root"; cat "$W/uos.err"; }
normalize "$W/native.out" >"$W/native.norm"
normalize "$W/uos.out" >"$W/uos.norm"
grep -q ' numbers$' "$W/uos.norm" || fail "the listing under uos is incomplete"
same "ls -lnR and md5sum under --root IMAGE match native" "$W/native.norm" "$W/uos.norm"
fsck_clean "$W/root.img"

# Boot again: the changes persisted in the image.
"$UOS" --root "$W/root.img" /bin/sh -c 'cd /work/w && ls -lnR . && find . -type f | sort | xargs md5sum' \
	>"$W/again.out" 2>&1 || fail "second boot"
normalize "$W/again.out" >"$W/again.norm"
same "a second boot sees the same tree" "$W/uos.norm" "$W/again.norm"

# The image as seen by debugfs (not uos): the file written last is there.
debugfs -R "cat /work/w/from-link" "$W/root.img" 2>/dev/null >"$W/dbg.out"
echo deep >"$W/dbg.want"
same "debugfs reads what the guest wrote" "$W/dbg.want" "$W/dbg.out"
fsck_clean "$W/root.img"
finish
