#!/usr/bin/env bash
# Issue 10: --net=host.  Native Python peers on the host's loopback and a
# Python guest under `uos --net=host` reach each other over TCP and UDP,
# both ways; a non-blocking connect, a refused one, poll and epoll behave as
# Linux's.  Under the default --net=none the same connect never leaves uos.
# With --root, the guest's /etc/resolv.conf and /etc/hosts are the host's.
. "$(dirname "$0")/lib.sh"
need_tools python3
PYTHONPATH=$DONE_DIR exec python3 - "$UOS" <<'EOF'
import os, shutil, socket, subprocess, sys, tempfile, threading
import checks
from checks import check

uos = sys.argv[1]

GUEST = r'''
import errno, select, socket, sys
cmd, port = sys.argv[1], int(sys.argv[2])
if cmd == "echo":
    s = socket.create_connection(("127.0.0.1", port))
    names = s.getpeername() == ("127.0.0.1", port), s.getsockname()[0]
    data = bytes(range(256)) * 1024
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    print("echo", got == data, *names)
elif cmd == "serve":
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen()
    print(l.getsockname()[1], flush=True)
    c, peer = l.accept()
    print("peer", peer[0], c.getpeername() == peer, flush=True)
    c.sendall(c.recv(100).upper())
    c.close()
elif cmd == "udp":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    print(u.getsockname()[1], flush=True)
    d, a = u.recvfrom(100)
    u.sendto(d[::-1], a)
    u.sendto(b"ping", ("127.0.0.1", port))
    print("udp", u.recvfrom(100)[0].decode(), flush=True)
elif cmd == "nonblock":
    s = socket.socket()
    s.setblocking(False)
    e = s.connect_ex(("127.0.0.1", port))
    print("connect", errno.errorcode.get(e, e))
    p = select.poll()
    p.register(s, select.POLLOUT)
    print("pollout", bool(p.poll(5000)))
    print("so_error", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    ep = select.epoll()
    ep.register(s.fileno(), select.EPOLLIN)
    print("epoll-before", ep.poll(0.2))
    s.send(b"x")  # the native side answers each byte
    print("epoll-after", [ev for _, ev in ep.poll(5)])
    print("got", s.recv(10))
elif cmd == "pass":
    # A connected host socket passed to a child (SCM_RIGHTS): the child talks on it.
    a, b = socket.socketpair()
    s = socket.create_connection(("127.0.0.1", port))
    import os
    if os.fork() == 0:
        fds = socket.recv_fds(b, 10, 1)[1]
        c = socket.socket(fileno=fds[0])
        c.sendall(b"from the child")
        print("child", c.recv(100).decode(), flush=True)
        os._exit(0)
    socket.send_fds(a, [b"x"], [s.fileno()])
    s.close()
    os.wait()
elif cmd == "linger":
    # Unsent bytes and SO_LINGER 5 s: the host's close would wait; uos's does not.
    import struct, time
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    try:
        while True:
            s.send(b"x" * 65536)
    except BlockingIOError:
        pass
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 5))
    t = time.time()
    s.close()
    print("close", "quick" if time.time() - t < 2 else "slow")
elif cmd == "refused":
    s = socket.socket()
    e = s.connect_ex(("127.0.0.1", port))
    print("refused", errno.errorcode.get(e, e))
'''

gf = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
gf.write(GUEST)
gf.close()

def guest(*args, net="host", **kw):
    opts = ["--net=" + net] if net else []
    return subprocess.Popen([uos] + opts + ["python3", gf.name] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)

def finish(p):
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    if err:
        print("stderr:", err.strip()[-500:])
    return out

