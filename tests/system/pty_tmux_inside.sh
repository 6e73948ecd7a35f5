#!/usr/bin/env bash
# A tmux server started inside uos: its panes are ptys of uos's devpts, the
# shell in them a session leader with that pty as controlling terminal. A
# guest sh starts a detached session of 80x24, types commands into its pane
# with send-keys, polls capture-pane until the last output shows (bounded),
# prints the pane and kills the server. The same script natively; the panes
# must be equal (pts number normalised).
. "$(dirname "$0")/lib.sh"
need_tools tmux
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The guest script: $1 is the scratch directory (tmux's socket directory).
# Each command is typed once the shell shows its prompt after the previous
# one's output (else the typed line's echo would come before the prompt):
# settled MARKER polls capture-pane until a line is MARKER and the last
# non-empty line is the bare prompt; at most 300 polls 0.1 s apart.
script='
export TMUX_TMPDIR=$1
t() { tmux -L s -f /dev/null "$@"; }
settled() {
	i=0
	while [ $i -lt 300 ]; do
		t capture-pane -p >"$1/pane" 2>&1
		if grep -qx "$2" "$1/pane" &&
			[ "$(grep -v "^$" "$1/pane" | tail -n 1)" = "pane\$" ]; then
			return 0
		fi
		sleep 0.1
		i=$((i+1))
	done
	echo "timeout waiting for $2"
	return 1
}
t new-session -d -x 80 -y 24 "env -i PATH=/usr/bin:/bin TERM=screen HOME=/tmp PS1=\"pane\$ \" /bin/sh" ||
	{ echo "new-session failed"; exit 1; }
settled "$1" "pane\\$"
t send-keys "echo hello-\$((6*7))" Enter
settled "$1" hello-42
t send-keys "tty; stty size" Enter
settled "$1" "24 80"
t send-keys "sleep 0 | cat; echo done-\$((2+3))" Enter
settled "$1" done-5
sed -e "s#/dev/pts/[0-9]*#/dev/pts/X#" "$1/pane"
t kill-server
echo "kill-server status $?"
'

run() { # SIDE: the script natively or under uos, into $dir/tmux.SIDE
	local side=$1 pre=()
	[ "$side" = uos ] && pre=("$UOS")
	mkdir -p "$dir/$side"
	env -u TMUX timeout 90 "${pre[@]}" /bin/sh -c "$script" sh "$dir/$side" </dev/null \
		>"$dir/tmux.$side" 2>"$dir/err.$side"
	echo "status $?" >>"$dir/tmux.$side"
}
run native
run uos
check "native pane shows hello-42" grep -q '^hello-42$' "$dir/tmux.native"
check "uos pane shows hello-42" grep -q '^hello-42$' "$dir/tmux.uos"
check "uos pane shows the pane's size" grep -q '^24 80$' "$dir/tmux.uos"
check "uos pane shows the last command's output" grep -q '^done-5$' "$dir/tmux.uos"
[ -s "$dir/err.uos" ] && show_file "uos stderr" "$dir/err.uos"
same_output tmux "$dir"
checks_exit
