#!/usr/bin/env bash
# A short tour of uos: a few ordinary programs run under it, a write that the
# read-only root refuses (and the host stays untouched), the syscall support
# table, and a trace. $UOS is the uos binary (default build/supervisor/uos).
set -u
here=$(cd "$(dirname "$0")" && pwd)
UOS=${UOS:-$here/../build/supervisor/uos}
failed=0

# step TITLE CMD...: print the title and the command (uos's path shown as
# "uos"), run it, show its exit status.
step() {
	local title=$1 st
	shift
	printf '\n\033[1m== %s\033[0m\n$ %s\n' "$title" "${*//$UOS/uos}"
	"$@"
	st=$?
	echo "[exit status $st]"
	return "$st"
}

# step_sh TITLE SHELL-COMMAND: the same for a pipeline.
step_sh() {
	local title=$1 st
	printf '\n\033[1m== %s\033[0m\n$ %s\n' "$title" "${2//$UOS/uos}"
	bash -c "$2"
	st=$?
	echo "[exit status $st]"
	return "$st"
}

step "echo, under uos" "$UOS" echo "hello from inside uos" || failed=1

step_sh "ls of /etc (the host's /, seen read-only; first entries)" \
	"$UOS /bin/ls -l /etc | head -n 8"

step "python3 one-liner" "$UOS" /usr/bin/python3 -c \
	'import os, sys, platform; print("python", platform.python_version(), "pid", os.getpid(), "uid", os.getuid())' ||
	failed=1

victim=/tmp/uos-demo-$$.txt
step "a write: the root is read-only, so this fails with EROFS" \
	"$UOS" /bin/sh -c "echo 'written by the guest' > $victim"
if [ -e "$victim" ]; then
	echo "!! $victim exists on the host: the sandbox leaked a write"
	rm -f "$victim"
	failed=1
else
	echo "host check: $victim does not exist on the host"
fi

step_sh "the syscall support table (first rows)" "$UOS --syscalls | head -n 15"

step "--hostname: the guest's own UTS name" "$UOS" --hostname sandbox /bin/uname -n

step "--trace of a tiny command (one line per call, on stderr)" "$UOS" --trace /bin/true || failed=1

step "--summary: counts per syscall at exit" "$UOS" --summary /bin/busybox sh -c 'echo $((6*7))' || failed=1

echo
if [ "$failed" -eq 0 ]; then
	echo "demo finished."
else
	echo "demo finished, but some steps did not do what they should (see above)."
fi
exit "$failed"
