#!/usr/bin/python3
"""Compare uos's /proc/self/maps with the host kernel's view of the same guest.

Usage: proc_maps_vs_host.py PROGRAM [ARG]  (PROGRAM: maps_print_block, any variant)
       proc_maps_vs_host.py --cat      (the guest is `/bin/cat /proc/self/maps -`)

Starts `$UOS -- PROGRAM` with a pipe on stdin. The guest prints its
/proc/self/maps (as uos renders it), then "END", then blocks reading stdin.
Meanwhile this script reads the host's /proc/<pid>/maps of the guest process
(the child of the uos process) and compares the region lists: start-end,
permissions, offset, and the name where the host shows a file path. The
[stack] region is compared by its end only, as the host grows it on demand.
Then stdin is closed and the guest exits. Exit 0 on a match, 1 otherwise.

With --cat the guest is the host's own /bin/cat: "END" is written to its
stdin at once, so cat prints its maps, copies END from stdin, and then blocks
reading stdin while the host's view is taken.
"""
import os
import subprocess
import sys
import time


def host_children(pid):
    """Host pids whose parent is pid."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after it
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            kids.append(int(d))
    return kids


def parse(text):
    """Lines of maps text -> list of (start, end, perms, offset, name)."""
    regions = []
    for line in text.splitlines():
        parts = line.split(None, 5)
        if len(parts) < 5:
            raise ValueError(f"malformed maps line: {line!r}")
        start, end = (int(x, 16) for x in parts[0].split("-"))
        name = parts[5].strip() if len(parts) > 5 else ""
        regions.append((start, end, parts[1], int(parts[2], 16), name))
    return regions


def key(r, host_name):
    """What must agree for one region."""
    start, end, perms, off, _ = r
    if host_name == "[stack]":
        start = None
    name = host_name if host_name.startswith("/") and not host_name.startswith("/memfd:") else ""
    if name.endswith(" (deleted)"):
        name = ""
    return (start, end, perms, off, name)


def fmt(k):
    start, end, perms, off, name = k
    s = "?" * 12 if start is None else f"{start:012x}"
    return f"{s}-{end:012x} {perms} {off:08x} {name}"


def compare(guest_regions, host_regions):
    """Return a list of difference lines (empty when equal)."""
    want = [key(r, r[4]) for r in host_regions]
    names = {(r[0], r[1]): r[4] for r in host_regions}
    stack_end = {r[1] for r in host_regions if r[4] == "[stack]"}
    got = []
    for r in guest_regions:
        host_name = names.get((r[0], r[1]), "")
        if r[4] == "[stack]" and r[1] in stack_end:
            host_name = "[stack]"
        got.append(key(r, host_name))
    diff = []
    for k in want:
        if k not in got:
            diff.append("- host only: " + fmt(k))
    for k in got:
        if k not in want:
            diff.append("+ uos only:  " + fmt(k))
    return diff


def read_until_end(stream, timeout):
    lines, deadline = [], time.time() + timeout
    while time.time() < deadline:
        line = stream.readline()
        if not line or line == "END\n":
            return "".join(lines), line == "END\n"
        lines.append(line)
    return "".join(lines), False


def main():
    cmd = ["/bin/cat", "/proc/self/maps", "-"] if sys.argv[1] == "--cat" else sys.argv[1:]
    uos = (os.environ.get("UOS_FORCE") or os.environ.get("UOS")
           or os.path.join(os.path.dirname(__file__), "../../build/supervisor/uos"))
    p = subprocess.Popen([uos, "--"] + cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    try:
        if sys.argv[1] == "--cat":
            p.stdin.write("END\n")
            p.stdin.flush()
        guest_text, complete = read_until_end(p.stdout, 30)
        if not complete:
            print("FAIL: the guest did not print its maps and END")
            print(guest_text)
            return 1
        kids = host_children(p.pid)
        # With a stand-in uos that execs the program, the guest is p itself.
        gpid = kids[0] if len(kids) == 1 else p.pid
        if len(kids) > 1:
            print(f"FAIL: uos has {len(kids)} host children, expected 1")
            return 1
        with open(f"/proc/{gpid}/maps") as f:
            host_text = f.read()
    finally:
        p.stdin.close()
        p.stdout.close()
        status = p.wait(timeout=30)
    print("--- uos /proc/self/maps:\n" + guest_text)
    print("--- host /proc/PID/maps:\n" + host_text)
    diff = compare(parse(guest_text), parse(host_text))
    for line in diff:
        print(line)
    if status != 0:
        print(f"FAIL: guest exit status {status}")
        return 1
    if diff:
        print("FAIL: region lists differ")
        return 1
    print(f"ok: {len(parse(host_text))} regions agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
