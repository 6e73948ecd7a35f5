#!/usr/bin/env bash
# Issue 10: `uos --publish 127.0.0.1:HP:8000 python3 -m http.server 8000`, as
# `docker run -p`: a native client fetches a file through the published
# port (the same bytes), again, and four at once; before the guest's
# listener is up a connection is refused or closed; a half-close from the
# host reaches the guest (it answers after the end of the request).
. "$(dirname "$0")/lib.sh"
need_tools python3
PYTHONPATH=$DONE_DIR exec python3 - "$UOS" <<'EOF'
import os, shutil, socket, struct, subprocess, sys, tempfile, threading, time, urllib.request
from checks import check, finish

uos = sys.argv[1]

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

d = tempfile.mkdtemp()
blob = os.urandom(300000)
with open(os.path.join(d, "blob"), "wb") as f:
    f.write(blob)
hp = free_port()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def fetch(path="blob"):
    with opener.open("http://127.0.0.1:%d/%s" % (hp, path), timeout=20) as r:
        return r.read()

# The guest's listener comes up only after a delay: first, a connection is refused.
guest = subprocess.Popen([uos, "--publish", "127.0.0.1:%d:8000" % hp, "python3", "-c",
                          "import time, sys; time.sleep(2); sys.argv[1:] = ['8000', '--bind', "
                          "'127.0.0.1']; import runpy; runpy.run_module('http.server', "
                          "run_name='__main__')"],
                         cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
try:
    c = socket.create_connection(("127.0.0.1", hp), timeout=5)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    early = c.recv(100)
except OSError as e:
    early = e.__class__.__name__
check("no guest listener yet: refused or closed (%r)" % (early,),
      early in (b"", "ConnectionResetError", "ConnectionRefusedError", "BrokenPipeError"))

got = None
for _ in range(100):
    try:
        got = fetch()
        break
    except OSError:
        time.sleep(0.1)
check("a fetch through the published port gives the same 300000 bytes",
      got == blob)
check("a second fetch too", fetch() == blob)
res = [None] * 4
def one(i):
    try:
        res[i] = fetch()
    except OSError as e:
        res[i] = e
ts = [threading.Thread(target=one, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join(30)
check("four concurrent fetches give the same bytes", all(r == blob for r in res))

# A half-close: the request ends with the host's shutdown(SHUT_WR); the answer still comes.
c = socket.create_connection(("127.0.0.1", hp), timeout=10)
c.sendall(b"GET /blob HTTP/1.0\r\n\r\n")
c.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = c.recv(65536)
    if not b:
        break
    data += b
c.close()
check("after the host's half-close the whole answer comes, then the end",
      data.endswith(blob) and data.startswith(b"HTTP/1.0 200"))

guest.terminate()
try:
    guest.wait(10)
except subprocess.TimeoutExpired:
    guest.kill()
    guest.wait()
shutil.rmtree(d)

# UDP: datagrams from two host peers reach the guest's socket on 9000, replies come back.
up = free_port()
guest = subprocess.Popen([uos, "--publish", "127.0.0.1:%d:9000/udp" % up, "python3", "-c",
                          "import socket\n"
                          "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                          "u.bind(('127.0.0.1', 9000))\n"
                          "print('up', flush=True)\n"
                          "for _ in range(4):\n"
                          "    d, a = u.recvfrom(100)\n"
                          "    u.sendto(d.upper() + (b' ' + a[0].encode()), a)\n"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
guest.stdout.readline()
replies = []
peers = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
for i, p in enumerate(peers * 2):
    p.settimeout(10)
    p.sendto(b"hi%d" % i, ("127.0.0.1", up))
    try:
        replies.append(p.recvfrom(100))
    except OSError as e:
        replies.append(e.__class__.__name__)
ok = all(isinstance(r, tuple) and r[0] == b"HI%d 127.0.0.1" % i and r[1] == ("127.0.0.1", up)
         for i, r in enumerate(replies))
check("UDP: four datagrams from two host peers answered through the published port (%r)"
      % replies, ok)
try:
    guest.wait(10)
except subprocess.TimeoutExpired:
    guest.kill()
    guest.wait()

# Resets pass both ways: a host client's reset is the guest's ECONNRESET, and a
# guest's close with SO_LINGER 0 is the host client's.
rp = free_port()
guest = subprocess.Popen([uos, "--publish", "127.0.0.1:%d:7000" % rp, "python3", "-c",
                          "import socket, struct\n"
                          "l = socket.socket(); l.bind(('127.0.0.1', 7000)); l.listen()\n"
                          "print('up', flush=True)\n"
                          "c, peer = l.accept()\n"
                          "print('peer', peer[0], peer[1] >= 32768, flush=True)\n"
                          "print('got', c.recv(10), flush=True)\n"
                          "try:\n"
                          "    print('then', c.recv(10), flush=True)\n"
                          "except OSError as e:\n"
                          "    print('then', e.__class__.__name__, flush=True)\n"
                          "c2, _ = l.accept()\n"
                          "c2.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n"
                          "c2.recv(10)\n"
                          "c2.close()\n"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
guest.stdout.readline()
c = socket.create_connection(("127.0.0.1", rp), timeout=10)
c.sendall(b"abc")
time.sleep(0.3)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
peer = guest.stdout.readline().strip()
check("the guest sees its client as 127.0.0.1 and an ephemeral port (%r)" % peer,
      peer == "peer 127.0.0.1 True")
seen = guest.stdout.readline().strip() + " | " + guest.stdout.readline().strip()
check("a host client's reset reaches the guest (%r)" % seen,
      seen == "got b'abc' | then ConnectionResetError")
c = socket.create_connection(("127.0.0.1", rp), timeout=10)
c.sendall(b"x")
try:
    back = c.recv(10)
except OSError as e:
    back = e.__class__.__name__
check("the guest's reset reaches the host client (%r)" % (back,), back == "ConnectionResetError")
try:
    guest.wait(10)
except subprocess.TimeoutExpired:
    guest.kill()
    guest.wait()

# A host port that is taken: one line, status 2, before any guest runs.
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
r = subprocess.run([uos, "--publish", "127.0.0.1:%d:80" % s.getsockname()[1], "true"],
                   capture_output=True, text=True)
check("a taken host port: status 2 and one line naming it (%d, %r)" % (r.returncode, r.stderr),
      r.returncode == 2 and r.stderr.count("\n") == 1 and "127.0.0.1" in r.stderr)
for bad in ("80", "1:70000", "x:1:2", "1:2/tcp", "0:80/udp"):
    r = subprocess.run([uos, "--publish", bad, "true"], capture_output=True, text=True)
    check("--publish %s: status 2, one line (%d)" % (bad, r.returncode),
          r.returncode == 2 and r.stderr.count("\n") == 1)
finish()
EOF
