#!/usr/bin/env bash
# fuzz_syscalls.sh FUZZER [OPTIONS]: random system calls with edge-case
# arguments (fuzz_syscalls.c) under uos, one uos per seed: uos must survive
# every seed with no sanitizer report or internal error and within a time
# limit (no hang), the fuzzer must end normally ("fuzz done"), and the host
# must be untouched (the fuzzer's path /tmp/fz never appears).
#
#   --seeds A-B|A,B,...  the seeds to run (default 1-3)
#   --for SECONDS        instead: consecutive seeds from --from (default 1)
#                        until SECONDS have passed (the long job, bench/fuzz-long)
#   --calls N            calls per seed (default 1500)
#   --jobs N             seeds run at once (default 1)
#   --serial-every K     every K-th seed runs under --sched=serial:SEED (default 0: none)
#   --seed-timeout S     a seed still running after S seconds is a hang (default 300)
#
# Prints a line per failure with the command that reproduces it, then a
# summary: seeds run, calls made, failures.  Exits 1 when a seed failed.
# The uos binary comes from $UOS (lib.sh).
. "$(dirname "$0")/lib.sh"
fuzzer=${1:?usage: fuzz_syscalls.sh FUZZER [--seeds A-B] [--for SECONDS] ...}
shift
seeds=1-3 duration= from=1 calls=1500 jobs=1 serial_every=0 seed_timeout=300
while [ $# -gt 0 ]; do
	case $1 in
	--seeds) seeds=$2; shift 2 ;;
	--for) duration=$2; shift 2 ;;
	--from) from=$2; shift 2 ;;
	--calls) calls=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--serial-every) serial_every=$2; shift 2 ;;
	--seed-timeout) seed_timeout=$2; shift 2 ;;
	*) echo "fuzz_syscalls.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -e /tmp/fz ] && { echo "skip: /tmp/fz exists on the host"; exit 77; }
# Sanitizer reports must end the run that triggered them (as scripts/test sets them).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# uos_args SEED: the uos options of one seed's run.
uos_args() {
	local a=(--pid1 --pids 64 --memory 1G)
	if [ "$serial_every" -gt 0 ] && [ $(($1 % serial_every)) -eq 0 ]; then
		a+=(--sched=serial:$1)
	fi
	echo "${a[@]}"
}

# run_seed SEED: one uos; writes $work/SEED.result ("ok CALLS" or "FAIL why").
run_seed() {
	local seed=$1 out=$work/$1.out err=$work/$1.err why=
	# shellcheck disable=SC2046
	timeout -k 10 "$seed_timeout" "$UOS" $(uos_args "$seed") -- "$fuzzer" "$seed" "$calls" \
		</dev/null >"$out" 2>"$err"
	local st=$?
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:|uos: internal error" "$err"; then
		why="uos reported an internal error"
	elif [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		why="hang: still running after ${seed_timeout}s"
	elif [ "$st" -ne 0 ]; then
		why="exit status $st"
	elif ! grep -q "^fuzz done" "$out"; then
		why="the fuzzer did not reach its end"
	elif [ -e /tmp/fz ]; then
		why="the host was touched: /tmp/fz exists"
	fi
	if [ -z "$why" ]; then
		echo "ok $(sed -n 's/^fuzz done: .* \([0-9]*\) calls$/\1/p' "$out")" >"$work/$seed.result"
		rm -f "$out" "$err"
	else
		echo "FAIL $why" >"$work/$seed.result"
	fi
}

# report SEED: print a failed seed's reason, reproducer and report lines.
report() {
	local seed=$1
	fail "seed $seed: $(cut -d' ' -f2- "$work/$seed.result")"
	echo "  reproduce: UBSAN_OPTIONS=$UBSAN_OPTIONS ASAN_OPTIONS=$ASAN_OPTIONS" \
		"$UOS $(uos_args "$seed") -- $fuzzer $seed $calls"
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:|uos: internal error" "$work/$seed.err"; then
		grep -E -A12 "AddressSanitizer|LeakSanitizer|runtime error:|uos: internal error" \
			"$work/$seed.err" | head -n 24
	else
		grep -v "unsupported syscall" "$work/$seed.err" | tail -n 8
	fi | sed 's/^/  | /'
}

# The seeds: a list, or consecutive ones for a duration.
list=()
if [ -z "$duration" ]; then
	IFS=, read -ra parts <<<"$seeds"
	for p in "${parts[@]}"; do
		if [[ $p == *-* ]]; then list+=($(seq "${p%-*}" "${p#*-}")); else list+=("$p"); fi
	done
fi
start=$SECONDS
next=0 seed=$from
running=0
while :; do
	if [ -n "$duration" ]; then
		[ $((SECONDS - start)) -lt "$duration" ] || break
		s=$seed
		seed=$((seed + 1))
	else
		[ "$next" -lt "${#list[@]}" ] || break
		s=${list[$next]}
		next=$((next + 1))
	fi
	run_seed "$s" 2>/dev/null & # (bash's "Aborted" notes; the seed's stderr is kept in $work)
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

nseeds=0 ncalls=0 nfailed=0
for r in "$work"/*.result; do
	[ -e "$r" ] || continue
	s=$(basename "$r" .result)
	nseeds=$((nseeds + 1))
	read -r verdict n <"$r"
	if [ "$verdict" = ok ]; then
		ncalls=$((ncalls + n))
	else
		nfailed=$((nfailed + 1))
		report "$s"
	fi
done
echo "fuzz summary: $nseeds seeds, $ncalls calls made in the passing ones, $nfailed failed," \
	"$((SECONDS - start)) s ($jobs at once; uos $UOS)"
[ "$nseeds" -gt 0 ] || fail "no seed ran"
checks_exit
