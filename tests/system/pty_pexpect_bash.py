#!/usr/bin/python3
"""pexpect drives an interactive bash on a pseudo-terminal that this program
opens: run natively, the host's; run under uos (pty_pexpect_bash.sh), uos's
own devpts and line discipline, with bash's job control on it. Prints one
line per check, the same natively and under uos; exits 1 when one failed.

The checks: the prompt; line editing (VERASE typed in the line); Ctrl-C of
sleep 30 gives the prompt back with $? 130; Ctrl-Z of cat shows Stopped, fg
brings it back (a typed line shows twice: the terminal's echo and cat's
output), Ctrl-D ends it; Ctrl-\\ gives $? 131; a background cat reading the
terminal is stopped by SIGTTIN; stty -echo; a window size change signals the
foreground job; exit 3 is bash's exit status.
"""

import os
import sys
import time

import pexpect

TIMEOUT = 30
PROMPT = "PEXPECT-PROMPT> "
failed = False


def check(what, ok, detail=""):
    global failed
    print("%s: %s%s" % ("ok" if ok else "FAIL", what, "" if ok else " (%s)" % detail))
    sys.stdout.flush()
    if not ok:
        failed = True


def expect(child, what, pattern):
    """Wait for pattern (a regex, or a list of them); record the check."""
    try:
        child.expect(pattern)
        check(what, True)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        check(what, False, "%s; last output %r" % (type(e).__name__, child.before[-300:]))
        return False


def wait_foreground(child, comm, what):
    """Poll until the terminal's foreground process group (tcgetpgrp on the
    master) is a job of bash's whose leader has exec'd comm, so that a
    signal typed next goes to that program with its default action: the
    echo of the command line comes before bash has even read it, and
    between fork and exec bash's child still has bash's handlers."""
    deadline = time.monotonic() + TIMEOUT
    seen = None
    while time.monotonic() < deadline:
        pgrp = os.tcgetpgrp(child.child_fd)
        if pgrp != child.pid:
            try:
                with open("/proc/%d/comm" % pgrp) as f:
                    seen = f.read().strip()
            except OSError as e:
                seen = str(e)
            if seen == comm:
                check(what, True)
                return True
        time.sleep(0.01)
    check(what, False, "foreground process group %d (bash: %d), its comm %r" % (
        pgrp, child.pid, seen))
    return False


def prompt(child, what):
    return expect(child, what, PROMPT)


