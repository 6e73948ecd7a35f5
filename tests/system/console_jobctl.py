#!/usr/bin/python3
"""uos as a job of an interactive shell on a terminal (the console, supervisor/kernel/console.c).

A host bash runs in a pty that pexpect makes; it starts `cat` natively, then
`$UOS cat`, and for each: a typed line comes back twice (the terminal's echo
and cat's copy), Ctrl-Z stops the job (the shell says "Stopped") and the
terminal's settings are the shell's own meanwhile, `fg` brings it back, Ctrl-C
ends it with status 130, and the settings are the shell's own after it.  Under
uos the echo, Ctrl-Z and Ctrl-C are uos's line discipline's, on a host terminal
uos holds in raw mode.  The check lines printed for both runs must be equal.
Exit 0 when they are, 1 when not, 77 when pexpect is missing.
"""
import os
import sys
import tempfile
import time

try:
    import pexpect
except ImportError:
    print("skip: python3-pexpect not installed")
    sys.exit(77)


def scenario(prefix, scratch):
    """Run the scenario with `prefix cat`; the list of check lines it passed."""
    seen = []
    before, mid, after = (os.path.join(scratch, n) for n in ("before", "mid", "after"))
    sh = pexpect.spawn("/bin/bash", ["--norc", "--noprofile", "-i"], timeout=20,
                       env={"PS1": "H> ", "TERM": "dumb", "PATH": "/usr/bin:/bin"},
                       encoding="utf-8")

    def step(what, *patterns):
        for p in patterns:
            sh.expect(p)
        seen.append(what)

    try:
        sh.expect("H> ")
        sh.sendline(f"stty -g > {before}")
        sh.expect("H> ")
        sh.sendline(f"{prefix} cat".strip())
        time.sleep(0.3)
        sh.sendline("one")
        step("a typed line is echoed and copied", "one\r\none\r\n")
        sh.sendcontrol("z")
        step("Ctrl-Z stops the job", "Stopped", "H> ")
        sh.sendline(f"stty -g > {mid}; cmp -s {before} {mid} && echo SAME-$((1+1))")
        step("the shell's terminal settings while it is stopped", "SAME-2", "H> ")
        sh.sendline("fg")
        time.sleep(0.3)
        sh.sendline("two")
        step("fg brings it back", "two\r\ntwo\r\n")
        sh.sendcontrol("c")
        sh.expect("H> ")
        sh.sendline("echo status=$?")
        step("Ctrl-C ends it with 130", "status=130", "H> ")
        sh.sendline(f"stty -g > {after}; cmp -s {before} {after} && echo SAME-$((2+1))")
        step("the shell's terminal settings after it", "SAME-3", "H> ")
        sh.sendline("exit")
        sh.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        print(f"--- screen after the last step ({prefix or 'native'}):\n{sh.before!r}")
    sh.close(force=True)
    return seen


def main():
    uos = os.environ.get("UOS") or os.path.join(os.path.dirname(__file__),
                                                "../../build/supervisor/uos")
    with tempfile.TemporaryDirectory() as scratch:
        native = scenario("", scratch)
        guest = scenario(uos, scratch)
    for line in native:
        print(("ok: " if line in guest else "FAIL: ") + line)
    if not native or native != guest:
        print(f"FAIL: native passed {len(native)} steps, uos {len(guest)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
