#!/bin/sh
# gcc -c of a C file on an ext2 image mounted read-write: the whole gcc
# driver under uos (it forks and execs cc1 and as, which write temporary
# files in /tmp and the object on the image).  The object must be byte for
# byte what a native gcc -c makes of the same file in a directory of the
# same name, link natively into a program that runs, and the image must be
# e2fsck-clean afterwards.
# usage: UOS=path/to/uos fs_gcc.sh
. "$(dirname "$0")/lib.sh"
command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }

mkdir -p "$W/src/inc"
cat >"$W/src/hello.c" <<'C'
#include <stdio.h>
#include "inc/greet.h"
static int square(int x) { return x * x; }
int main(void)
{
	printf("%s %d\n", GREETING, square(7));
	return 0;
}
C
echo '#define GREETING "hello from an image"' >"$W/src/inc/greet.h"
"$UOS" mkfs "$W/c.img" 16M --from "$W/src" || fail "uos mkfs --from"
(cd "$W/src" && gcc -O2 -c hello.c -o hello.o) || fail "gcc natively"

"$UOS" --mount "$W/c.img:/src:rw" /bin/sh -c 'cd /src && gcc -O2 -c hello.c -o hello.o' \
	>"$W/out" 2>&1 || { fail "gcc -c under uos"; cat "$W/out"; }
fsck_clean "$W/c.img"
debugfs -R "dump /hello.o $W/got.o" "$W/c.img" 2>/dev/null
if cmp -s "$W/src/hello.o" "$W/got.o"; then
	pass "the object on the image matches native gcc's"
else
	fail "the object differs from native gcc's"
fi
gcc "$W/got.o" -o "$W/hello" && "$W/hello" >"$W/run.out"
echo "hello from an image 49" >"$W/run.want"
same "the object links and runs" "$W/run.want" "$W/run.out"
finish