def listener(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    if kind == socket.SOCK_STREAM:
        s.listen()
    return s, s.getsockname()[1]

def echo_server(l, upper=False):
    c, _ = l.accept()
    while True:
        b = c.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()

# The guest connects to a native echo server, sends 256 KiB, reads it back.
l, port = listener()
t = threading.Thread(target=echo_server, args=(l,))
t.start()
out = finish(guest("echo", port))
t.join(10)
check("guest client to native TCP server echoes 256 KiB, names right (%r)" % out.strip(),
      out.strip() == "echo True True 127.0.0.1")

# The guest listens; a native client connects.
p = guest("serve", 0)
gport = int(p.stdout.readline())
c = socket.create_connection(("127.0.0.1", gport), timeout=10)
c.sendall(b"hello")
reply = c.recv(100)
c.close()
out = finish(p)
check("native client to guest TCP listener (%r, %r)" % (reply, out.strip()),
      reply == b"HELLO" and out.strip() == "peer 127.0.0.1 True")

# UDP both ways.
u, uport = listener(socket.SOCK_DGRAM)
u.settimeout(10)
p = guest("udp", uport)
gport = int(p.stdout.readline())
u.sendto(b"abc", ("127.0.0.1", gport))
r1 = u.recvfrom(100)
r2 = u.recvfrom(100)
u.sendto(b"pong", r2[1])
out = finish(p)
check("UDP native -> guest -> native (%r %r %r)" % (r1, r2[0], out.strip()),
      r1 == (b"cba", ("127.0.0.1", gport)) and r2[0] == b"ping" and out.strip() == "udp pong")

# Non-blocking connect, poll, SO_ERROR, epoll readiness.
l, port = listener()
def answer_once():
    c, _ = l.accept()
    c.sendall(c.recv(1).upper())
    c.recv(1)
    c.close()
t = threading.Thread(target=answer_once)
t.start()
out = finish(guest("nonblock", port)).split("\n")
t.join(10)
check("non-blocking connect: EINPROGRESS, POLLOUT, SO_ERROR 0 (%r)" % out[:3],
      out[:3] == ["connect EINPROGRESS", "pollout True", "so_error 0"])
check("epoll: not readable, then EPOLLIN (%r)" % out[3:6],
      out[3:6] == ["epoll-before []", "epoll-after [1]", "got b'X'"])

# A host socket passed to another guest process.
l, port = listener()
def answer_upper():
    c, _ = l.accept()
    c.sendall(c.recv(100).upper())
    c.close()
t = threading.Thread(target=answer_upper)
t.start()
out = finish(guest("pass", port))
t.join(10)
check("a host socket passed by SCM_RIGHTS works in the child (%r)" % out.strip(),
      out.strip() == "child FROM THE CHILD")

# A lingering close does not hold uos (the host's would wait 5 s in uos's close).
l, port = listener()
held = []
t = threading.Thread(target=lambda: held.append(l.accept()))
t.start()
out = finish(guest("linger", port))
t.join(10)
check("SO_LINGER 5 with unsent bytes: the close does not wait in uos (%r)" % out.strip(),
      out.strip() == "close quick")

# A bad --net value: one line, status 2.
r = subprocess.run([uos, "--net=bogus", "true"], capture_output=True, text=True)
check("--net=bogus: status 2, one line (%d, %r)" % (r.returncode, r.stderr),
      r.returncode == 2 and r.stderr.count("\n") == 1)

# A closed port: refused.
l, port = listener()
l.close()
out = finish(guest("refused", port))
check("connect to a closed host port: ECONNREFUSED (%r)" % out.strip(),
      out.strip() == "refused ECONNREFUSED")

# --net=none: the native server is not reached.
l, port = listener()
l.settimeout(1)
out = finish(guest("refused", port, net=None))
try:
    l.accept()
    reached = True
except socket.timeout:
    reached = False
check("--net=none: the host's listener is not reached (%r)" % out.strip(),
      not reached and out.strip() in ("refused ECONNREFUSED", "refused ENETUNREACH"))

# With --root, the guest's resolver files are the host's (in the overlay; the root's own unchanged).
bb = shutil.which("busybox")
if bb and b"ELF" in open(bb, "rb").read(4) and subprocess.run(["ldd", bb], capture_output=True).returncode != 0:
    root = tempfile.mkdtemp()
    os.chmod(root, 0o755)  # the guest runs as uid 1000
    os.makedirs(root + "/etc")
    os.makedirs(root + "/bin")
    shutil.copy(bb, root + "/bin/busybox")
    with open(root + "/etc/resolv.conf", "w") as f:
        f.write("nameserver 192.0.2.1\n")
    def cat(*opts):
        return subprocess.run([uos] + list(opts) + ["--root", root, "/bin/busybox", "cat",
                              "/etc/resolv.conf", "/etc/hosts"], capture_output=True).stdout
    host = open("/etc/resolv.conf", "rb").read() + open("/etc/hosts", "rb").read()
    got = cat("--net=host", "--user", "1000")
    check("--net=host --root DIR: the guest's /etc/resolv.conf and hosts are the host's (%r)"
          % got[:60], got == host)
    check("--net=none --root DIR: the root's own resolv.conf",
          cat().startswith(b"nameserver 192.0.2.1\n"))
    check("the root's own file is unchanged",
          open(root + "/etc/resolv.conf").read() == "nameserver 192.0.2.1\n")
    shutil.rmtree(root)
else:
    print("skip: no static busybox for the --root check")

os.unlink(gf.name)
checks.finish()
EOF
