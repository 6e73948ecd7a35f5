"""Checks for the Python parts of the whole-program tests (as lib.sh's check).

check(what, ok) prints "ok: what" or "FAIL: what" and remembers a failure;
finish() exits 1 if any check failed, else 0.  Scripts that run Python
from bash put this directory on PYTHONPATH ("$DONE_DIR").
"""
import sys

failed = False


def check(what, ok):
    global failed
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    failed |= not ok


def finish():
    sys.exit(1 if failed else 0)
