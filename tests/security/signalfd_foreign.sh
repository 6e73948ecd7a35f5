#!/usr/bin/env bash
# signalfd_foreign.sh PROGRAM: splice and sendfile from a signalfd whose
# creator is another task, running or parked in another process (see
# signalfd_foreign.c).  Linux says EINVAL and reads only the caller's
# signals; under uos nothing may be injected into a task that is not the
# caller: no internal error, the parent keeps its signal, status 0.
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
sec_run 30 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "every answer was Linux's" grep -q "^signalfd_foreign: 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
