#!/usr/bin/env bash
# Issue 5: Python's subprocess.run pipelines and threading with a Queue.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import subprocess, threading, queue
r = subprocess.run("seq 1 1000 | grep 7 | wc -l", shell=True, capture_output=True, text=True)
print("pipeline", r.stdout.strip(), r.returncode)
p1 = subprocess.Popen(["seq", "1", "50"], stdout=subprocess.PIPE)
p2 = subprocess.run(["tail", "-2"], stdin=p1.stdout, capture_output=True, text=True)
p1.stdout.close(); p1.wait()
print("popen", p2.stdout.split(), p1.returncode)
print("exit", subprocess.run(["sh", "-c", "exit 3"]).returncode)
q, out = queue.Queue(), queue.Queue()
def work():
    while (item := q.get()) is not None:
        out.put(item * item)
ts = [threading.Thread(target=work) for _ in range(8)]
for t in ts: t.start()
for i in range(1000): q.put(i)
for t in ts: q.put(None)
for t in ts: t.join()
total = 0
while not out.empty(): total += out.get()
print("threads", total)
'