def main():
    env = dict(PATH="/usr/local/bin:/usr/bin:/bin", TERM="dumb", HOME="/tmp",
               PS1=PROMPT, LANG="C", INPUTRC="/dev/null")
    child = pexpect.spawn("/bin/bash", ["--norc", "--noprofile", "-i"], env=env,
                          encoding="utf-8", codec_errors="replace", timeout=TIMEOUT,
                          dimensions=(24, 80))
    prompt(child, "prompt")

    # Line editing: X then DEL (the terminal's VERASE, which readline
    # takes as backward-delete) then d.
    child.send("echo abcX\x7fd\n")
    expect(child, "echo abcX<DEL>d prints abcd", r"\nabcd\r\n")
    prompt(child, "prompt after the edited line")

    child.send("tty\n")
    expect(child, "tty names a pts", r"\n/dev/pts/\d+\r\n")
    prompt(child, "prompt after tty")
    child.send("stty size\n")
    expect(child, "stty size is 24 80", r"\n24 80\r\n")
    prompt(child, "prompt after stty size")

    # Ctrl-C of a foreground job.
    child.send("sleep 30\n")
    expect(child, "sleep 30 echoed", r"sleep 30\r\n")
    wait_foreground(child, "sleep", "sleep is the foreground job")
    child.sendintr()
    prompt(child, "Ctrl-C of sleep 30 gives the prompt back")
    child.send("echo status=$?\n")
    expect(child, "its $? is 130", r"status=130\r\n")
    prompt(child, "prompt after echo $?")

    # Ctrl-Z of cat, fg, a line through it, Ctrl-D.
    child.send("cat\n")
    expect(child, "cat echoed", r"cat\r\n")
    child.send("first line\n")
    expect(child, "cat copies a line (echo, then its output)", r"first line\r\nfirst line\r\n")
    child.sendcontrol("z")
    expect(child, "Ctrl-Z shows Stopped", r"Stopped\s+cat")
    prompt(child, "prompt after Ctrl-Z")
    child.send("jobs\n")
    expect(child, "jobs lists cat stopped", r"\[1\]\+\s+Stopped\s+cat")
    prompt(child, "prompt after jobs")
    child.send("fg\n")
    expect(child, "fg names cat", r"fg\r\ncat\r\n")
    child.send("second line\n")
    expect(child, "after fg a line shows twice", r"second line\r\nsecond line\r\n")
    child.sendeof()
    prompt(child, "Ctrl-D ends cat, prompt back")
    child.send("echo status=$?\n")
    expect(child, "cat's $? is 0", r"status=0\r\n")
    prompt(child, "prompt after cat")

    # Ctrl-\ of a foreground job: SIGQUIT, bash says Quit.
    child.send("sleep 30\n")
    expect(child, "sleep 30 echoed again", r"sleep 30\r\n")
    wait_foreground(child, "sleep", "sleep is the foreground job again")
    child.sendcontrol("\\")
    expect(child, "Ctrl-\\ of sleep 30: Quit", r"Quit")
    prompt(child, "prompt after Ctrl-\\")
    child.send("echo status=$?\n")
    expect(child, "its $? is 131", r"status=131\r\n")
    prompt(child, "prompt after echo $? (131)")

    # A background job that reads the terminal gets SIGTTIN: bash's wait
    # returns when it stops (128 + SIGTTIN); fg brings it back.
    child.send("cat & wait $!; echo status=$?\n")
    expect(child, "background cat stops on its read", r"Stopped\s+cat\r\n")
    expect(child, "wait's status is 149 (SIGTTIN)", r"status=149\r\n")
    prompt(child, "prompt after the stopped background cat")
    child.send("fg\n")
    expect(child, "fg brings back the background cat", r"fg\r\ncat\r\n")
    child.send("third line\n")
    expect(child, "the background cat, now in front, copies a line", r"third line\r\nthird line\r\n")
    child.sendeof()
    prompt(child, "Ctrl-D ends it")

    # stty -echo: the typed line is not echoed (readline echoes only when
    # the terminal does), its output is there.
    child.send("stty -echo\n")
    prompt(child, "prompt after stty -echo")
    child.send("echo hidden-$((1+1))\n")
    expect(child, "the command's output", r"hidden-2\r\n")
    check("the typed line was not echoed", "echo hidden" not in child.before,
          "before %r" % child.before)
    prompt(child, "prompt after the unechoed line")
    child.send("stty echo\n")
    prompt(child, "prompt after stty echo")

    # A new window size: SIGWINCH to the foreground job, stty size.
    child.send("sh -c 'trap \"echo winch; stty size; exit 0\" WINCH; echo ready; "
               "while :; do sleep 0.1; done'\n")
    expect(child, "the trapping shell is ready", r"\nready\r\n")
    child.setwinsize(30, 100)
    expect(child, "SIGWINCH reaches the foreground job, stty size is 30 100",
           r"winch\r\n30 100\r\n")
    prompt(child, "prompt after the window size change")

    # A pipeline in the foreground, then exit.
    child.send("echo one two three | wc -w\n")
    expect(child, "a pipeline's output", r"\n3\r\n")
    prompt(child, "prompt after the pipeline")
    child.send("exit 3\n")
    expect(child, "exit 3 ends bash", pexpect.EOF)
    child.close()
    check("bash's exit status is 3", child.exitstatus == 3,
          "exitstatus %r signalstatus %r" % (child.exitstatus, child.signalstatus))
    print("done")
    return 1 if failed else 0


sys.exit(main())
