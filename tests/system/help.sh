#!/usr/bin/env bash
# uos --help prints usage on stdout and exits 0; --syscalls prints the table.
. "$(dirname "$0")/lib.sh"

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

run_uos "$out" "$err" --help
show_file "uos --help" "$out"
check "--help exits 0 (got $status)" [ "$status" -eq 0 ]
check "--help prints a usage line" grep -qi "usage" "$out"
# Every option uos takes (main.c's getopt table, but those marked hidden) and
# every subcommand is in the help.
for opt in $(grep '^[[:space:]]*{"[a-z-]*", ' "$DONE_DIR/../../supervisor/cli/main.c" | grep -v hidden |
	grep -o '{"[a-z-]*"' | tr -d '{"'); do
	grep -q -- "--$opt\b" "$out" || fail "--help lacks --$opt"
done
for sub in mkfs fsck conform; do
	check "--help names uos $sub" grep -q "uos $sub " "$out"
done
run_uos "$out" "$err" --syscalls
check "--syscalls exits 0 (got $status)" [ "$status" -eq 0 ]
check "--syscalls has the read row" grep -Eq "^ *0 +read +(FULL|PARTIAL|HOST|NONE)" "$out"
check "--syscalls has the execve row" grep -Eq "^ *59 +execve +" "$out"
check "--syscalls starts with the containment line" grep -q "^# containment: " <(head -n 1 "$out")
run_uos "$out" "$err" --syscalls --contain
show_file "uos --syscalls --contain (first line)" <(head -n 1 "$out")
check "--syscalls --contain names no_new_privs" grep -q "^# containment: .*no_new_privs" "$out"
checks_exit
