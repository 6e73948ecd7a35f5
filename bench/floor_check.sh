#!/usr/bin/env bash
# A floor ($FLOOR: bench/floor or bench/notify_floor) runs programs as they
# run natively: the same output and exit status (128 + the signal when
# killed), signals delivered to their handlers, threads and child processes
# followed, a stopped child resumed by SIGCONT.
FLOOR=${FLOOR:?FLOOR must name the floor binary}
failed=0

# same WHAT CMD...: CMD prints the same and exits the same natively and under the floor.
same() {
	local what=$1 nout nst fout fst
	shift
	nout=$("$@" 2>&1)
	nst=$?
	fout=$("$FLOOR" "$@" 2>&1)
	fst=$?
	if [ "$nout" = "$fout" ] && [ "$nst" = "$fst" ]; then
		echo "ok: $what (exit $fst)"
	else
		echo "FAIL: $what: native exit $nst [$nout], floor exit $fst [$fout]"
		failed=1
	fi
}

same "exit status" /bin/sh -c 'exit 3'
same "killed by a signal" /bin/sh -c 'kill -9 $$'
same "a pipeline of children" /bin/sh -c 'find /usr/share/doc -type f | sort | head -c 2000 | wc -l'
same "a signal reaches its handler" /bin/sh -c 'trap "echo got USR1" USR1; kill -USR1 $$; echo after'
# Not under bench/notify_floor (NO_STOP_CASE): a call a signal meets before the supervisor
# has received it may fail with EINTR there, as dash's kill -CONT does (bench/README.md).
if [ -z "$NO_STOP_CASE" ]; then
	same "stopped and continued" /bin/sh -c 'sleep 0.2 & p=$!; kill -STOP $p; kill -CONT $p; wait $p; echo $?'
fi
"$FLOOR" /nonexistent/program 2>/dev/null
st=$?
if [ "$st" = 127 ]; then echo "ok: a missing program (exit 127)"; else echo "FAIL: a missing program: exit $st"; failed=1; fi
if command -v python3 >/dev/null; then
	same "threads" python3 -c 'import threading
t = [threading.Thread(target=print, args=(i,)) for i in range(4)]
[x.start() or x.join() for x in t]'
fi
exit $failed
