#!/usr/bin/env bash
# Issue 2: --trace writes one strace-like line per call, with decoded
# arguments, errno names and virtual pids, e.g.
#   [pid 1] openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3
# (tests/system/trace_strace.sh compares the lines with strace's)
. "$(dirname "$0")/lib.sh"
out=$(mktemp) err=$(mktemp) trace=$(mktemp)
trap 'rm -f "$out" "$err" "$trace"' EXIT
run_uos "$out" "$err" --pid1 --trace="$trace" /bin/sh -c 'cat /etc/hostname; cat /nonexistent-uos-trace; echo traced; exit 0'
show_file trace "$trace"
check "the guest ran (status $status)" test "$status" -eq 0
check "the output is the guest's" sh -c "head -c \$(stat -c %s /etc/hostname) '$out' | cmp -s - /etc/hostname && tail -n 1 '$out' | grep -qx traced"
check "an openat line with decoded flags and its fd" \
	grep -qE '^\[pid [0-9]+\] openat\(AT_FDCWD, "/etc/hostname", O_RDONLY(\|O_[A-Z]+)*\) = [0-9]+$' "$trace"
check "a failed call with its errno name and message" \
	grep -qE '^\[pid [0-9]+\] openat\(AT_FDCWD, "/nonexistent-uos-trace", .*\) = -1 ENOENT \(No such file or directory\)$' "$trace"
check "the shell is pid 1, its children other virtual pids" \
	sh -c "grep -q '^\[pid 1\] ' '$trace' && grep -qE '^\[pid [2-9][0-9]*\] ' '$trace'"
check "a write of the guest's bytes is shown" grep -qF '] write(1, "traced\n", 7) = 7' "$trace"
check "exit_group is traced" grep -qE '^\[pid [0-9]+\] exit_group\(0\)' "$trace"
check "execve shows its path, argv and the number of variables" \
	grep -qE '^\[pid [0-9]+\] execve\("/[a-z/]*/cat", \["cat", "/etc/hostname"\], 0x[0-9a-f]+ /\* [0-9]+ vars? \*/\) = 0$' "$trace"
check "a stat buffer is summarized" \
	grep -qE '^\[pid [0-9]+\] newfstatat\(3, "", \{st_mode=S_IFREG\|0[0-7]+, st_size=[0-9]+, \.\.\.\}, AT_EMPTY_PATH\) = 0$' "$trace"
check "a child's exit status is decoded" \
	grep -qE '^\[pid 1\] wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) = [0-9]+$' "$trace"
checks_exit
