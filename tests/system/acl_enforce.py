# Run by acl_tools.sh in a scratch directory, as root: who may read, write and
# search what by POSIX ACLs (named users and groups, the mask, chmod, access(2)).
import os, errno
def t(f):
    try:
        f(); return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
def as_user(uid, groups, f):
    os.setgroups(groups); os.setegid(groups[0] if groups else 0); os.seteuid(uid)
    try:
        return t(f)
    finally:
        os.seteuid(0); os.setegid(0); os.setgroups([])
def rd(p): return lambda: open(p).read()
def wr(p): return lambda: open(p, "a").close()
for n in ("a", "b", "c", "e"):
    open(n, "w").write("x")
    os.chmod(n, 0o600)
os.system("setfacl -m u:1000:r a; setfacl -m u:1000:rw,m::r b; setfacl -m g:2000:rw c")
print("named user read", as_user(1000, [], rd("a")), "write", as_user(1000, [], wr("a")))
print("mask limits", as_user(1000, [], rd("b")), as_user(1000, [], wr("b")))
print("named group", as_user(1001, [2000], wr("c")), "others", as_user(1001, [3000], rd("c")))
os.chmod("e", 0o606)
os.system("setfacl -m g:2000:r e")
print("group found, not enough", as_user(1001, [2000], wr("e")), "other", as_user(1001, [3000], wr("e")))
os.mkdir("d", 0o700)
open("d/in", "w").write("y")
os.chmod("d/in", 0o644)
print("search denied", as_user(1000, [], rd("d/in")))
os.system("setfacl -m u:1000:x d")
print("search by ACL", as_user(1000, [], rd("d/in")), "list", as_user(1000, [], lambda: os.listdir("d")))
os.chmod("a", 0o600)
print("chmod masks it out", as_user(1000, [], rd("a")))
os.setresuid(1000, 0, 0)
print("access(2) real ids", os.access("b", os.R_OK), os.access("b", os.W_OK))
os.setresuid(0, 0, 0)
