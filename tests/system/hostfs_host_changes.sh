#!/usr/bin/env bash
# Issue 11: hostfs keeps the host directories a walk stepped through open
# (vfs/hostfs_dirs.c).  What the host changes underneath a running guest
# must show at the guest's next walk, as it does natively: a directory
# renamed and another made in its place, a directory replaced by a symlink,
# a cached directory removed, a deep path whose middle directory is
# swapped, a file's size and extended attribute changed, a file replaced by
# another (each read by name: stat and getfattr), and a directory swapped
# under one that the guest had walked through three times only (not yet
# watched: hostfs watches a directory from its fourth lookup, and names
# it saw before must be checked again then), and a symlink the guest had
# walked through many times (its target kept: vfs/hostfs_links.c) renamed
# over, removed and made again, and replaced by a file.  The same guest script runs
# natively and under uos, on the host directory through the root overlay's
# lower layer and through a writable --mount; the host makes the changes
# between the guest's steps (files in a second, writable directory say
# when).
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

guest='
d=$1 s=$2
step() { : >"$s/ready$1"; while [ ! -e "$s/go$1" ]; do sleep 0.02; done; }
show() { for p in "$@"; do echo "$p: $(cat "$d/$p" 2>&1 | sed "s|$d|D|")"; done; }
show a/f x/y/z/f
ls "$d/a" "$d/x/y/z"
step 1
show a/f b/f x/y/z/f
step 2
readlink "$d/a"; show a/f
[ -d "$d/a" ] && echo "a is a directory (through the link)"
step 3
show b/f a/f
ls "$d" | tr "\n" " "; echo
step 4
show x/y/z/f
attrs() { for p in x/y/z/f x/g; do
	echo "$p: $(stat -c %s "$d/$p") $(getfattr --absolute-names --only-values -n user.v "$d/$p" 2>&1 | sed "s|$d|D|")"
done; }
attrs
step 5
attrs
show p/q/f p/q/f p/q/f
step 6
show p/q/f
show l/q/f l/q/f l/q/f l/q/f l/q/f
readlink "$d/l"
step 7
readlink "$d/l"; show l/q/f l/y/z/f
step 8
readlink "$d/l"; show l/q/f l/q/f
step 9
readlink "$d/l"; show l l/q/f
echo end
'

# setup: the tree before the first step.
setup() {
	rm -rf "$tmp/h" "$tmp/s"
	mkdir -p "$tmp/h/a" "$tmp/h/x/y/z" "$tmp/h/p/q" "$tmp/s"
	echo one >"$tmp/h/a/f"
	echo deep >"$tmp/h/x/y/z/f"
	echo first >"$tmp/h/p/q/f"
	ln -s p "$tmp/h/l"
}

# wait_for FILE: up to 60 s.
wait_for() {
	local i
	for i in $(seq 3000); do
		[ -e "$1" ] && return 0
		sleep 0.02
	done
	echo "timed out waiting for $1"
	return 1
}

# drive: the host's changes, one per step.
drive() {
	local h=$tmp/h s=$tmp/s
	wait_for "$s/ready1" || return
	mv "$h/a" "$h/b" && mkdir "$h/a" && echo two >"$h/a/f"
	: >"$s/go1"
	wait_for "$s/ready2" || return
	rm -rf "$h/a" && ln -s b "$h/a"
	: >"$s/go2"
	wait_for "$s/ready3" || return
	rm -rf "$h/b"
	: >"$s/go3"
	wait_for "$s/ready4" || return
	mv "$h/x/y" "$h/x/old" && mkdir -p "$h/x/y/z" && echo swapped >"$h/x/y/z/f"
	setfattr -n user.v -v one "$h/x/y/z/f" && echo g >"$h/x/g" && setfattr -n user.v -v g "$h/x/g"
	: >"$s/go4"
	wait_for "$s/ready5" || return
	echo swapped and longer >>"$h/x/y/z/f" && setfattr -n user.v -v two "$h/x/y/z/f"
	echo another g >"$h/x/g2" && setfattr -n user.v -v g2 "$h/x/g2" && mv "$h/x/g2" "$h/x/g"
	: >"$s/go5"
	wait_for "$s/ready6" || return
	mv "$h/p/q" "$h/p/old" && mkdir "$h/p/q" && echo second >"$h/p/q/f"
	: >"$s/go6"
	wait_for "$s/ready7" || return
	ln -s x "$h/l.new" && mv -T "$h/l.new" "$h/l"
	: >"$s/go7"
	wait_for "$s/ready8" || return
	rm "$h/l" && ln -s p "$h/l"
	: >"$s/go8"
	wait_for "$s/ready9" || return
	rm "$h/l" && echo plain >"$h/l"
	: >"$s/go9"
}

setup
bash -c "$guest" _ "$tmp/h" "$tmp/s" >"$tmp/want.native" 2>&1 &
drive
wait
show_file native "$tmp/want.native"

setup
"$UOS" --mount "$tmp/s:/s:rw" bash -c "$guest" _ "$tmp/h" /s >"$tmp/lower.uos" 2>&1 </dev/null &
drive
wait
cp "$tmp/want.native" "$tmp/lower.native"
same_output lower "$tmp"

setup
"$UOS" --mount "$tmp/h:/m:rw" --mount "$tmp/s:/s:rw" bash -c "$guest" _ /m /s \
	>"$tmp/mounted.uos" 2>&1 </dev/null &
drive
wait
sed "s|$tmp/h|/m|g" "$tmp/want.native" >"$tmp/mounted.native"
same_output mounted "$tmp"
checks_exit
