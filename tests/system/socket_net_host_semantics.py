# Issue 10, --net=host: TCP and UDP over IPv4 and IPv6 on the host's
# loopback, one line per behaviour (connect's EINPROGRESS, then 0, then
# EISCONN; FIONREAD, MSG_PEEK, MSG_WAITALL, SO_RCVTIMEO, TCP options, a
# half-close, EPIPE after the peer's close, UDP MSG_TRUNC, a refused UDP
# send, poll, binds).  socket_net_host_semantics.sh runs it natively and
# under uos --net=host: the lines must be the same.
import errno, fcntl, os, select, signal, socket, struct, termios, time
def e(f):
    try:
        r = f()
        return r
    except OSError as x:
        return errno.errorcode.get(x.errno, x.errno)
out = []
P = lambda *a: out.append(" ".join(str(x) for x in a))
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    P("reuse", l.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))
    l.bind((host, 0)); l.listen(5)
    port = l.getsockname()[1]
    P("acceptconn", l.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), "type", l.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
    c = socket.socket(fam); c.setblocking(False)
    P("c1", e(lambda: c.connect((host, port))))
    time.sleep(0.05)
    P("c2", e(lambda: c.connect((host, port))))
    P("c3", e(lambda: c.connect((host, port))))
    c.setblocking(True)
    s, a = l.accept()
    P("peer-match", a == c.getsockname())
    c.sendall(b"hello world")
    time.sleep(0.05)
    P("fionread", struct.unpack("i", fcntl.ioctl(s, termios.FIONREAD, b"\0\0\0\0"))[0])
    P("peek", s.recv(5, socket.MSG_PEEK), s.recv(100))
    c.send(b"ab")
    def later():
        time.sleep(0.1); c.send(b"cd")
    import threading; t = threading.Thread(target=later); t.start()
    P("waitall", s.recv(4, socket.MSG_WAITALL)); t.join()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 200000))
    t0 = time.time(); P("rcvtimeo", e(lambda: s.recv(10)), round(time.time() - t0, 1))
    P("nodelay", e(lambda: c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)), c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    P("tcpinfo-len", len(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 64)))
    s.shutdown(socket.SHUT_WR)
    P("eof", c.recv(10))
    P("so_error", c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    s.close(); time.sleep(0.05)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    P("send-after-close", e(lambda: c.send(b"x")), e(lambda: (time.sleep(0.05), c.send(b"x"))[1]))
    c.close(); l.close()
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, 0))
    v = socket.socket(fam, socket.SOCK_DGRAM)
    v.sendto(b"0123456789", u.getsockname())
    d, _, flags, addr = u.recvmsg(4, 0, socket.MSG_TRUNC)
    P("udp-trunc", d, flags & socket.MSG_TRUNC != 0, addr == v.getsockname())
    v.sendto(b"abc", u.getsockname())
    P("udp-trunc-len", e(lambda: len(u.recv(1, socket.MSG_TRUNC))))
    v.connect(u.getsockname()); u.close()
    v.send(b"x"); time.sleep(0.05)
    P("udp-refused", e(lambda: v.send(b"x")))
    p = select.poll(); p.register(v, select.POLLIN | select.POLLOUT)
    P("udp-poll", p.poll(0))
    v.close()
b = socket.socket()
P("bind-unspec", e(lambda: b.bind(("", 0))), b.getsockname()[0])
P("bind-bad-len", e(lambda: b.bind(("1.2.3.4", 0))))
print("\n".join(out))
