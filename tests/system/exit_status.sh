#!/usr/bin/env bash
# Issue 14: uos exits as the program would natively, also when it kills
# itself (by default the program is not a namespace init); with --pid1 it
# is PID 1 and exits as PID 1 of a new pid namespace does (unshare).
. "$(dirname "$0")/lib.sh"
cmds=("bash -c 'kill -9 \$\$'" "sh -c 'kill -TERM \$\$; sleep 1'" "sh -c 'exit 7'"
	"python3 -c 'import os; os.abort()'" "sh -c 'kill -SEGV \$\$; exit 4'")
for c in "${cmds[@]}"; do
	eval "$c" </dev/null >/dev/null 2>&1
	native=$?
	eval "\"\$UOS\" $c" </dev/null >/dev/null 2>&1
	mine=$?
	check "$c: $mine, natively $native" [ "$mine" -eq "$native" ]
	if unshare --pid --fork true 2>/dev/null; then
		eval "unshare --pid --fork $c" </dev/null >/dev/null 2>&1
		native=$?
		eval "\"\$UOS\" --pid1 $c" </dev/null >/dev/null 2>&1
		mine=$?
		check "--pid1 $c: $mine, as PID 1 of a pid namespace $native" [ "$mine" -eq "$native" ]
	fi
done
checks_exit
