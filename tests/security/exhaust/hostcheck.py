#!/usr/bin/python3
"""hostcheck: run one exhaustion attack under uos and judge it from the host.

    hostcheck.py --expect FILE | --native [--native-tmpfs SIZE DIR]
                 [--uos-opts "OPTS"] [--limit-mib N] [--slack-mib M] [--timeout S]
                 -- PROG ARGS...

The attack PROG runs under $UOS with OPTS.  While it runs, the host's
MemAvailable (/proc/meminfo) is sampled every 10 ms: it must not fall more
than N + M MiB below what it was before the run (N the limit under test,
M slack for uos itself and the rest of the machine: 256 by default, more
for a sanitizer build, whose quarantine holds freed memory).  uos must stay responsive: the guest
finishes within S seconds and uos exits with the guest's status, 0.  What
the guest printed (results and errno names) must be FILE's text, or with
--native what the same command prints natively; --native-tmpfs runs the
native side with a tmpfs of SIZE mounted at DIR in a private mount
namespace (as `mount -t tmpfs -o size=SIZE`), to compare with uos's
--tmpfs DIR --tmpfs-size SIZE.  Exits 0 on success, 1 on failure, 77
(skipped) when the native tmpfs cannot be mounted.
"""
import argparse
import os
import subprocess
import sys
import threading
import time


def mem_available_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    raise RuntimeError("no MemAvailable in /proc/meminfo")


class Sampler(threading.Thread):
    """The lowest MemAvailable seen until stop()."""

    def __init__(self):
        super().__init__(daemon=True)
        self.low = mem_available_kib()
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.low = min(self.low, mem_available_kib())
            time.sleep(0.01)

    def stop(self):
        self.done.set()
        self.join()
        self.low = min(self.low, mem_available_kib())


def run(cmd, timeout):
    """(status, stdout, stderr, seconds); status None on a timeout."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, time.monotonic() - start
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, out, err, time.monotonic() - start


def native_output(args, prog):
    if not args.native_tmpfs:
        status, out, err, _ = run(prog, args.timeout)
        return status, out, err
    size, where = args.native_tmpfs
    script = 'mount -t tmpfs -o size="$0" tmpfs "$1" && shift && exec "$@"'
    status, out, err, _ = run(["unshare", "--mount", "--propagation", "private", "--",
                               "sh", "-c", script, size, where] + prog, args.timeout)
    if status != 0 and not out:
        print(f"hostcheck: cannot mount a native tmpfs ({err.strip()}): skipped")
        sys.exit(77)
    return status, out, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uos-opts", default="")
    ap.add_argument("--limit-mib", type=int, default=0)
    ap.add_argument("--slack-mib", type=int, default=256)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--expect")
    ap.add_argument("--native", action="store_true")
    ap.add_argument("--native-tmpfs", nargs=2, metavar=("SIZE", "DIR"))
    ap.add_argument("prog", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    prog = args.prog[1:] if args.prog[:1] == ["--"] else args.prog
    uos = os.environ.get("UOS_FORCE") or os.environ.get("UOS", "build/supervisor/uos")
    if not prog or not (args.expect or args.native or args.native_tmpfs):
        ap.error("need --expect FILE or --native, and PROG")
    if args.native_tmpfs:
        os.makedirs(args.native_tmpfs[1], exist_ok=True)
        args.native = True

    if args.native:
        nstatus, expected, nerr = native_output(args, prog)
        if nstatus != 0:
            print(f"hostcheck: the native run failed with {nstatus}:\n{expected}{nerr}")
            return 1
    else:
        with open(args.expect) as f:
            expected = f.read()

    opts = args.uos_opts.split()
    if args.native_tmpfs:
        opts += ["--tmpfs", args.native_tmpfs[1]]
    sampler = Sampler()
    before = sampler.low
    sampler.start()
    status, out, err, secs = run([uos] + opts + ["--"] + prog, args.timeout)
    sampler.stop()
    drop_mib = (before - sampler.low) // 1024
    bound = args.limit_mib + args.slack_mib

    ok = True
    print(f"uos {' '.join(opts)} {' '.join(prog)}: status {status} in {secs:.1f} s; "
          f"MemAvailable fell {drop_mib} MiB at most (bound {bound} MiB)")
    if status is None:
        print(f"FAIL: uos did not finish within {args.timeout} s")
        ok = False
    elif status != 0:
        print(f"FAIL: uos exited with {status}, not the guest's 0")
        ok = False
    if drop_mib > bound:
        print(f"FAIL: the host lost {drop_mib} MiB, more than {bound} MiB")
        ok = False
    if out != expected:
        print("FAIL: the guest printed\n" + out + "--- expected\n" + expected)
        ok = False
    if not ok:
        print("--- uos stderr\n" + err)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
