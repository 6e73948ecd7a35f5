#!/usr/bin/python3
"""console_restore.py UOS [CASE...]: uos in a host pseudo-terminal, as the
user's terminal would have it, and the host terminal's settings after.

The host pty is made here (os.openpty); its slave gets settings of its own
(VERASE ^H, no ECHOCTL, IUTF8, 31x97) so that a restore to defaults shows.
uos runs in a new session whose controlling terminal is that slave, on its
stdio: the foreground job, so uos makes its console (supervisor/kernel/
console.c: the host terminal in raw mode, the guest on a uos pty).  A reader
thread drains the master all along (unless the case says not to).  Every
wait is for output or a state, bounded by DEADLINE; none is a sleep.

Cases (all but flood-term are the default; sec-console-wedge runs flood-term):
  normal       the guest says READY, reads a line typed on the host master,
               exits 0: while it runs the host terminal is raw, after it is
               exactly as before
  guest-kill   the guest reads, then kills itself with SIGKILL: uos exits
               137 by itself, the terminal as before
  term         the guest sleeps; SIGTERM to uos: it ends (143), as before
  term-ignored the guest ignores SIGTERM: uos kills it after --stop-timeout
               (137), as before (LeakSanitizer off for this one: see
               term-ignored-lsan)
  guest-raw    the guest runs `stty raw -echo` and `stty rows 5 cols 7` and
               exits without restoring: the host's settings and size as
               before
  raw-term     the same, then SIGTERM to uos while it sleeps
  stop         ^Z typed: the guest stops and uos stops itself (WUNTRACED),
               with the host's settings back while it is stopped; SIGCONT:
               raw again, the guest reads its line, as before at the end
  background   uos started in a process group that is not the terminal's
               foreground group (a job started with & by the shell that
               holds the terminal): it makes no console (the settings never
               change, not even while it runs), does not stop (SIGTTOU,
               SIGTTIN), and its guest's output reaches the terminal
  flood-term   nobody reads the host terminal (a stalled terminal emulator or
               ssh): the guest floods it until not a byte more fits; SIGTERM
               to uos, the guest dies of it: uos exits 143 at once, as before
Not run by default, they fail today:
  bg-guest-winsz  the guest of a background uos sets the window size: uos
               has no console then, and passes TIOCSWINSZ (and TCSETS) to the
               host terminal (vfs/hostchr.c): the host's size stays changed,
               and the host kernel sends SIGWINCH to the terminal's
               foreground group, a host process that is no guest
  flood-term-ignored  as flood-term, the guest ignoring SIGTERM: after
               --stop-timeout uos says "the guest did not exit after SIGTERM"
               on its stderr, the full terminal, with a blocking write, and
               waits there for ever (a second SIGTERM does not help)
  flood-crash  as flood-term, a guest process crashing (SIGSEGV) first: uos's
               crash report blocks it the same way, every guest with it
  term-ignored-lsan  term-ignored with LeakSanitizer on (in a sanitizer
               build): it reports the console's pair (tty_alloc from
               console_open) leaked when the guests are killed at the stop
               timeout, and uos exits 134 instead of 137
Prints "ok: ..." and "FAIL: ..." lines; exits 1 if any failed.
"""
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import threading
import time

DEADLINE = float(os.environ.get("CONSOLE_DEADLINE", "30"))
failed = False


def ok(msg):
    print("ok: " + msg, flush=True)


def fail(msg):
    global failed
    failed = True
    print("FAIL: " + msg, flush=True)


def check(msg, cond):
    (ok if cond else fail)(msg)


