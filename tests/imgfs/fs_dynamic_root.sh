#!/bin/sh
# A root image of dynamic programs: bash, coreutils' ls, cat and sort with
# the shared libraries and the dynamic loader they need (found by ldd),
# made into an ext2 image; `uos --root IMAGE /bin/bash -c '...'` must run
# them from the image alone (its own ld.so and libc: the host's files are
# not in the guest's world, so /usr does not exist there), and what bash
# writes stays on the image, e2fsck-clean.
# usage: UOS=path/to/uos fs_dynamic_root.sh
. "$(dirname "$0")/lib.sh"

T=$W/tree
mkdir -p "$T/bin" "$T/tmp" "$T/work"
for p in bash ls cat sort; do
	cp "$(command -v $p)" "$T/bin/$p" || fail "copy $p"
done
for lib in $(ldd "$T"/bin/* | grep -o '/[^ ]*' | grep -v ':$' | sort -u); do
	mkdir -p "$T$(dirname "$lib")"
	cp -L "$lib" "$T$lib"
done
"$UOS" mkfs "$W/dyn.img" 32M --from "$T" || fail "uos mkfs --from"

"$UOS" --root "$W/dyn.img" /bin/bash -c '
	cd /work
	for i in 3 1 2; do echo "line $i" >>f; done
	sort f >sorted; cat sorted
	[ -e /usr ] || echo "no /usr here"
	ls /bin' >"$W/out" 2>"$W/err"
printf 'line 1\nline 2\nline 3\n' >"$W/want"
echo "no /usr here" >>"$W/want"
printf 'bash\ncat\nls\nsort\n' >>"$W/want"
same "bash, ls, cat and sort run from the image with its own libraries" "$W/want" "$W/out"
debugfs -R "cat /work/sorted" "$W/dyn.img" 2>/dev/null | head -1 | grep -qx "line 1" &&
	pass "the files bash wrote are on the image" || fail "/work/sorted not on the image"
fsck_clean "$W/dyn.img"
finish
