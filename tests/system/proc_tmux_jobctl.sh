#!/usr/bin/env bash
# Issue 5: job control typed at a real terminal.  tmux runs `uos /bin/bash -i`
# in a detached session; we type sleep 100, Ctrl-Z, bg, jobs, fg, Ctrl-C and
# exit, and read the screen with capture-pane after each step.
. "$(dirname "$0")/lib.sh"
need_tools tmux
sock=uos-jobctl-$$
sess=jobctl
screen=$(mktemp)
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null; rm -f "$screen"' EXIT

# wait_for REGEX: poll the screen until REGEX shows up (10 s at most).
wait_for() {
	for _ in $(seq 1 100); do
		t capture-pane -p -t "$sess" >"$screen" 2>/dev/null
		grep -qE "$1" "$screen" && return 0
		sleep 0.1
	done
	return 1
}
step() {
	local what=$1 regex=$2
	if wait_for "$regex"; then
		pass "$what"
	else
		fail "$what (no /$regex/ on the screen)"
		show_file screen "$screen"
	fi
}

t new-session -d -s "$sess" -x 100 -y 30 \
	"env -i TERM=xterm HOME=/tmp PS1='uos-prompt\$ ' $UOS /bin/bash --norc --noprofile -i"
step "prompt" 'uos-prompt\$'
t send-keys -t "$sess" 'sleep 100' Enter
sleep 0.5
t send-keys -t "$sess" C-z
step "Ctrl-Z stops the job" 'Stopped +sleep 100'
t send-keys -t "$sess" 'bg' Enter
step "bg resumes it" '\[1\]\+ sleep 100 &'
t send-keys -t "$sess" 'jobs' Enter
step "jobs lists it running" '\[1\]\+ +Running +sleep 100 &'
t send-keys -t "$sess" 'fg' Enter
sleep 0.5
t send-keys -t "$sess" C-c
t send-keys -t "$sess" 'echo status=$?' Enter
step "Ctrl-C ends it, prompt back" 'status=130'
t send-keys -t "$sess" 'exit' Enter
for _ in $(seq 1 50); do
	t has-session -t "$sess" 2>/dev/null || break
	sleep 0.1
done
check "exit ends the session" sh -c "! tmux -L $sock has-session -t $sess 2>/dev/null"
checks_exit
