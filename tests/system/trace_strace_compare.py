#!/usr/bin/env python3
"""Compare `strace -f -qq -o NATIVE` with `uos --trace=UOS` call by call.

Usage: trace_strace_compare.py NATIVE UOS

Each trace is split into processes, named by their place in the fork tree
(the first process is "p", the second child it forked "p.2"), so that pids
and the order in which lines of different processes interleave do not
matter.  Within a process, the lines of every call are normalized
(what must differ: addresses, pids, ports, random bytes, the host name,
the sizes of directories, which are their file system's; strace's
column padding and its <unfinished ...>/<... resumed> halves) and must be
identical, in the same order: uos's trace omits nothing it serves and
prints it as strace does, calls the host runs for it (HOST rows) included.
strace's first line (the execve that starts the program, which uos does
itself and does not trace) is dropped.  The calls in IGNORED are left out on
both sides, each with its reason.  Exit status 0: identical; 1: a
difference (printed).
"""
import difflib
import re
import sys

# Calls left out, and why (documented in the test's output, not compared):
IGNORED = {
    "rseq": "uos refuses it (ENOSYS; glibc goes on without)",
}
FORKS = ("clone", "clone3", "fork", "vfork")

STRACE_LINE = re.compile(r"^(\d+)\s+(.*)$")
UOS_LINE = re.compile(r"^\[pid (\d+)\] (.*)$")
UNFINISHED = " <unfinished ...>"
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>\s?(.*)$")


def strace_calls(path):
    """(pid, text) per call, with unfinished/resumed halves joined."""
    calls, pending = [], {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = STRACE_LINE.match(line.rstrip("\n"))
        if not m or m.group(2).startswith(("---", "+++")):
            continue
        pid, text = m.group(1), m.group(2)
        if text.endswith(UNFINISHED):
            pending[pid] = len(calls)
            calls.append((pid, text[: -len(UNFINISHED)]))
            continue
        r = RESUMED.match(text)
        if r and pid in pending:
            i = pending.pop(pid)
            calls[i] = (pid, calls[i][1] + r.group(2))
            continue
        calls.append((pid, text))
    return calls[1:] if calls and calls[0][1].startswith("execve(") else calls


def uos_calls(path):
    calls = []
    for line in open(path, encoding="utf-8", errors="replace"):
        m = UOS_LINE.match(line.rstrip("\n"))
        if m:
            calls.append((m.group(1), m.group(2)))
    return calls


def name_of(text):
    return text.split("(", 1)[0]


def result_of(text):
    m = re.search(r"\s=\s(-?\d+)(\s.*)?$", text)
    return m.group(1) if m else None


def by_process(calls):
    """{fork-tree name: [(call text, {pid: fork-tree name})]}."""
    if not calls:
        return {}
    names = {calls[0][0]: "p"}
    children = {}
    procs = {}
    # a child's lines can come before its parent's clone line (uos prints at
    # exit): find every fork first
    for pid, text in calls:
        if name_of(text) in FORKS:
            child = result_of(text)
            parent = names.get(pid)
            if child and child != "-1" and parent:
                children[parent] = children.get(parent, 0) + 1
                names[child] = "%s.%d" % (parent, children[parent])
    for pid, text in calls:
        proc = names.get(pid, "unknown-" + pid)
        procs.setdefault(proc, []).append((text, names))
    return procs


def normalize(text, names):
    text = re.sub(r"\s+=\s", " = ", text)  # strace pads to column 40
    res = result_of(text)
    if name_of(text) in FORKS + ("wait4", "set_tid_address", "getpid", "gettid", "getppid"):
        # a pid outside the trace (the first process's parent) is "?"
        text = re.sub(r" = %s$" % res, " = " + names.get(res, "?"), text) if res else text
    text = re.sub(r"\{pid=(\d+), uid=", lambda m: "{pid=%s, uid=" % names.get(m.group(1), "?"), text)
    text = re.sub(r"parent_tid=\[(\d+)\]", lambda m: "parent_tid=[%s]" % names.get(m.group(1), m.group(1)), text)
    if name_of(text) in ("wait4", "kill", "tgkill"):  # pids among the first arguments
        text = re.sub(r"^(\w+\()(\d+), (?:(\d+), )?", lambda m: m.group(1) + "".join(
            names.get(p, p) + ", " for p in m.group(2, 3) if p), text)
    text = re.sub(r"port=htons\(\d+\)", "port=htons(?)", text)  # ports the kernel picks
    text = re.sub(r"0x[0-9a-f]+", "0x?", text)
    # a device's numbers are the host's (a pty's minor: whichever pts was free) or uos's own
    text = re.sub(r"makedev\([^)]*\)", "makedev(?)", text)
    text = re.sub(r'nodename="[^"]*"', 'nodename="?"', text)
    # a directory's size is its file system's (uos's /tmp is its own)
    text = re.sub(r"(st_mode=S_IFDIR\|[^,]*, st_size=)\d+", r"\g<1>?", text)
    if name_of(text) == "getrandom":
        text = re.sub(r'^getrandom\("[^"]*"', 'getrandom("?"', text)
    return text


def main(native_path, uos_path):
    native = by_process(strace_calls(native_path))
    uos = by_process(uos_calls(uos_path))
    failed = False
    for reason in sorted(set(IGNORED.items())):
        print("left out: %s: %s" % reason)
    for proc in sorted(set(native) | set(uos)):
        want = [normalize(t, n) for t, n in native.get(proc, []) if name_of(t) not in IGNORED]
        got = [normalize(t, n) for t, n in uos.get(proc, []) if name_of(t) not in IGNORED]
        if want == got:
            print("ok: process %s: %d calls identical" % (proc, len(want)))
            continue
        failed = True
        print("FAIL: process %s differs (- strace, + uos):" % proc)
        for d in difflib.unified_diff(want, got, "strace", "uos", n=1, lineterm=""):
            print("  " + d)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
