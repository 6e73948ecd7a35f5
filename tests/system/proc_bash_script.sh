#!/usr/bin/env bash
# Issue 5: a bash script with 300 fork+exec, here-docs, subshells, command
# substitution, a trap on USR1 sent to itself, and set -m job control.
. "$(dirname "$0")/lib.sh"
script=$(mktemp "${TMPDIR:-/tmp}/proc_bash_script.XXXXXX")
trap 'rm -f "$script"' EXIT
cat >"$script" <<'SCRIPT'
n=0
for i in $(seq 1 300); do
	/bin/true && n=$((n + 1))
done
echo "execs: $n"
cat <<HERE
here-doc line one, n=$n
	tabbed line
HERE
cat <<-'QUOTED'
	quoted $n stays
	QUOTED
x=$( (echo sub; (echo subsub)) | tr a-z A-Z)
echo "subshells: $x"
trap 'echo got' USR1
kill -USR1 $$
echo "after trap"
set -m
sleep 5 &
job=$!
kill -STOP %1
sleep 0.1
jobs -l | sed 's/[0-9][0-9]* Stopped.*/PID Stopped/; s/\[1\]+ *[0-9]*/[1]+ PID/' | head -1
kill -CONT %1
kill %1
wait $job # by pid: bash keeps a reaped job's status, while %1 may be gone once reported
echo "killed job: $?"
(exit 7)
echo "status: $?"
SCRIPT
exec "$DIFFTEST" --expect-status 0 -- /bin/bash "$script"
