#!/usr/bin/env bash
# Pseudo-terminals from Python (pty_python.py): pty.fork and pty.spawn of a
# shell that prints tty and stty -a and reads a typed line; os.openpty with
# termios round trips, tty.setraw, TIOCSWINSZ/TIOCGWINSZ, SIGWINCH, VINTR and
# VEOF. Run natively (the host's devpts) and under uos (uos's own), the
# outputs compared with the pts number normalised (/dev/pts/N -> /dev/pts/X).
. "$(dirname "$0")/lib.sh"
need_tools /usr/bin/python3
py=$DONE_DIR/pty_python.py
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
norm() { sed -E 's#/dev/pts/[0-9]+#/dev/pts/X#g'; }

timeout 60 /usr/bin/python3 "$py" </dev/null 2>"$dir/err.native" | norm >"$dir/pty.native"
st_native=${PIPESTATUS[0]}
timeout 120 "$UOS" /usr/bin/python3 "$py" </dev/null 2>"$dir/err.uos" | norm >"$dir/pty.uos"
st_uos=${PIPESTATUS[0]}
[ "$st_native" = 0 ] || { fail "native run exited $st_native"; show_file "native stderr" "$dir/err.native"; }
[ "$st_uos" = 0 ] || { fail "uos run exited $st_uos"; show_file "uos stderr" "$dir/err.uos"; }
check "the native run reached its end" grep -q '^== done$' "$dir/pty.native"
check "no wait timed out natively" sh -c "! grep -q TIMEOUT '$dir/pty.native'"
same_output pty "$dir"
checks_exit
