#!/usr/bin/env bash
# Serial scheduling has no deadlock with vfork, exec or parked tasks: shells
# that vfork (dash runs commands with vfork, bash pipelines and jobs),
# Python's subprocess (vfork) and posix_spawn (CLONE_VM|CLONE_VFORK) finish
# under 50 seeds each, every run within a timeout.  A vfork parent is not
# runnable until its child execs or exits, so it must not hold the one CPU
# its child waits for.
#   vfork_seeds.sh [FIRST_SEED [COUNT]]   (uos from $UOS)
set -u
uos=${UOS:?set UOS to the uos binary}
first=${1:-1}
count=${2:-50}
failed=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# run NAME WANT SEED CMD...: CMD under --sched=serial:SEED prints WANT (its
# words sorted, so that the order of parallel jobs does not matter).
run() {
	local name=$1 want=$2 seed=$3 got st
	shift 3
	timeout -s KILL 30 "$uos" --sched=serial:"$seed" "$@" </dev/null >"$tmp" 2>&1
	st=$?
	got=$(tr -s ' \n' '\n\n' <"$tmp" | sed '/^$/d' | sort | tr '\n' ' ')
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name, seed $seed: got '$got' (uos status $st; 137: killed by the timeout), want '$want'"
		failed=1
	fi
}

py='import os, subprocess
print(subprocess.run(["/bin/echo", "sub"], capture_output=True).stdout.decode().strip())
p = os.posix_spawn("/bin/echo", ["echo", "spawn"], os.environ)
print("status", os.waitpid(p, 0)[1])'

for seed in $(seq "$first" $((first + count - 1))); do
	run "sh: a job and a command" "x y " "$seed" /bin/sh -c '/bin/echo x & /bin/echo y; wait'
	run "sh: a pipeline" "50 " "$seed" /bin/sh -c 'seq 1 50 | sort -n | uniq | wc -l'
	run "bash: pipelines and jobs" "18 19 20 a b c " "$seed" /bin/bash -c \
		'seq 1 20 | sort -rn | head -n 3; /bin/echo a & /bin/echo b | cat & wait; echo c | cat'
	run "python3: subprocess and posix_spawn" "0 spawn status sub " "$seed" /usr/bin/python3 -c "$py"
done
[ $failed = 0 ] && echo "ok: 4 vforking commands finished under seeds $first..$((first + count - 1))"
exit $failed
