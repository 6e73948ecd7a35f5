#!/usr/bin/env bash
# hostfs_link_swap.sh PROGRAM: the guest swaps a symlink in a host directory
# it mounted writable while another of its threads walks through it
# (hostfs_link_swap.c); after every change the kept target must be the new
# one (vfs/hostfs_links.c), natively and under uos alike.
. "$(dirname "$0")/lib.sh"
prog=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/native" "$tmp/m"
"$prog" "$tmp/native" 3000 >"$tmp/swap.native" 2>&1
"$UOS" --mount "$tmp/m:/m:rw" "$prog" /m 3000 >"$tmp/swap.uos" 2>&1 </dev/null
status=$?
show_file native "$tmp/swap.native"
show_file uos "$tmp/swap.uos"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
check "the target changed under the walker" grep -q " 0 stale, 0 failed changes, walker saw only t1, t2 or nothing, walked" "$tmp/swap.native"
same_output swap "$tmp"
checks_exit
