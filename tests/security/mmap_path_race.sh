#!/usr/bin/env bash
# mmap_path_race.sh PROGRAM canary|fifo [COUNT]: a sibling thread rewrites the
# path uos writes below the stack pointer for the openat it injects to map a
# file (see mmap_path_race.c).
#   canary: the path names a host file outside the guest's root.  An escape
#     shows as the canary's secret in the guest's output (read) and a changed
#     canary (written through MAP_SHARED).
#   fifo: the path names a host FIFO, the file is mapped read-only (uos's
#     openat asks for O_RDONLY).  An escape is a host openat that blocks:
#     uos, waiting on that task, never exits (and ignores SIGTERM); a failed
#     mmap (ENODEV: the host opened the FIFO) counts too.
# Host-side checks: canary unchanged and unread, no marker, nothing under the
# scratch area changed, the watched host process untouched, uos exits with
# the guest's status within the time limit.
. "$(dirname "$0")/lib.sh"
prog=$1 target=$2 count=${3:-5000}
sec_setup "$prog"
case $target in
canary) path=$CANARY mode=rw limit=60 ;;
fifo) path=$FIFO mode=ro limit=20 ;;
*) echo "usage: $0 PROGRAM canary|fifo [COUNT]"; exit 2 ;;
esac
out=$W/watch/out err=$W/watch/err
sec_run "$limit" "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$path" "$count" "$mode"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran all its attempts" grep -q "^mmap_path_race: $count attempts" "$out"
check "every mapping held the guest's own file" grep -q " 0 another file" "$out"
check "no mmap failed (a failure means the host opened something else)" grep -q " 0 failed," "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_secret "$out"
sec_check_host
checks_exit
