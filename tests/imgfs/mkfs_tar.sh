#!/bin/sh
# uos mkfs from a tar archive (GNU and pax formats) and from a directory:
# the image must be e2fsck-clean and hold the same tree as the source:
# types, modes, owners, sizes, symlink targets, hard links and contents.
# usage: mkfs_tar.sh UOS
set -eu
UOS=${1:-${UOS:?}}
W=$(mktemp -d /tmp/uos-mkfs-XXXXXX)
trap 'rm -rf "$W"' EXIT
S=$W/src
long=$(printf 'n%.0s' $(seq 120))
mkdir -p "$S/d/e" "$S/$long/$long" "$S/empty"
echo hi > "$S/a"
ln "$S/a" "$S/d/hard"
ln "$S/a" "$S/$long/$long/hard2"
ln -s ../a "$S/d/sym"
ln -s "$(printf 'y%.0s' $(seq 100))" "$S/longsym"
ln -s "$long/$long/hard2" "$S/deep-link"
mkfifo "$S/fifo"
head -c 3000000 /dev/urandom > "$S/d/e/rand"
truncate -s 10M "$S/sparse"; echo x >> "$S/sparse"
echo deep > "$S/$long/$long/f"
chown -R 1234:567 "$S/d"
chmod 4750 "$S/d/e/rand"; chmod 700 "$S/empty"; chmod 1777 "$S/$long"
touch -d 2001-01-01 "$S/d" "$S/a"

# One line per path: type+mode (octal i_mode), uid, gid, size of regular files.
native_list() {
	(cd "$S" && find . -mindepth 1 -printf '%P %y %m %U %G %s %i\n') | while read -r p y m u g s i; do
		case $y in f) t=0100000;; d) t=040000;; l) t=0120000;; p) t=010000;; *) t=0;; esac
		[ "$y" = f ] || s=-
		printf '%s %o %s %s %s %s\n' "$p" $((t | 0$m)) "$u" "$g" "$s" "$i"
	done | links_to_groups
}
image_list() { # walk the image with debugfs ls -p
	walk() {
		debugfs -R "ls -p /$1" "$2" 2>/dev/null | while IFS=/ read -r _ ino mode uid gid name size _; do
			case $name in .|..|lost+found|'') continue;; esac
			p=${1:+$1/}$name
			mode=$(printf %o $((0$mode)))
			case $mode in 10????) s=$size;; *) s=-;; esac
			echo "$p $mode $uid $gid $s $ino"
			case $mode in 4????) walk "$p" "$2";; esac
		done
	}
	walk "" "$1" | links_to_groups
}
# Replace inode numbers by the first path (in order) that has that inode.
links_to_groups() {
	sort | awk '{ if (!($6 in g)) g[$6] = $1; $6 = g[$6]; print }'
}

check() { # IMAGE
	"$UOS" fsck "$1" >/dev/null 2>&1 || { e2fsck -fn "$1"; echo "FAIL: $1 not clean"; exit 1; }
	native_list > "$W/want"
	image_list "$1" > "$W/got"
	diff -u "$W/want" "$W/got" || { echo "FAIL: $1 listing differs"; exit 1; }
	rm -rf "$W/out"; mkdir "$W/out"
	debugfs -R "rdump / $W/out" "$1" >/dev/null 2>&1
	for f in a d/e/rand sparse "$long/$long/f"; do
		cmp "$S/$f" "$W/out/$f" || { echo "FAIL: $1: $f differs"; exit 1; }
	done
	for l in d/sym longsym deep-link; do
		[ "$(readlink "$S/$l")" = "$(readlink "$W/out/$l")" ] || { echo "FAIL: $1: $l"; exit 1; }
	done
}

tar -C "$S" --format=gnu -cf "$W/gnu.tar" .
tar -C "$S" --format=posix -cf "$W/pax.tar" .
for src in gnu.tar pax.tar; do
	"$UOS" mkfs "$W/$src.img" 64M --from "$W/$src"
	check "$W/$src.img"
done
"$UOS" mkfs "$W/dir.img" 64M --from "$S"
check "$W/dir.img"
# An image too small for the tree: a clear error, the size it needs, and no
# half-made image left; at that size the tree fits.
if "$UOS" mkfs "$W/small.img" 1M --from "$W/gnu.tar" 2>"$W/err"; then
	echo "FAIL: a 1M image held a 13M tree"; exit 1
fi
grep -q "No space left" "$W/err" || { cat "$W/err"; echo "FAIL: no ENOSPC message"; exit 1; }
[ ! -e "$W/small.img" ] || { echo "FAIL: the failed image was left"; exit 1; }
need=$(sed -n 's/.*needs at least \([0-9]*\) MiB$/\1/p' "$W/err")
[ -n "$need" ] || { cat "$W/err"; echo "FAIL: no needed size"; exit 1; }
"$UOS" mkfs "$W/small.img" "${need}M" --from "$W/gnu.tar" >/dev/null || { echo "FAIL: ${need}M is not enough"; exit 1; }
check "$W/small.img"
echo "ok: mkfs from gnu tar, pax tar and a directory"
