#!/usr/bin/env bash
# Issue 10: Python over AF_UNIX socketpairs: socket.socketpair() with sendall
# and recv, socket.send_fds/recv_fds of a file's fd, and a duplex
# multiprocessing Pipe (a socketpair) between a parent and a child process.
. "$(dirname "$0")/lib.sh"
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/python3 -c '
import multiprocessing, os, socket, threading

a, b = socket.socketpair()
print("family", a.family == socket.AF_UNIX, "type", a.type == socket.SOCK_STREAM)
got = []
def reader():
    data = b""
    while chunk := b.recv(65536):
        data += chunk
    got.append(data)
t = threading.Thread(target=reader)
t.start()
payload = bytes(range(256)) * 4000  # 1 MB: more than the buffer, sendall blocks
a.sendall(payload)
a.close()
t.join()
print("sendall/recv", len(got[0]), got[0] == payload)
b.close()

a, b = socket.socketpair()
fd = os.open("/etc/passwd", os.O_RDONLY)
socket.send_fds(a, [b"fd"], [fd])
msg, fds, flags, addr = socket.recv_fds(b, 16, 4)
first = os.pread(fds[0], 5, 0)
print("send_fds", msg, len(fds), flags, first == os.pread(fd, 5, 0), fds[0] != fd)
os.close(fd); os.close(fds[0]); a.close(); b.close()

def child(conn):
    while (m := conn.recv()) is not None:
        conn.send(m * 2)
    conn.send("bye")
    conn.close()

if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    here, there = multiprocessing.Pipe(duplex=True)
    p = multiprocessing.Process(target=child, args=(there,))
    p.start()
    there.close()
    for m in [1, "ab", [3, 4]]:
        here.send(m)
        print("pipe", here.recv())
    here.send(None)
    print("pipe", here.recv())
    p.join()
    print("child exit", p.exitcode)
'