def wait_until(pred, timeout=DEADLINE, step=0.005):
    """pred() true within timeout (checked every step: a wait loop, not a fixed sleep)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Term:
    """A host pty: master m, slave s, with distinctive settings; the master drained by a thread."""

    def __init__(self, drain=True):
        self.m, self.s = os.openpty()
        t = termios.tcgetattr(self.s)
        t[0] |= 0o40000  # IUTF8 (not in Python's termios)
        t[3] &= ~termios.ECHOCTL
        t[6][termios.VERASE] = b"\x08"
        termios.tcsetattr(self.s, termios.TCSANOW, t)
        fcntl.ioctl(self.s, termios.TIOCSWINSZ, struct.pack("HHHH", 31, 97, 0, 0))
        self.before = self.settings()
        self.out = b""
        self.lock = threading.Lock()
        self.done = False
        self.thread = None
        if drain:
            self.thread = threading.Thread(target=self.reader, daemon=True)
            self.thread.start()

    def settings(self):
        return (termios.tcgetattr(self.s),
                struct.unpack("HHHH", fcntl.ioctl(self.s, termios.TIOCGWINSZ, b"\0" * 8)))

    def raw(self):
        lflag = termios.tcgetattr(self.s)[3]
        return not (lflag & (termios.ICANON | termios.ECHO | termios.ISIG))

    def reader(self):
        while not self.done:
            r, _, _ = select.select([self.m], [], [], 0.05)
            if not r:
                continue
            try:
                d = os.read(self.m, 65536)
            except OSError:
                d = b""
            if not d:
                time.sleep(0.01)  # the last slave closed (EIO): the test's own s stays open
                continue
            with self.lock:
                self.out += d

    def seen(self, what):
        with self.lock:
            return what in self.out

    def wait_for(self, what, timeout=DEADLINE):
        return wait_until(lambda: self.seen(what), timeout)

    def type(self, data):
        os.write(self.m, data)

    def close(self):
        self.done = True
        if self.thread:
            self.thread.join()
        os.close(self.m)
        os.close(self.s)

    def text(self):
        with self.lock:
            return self.out.decode("latin-1")


def spawn_fg(term, uos, argv, env=None):
    """uos as the foreground job: a new session, the slave its controlling terminal and stdio."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            for fd in (0, 1, 2):
                os.dup2(term.s, fd)
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            os.closerange(3, 1024)
            os.execve(uos, [uos] + argv, env or os.environ)
        finally:
            os._exit(127)
    return pid


def wait_exit(pid, timeout=DEADLINE, untraced=False):
    """('exit', status) | ('stop', sig) | ('timeout', None)."""
    end = time.monotonic() + timeout
    flags = os.WNOHANG | (os.WUNTRACED if untraced else 0)
    while time.monotonic() < end:
        p, st = os.waitpid(pid, flags)
        if p:
            if os.WIFSTOPPED(st):
                return "stop", os.WSTOPSIG(st)
            return "exit", os.waitstatus_to_exitcode(st)
        time.sleep(0.005)
    return "timeout", None


def reap_hard(pid):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        if wait_exit(pid, 5)[0] != "timeout":
            return


def judge_end(name, term, pid, want_status, timeout=DEADLINE):
    how, st = wait_exit(pid, timeout)
    if how == "timeout":
        fail("%s: uos did not exit within %d s" % (name, timeout))
        reap_hard(pid)
    else:
        check("%s: uos exits with %s (got %s)" % (name, want_status, st), st == want_status)
    after = term.settings()
    if after == term.before:
        ok("%s: the host terminal's settings and size are as before" % name)
    else:
        fail("%s: the host terminal changed: before %r, after %r" % (name, term.before, after))
    text = term.text()
    bad = [w for w in ("internal error", "AddressSanitizer", "runtime error", "LeakSanitizer")
           if w in text]
    check("%s: no internal error or sanitizer report on the terminal" % name, not bad)
    if bad or st != want_status:
        print("--- the terminal's last output:\n" + text[-3000:].replace("\r", ""), flush=True)


def sh(script):
    return ["/bin/sh", "-c", script]


def running_raw(name, term):
    if wait_until(term.raw, 5):
        ok("%s: the host terminal is raw while uos runs (its console)" % name)
    else:
        fail("%s: the host terminal is not raw while uos runs: no console?" % name)


def case_normal(uos):
    t = Term()
    pid = spawn_fg(t, uos, sh('echo READY; read x; echo "got $x"'))
    if not t.wait_for(b"READY"):
        fail("normal: no READY: %r" % t.text())
    running_raw("normal", t)
    t.type(b"hello\r")
    check("normal: the typed line reached the guest", t.wait_for(b"got hello"))
    judge_end("normal", t, pid, 0)
    t.close()


def case_guest_kill(uos):
    t = Term()
    pid = spawn_fg(t, uos, sh('echo READY; read x; kill -KILL $$'))
    t.wait_for(b"READY")
    running_raw("guest-kill", t)
    t.type(b"x\r")
    judge_end("guest-kill", t, pid, 137)
    t.close()


def case_term(uos, ignored, lsan=False):
    name = ("term-ignored" + ("-lsan" if lsan else "")) if ignored else "term"
    t = Term()
    script = ('trap "" TERM; ' if ignored else "") + "echo READY; while :; do sleep 1; done"
    env = dict(os.environ)
    if ignored and not lsan:
        # a sanitizer build's LeakSanitizer finds the console's pair leaked on this path (uos
        # then exits 134): reported; term-ignored-lsan keeps it, here the terminal is judged
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    pid = spawn_fg(t, uos, ["--stop-timeout", "1"] + sh(script), env)
    t.wait_for(b"READY")
    running_raw(name, t)
    os.kill(pid, signal.SIGTERM)
    judge_end(name, t, pid, 137 if ignored else 143, 15)
    t.close()


