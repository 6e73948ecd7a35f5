#!/usr/bin/env bash
# Issue 10: curl fetches from a Python HTTP server in the same uos, over the
# loopback (127.0.0.1 and localhost, which curl resolves through /etc/hosts).
. "$(dirname "$0")/lib.sh"
need_tools curl
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import functools, http.server, os, subprocess, tempfile, threading

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

d = tempfile.mkdtemp()
with open(os.path.join(d, "index.txt"), "w") as f:
    f.write("curl was here\n")
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=d))
t = threading.Thread(target=srv.serve_forever)
t.start()
port = srv.server_address[1]
env = dict(os.environ, no_proxy="*")
for host in ("127.0.0.1", "localhost"):
    r = subprocess.run(["curl", "-sS", "--ipv4", "http://%s:%d/index.txt" % (host, port)],
                       capture_output=True, text=True, env=env)
    print(r.returncode, r.stdout, end="")
srv.shutdown()
t.join()
srv.server_close()
os.unlink(os.path.join(d, "index.txt"))
os.rmdir(d)
'
