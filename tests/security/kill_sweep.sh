#!/usr/bin/env bash
# kill_sweep.sh PROGRAM: the guest signals every pid up to the host's pid_max
# (at most 70000) through kill, kill of a group, tkill, tgkill,
# rt_sigqueueinfo, rt_tgsigqueueinfo and pidfd_send_signal, kill with
# SIGKILL up to 70000, the watched host process's pid, and -1 (see
# kill_sweep.c).  Host-side: the watched process is alive and got nothing,
# uos (and this script) survive and uos exits with the guest's status.
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
maxpid=$(cat /proc/sys/kernel/pid_max)
[ "$maxpid" -gt 70000 ] && maxpid=70000
out=$W/watch/out err=$W/watch/err
# --pid1: the guest is alone in its pid space (no uos init for it to find)
sec_run 90 "$out" "$err" --pid1 --root "$W/root" -- "/$(basename "$prog")" "$maxpid" "$WATCH_PID"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran to its end" grep -q "^kill_sweep: done" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
check "no pid answered but the guest's own" bash -c "! grep -q 'pids answered (' '$out'"
sec_check_host
checks_exit
