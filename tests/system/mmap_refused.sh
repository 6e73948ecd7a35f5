#!/usr/bin/env bash
# A file mapping the host may refuse is not foretold (sys_mm.c; guest.c:
# maps_always): on a tmpfs mounted noexec, in a private mount namespace,
# PROT_EXEC gives EPERM natively and under uos and PROT_READ maps, and
# uos --summary finds every memory call it foretold right ("wrong 0": a
# foretold map the host refused would leave the books with a mapping the
# process has not).  Needs root and unshare: exits 77 (skipped) without.
. "$(dirname "$0")/lib.sh"
prog=$1
if ! unshare --mount --propagation private true 2>/dev/null; then
	echo "SKIP: no private mount namespace (needs root and unshare)"
	exit 77
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir "$W/mnt"
unshare --mount --propagation private -- sh -c '
	mount -t tmpfs -o noexec tmpfs "$1/mnt" || exit 77
	cp "$2" "$1/mnt/f"
	"$2" "$1/mnt/f" >"$1/native" 2>&1
	"$3" --summary -- "$2" "$1/mnt/f" >"$1/uos" 2>"$1/summary"' sh "$W" "$prog" "$UOS"
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: cannot mount a tmpfs"; exit 77; }
show_file "native" "$W/native"
show_file "uos" "$W/uos"
check "natively, an exec map of a noexec file is EPERM" grep -qx "read and exec: EPERM" "$W/native"
check "uos says what the host says" cmp -s "$W/native" "$W/uos"
check "uos foretold memory calls, none wrong" grep -q "memory calls the books foretold: .*, wrong 0" "$W/summary"
checks_exit
