#!/usr/bin/env bash
# Issue 14: extended attributes through the tools that use them:
# setfattr/getfattr, cp -a, sed -i, tar --xattrs, on new files and on a
# file that already has a host attribute (under uos a host-root file seen
# through the overlay: getfattr reads the host's attribute, a change copies
# the file up with it, and the host file stays as it was).  The same script
# natively and under uos, same output.
. "$(dirname "$0")/lib.sh"
need_tools setfattr getfattr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
script='
cd "$1" || exit 1
dump() { getfattr -d -m - "$@" 2>&1 | sort; }
echo data >f
setfattr -n user.color -v blue f
setfattr -n user.size -v 42 f
setfattr -n trusted.t -v root f
dump f
cp -a f g; echo "cp -a: $?"
dump g
sed -i s/data/DATA/ g 2>&1; echo "sed -i: $?"
cat g; dump g
tar --xattrs --xattrs-include="*" -cf a.tar f; echo "tar c: $?"
mkdir x; tar --xattrs --xattrs-include="*" -xf a.tar -C x; echo "tar x: $?"
dump x/f
setfattr -x user.color f; echo "setfattr -x: $?"
setfattr -x user.color f; echo "again: $?"
getfattr -n user.nope f; echo "getfattr missing: $?"
setfattr -n bogus.k -v 1 f; echo "bogus namespace: $?"
ln -s f l; setfattr -h -n user.k -v 1 l; echo "user.* on a symlink: $?"
dump h
setfattr -n user.new -v 2 h; echo "setfattr on h: $?"
dump h
mv h h2; dump h2
'
prepare() {
	rm -rf "$tmp/w"
	mkdir "$tmp/w"
	echo host >"$tmp/w/h"
	setfattr -n user.host -v kept "$tmp/w/h"
}
prepare
bash -c "$script" sh "$tmp/w" >"$tmp/native" 2>&1
prepare
"$UOS" bash -c "$script" sh "$tmp/w" >"$tmp/uos" 2>&1
show_file native "$tmp/native"
check "same output natively and under uos" diff -u "$tmp/native" "$tmp/uos"
check "the host file keeps only its own attribute" \
	[ "$(getfattr -d --absolute-names "$tmp/w/h" | grep user.)" = 'user.host="kept"' ]
check "the host file is unchanged" [ "$(cat "$tmp/w/h")" = host ]
checks_exit
