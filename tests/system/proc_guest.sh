#!/usr/bin/env bash
# proc_guest.sh EXE [UOS-OPTS]: the issue-5 guest program EXE prints the same
# natively and under uos (with UOS-OPTS, e.g. "--init").
. "$(dirname "$0")/lib.sh"
exe=$1
shift
exec "$DIFFTEST" --expect-status 0 ${1:+--uos-opts "$1"} -- "$exe"