def case_guest_raw(uos, then_term):
    name = "raw-term" if then_term else "guest-raw"
    t = Term()
    tail = "echo READY; while :; do sleep 1; done" if then_term else "echo READY"
    pid = spawn_fg(t, uos, sh("stty raw -echo; stty rows 5 cols 7; stty -a; " + tail))
    t.wait_for(b"READY")
    check("%s: the guest's stty acted on its terminal (rows 5)" % name,
          t.seen(b"rows 5") or t.seen(b"rows = 5"))
    if then_term:
        os.kill(pid, signal.SIGTERM)
        judge_end(name, t, pid, 143, 15)
    else:
        judge_end(name, t, pid, 0)
    t.close()


def case_stop(uos):
    t = Term()
    pid = spawn_fg(t, uos, sh('echo READY; read x; echo "got $x"'))
    t.wait_for(b"READY")
    running_raw("stop", t)
    t.type(b"\x1a")  # ^Z: uos's line discipline, cooked as the host's was
    how, sig = wait_exit(pid, DEADLINE, untraced=True)
    if how != "stop":
        fail("stop: uos did not stop on ^Z (%s %s)" % (how, sig))
        reap_hard(pid)
        t.close()
        return
    ok("stop: uos stopped itself with its program (%s)" % signal.Signals(sig).name)
    check("stop: the host's settings are back while uos is stopped",
          wait_until(lambda: t.settings() == t.before, 5))
    os.kill(pid, signal.SIGCONT)
    check("stop: raw again once continued", wait_until(t.raw, DEADLINE))
    t.type(b"again\r")
    check("stop: the guest goes on and reads its line", t.wait_for(b"got again"))
    judge_end("stop", t, pid, 0)
    t.close()


def case_background(uos, guest_cmd, name, expect_same):
    """A session leader holds the terminal in the foreground; uos runs in a group of its own."""
    t = Term()
    gate = os.path.join(os.environ.get("TMPDIR", "/tmp"), "console-gate-%d" % os.getpid())
    r, w = os.pipe()
    leader = os.fork()
    if leader == 0:
        try:
            os.close(r)
            os.setsid()
            fcntl.ioctl(t.s, termios.TIOCSCTTY, 0)
            winch = []
            signal.signal(signal.SIGWINCH, lambda *a: winch.append(1))
            pid = os.fork()
            if pid == 0:
                os.setpgid(0, 0)
                for fd in (0, 1, 2):
                    os.dup2(t.s, fd)
                os.closerange(3, 1024)
                # the gate: a host file this test creates (a host FIFO is no guest's)
                os.execv(uos, [uos] + sh(guest_cmd + '; echo BGREADY; '
                                         'while [ ! -e "$GATE" ]; do sleep 0.01; done; '
                                         'echo BGDONE'))
                os._exit(127)
            os.setpgid(pid, pid)
            fg = os.tcgetpgrp(t.s)
            how, st = wait_exit(pid, DEADLINE, untraced=True)
            if how == "stop":
                reap_hard(pid)
            os.write(w, ("%s %s %d %d %d\n" % (how, st, fg, os.getpgrp(), len(winch))).encode())
        finally:
            os._exit(0)
    os.close(w)
    env_ok = t.wait_for(b"BGREADY")
    check("%s: the background guest's output reaches the terminal" % name, env_ok)
    during = t.settings()
    if expect_same:
        check("%s: the host's settings are unchanged while uos runs (no console)" % name,
              during == t.before)
    with open(gate, "w"):
        pass
    res = b""
    end = time.monotonic() + DEADLINE
    while b"\n" not in res and time.monotonic() < end:
        rr, _, _ = select.select([r], [], [], 0.1)
        if rr:
            d = os.read(r, 200)
            if not d:
                break
            res += d
    os.waitpid(leader, 0)
    os.unlink(gate)
    how, st, fg, leader_pgrp, winch = (res.decode().split() + ["?"] * 5)[:5]
    check("%s: the leader's group stayed the foreground group" % name, fg == leader_pgrp)
    check("%s: uos exited 0 by itself, never stopped (got %s %s)" % (name, how, st),
          how == "exit" and st == "0")
    check("%s: the guest ran to its end" % name, t.wait_for(b"BGDONE", 5))
    after = t.settings()
    if after == t.before:
        ok("%s: the host terminal's settings and size are as before" % name)
    else:
        fail("%s: the host terminal was changed by a background guest: before %r, after %r"
             % (name, t.before, after))
    check("%s: the host's foreground process got no SIGWINCH (got %s)" % (name, winch),
          winch == "0")
    t.close()


def read_until(term, what, timeout=DEADLINE):
    """Read the (undrained) master until what shows."""
    end = time.monotonic() + timeout
    while what not in term.out and time.monotonic() < end:
        r, _, _ = select.select([term.m], [], [], 0.05)
        if r:
            try:
                term.out += os.read(term.m, 65536)
            except OSError:
                break
    return what in term.out


