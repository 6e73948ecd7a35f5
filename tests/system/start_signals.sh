#!/usr/bin/env bash
# The first guest starts with the signals uos was started ignoring and
# blocking, as a program its parent exec'd would (an exec keeps SIG_IGN and
# the mask): `nohup uos prog` ignores SIGHUP, a background job of a script
# ignores SIGINT and SIGQUIT.  A launcher ignores SIGQUIT and SIGUSR2 and
# blocks SIGUSR1 and SIGWINCH, then execs a probe natively and under uos.
# Before, uos gave the guest every action SIG_DFL and an empty mask.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

launch='import os, signal, sys
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGUSR2, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGWINCH})
os.execvp(sys.argv[1], sys.argv[1:])'
probe='import signal
print("blocked", sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))
print("ignored", [n for n in range(1, 65) if n not in (9, 19) and signal.getsignal(n) == signal.SIG_IGN])'

python3 -c "$launch" python3 -c "$probe" >"$tmp/start.native" 2>&1
python3 -c "$launch" "$UOS" python3 -c "$probe" >"$tmp/start.uos" 2>&1
same_output start "$tmp"
check "the probe saw SIGQUIT ignored and SIGUSR1 blocked" \
	grep -qx 'blocked \[10, 28\]' "$tmp/start.uos"
# The books agree with the host: /proc/self/status under uos says SigIgn as the host does.
python3 -c "$launch" grep '^SigIgn' /proc/self/status >"$tmp/ign.native"
python3 -c "$launch" "$UOS" grep '^SigIgn' /proc/self/status >"$tmp/ign.uos"
same_output ign "$tmp"
checks_exit
