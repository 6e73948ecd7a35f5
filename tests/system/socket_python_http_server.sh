#!/usr/bin/env bash
# Issue 10: TCP on the loopback: http.server on a dual-stack listener ([::],
# as `python3 -m http.server` binds), fetched with urllib over 127.0.0.1
# and over [::1]; then a socketserver UDP echo.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import functools, http.server, os, socket, socketserver, tempfile, threading, urllib.request

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

class DualStack(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

d = tempfile.mkdtemp()
with open(os.path.join(d, "hello.txt"), "w") as f:
    f.write("hello over the loopback\n")
srv = DualStack(("::", 0), functools.partial(Quiet, directory=d))
port = srv.server_address[1]
t = threading.Thread(target=srv.serve_forever)
t.start()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print(opener.open("http://127.0.0.1:%d/hello.txt" % port).read().decode(), end="")
r = opener.open("http://[::1]:%d/hello.txt" % port)
print(r.status, r.headers["Content-Length"])
srv.shutdown()
t.join()
srv.server_close()
os.unlink(os.path.join(d, "hello.txt"))
os.rmdir(d)

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data.upper(), self.client_address)

u = socketserver.UDPServer(("127.0.0.1", 0), Echo)
ut = threading.Thread(target=u.serve_forever)
ut.start()
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
    c.settimeout(10)
    c.sendto(b"ping", u.server_address)
    print(c.recvfrom(64)[0])
u.shutdown()
ut.join()
u.server_close()
'
