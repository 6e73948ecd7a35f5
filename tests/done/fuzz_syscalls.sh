#!/usr/bin/env bash
# fuzz_syscalls.sh FUZZER: random system calls with edge-case arguments
# (fuzz_syscalls.c) under uos, three seeds: uos must survive every one with
# no sanitizer report or internal error, the fuzzer must end normally, and
# the host must be untouched (the fuzzer's path /tmp/fz never appears).
. "$(dirname "$0")/lib.sh"
fuzzer=$1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
[ -e /tmp/fz ] && { echo "skip: /tmp/fz exists on the host"; exit 77; }
for seed in 1 2 3; do
	run_uos "$out" "$err" --pids 64 --memory 1G -- "$fuzzer" "$seed" 1500
	check "seed $seed: exit status 0 (got $status)" [ "$status" -eq 0 ]
	check "seed $seed: the fuzzer ran to its end" grep -q "^fuzz done" "$out"
	if grep -qE "AddressSanitizer|runtime error|LeakSanitizer|BUG" "$err"; then
		fail "seed $seed: uos reported an internal error"
		show_file "stderr" "$err"
	fi
	check "seed $seed: the host is untouched" [ ! -e /tmp/fz ]
done
done_exit
