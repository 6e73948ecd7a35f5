#!/usr/bin/env bash
# script(1) from util-linux, natively and as a guest (`uos /usr/bin/script`,
# so that the pty it opens is uos's own): the terminal its command sees (tty,
# stty -a, stty size and setting it), what script copies from its stdin to
# the terminal (echoed, then read by the shell), -e's exit status, and the
# typescript file. Outputs compared with the pts number and dates
# normalised; stdin is /dev/null or a pipe, so that rows and columns are 0 on
# both sides (no host terminal size is copied).
. "$(dirname "$0")/lib.sh"
need_tools script
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
norm() {
	sed -E -e 's#/dev/pts/[0-9]+#/dev/pts/X#g' \
		-e 's/ on [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}[^ ]* / on DATE /'
}

# run SIDE NAME CMD...: CMD natively (SIDE native) or its program under uos.
run() {
	local side=$1 name=$2
	shift 2
	if [ "$side" = uos ]; then
		set -- "$UOS" "$@"
	fi
	timeout 60 "$@" 2>"$dir/$name.err.$side" | norm >"$dir/$name.$side"
	echo "status ${PIPESTATUS[0]}" >>"$dir/$name.$side"
}

for side in native uos; do
	run "$side" stty /usr/bin/script -qc 'tty; stty -a' /dev/null </dev/null
	printf 'typed line\n' >"$dir/input"
	run "$side" input /usr/bin/script -qc \
		'read x; echo got $x; stty size; stty rows 24 cols 80; stty size' /dev/null <"$dir/input"
	run "$side" exit-status /usr/bin/script -qec 'echo before exit; exit 3' /dev/null </dev/null
	# The typescript: written and read back in the same run (under uos the
	# file stays in uos's overlay).
	run "$side" typescript /bin/sh -c \
		"script -qc 'echo to-file; tty' '$dir/ts.$side' >/dev/null && cat '$dir/ts.$side'" </dev/null
done
for name in stty input exit-status typescript; do
	same_output "$name" "$dir"
done
check "native script printed its tty" grep -q '^/dev/pts/X' "$dir/stty.native"
check "native -e gave the exit status" grep -q '^status 3$' "$dir/exit-status.native"
checks_exit
