#!/usr/bin/env bash
# sock_msghdr_race.sh PROGRAM: sendmsg and recvmsg with SCM_RIGHTS while a
# sibling thread rewrites msg_iovlen, msg_controllen, cmsg_len and the fd
# numbers (see sock_msghdr_race.c).  The program checks each answer (a count
# within what was offered or Linux's errno), that every file received is one
# it sent, and that /proc/self/fd ends as it began; here: it says "0 bad"
# natively and under uos, uos ends by itself with status 0 and no internal
# error, and the host is untouched.
. "$(dirname "$0")/lib.sh"
prog=$1
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err native=$W/watch/native
"$prog" >"$native" 2>&1 </dev/null
check "the native run says 0 bad" grep -q "^sock_msghdr_race: 0 bad" "$native"
sec_run 120 "$out" "$err" --root "$W/root" -- "/$(basename "$prog")"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "every answer was Linux's, no fd leaked into the guest" grep -q "^sock_msghdr_race: 0 bad" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
