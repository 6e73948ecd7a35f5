#!/bin/sh
# Issue 14: extended attributes on an ext2 image (the --overlay upper
# layer): files made on it and a host file copied up onto it keep user.*,
# trusted.* and security.* in ext2's xattr blocks, which debugfs lists and
# e2fsck -fn finds clean; a later boot reads them back, a full block
# gives ENOSPC and a value past a block ERANGE, as ext2 gives.
# usage: UOS=path/to/uos fs_xattr.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || exit 77

show='
import os
def show(p, follow=True):
    names = sorted(os.listxattr(p, follow_symlinks=follow))
    vals = [os.getxattr(p, n, follow_symlinks=follow) for n in names]
    print(p, [(n, v if len(v) < 40 else len(v)) for n, v in zip(names, vals)])
'
"$UOS" --overlay "$W/up.img" /usr/bin/python3 -c "$show"'
import errno
os.makedirs("/xa/d", exist_ok=True)
open("/xa/f", "w").write("data")
os.setxattr("/xa/f", "user.color", b"blue")
os.setxattr("/xa/f", "user.gone", b"x")
os.setxattr("/xa/f", "trusted.t", b"root only")
os.setxattr("/xa/f", "security.s", b"\0\1\2")
os.setxattr("/xa/f", "user.big", b"v" * 300)
os.removexattr("/xa/f", "user.gone")
os.setxattr("/xa/d", "user.dir", b"yes")
os.symlink("f", "/xa/l")
os.setxattr("/xa/l", "trusted.link", b"on the link", follow_symlinks=False)
os.setxattr("/etc/hostname", "user.copied", b"up")
fd = os.open("/xa/g", os.O_CREAT | os.O_RDWR, 0o644)
os.setxattr(fd, "user.byfd", b"1")
os.close(fd)
try:
    os.setxattr("/xa/g", "user.huge", b"h" * 70000)
except OSError as e:
    print("past 64k:", errno.errorcode[e.errno])
try:
    os.setxattr("/xa/g", "user.block", b"h" * 5000)
except OSError as e:
    print("past a block:", errno.errorcode[e.errno])
n = 0
try:
    while n < 1000:
        os.setxattr("/xa/g", "user.fill%03d" % n, b"f" * 40)
        n += 1
except OSError as e:
    print("full:", errno.errorcode[e.errno], n > 10)
for i in range(n):
    os.removexattr("/xa/g", "user.fill%03d" % i)
for p in ("/xa/f", "/xa/d", "/xa/g", "/etc/hostname"):
    show(p)
show("/xa/l", False)
' >"$W/first" 2>&1
"$UOS" --overlay "$W/up.img" /usr/bin/python3 -c "$show"'
for p in ("/xa/f", "/xa/d", "/xa/g", "/etc/hostname"):
    show(p)
show("/xa/l", False)
' >"$W/second" 2>&1
cat >"$W/want" <<'WANT'
past 64k: E2BIG
past a block: ERANGE
full: ENOSPC True
/xa/f [('security.s', b'\x00\x01\x02'), ('trusted.t', b'root only'), ('user.big', 300), ('user.color', b'blue')]
/xa/d [('user.dir', b'yes')]
/xa/g [('user.byfd', b'1')]
/etc/hostname [('user.copied', b'up')]
/xa/l [('trusted.link', b'on the link')]
WANT
same "the first boot sets and reads them" "$W/want" "$W/first"
grep -v '^past\|^full' "$W/want" >"$W/want2"
same "a later boot reads them back" "$W/want2" "$W/second"
debugfs -R "ea_list /xa/f" "$W/up.img" >"$W/ea" 2>/dev/null
grep -q 'user.color (4) = "blue"' "$W/ea" && grep -q 'trusted.t' "$W/ea" &&
	pass "debugfs lists the attributes" || { fail "debugfs ea_list /xa/f:"; cat "$W/ea"; }
debugfs -R "stats" "$W/up.img" 2>/dev/null | grep -q "features:.*ext_attr" &&
	pass "the superblock has ext_attr" || fail "no ext_attr feature"
fsck_clean "$W/up.img"

# POSIX ACLs on the image, in ext2's ACL format: setfacl, getfacl, a
# default ACL inherited, enforced, read back at the next boot.
if command -v setfacl >/dev/null; then
	acl='cd /xa || exit 1
touch acl; chmod 600 acl; setfacl -m u:1000:r acl
mkdir dacl; setfacl -d -m u:1000:rwx dacl; touch dacl/new
getfacl -n acl dacl/new 2>&1
python3 -c "
import os
os.seteuid(1000)
print(open(\"acl\").read() == \"\")
try:
    open(\"acl\", \"a\")
except OSError as e:
    print(e.strerror)
"'
	"$UOS" --overlay "$W/up.img" /bin/bash -c "$acl" >"$W/acl1" 2>&1
	"$UOS" --overlay "$W/up.img" /bin/bash -c 'cd /xa && getfacl -n acl dacl/new' >"$W/acl2" 2>&1
	cat >"$W/aclwant" <<'WANT'
# file: acl
# owner: 0
# group: 0
user::rw-
user:1000:r--
group::---
mask::r--
other::---

# file: dacl/new
# owner: 0
# group: 0
user::rw-
user:1000:rwx	#effective:rw-
group::r-x	#effective:r--
mask::rw-
other::r--

True
Permission denied
WANT
	same "ACLs on the image: set, inherited, enforced" "$W/aclwant" "$W/acl1"
	head -n -2 "$W/aclwant" >"$W/aclwant2"
	same "ACLs on the image read back at the next boot" "$W/aclwant2" "$W/acl2"
	fsck_clean "$W/up.img"
fi

# An image whose attributes e2fsprogs wrote (in the inode's own space):
# read, then changed (they move into a block), and still clean.
mke2fs -q -F -t ext2 -b 1024 "$W/native.img" 4M >/dev/null 2>&1
debugfs -w -R "mkdir d" "$W/native.img" >/dev/null 2>&1
debugfs -w -R "ea_set /d user.native hello" "$W/native.img" >/dev/null 2>&1
debugfs -w -R "ea_set /d trusted.t xyz" "$W/native.img" >/dev/null 2>&1
"$UOS" --overlay "$W/native.img" /usr/bin/python3 -c "$show"'
show("/d")
os.setxattr("/d", "user.more", b"m")
os.removexattr("/d", "user.native")
show("/d")
' >"$W/native.out" 2>&1
cat >"$W/native.want" <<'WANT'
/d [('trusted.t', b'xyz'), ('user.native', b'hello')]
/d [('trusted.t', b'xyz'), ('user.more', b'm')]
WANT
same "e2fsprogs' in-inode attributes read and changed" "$W/native.want" "$W/native.out"
debugfs -R "ea_list /d" "$W/native.img" 2>/dev/null | grep -q 'user.more (1) = "m"' &&
	pass "debugfs sees the change" || fail "debugfs ea_list /d lacks user.more"
fsck_clean "$W/native.img"
finish
