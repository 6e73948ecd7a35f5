#!/usr/bin/env bash
# Issue 14: one identity per file.  A host file seen through the overlay
# keeps one st_dev/st_ino through copy-up: stat, fstat and statx (coreutils
# stat) agree before and after it is opened for writing; and vim edits it
# in place (it compares them: E949 otherwise).  Natively the same program
# runs on the same file; under uos the host file stays unchanged.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'one\ntwo\n' >"$tmp/f"
prog='
import os, subprocess, sys
p = sys.argv[1]
def ident(st): return (st.st_dev, st.st_ino)
def statx(): return tuple(int(x) for x in subprocess.run(["stat", "-c", "%d %i", p], capture_output=True, text=True).stdout.split())
before = ident(os.stat(p))
print("statx agrees before:", statx() == before)
fd = os.open(p, os.O_RDWR)
print("fstat agrees after open for writing:", ident(os.fstat(fd)) == before)
os.write(fd, b"ONE")
print("stat agrees after a write:", ident(os.stat(p)) == before, ident(os.fstat(fd)) == before)
print("statx agrees after:", statx() == before)
os.close(fd)
fd = os.open(p, os.O_RDONLY)
print("a later open agrees:", ident(os.fstat(fd)) == before)
os.close(fd)
r = subprocess.run(["vim", "-es", "-c", "%s/two/TWO/", "-c", "wq", p], stdin=subprocess.DEVNULL)
print("vim:", r.returncode, open(p).read().split())
'
need_tools vim
python3 -c "$prog" "$tmp/f" >"$tmp/native" 2>&1
printf 'one\ntwo\n' >"$tmp/f"
"$UOS" python3 -c "$prog" "$tmp/f" >"$tmp/uos" 2>&1
show_file native "$tmp/native"
check "same output natively and under uos" diff -u "$tmp/native" "$tmp/uos"
check "the host file is unchanged" [ "$(cat "$tmp/f")" = "$(printf 'one\ntwo')" ]
checks_exit