def host_full(term):
    """
    The host terminal's output is full: the master's queue stays at its top for 50 ms, then this
    test tops the terminal off through a description of its own (O_NONBLOCK: uos's stdio
    description is left as it is) until not one byte more fits, as a terminal nobody reads ends.
    """
    last, still = -1, 0

    def full():
        nonlocal last, still
        n = struct.unpack("i", fcntl.ioctl(term.m, termios.FIONREAD, b"\0" * 4))[0]
        still = still + 1 if n == last and n >= 4095 else 0
        last = n
        return still >= 10
    if not wait_until(full, DEADLINE, 0.005):
        return False
    fd = os.open(os.ttyname(term.s), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    for size in (4096, 256, 1):
        try:
            while os.write(fd, b"f" * size) > 0:
                pass
        except BlockingIOError:
            pass
    os.close(fd)
    return True


def case_flood(uos, mode):
    """
    Nobody reads the host terminal (a stalled terminal emulator, a stuck ssh): the guest's output
    fills it, and uos's own relay waits in its buffer.  Then SIGTERM (the guest dies of it, or
    ignores it: uos kills it after --stop-timeout and says so on stderr, the host terminal), or a
    guest crash (uos reports it on stderr).  uos must end within its stop timeout all the same.
    """
    name = "flood-" + mode
    t = Term(drain=False)
    trap = 'trap "" TERM; ' if mode == "term-ignored" else ""
    tail = "read x; python3 -c 'import ctypes; ctypes.string_at(0)'; " if mode == "crash" else ""
    pid = spawn_fg(t, uos, ["--stop-timeout", "1"] +
                   sh(trap + "echo READY; yes & read x; " + tail + "while :; do sleep 1; done"))
    if not read_until(t, b"READY"):
        fail("%s: no READY: %r" % (name, t.out))
    t.type(b"go\r")  # read now: yes fills the terminal meanwhile
    check("%s: the host terminal's output is full" % name, host_full(t))
    if mode == "crash":
        t.type(b"crash\r")  # the input still flows: the guest's read takes it, then it crashes

        def uos_writing():
            try:
                with open("/proc/%d/wchan" % pid) as f:
                    return f.read() == "wait_woken"  # uos in a blocking write
            except OSError:
                return True
        check("%s: uos does not wait on the full terminal after the crash" % name,
              not wait_until(uos_writing, 10))
    os.kill(pid, signal.SIGTERM)
    how, st = wait_exit(pid, 10)
    if how == "timeout":
        stack = ""
        try:
            with open("/proc/%d/wchan" % pid) as f:
                stack = f.read()
        except OSError:
            pass
        fail("%s: uos did not exit within 10 s of SIGTERM (wedged in %s)" % (name, stack or "?"))
        reap_hard(pid)
    else:
        check("%s: uos exits with %s (got %s)" % (name, 137 if trap else 143, st),
              st == (137 if trap else 143))
    t.done = True
    os.set_blocking(t.m, False)
    try:  # what uos wrote, for the log
        while True:
            d = os.read(t.m, 65536)
            if not d:
                break
            t.out = (t.out + d)[-4096:]
    except OSError:
        pass
    after = t.settings()
    check("%s: the host terminal's settings and size are as before" % name, after == t.before)
    t.close()


CASES = {
    "normal": case_normal,
    "guest-kill": case_guest_kill,
    "term": lambda u: case_term(u, False),
    "term-ignored": lambda u: case_term(u, True),
    "term-ignored-lsan": lambda u: case_term(u, True, True),
    "guest-raw": lambda u: case_guest_raw(u, False),
    "raw-term": lambda u: case_guest_raw(u, True),
    "stop": case_stop,
    "background": lambda u: case_background(u, "stty -a >/dev/null", "background", True),
    "bg-guest-winsz": lambda u: case_background(u, "stty rows 5 cols 7", "bg-guest-winsz",
                                                False),
    "flood-term": lambda u: case_flood(u, "term"),
    "flood-term-ignored": lambda u: case_flood(u, "term-ignored"),
    "flood-crash": lambda u: case_flood(u, "crash"),
}
DEFAULT = ["normal", "guest-kill", "term", "term-ignored", "guest-raw", "raw-term", "stop",
           "background", "bg-guest-winsz"]


def main():
    uos = sys.argv[1]
    names = sys.argv[2:] or DEFAULT
    os.environ["GATE"] = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                      "console-gate-%d" % os.getpid())
    for n in names:
        print("== %s" % n, flush=True)
        CASES[n](uos)
    sys.exit(1 if failed else 0)


main()
