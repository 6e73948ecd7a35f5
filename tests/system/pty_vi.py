#!/usr/bin/python3
"""vi on a pseudo-terminal, driven by keystrokes: run natively and under uos
by pty_vi.sh, which compares what this prints.

  pty_vi.py VI DIR

VI (vim.tiny or vi) edits two files in DIR through script(1), on the pty of
pty.fork (the child a session leader with it as its controlling terminal,
80x24, TERM=vt100), so that two terminals stand between the keys and vi:
a new file (insert mode, o, :wq) and an existing one (dd, G, A, :%s, u, :x).
Keys are typed once vi has drawn its screen (the file's name in the message
line): from then on the terminal is in raw mode. Prints each file's content
and vi's exit status.
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

DEADLINE = 30.0
SCRIPT = "/usr/bin/script"  # vi runs through script(1): on its pty, inside this one


def read_until(fd, want, buf=b""):
    """Read the master until want shows (or EOF/EIO, or the deadline)."""
    end = time.monotonic() + DEADLINE
    while want is None or want not in buf:
        left = end - time.monotonic()
        if left <= 0:
            print("TIMEOUT waiting for %r; the screen ends %r" % (want, buf[-200:]))
            return buf, False
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            d = os.read(fd, 4096)
        except OSError:
            d = b""
        if not d:
            return buf, want is None
        buf += d
    return buf, True


def edit(vi, path, keys):
    """Run vi on path, type each of keys once the screen shows the file's name."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.clear()
        os.environ.update(TERM="vt100", HOME="/nonexistent", LANG="C", PATH="/usr/bin:/bin")
        cmd = "%s -u NONE -i NONE -N %s" % (vi, path)
        os.execv(SCRIPT, ["script", "-qec", cmd, "/dev/null"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    screen, ok = read_until(fd, os.path.basename(path).encode())
    print("%s: screen shows the file name: %s" % (os.path.basename(path), ok))
    for k in keys:
        os.write(fd, k)
    screen, ok = read_until(fd, None, screen)  # to EOF: vi has quit
    print("%s: vi quit: %s" % (os.path.basename(path), ok))
    _, st = os.waitpid(pid, 0)
    os.close(fd)
    print("%s: vi exit status %d" % (os.path.basename(path), os.waitstatus_to_exitcode(st)))
    try:
        with open(path, "rb") as f:
            print("%s: content %r" % (os.path.basename(path), f.read()))
    except OSError as e:
        print("%s: %s" % (os.path.basename(path), e.strerror))
    sys.stdout.flush()


def main():
    vi, d = sys.argv[1], sys.argv[2]
    new = os.path.join(d, "new.txt")
    edit(vi, new, [b"ihello from vi", b"\x1b", b"osecond line\x1b", b":wq\r"])
    old = os.path.join(d, "old.txt")
    with open(old, "w") as f:
        f.write("one\ntwo\nthree\n")
    edit(vi, old, [b"ggdd", b"GAee\x1b", b"ofour\x1b", b":%s/t/T/g\r",
                   b"ofive\x1bu", b":x\r"])
    print("swap files left:", sorted(n for n in os.listdir(d) if n.endswith(".swp")))


main()
