#!/usr/bin/python3
"""host_watch.py DIR: a host process for the attacks to hit, started by
lib.sh outside uos.  It records in DIR/log every signal it receives (all
catchable ones are caught; SIGKILL and SIGSTOP show as its death or stop) and
every TCP connection accepted on 127.0.0.1:PORT, where PORT is written to
DIR/port once it listens.  lib.sh checks that it is alive and that the log is
empty after the attack."""
import os
import signal
import socket
import sys

d = sys.argv[1]
log = open(os.path.join(d, "log"), "a", buffering=1)


def on_signal(sig, frame):
    log.write("signal %d\n" % sig)


for s in range(1, signal.NSIG):
    if s in (signal.SIGKILL, signal.SIGSTOP):
        continue
    try:
        signal.signal(s, on_signal)
    except (OSError, ValueError, RuntimeError):
        pass

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(16)
with open(os.path.join(d, "port.tmp"), "w") as f:
    f.write("%d\n" % srv.getsockname()[1])
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
while True:
    try:
        c, addr = srv.accept()
    except InterruptedError:
        continue
    log.write("accepted %s:%d\n" % addr)
    c.close()
