#!/usr/bin/env bash
# Issue 5: make -j2 builds a small multi-file C project with gcc, in a scratch
# directory (difftest --scratch: the uos run writes only in its overlay).
. "$(dirname "$0")/lib.sh"
script=$(mktemp "${TMPDIR:-/tmp}/proc_make.XXXXXX")
trap 'rm -f "$script"' EXIT
cat >"$script" <<'SCRIPT'
set -e
cd "$1"
for i in 1 2 3 4; do
	printf 'int f%d(void) { return %d; }\n' $i $i >f$i.c
done
cat >main.c <<'C'
#include <stdio.h>
int f1(void), f2(void), f3(void), f4(void);
int main(void) { printf("sum %d\n", f1() + f2() + f3() + f4()); return 0; }
C
cat >Makefile <<'MK'
OBJS = main.o f1.o f2.o f3.o f4.o
prog: $(OBJS)
	gcc -o $@ $(OBJS)
%.o: %.c
	gcc -O1 -c -o $@ $<
MK
make -s -j2
./prog
ls *.o | wc -l
SCRIPT
exec "$DIFFTEST" --expect-status 0 --scratch -- /bin/bash "$script"
