#!/usr/bin/env bash
# Misuse gives one line "uos: ..." on stderr and a shell-like status:
# 127 when the program cannot be found, 126 when it is there but cannot be
# executed, 2 for bad usage (no program, a bad option value).
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'just text\nno #! line\n' >"$tmp/notelf"
chmod +x "$tmp/notelf"

# expect WANT-STATUS|nonzero DESCRIPTION UOS-ARGS...
expect() {
	local want=$1 what=$2
	shift 2
	run_uos "$tmp/out" "$tmp/err" "$@"
	show_file "$what: stderr" "$tmp/err"
	if [ "$want" = nonzero ]; then
		check "$what: status non-zero (got $status)" [ "$status" -ne 0 ]
	else
		check "$what: status $want (got $status)" [ "$status" -eq "$want" ]
	fi
	check "$what: one line on stderr" [ "$(wc -l <"$tmp/err")" -eq 1 ]
	check "$what: starts with 'uos: '" grep -q "^uos: " "$tmp/err"
}

expect 2 "no program (usage)"
expect 127 "missing program" /nonexistent
expect 127 "missing program on PATH" uos-no-such-command-anywhere
expect 126 "not executable" /etc/passwd
expect 126 "executable but not ELF, no #!" "$tmp/notelf"
expect 126 "a directory" /etc
expect 2 "--host-user root" --host-user 0:5 /bin/true
expect 2 "--host-user not a number" --host-user x /bin/true
expect 2 "--host-user with --no-contain" --host-user 5000 --no-contain /bin/true
checks_exit
