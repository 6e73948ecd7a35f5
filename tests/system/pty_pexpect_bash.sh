#!/usr/bin/env bash
# An interactive bash driven by pexpect (pty_pexpect_bash.py), the python3
# program run natively and as a guest of uos: under uos the pty is uos's own
# (devpts, line discipline, controlling terminal and job control), not the
# host's. Prompt, line editing, Ctrl-C, Ctrl-Z and fg, Ctrl-D, exit status;
# both runs must print the same check lines and all of them must pass.
. "$(dirname "$0")/lib.sh"
need_tools /usr/bin/python3 bash
/usr/bin/python3 -c 'import pexpect' 2>/dev/null || { echo "skip: python3-pexpect not installed"; exit 77; }
py=$DONE_DIR/pty_pexpect_bash.py
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

timeout 120 /usr/bin/python3 "$py" </dev/null >"$dir/bash.native" 2>"$dir/err.native"
st_native=$?
timeout 150 "$UOS" /usr/bin/python3 "$py" </dev/null >"$dir/bash.uos" 2>"$dir/err.uos"
st_uos=$?
[ "$st_native" = 0 ] || { fail "native run exited $st_native"; show_file "native output" "$dir/bash.native"; show_file "native stderr" "$dir/err.native"; }
[ "$st_uos" = 0 ] || { fail "uos run exited $st_uos"; show_file "uos stderr" "$dir/err.uos"; }
check "the native run reached its end" grep -q '^done$' "$dir/bash.native"
same_output bash "$dir"
checks_exit
