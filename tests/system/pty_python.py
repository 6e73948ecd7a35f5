#!/usr/bin/python3
"""Python's pty module against a pseudo-terminal, run natively and under uos
by pty_python.sh, which compares what this prints (the pts number
normalised). Every wait is for output, never a sleep; every read is bounded
by a deadline, so that a missing byte fails the run instead of hanging it.

  pty.fork: a child shell prints tty and stty -a, then reads a line the
    parent types once "hi" shows; the parent reads until EOF (EIO).
  pty.spawn: the same shell through pty.spawn, with stdin a pipe the parent
    fills.
  os.openpty: tcgetattr/tcsetattr round trips, tty.setraw, bytes both ways in
    canonical and raw mode, TIOCSWINSZ/TIOCGWINSZ, SIGWINCH to the
    foreground process group, VEOF and VINTR.
"""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import tty

DEADLINE = 20.0  # seconds any single wait may take
SHELL = "tty; stty -a; echo hi; read x; echo got $x"


def show(label, data):
    """One check line: label and the bytes, escaped so CRs show."""
    if isinstance(data, bytes):
        data = data.decode("latin-1")
    print("%s: %r" % (label, data))
    sys.stdout.flush()


def read_until(fd, want, buf=b""):
    """Read fd until want is in what was read (or EOF/EIO, or the deadline)."""
    end = time.monotonic() + DEADLINE
    while want not in buf:
        left = end - time.monotonic()
        if left <= 0:
            show("TIMEOUT waiting for %r, have" % want, buf)
            return buf
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            d = os.read(fd, 4096)
        except OSError:
            break
        if not d:
            break
        buf += d
    return buf


def read_to_eof(fd, buf=b""):
    """Read fd until EOF or EIO (the slave's last close, seen on the master)."""
    end = time.monotonic() + DEADLINE
    while True:
        left = end - time.monotonic()
        if left <= 0:
            show("TIMEOUT waiting for EOF, have", buf)
            return buf
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            d = os.read(fd, 4096)
        except OSError:
            return buf
        if not d:
            return buf
        buf += d


def read_once(fd):
    """One read(2) of fd, once it is readable (a canonical read returns one
    line); empty after the deadline."""
    r, _, _ = select.select([fd], [], [], DEADLINE)
    if not r:
        return b"TIMEOUT"
    return os.read(fd, 100)


def part_fork():
    pid, fd = pty.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", SHELL])
    out = read_until(fd, b"hi\r\n")
    os.write(fd, b"typed line\n")
    out = read_to_eof(fd, out)
    _, st = os.waitpid(pid, 0)
    os.close(fd)
    for line in out.split(b"\n"):
        show("fork", line)
    print("fork status", os.waitstatus_to_exitcode(st))


def part_spawn():
    """pty.spawn copies our stdin to the master and the master to our
    stdout: run it in a child whose stdin is a pipe and whose stdout is
    another pipe, so that the parent sees exactly what spawn wrote."""
    inr, inw = os.pipe()
    outr, outw = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(inr, 0)
        os.dup2(outw, 1)
        for f in (inr, inw, outr, outw):
            os.close(f)
        st = pty.spawn(["/bin/sh", "-c", SHELL])
        os._exit(os.waitstatus_to_exitcode(st))
    os.close(inr)
    os.close(outw)
    out = read_until(outr, b"hi\r\n")
    os.write(inw, b"spawned line\n")
    out = read_until(outr, b"got spawned line\r\n", out)
    os.close(inw)  # spawn sees EOF on its stdin (it no longer copies it)
    out = read_to_eof(outr, out)
    _, st = os.waitpid(pid, 0)
    os.close(outr)
    for line in out.split(b"\n"):
        show("spawn", line)
    print("spawn status", os.waitstatus_to_exitcode(st))


def attrs(fd):
    a = termios.tcgetattr(fd)
    return a[:6] + [[c if isinstance(c, int) else ord(c) for c in a[6]]]


