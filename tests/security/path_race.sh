#!/usr/bin/env bash
# path_race.sh PROGRAM [COUNT]: the guest (--root DIR, --mount SRC:/mnt:rw)
# races symlink swaps and directory renames in SRC against ".." walks,
# /proc/self/root and /proc/self/cwd, O_PATH fds, fchdir, openat2 RESOLVE_*
# flags, linkat and renameat, all aimed at the host's canary and marker next
# to SRC's parent (see path_race.c).  Host-side: canary unchanged and
# unread, no marker, nothing created or changed outside SRC (DIR included),
# no host file hard-linked into SRC, and no symlink in SRC left pointing
# anywhere but where the guest wrote it (only uos follows them).
. "$(dirname "$0")/lib.sh"
prog=$1 count=${2:-1000}
sec_setup "$prog"
src=$W/watch/src
mkdir "$src"
out=$W/watch/out err=$W/watch/err
# From SRC ($W/watch/src), "../.." is $W, where the canary and the marker are.
sec_run 60 "$out" "$err" --root "$W/root" --mount "$src:/mnt:rw" -- "/$(basename "$prog")" \
	"$MARKER" "$CANARY" "../.." "$count"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran all its rounds" grep -q "^path_race: $count rounds, 0 secrets" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_secret "$out"
inode=$(stat -c %i "$CANARY")
check "no host file outside SRC was linked or moved into it" \
	[ -z "$(find "$src" -inum "$inode" 2>/dev/null)" ]
echo "SRC afterwards: $(cd "$src" && find . | sort | head -20 | tr '\n' ' ')"
sec_check_host
checks_exit
