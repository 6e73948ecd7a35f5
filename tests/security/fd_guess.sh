#!/usr/bin/env bash
# fd_guess.sh PROGRAM: the guest tries every fd number 0..1100 with every
# fd-taking call and every /proc and /dev/fd path (see fd_guess.c), first
# with --root DIR and a --mount of a host directory, then booting an ext2
# image (uos then holds the image's host fd).  It must reach only its own
# fds 0-3: any other number in its output is a host fd it reached.  The host
# is untouched (its write of "PWNED" to every fd went nowhere else).
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
mkdir "$W/watch/mnt"
out=$W/watch/out err=$W/watch/err
image=$W/watch/root.img
"$UOS" mkfs "$image" 16M --from "$W/root" >/dev/null || fail "uos mkfs"
for root in dir image; do
	echo "=== --root $root"
	if [ $root = dir ]; then
		sec_run 60 "$out" "$err" --root "$W/root" --mount "$W/watch/mnt:/mnt:rw" -- \
			"/$(basename "$prog")" 1100
	else
		sec_run 60 "$out" "$err" --root "$image" -- "/$(basename "$prog")" 1100
	fi
	show_file "guest output" "$out"
	show_file "uos stderr" "$err"
	sec_check_run "$err"
	check "$root: the guest ran to its end" grep -q "^fd_guess: done" "$out"
	check "$root: exit status 0 (got $status)" [ "$status" -eq 0 ]
	check "$root: every call tried" [ "$(grep -c ':' "$out")" -ge 14 ]
	extra=$(grep -v '^fd_guess' "$out" | cut -d: -f2 | tr ' ' '\n' | grep -vxE '|none|[0-3]' | sort -un | head -20 | tr '\n' ' ')
	if [ -z "$extra" ]; then
		pass "$root: the guest reached no fd but its own 0-3"
	else
		fail "$root: the guest reached fds that are not its own: $extra"
	fi
done
check "nothing appeared in the mounted directory" [ -z "$(ls -A "$W/watch/mnt")" ]
sec_check_host
checks_exit
