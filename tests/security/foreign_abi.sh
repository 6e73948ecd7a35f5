#!/usr/bin/env bash
# foreign_abi.sh PROGRAM: system calls through ABIs uos does not serve (i386
# int $0x80, x32, sysenter, and int $0x80/syscall/sysenter from the 32-bit
# compatibility code segment), each trying to create the marker on the host;
# and an x86-64 call whose number has bits above 32 set (see foreign_abi.c).
# Foreign ABIs: the guest must be killed (with a "uos:" line for int $0x80,
# x32 and sysenter; a host without i386 emulation has no 32-bit code
# segment, and the far jump faults) and the call must never return.  All:
# the marker never appears on the host, the host is untouched.
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
for mode in int80 x32 sysenter compat-int80 compat-syscall compat-sysenter highnr; do
	echo "=== $mode"
	sec_run 20 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")" "$mode" "$MARKER"
	cat "$out" "$err"
	sec_check_run "$err"
	check "$mode: the program got to the call" grep -q "^before $mode" "$out"
	if [ "$mode" = highnr ]; then
		check "$mode: uos answered the call (ENOENT, got: $(tail -1 "$out"))" grep -q "^returned -2$" "$out"
		check "$mode: exit status 0 (got $status)" [ "$status" -eq 0 ]
	else
		check "$mode: the call did not return" bash -c "! grep -q '^returned' '$out'"
		check "$mode: the guest was killed (status $status)" [ "$status" -gt 128 ]
		case $mode in
		compat-*) ;;
		*) check "$mode: uos said why" grep -q "^uos: " "$err" ;;
		esac
	fi
	check "$mode: no marker on the host" [ ! -e "$MARKER" ]
done
sec_check_host
checks_exit
