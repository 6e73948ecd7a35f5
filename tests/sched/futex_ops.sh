#!/usr/bin/env bash
# Serial mode keeps futex queues in uos: REQUEUE, CMP_REQUEUE, WAKE_OP and a
# word shared between processes wake the waiters they should, under 10
# seeds (the host's queues are empty there: a wake sent to them is lost and
# the guest waits for ever).
#   futex_ops.sh FUTEX_OPS_BINARY   (uos from $UOS)
set -u
uos=${UOS:?set UOS to the uos binary}
prog=$1
want='cmp_requeue with a stale value: EAGAIN
cmp_requeue moved 2
requeued waiters woken on the second word: 2
wake_op woke 1, f3 now 1
child waiting on a shared word: exit 7'
failed=0
for seed in $(seq 1 10); do
	got=$(timeout -s KILL 30 "$uos" --sched=serial:$seed "$prog" 2>&1)
	st=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: seed $seed (status $st; 137: killed by the timeout):"
		diff <(echo "$want") <(echo "$got")
		failed=1
	fi
done
got=$(timeout -s KILL 30 "$uos" "$prog" 2>&1)
[ "$got" = "$want" ] || { echo "FAIL: --sched=host:"; diff <(echo "$want") <(echo "$got"); failed=1; }
[ $failed = 0 ] && echo "ok: futex requeue, wake_op and a shared word under 10 seeds and host mode"
exit $failed
