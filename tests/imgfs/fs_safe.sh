#!/bin/sh
# Safe images (issue 14): uos mkfs says what it made, refuses an existing
# file without --force, removes what it made when it fails; a writable image
# is used by one uos at a time: a second uos, uos mkfs and uos fsck are
# refused with one line naming the holder's pid, while read-only uses share.
# usage: UOS=path/to/uos fs_safe.sh
. "$(dirname "$0")/lib.sh"

busybox_tree "$W/root"
img=$W/root.img

# mkfs: the summary line counts what it copied.
"$UOS" mkfs "$img" 16M --from "$W/root" >"$W/out" 2>"$W/err" || fail "mkfs from a tree"
files=$(cd "$W/root" && find . -mindepth 1 | wc -l)
bytes=$(find "$W/root" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
if grep -Eq "^uos mkfs: made .*root.img: 16 MiB, block size [0-9]+, [0-9]+ inodes; copied $files files, $bytes bytes$" "$W/out"; then
	pass "mkfs says what it made ($(cat "$W/out"))"
else
	fail "mkfs summary: want $files files, $bytes bytes, got: $(cat "$W/out" "$W/err")"
fi
fsck_clean "$img"

# An existing file is kept unless --force.
sum=$(md5sum <"$img")
if "$UOS" mkfs "$img" 8M 2>"$W/err"; then fail "mkfs replaced an existing image"; fi
[ "$(md5sum <"$img")" = "$sum" ] && grep -q -- "--force" "$W/err" &&
	pass "mkfs keeps an existing file without --force" || fail "existing file: $(cat "$W/err")"
"$UOS" mkfs "$W/other.img" 8M >/dev/null && "$UOS" mkfs "$W/other.img" 8M --force >"$W/out" &&
	grep -q "made .*other.img: 8 MiB" "$W/out" && pass "--force replaces it" || fail "--force"
# A failed mkfs leaves nothing behind.
if "$UOS" mkfs "$W/gone.img" 8M --from "$W/no-such-dir" 2>"$W/err"; then fail "mkfs from nothing"; fi
[ ! -e "$W/gone.img" ] && pass "a failed mkfs removes its image" || fail "the failed image is left"

# Locking: a writable uos holds the image.
"$UOS" --root "$img" /bin/sleep 3 &
holder=$!
i=0
while ! grep -q "FLOCK .* WRITE $holder " /proc/locks && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
refused() { # WHAT WANT-STATUS CMD...: refused with one line naming the holder
	what=$1 want=$2
	shift 2
	"$@" >"$W/out" 2>"$W/err"
	st=$?
	if [ "$st" -eq "$want" ] && [ "$(wc -l <"$W/err")" -eq 1 ] &&
		grep -q "in use by process $holder (uos)" "$W/err"; then
		pass "$what: refused ($(cat "$W/err"))"
	else
		fail "$what: status $st (want $want): $(cat "$W/err")"
	fi
}
refused "a second writable uos" 125 "$UOS" --root "$img" /bin/true
refused "a read-only uos beside a writer" 125 "$UOS" --root "$img:ro" /bin/true
refused "uos mkfs --force" 2 "$UOS" mkfs "$img" 8M --force
refused "uos mkfs" 2 "$UOS" mkfs "$img" 8M
refused "uos fsck" 2 "$UOS" fsck "$img"
refused "--mount IMAGE" 125 "$UOS" --mount "$img:/mnt:rw" /bin/true
wait "$holder"
"$UOS" --root "$img" /bin/sh -c 'echo after >/work/after' && pass "free again when the holder exits" ||
	fail "the image stays locked"

# Read-only uses share the image; a writer waits for them to end.
"$UOS" --root "$img:ro" /bin/sleep 3 &
holder=$!
i=0
while ! grep -q "FLOCK .* READ $holder " /proc/locks && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$("$UOS" --root "$img:ro" /bin/cat /work/after)" = after ] && pass "two read-only uses share it" ||
	fail "a second reader was refused"
"$UOS" fsck "$img" >/dev/null 2>&1 && pass "uos fsck beside a reader" || fail "fsck beside a reader"
refused "a writer beside a reader" 125 "$UOS" --root "$img" /bin/true
wait "$holder"
fsck_clean "$img"
finish
