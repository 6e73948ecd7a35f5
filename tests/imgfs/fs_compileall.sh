#!/bin/sh
# python3 -m compileall of a small package tree on an ext2 image mounted
# read-write: every module gets its __pycache__/*.pyc, byte for byte the
# same as a native compileall of the same tree (the .pyc embeds the
# source's mtime and size, which uos mkfs --from keeps, and its path:
# -d /src names it natively as the guest sees it), and the image is
# e2fsck-clean afterwards.
# usage: UOS=path/to/uos fs_compileall.sh
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x $PY ] || { echo "SKIP: no $PY"; exit 77; }

S=$W/src
mkdir -p "$S/pkg/sub/deeper"
: >"$S/pkg/__init__.py"
echo 'import os, sys' >"$S/pkg/sub/__init__.py"
for i in 1 2 3 4 5; do
	printf 'def f%s(x):\n    return [x * %s for _ in range(3)]\n\nclass C%s:\n    v = %s\n' \
		$i $i $i $i >"$S/pkg/m$i.py"
done
echo 'print("deep")' >"$S/pkg/sub/deeper/leaf.py"
touch -d '2020-02-02 02:02:02' "$S"/pkg/*.py "$S"/pkg/sub/*.py "$S"/pkg/sub/deeper/*.py

"$UOS" mkfs "$W/py.img" 16M --from "$S" || fail "uos mkfs --from"
cp -a "$S" "$W/native"
$PY -m compileall -q -d /src "$W/native" >/dev/null || fail "compileall natively"

"$UOS" --mount "$W/py.img:/src:rw" $PY -m compileall -q /src >"$W/out" 2>&1 ||
	{ fail "compileall under uos"; cat "$W/out"; }
"$UOS" --mount "$W/py.img:/src" $PY -c 'import sys; sys.path.insert(0, "/src")
import pkg.m3, pkg.sub.deeper.leaf; print(pkg.m3.f3(2), pkg.m3.C3.v)' >"$W/run.out" 2>&1
printf 'deep\n[6, 6, 6] 3\n' >"$W/run.want"
same "the compiled package imports from the (now read-only) image" "$W/run.want" "$W/run.out"
fsck_clean "$W/py.img"

n=0
for pyc in $(cd "$W/native" && find . -name "*.pyc" | sed "s,^\./,," | sort); do
	n=$((n + 1))
	debugfs -R "dump /$pyc $W/got.pyc" "$W/py.img" 2>/dev/null
	cmp -s "$W/native/$pyc" "$W/got.pyc" || fail "$pyc differs from the native one (or is missing)"
	rm -f "$W/got.pyc"
done
[ $n -eq 8 ] || fail "expected 8 .pyc files natively, found $n"
[ $failed = 0 ] && pass "all $n .pyc files exist on the image and match native"
finish
