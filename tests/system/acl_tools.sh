#!/usr/bin/env bash
# Issue 14: POSIX ACLs as Linux keeps them: setfacl/getfacl (the mask in
# the mode's group bits, chmod changing the mask, default ACLs on
# directories only, setfacl -b), and the checks of a raw
# system.posix_acl_access blob (version, size, entry order, a mask where
# named entries are, an ACL the mode says all of is not kept; only the
# owner sets one); the permission checks that read them
# (acl_enforce.py) and what new files inherit (acl_inherit.sh).  The same scripts natively and under uos, same output.
. "$(dirname "$0")/lib.sh"
need_tools setfacl getfacl
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
script='
cd "$1" || exit 1
touch f; chmod 640 f
getfacl -n f
setfacl -m u:1000:rw f; echo "setfacl: $?"
getfacl -n f; stat -c %A f
chmod 604 f; getfacl -n f
setfacl -m g:50:r,m::r f; getfacl -n f; stat -c %A f
mkdir d; setfacl -d -m u:1000:rx d; echo "default: $?"; getfacl -n d
setfacl -d -m u:1000:rx f; echo "default on file: $?"
setfacl -b f; echo "-b: $?"; getfacl -n f; stat -c %A f
python3 -c '"'"'
import os, struct, errno
def t(f):
    try: f(); return "ok"
    except OSError as e: return errno.errorcode[e.errno]
hdr = struct.pack("<I", 2)
ent = lambda tag, perm, id=0xffffffff: struct.pack("<HHI", tag, perm, id)
good = hdr + ent(1,6) + ent(4,4) + ent(0x20,4)
print("equiv", t(lambda: os.setxattr("f", "system.posix_acl_access", good)), oct(os.stat("f").st_mode))
print("after equiv", t(lambda: os.getxattr("f", "system.posix_acl_access")))
print("bad version", t(lambda: os.setxattr("f", "system.posix_acl_access", struct.pack("<I",1) + good[4:])))
print("bad size", t(lambda: os.setxattr("f", "system.posix_acl_access", good + b"x")))
print("no mask", t(lambda: os.setxattr("f", "system.posix_acl_access", hdr + ent(1,6) + ent(2,4,5) + ent(4,4) + ent(0x20,4))))
print("bad order", t(lambda: os.setxattr("f", "system.posix_acl_access", hdr + ent(4,4) + ent(1,6) + ent(0x20,4))))
print("bad perm", t(lambda: os.setxattr("f", "system.posix_acl_access", hdr + ent(1,16) + ent(4,4) + ent(0x20,4))))
print("empty", t(lambda: os.setxattr("f", "system.posix_acl_access", hdr)))
print("rm none", t(lambda: os.removexattr("f", "system.posix_acl_access")))
print("rm default none", t(lambda: os.removexattr("d", "system.posix_acl_default")))
print("other system", t(lambda: os.setxattr("f", "system.foo", b"x")))
os.symlink("f", "l")
print("on symlink", t(lambda: os.setxattr("l", "system.posix_acl_access", good, follow_symlinks=False)))
os.chown("f", 1000, 1000)
print("not owner", t(lambda: os.setxattr("f", "system.posix_acl_access", good)))
os.seteuid(1000)
print("as user, not owner", t(lambda: os.setxattr("d", "system.posix_acl_access", good)))
print("as user, own file", t(lambda: os.setxattr("f", "system.posix_acl_access", good)))
os.seteuid(0)
'"'"'
'
here=$(cd "$(dirname "$0")" && pwd)
enforce=$here/acl_enforce.py
mkdir -p "$tmp/n/e" "$tmp/u/e" "$tmp/n/i" "$tmp/u/i"
bash -c "$script" sh "$tmp/n" >"$tmp/native" 2>&1
(cd "$tmp/n/e" && python3 "$enforce") >>"$tmp/native" 2>&1
"$UOS" bash -c "$script" sh "$tmp/u" >"$tmp/uos" 2>&1
(cd "$tmp/u/e" && "$UOS" python3 "$enforce") >>"$tmp/uos" 2>&1
(cd "$tmp/n/i" && bash "$here/acl_inherit.sh") >>"$tmp/native" 2>&1
(cd "$tmp/u/i" && "$UOS" bash "$here/acl_inherit.sh") >>"$tmp/uos" 2>&1
show_file native "$tmp/native"
check "same output natively and under uos" diff -u "$tmp/native" "$tmp/uos"
checks_exit