def part_openpty():
    m, s = os.openpty()
    print("isatty", os.isatty(m), os.isatty(s))
    print("ttyname", os.ttyname(s))
    a0 = attrs(s)
    print("initial attrs", a0)
    print("master attrs equal", attrs(m) == a0)

    # Canonical mode with echo: the master sees the echo (ONLCR: \r\n), the
    # slave gets the line (ICRNL: \r read as \n) after erase and kill.
    os.write(m, b"abX\x7fc\r")
    show("canon slave read", read_once(s))
    show("canon echo", read_until(m, b"\r\n"))
    os.write(m, b"junk\x15ok\n")
    show("kill slave read", read_once(s))
    show("kill echo", read_until(m, b"ok\r\n"))
    os.write(s, b"one\ntwo\n")
    show("opost", read_until(m, b"two\r\n"))

    # A round trip through tcsetattr.
    a = termios.tcgetattr(s)
    a[3] &= ~(termios.ECHO | termios.ICANON)
    a[1] &= ~termios.ONLCR
    a[6][termios.VMIN] = 3
    a[6][termios.VTIME] = 0
    a[6][termios.VERASE] = b"\x08"
    termios.tcsetattr(s, termios.TCSANOW, a)
    b = attrs(s)
    print("after tcsetattr", b)
    print("lflag echo icanon", bool(b[3] & termios.ECHO), bool(b[3] & termios.ICANON))
    print("vmin verase", b[6][termios.VMIN], b[6][termios.VERASE])
    os.write(m, b"xyz")
    show("vmin3 read", read_once(s))
    os.write(s, b"a\nb\n")
    show("no onlcr", read_until(m, b"b\n"))

    # Back to the start, then raw mode.
    termios.tcsetattr(s, termios.TCSAFLUSH, a0)
    print("restored", attrs(s) == a0)
    tty.setraw(s)
    r = attrs(s)
    print("raw attrs", r)
    print("raw lflag", r[3] & (termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN))
    print("raw vmin vtime", r[6][termios.VMIN], r[6][termios.VTIME])
    os.write(m, b"\x03\r\x7fraw")
    show("raw slave read", read_until(s, b"raw"))
    os.write(s, b"out\n")
    show("raw master read", read_until(m, b"out\n"))
    termios.tcsetattr(s, termios.TCSANOW, a0)
    print("restored again", attrs(s) == a0)

    # Window size: set on either side, read on the other.
    print("winsize initial", struct.unpack("HHHH", fcntl.ioctl(s, termios.TIOCGWINSZ, b"\0" * 8)))
    fcntl.ioctl(m, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 640, 480))
    print("winsize slave", struct.unpack("HHHH", fcntl.ioctl(s, termios.TIOCGWINSZ, b"\0" * 8)))
    fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 132, 0, 0))
    print("winsize master", struct.unpack("HHHH", fcntl.ioctl(m, termios.TIOCGWINSZ, b"\0" * 8)))
    os.close(s)
    os.close(m)


def part_winch():
    """SIGWINCH to the foreground process group of the child's controlling
    terminal when the size changes; VINTR and VEOF typed on the master. The
    child blocks both signals and takes them with sigwait, so that none can
    come between a check and a wait."""
    pid, fd = pty.fork()
    if pid == 0:
        sigs = {signal.SIGWINCH, signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
        print("child ready", os.getsid(0) == os.getpid(),
              os.tcgetpgrp(0) == os.getpgrp(), flush=True)
        print("child got", signal.Signals(signal.sigwait({signal.SIGWINCH})).name, flush=True)
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))
        print("child winsize", rows, cols, flush=True)
        print("child got", signal.Signals(signal.sigwait({signal.SIGINT})).name, flush=True)
        data = b""
        while True:
            d = os.read(0, 100)
            if not d:
                break
            data += d
            print("child read", repr(d), flush=True)
        print("child eof", repr(data), flush=True)
        os._exit(7)
    out = read_until(fd, b"child ready True True\r\n")
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 99, 0, 0))
    out = read_until(fd, b"child winsize 33 99\r\n", out)
    # VINTR: the echo (^C, after the signal is sent) and the child's line
    # may come in either order, the echo even inside the line (seen
    # natively: "child got^C SIGINT"); check the echo apart.
    os.write(fd, b"\x03")
    out = read_until(fd, b"^C", out)
    out = read_until(fd, b"SIGINT\r\n", out)
    print("winch ^C echoed", out.count(b"^C"))
    out = out.replace(b"^C", b"")
    os.write(fd, b"last\x04")
    out = read_until(fd, b"child read b'last'\r\n", out)
    os.write(fd, b"\x04")
    out = read_to_eof(fd, out)
    _, st = os.waitpid(pid, 0)
    os.close(fd)
    for line in out.split(b"\n"):
        show("winch", line)
    print("winch status", os.waitstatus_to_exitcode(st))


def main():
    for part in (part_fork, part_spawn, part_openpty, part_winch):
        print("==", part.__name__)
        sys.stdout.flush()
        part()
    print("== done")


main()
