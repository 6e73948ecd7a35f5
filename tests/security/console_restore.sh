#!/usr/bin/env bash
# console_restore.sh [CASE...]: uos in a host pseudo-terminal that this test
# makes (console_restore.py, python3): as the foreground job uos puts the
# host terminal in raw mode for its console and must give it back exactly as
# it was, whatever happens: a normal exit, the guest killed by SIGKILL,
# SIGTERM to uos (the guest dying of it or ignoring it), a guest that left
# its own terminal raw (`stty raw -echo`, a new size), a ^Z that stops uos
# with its program (the host's settings back while it is stopped, raw again
# on SIGCONT).  In the background of the terminal (not its foreground group)
# uos makes no console: the settings never change and it never stops.
# flood-term: the guest floods a terminal nobody reads; SIGTERM still ends
# uos at once.  The cases are console_restore.py's (its docstring).
. "$(dirname "$0")/lib.sh"
need_tools /usr/bin/python3
# no programs to copy: the guests are the host's /bin/sh, stty and python3
# shellcheck disable=SC2119
sec_setup
if ! TMPDIR=$W/watch /usr/bin/python3 "$SEC_DIR/console_restore.py" "$UOS" "$@" </dev/null; then
	checks_failed=1
fi
sec_check_host
checks_exit
