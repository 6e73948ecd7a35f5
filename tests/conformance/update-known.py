#!/usr/bin/python3
"""Regenerate known-failures.txt from a `uos conform --json FILE` run.

usage: update-known.py RESULTS.json [known-failures.txt]

Cases that pass natively but not under uos are listed, one per line:
`area/name  reason`.  A case already listed keeps its hand-written reason;
a new one gets a reason derived from its failure detail (edit it to say
why).  Cases that now pass are dropped, so the file only ever shrinks as
uos grows.
"""
import json
import os
import re
import sys

HEADER = """\
# Conformance cases that pass natively but fail under uos today, one per line:
#   area/name  reason
# `meson test conformance` fails on any other case that passes natively and
# not under uos.  Regenerate after a run with:
#   uos conform --json r.json build/tests/conformance; tests/conformance/update-known.py r.json
"""


def reason(detail, result):
    if result == "timeout":
        return "hangs under uos (killed at the timeout)"
    if "missing from uos output" in detail:
        return "uos run ended early: " + detail.split("(", 1)[-1].split(")")[0]
    m = re.search(r"# (.*) \(line \d+\)$", detail)
    d = m.group(1) if m else detail
    if "scratch directory" in d and "EROFS" in d:
        return "EROFS: read-only root until the VFS milestone (needs a writable scratch dir)"
    if "EROFS" in d:
        return "EROFS: read-only root until the VFS milestone"
    if "ENOSYS" in d:
        call = re.match(r"(?:syscall\((SYS_\w+)|(\w+)\()", d)
        name = (call.group(1) or call.group(2)) if call else "a call"
        return "ENOSYS: %s not implemented in uos yet" % name.replace("SYS_", "")
    if "pty(&m): failed with ENOENT" in d:
        return "no /dev/ptmx (devpts) in uos yet"
    if "ECHILD" in d:
        return "fork/wait bookkeeping: uos does not see the child yet (ECHILD)"
    return "differs under uos: " + d[:100]


def main():
    results = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "known-failures.txt")
    old = {}
    if os.path.exists(path):
        for line in open(path):
            if line.strip() and not line.startswith("#"):
                name, _, why = line.strip().partition(" ")
                old[name] = why.strip()
    cases = json.load(open(results))["cases"]
    rows = []
    for c in cases:
        if c["native"] == "pass" and c["uos"] not in ("pass", "skip"):
            rows.append((c["name"], old.get(c["name"]) or reason(c["detail"], c["uos"])))
    width = max([len(n) for n, _ in rows] + [0]) + 2
    with open(path, "w") as f:
        f.write(HEADER)
        for name, why in sorted(rows):
            f.write("%-*s%s\n" % (width, name, why))
    gone = sorted(set(old) - {n for n, _ in rows})
    print("%d known failures written to %s; %d removed (now pass): %s"
          % (len(rows), path, len(gone), " ".join(gone)))


main()
