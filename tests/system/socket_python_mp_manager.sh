#!/usr/bin/env bash
# Issue 10: multiprocessing.Manager serves shared objects from a server
# process over an AF_UNIX socket (authenticated with an HMAC handshake); a
# pool of workers updates a managed dict and list.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import multiprocessing as mp

def work(d, l, i):
    d[i] = i * i
    l.append(i)

if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Manager() as m:
        d, l = m.dict(), m.list()
        ps = [mp.Process(target=work, args=(d, l, i)) for i in range(4)]
        [p.start() for p in ps]
        [p.join() for p in ps]
        print(sorted(d.items()), sorted(l), [p.exitcode for p in ps])
        q = m.Queue()
        q.put("via queue")
        print(q.get())
'
