#!/usr/bin/env bash
# Issue 14: a trace people can read.  Simple programs run under
# `strace -f -qq -e signal=none` natively and under `uos --trace`, and
# trace_strace_compare.py compares the two call by call, per process (see
# its comment for what is normalized and which calls are left out).
# Programs: /bin/true, cat /etc/hostname, env running a #! script, stty on a
# terminal, trace_calls dynamic and static (argv[1] and argv[2], built by
# meson: files, stat, a directory listing, pipes, sockets, signals, fork and
# wait) and trace_net (argv[3]: an AF_UNIX server and client with SCM_RIGHTS,
# TCP and UDP, socket options, select, pselect6, ppoll, epoll_pwait).
. "$(dirname "$0")/lib.sh"
usage="usage: trace_strace.sh TRACE_CALLS TRACE_CALLS_STATIC TRACE_NET"
calls=${1:?$usage}
calls_static=${2:?$usage}
net=${3:?$usage}
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dir"

# compare NAME CMD...: trace CMD both ways (stdout to /dev/null, so fstat(1) agrees)
compare() {
	local name=$1
	shift
	strace -f -qq -e signal=none -o "$tmp/$name.strace" "$@" </dev/null >/dev/null 2>&1
	"$UOS" --trace="$tmp/$name.uos" "$@" </dev/null >/dev/null 2>"$tmp/$name.err"
	echo "--- $name"
	if "$DONE_DIR/trace_strace_compare.py" "$tmp/$name.strace" "$tmp/$name.uos"; then
		pass "$name: uos's trace is strace's"
	else
		fail "$name: the traces differ"
	fi
}

compare true /bin/true
compare cat /bin/cat /etc/hostname
# env execs a #! script: execve's path and argv are the ones the guest passed
printf '#!/bin/sh\n:\n' >"$tmp/script"
chmod +x "$tmp/script"
compare script /usr/bin/env "$tmp/script" one two
check "script: execve shows the script's argv" \
	grep -qF "execve(\"$tmp/script\", [\"$tmp/script\", \"one\", \"two\"]" "$tmp/script.uos"
compare calls "$calls" "$tmp/dir"
compare calls-static "$calls_static" "$tmp/dir"
compare net "$net" "$tmp/dir"
for form in '\] accept4\(3, \{sa_family=AF_UNIX\}, \[110 => 2\], SOCK_CLOEXEC\) = 5' \
	'cmsg_type=SCM_RIGHTS, cmsg_data=\[3\]' 'msg_namelen=128 => 16' \
	'\] select\(6, \[4 5\], \[4\], NULL, .* = 2 \(in \[5\], out \[4\], left ' \
	'\] setsockopt\(4, SOL_SOCKET, SO_LINGER, \{l_onoff=1, l_linger=0\}, 8\)' \
	'\] shutdown\(4, SHUT_WR\)' '\] tgkill\([0-9]+, [0-9]+, SIGUSR2\)' \
	'\] rt_sigreturn\(\{mask=\[\]\}\) = 0'; do
	check "net: $form" grep -qE "$form" "$tmp/net.uos"
done
# On a terminal (script(1) gives one): TCGETS's struct termios, TIOCGWINSZ's winsize.
if command -v script >/dev/null; then
	script -qec "strace -f -qq -e signal=none -o $tmp/tty.strace stty size" /dev/null </dev/null >/dev/null
	script -qec "$UOS --trace=$tmp/tty.uos stty size" /dev/null </dev/null >/dev/null
	echo "--- tty"
	check "tty: uos's trace is strace's" "$DONE_DIR/trace_strace_compare.py" "$tmp/tty.strace" "$tmp/tty.uos"
	check "tty: a termios was decoded" grep -q 'ioctl(0, TCGETS, {c_iflag=' "$tmp/tty.uos"
fi
# The comparison can fail: a trace that lost a call is told apart.
grep -v '] close(' "$tmp/calls.uos" >"$tmp/lost.uos"
check "a trace without its close calls differs" \
	sh -c "! '$DONE_DIR/trace_strace_compare.py' '$tmp/calls.strace' '$tmp/lost.uos' >/dev/null"
checks_exit
