#!/usr/bin/env bash
# Issue 10: AF_UNIX names: socketserver.UnixStreamServer on a path in a
# scratch directory, three clients from threads, and an asyncio server on an
# abstract name with its client in the same loop.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import asyncio, os, socket, socketserver, tempfile, threading

class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.readline().upper())

d = tempfile.mkdtemp()
path = os.path.join(d, "srv.sock")
srv = socketserver.UnixStreamServer(path, Echo)
t = threading.Thread(target=srv.serve_forever)
t.start()
def client(i):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.connect(path)
        c.sendall(b"hello %d\n" % i)
        out[i] = c.makefile("rb").readline()
out = {}
cs = [threading.Thread(target=client, args=(i,)) for i in range(3)]
[c.start() for c in cs]
[c.join() for c in cs]
srv.shutdown()
t.join()
srv.server_close()
print(sorted(out.items()))
print("is socket:", os.path.exists(path), oct(os.stat(path).st_mode >> 12))
os.unlink(path)
os.rmdir(d)

async def main():
    name = "\0uos-system-asyncio-%d" % os.getpid()
    async def handle(r, w):
        w.write((await r.readline()).upper())
        await w.drain()
        w.close()
    server = await asyncio.start_unix_server(handle, path=name)
    r, w = await asyncio.open_unix_connection(path=name)
    w.write(b"abstract\n")
    print(await r.readline())
    w.close()
    server.close()
    await server.wait_closed()

asyncio.run(main())
'
