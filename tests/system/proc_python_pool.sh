#!/usr/bin/env bash
# Issue 5: multiprocessing.Pool(4) with fork.  Needs /dev/shm in uos's devfs
# (being added by another engineer): EXPECTED TO FAIL until then.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import multiprocessing as mp
def sq(x): return x * x
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(4) as p:
        print(sum(p.map(sq, range(100))))
'
