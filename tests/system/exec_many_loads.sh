#!/usr/bin/env bash
# An ELF program of 30 PT_LOAD segments, with holes between them, read-only
# and writable in turn, each with bss past a page: loading it takes more
# calls (a munmap per hole, an mprotect or mmap per segment, an anonymous
# mmap per bss) than the loader's batch holds (STUB_TABLE_MAX, 67), so the
# batch runs early and the rest are injected one by one (guest_batch_run,
# inject.c).  The program checks every segment's bytes, that every bss is
# zero (the file's tail on its last page too) and that a writable one takes
# a write, and prints what it saw: the same natively and under uos.
. "$(dirname "$0")/lib.sh"
N=30 # even: the last segment, which takes the program's own .bss, is writable
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	echo 'ENTRY(_start)'
	echo 'PHDRS { text PT_LOAD FILEHDR PHDRS FLAGS(5);'
	for i in $(seq 0 $((N - 1))); do echo "  p$i PT_LOAD FLAGS($((i % 2 ? 6 : 4)));"; done
	echo '}'
	echo 'SECTIONS {'
	echo '  . = 0x400000 + SIZEOF_HEADERS;'
	echo '  .text : { *(.text*) *(.rodata*) } :text'
	for i in $(seq 0 $((N - 1))); do
		echo "  . = ALIGN(0x1000) + 0x3000 + 0x123;"
		echo "  .d$i : { *(.d$i) } :p$i"
		echo "  .bss.b$i : { *(.bss.b$i) } :p$i"
	done
	echo "  .bss : { *(.bss) *(COMMON) } :p$((N - 1))"
	echo '  /DISCARD/ : { *(.note*) *(.eh_frame*) *(.comment) }'
	echo '}'
} >"$tmp/many.ld"

{
	cat <<'EOF'
static long sys3(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
static char out[128 * 40];
static int len;
static void put(const char *s)
{
	while (*s)
		out[len++] = *s++;
}
static void num(int n)
{
	if (n >= 10)
		num(n / 10);
	out[len++] = (char)('0' + n % 10);
}
/* Segment i: its data ("seg" i, then i in every byte up to 1000) and 9000 bytes of bss. */
static void check(int i, const volatile char *d, volatile char *b)
{
	int ok = d[0] == 's' && d[1] == 'e' && d[2] == 'g';
	for (int j = 8; j < 1000; j++)
		ok &= d[j] == (char)i;
	int zero = 1;
	for (int j = 0; j < 9000; j++)
		zero &= b[j] == 0;
	put("segment ");
	num(i);
	put(ok ? " data ok" : " data WRONG");
	put(zero ? ", bss zero" : ", bss NOT ZERO");
	/* The page before it is a hole: mincore says ENOMEM (12) where nothing is mapped. */
	unsigned char vec;
	long hole = sys3(27, ((long)d & ~4095L) - 4096, 4096, (long)&vec);
	put(hole == -12 ? ", hole unmapped" : ", HOLE MAPPED");
	/* getrandom writes its byte, or fails with EFAULT (14) on a read-only page. */
	long w = sys3(318, (long)&b[4096], 1, 0);
	put(w == 1 ? ", writable" : w == -14 ? ", read-only" : ", getrandom ?");
	if (i % 2) {
		b[8999] = 1;
		put(b[8999] == 1 ? ", written\n" : ", write lost\n");
	} else {
		put("\n");
	}
}
EOF
	for i in $(seq 0 $((N - 1))); do
		w=$((i % 2))
		c=$([ "$w" = 1 ] || echo const)
		echo "__attribute__((section(\".d$i\"))) $c volatile char d$i[1000] = {'s', 'e', 'g', [8 ... 999] = $i};"
		echo "__attribute__((section(\".bss.b$i\"))) $c volatile char b$i[9000];"
	done
	echo 'void _start(void)'
	echo '{'
	for i in $(seq 0 $((N - 1))); do echo "	check($i, d$i, (volatile char *)b$i);"; done
	echo '	sys3(1, 1, (long)out, len);'
	echo '	sys3(231, 0, 0, 0);'
	echo '}'
} >"$tmp/many.c"

if ! cc -O1 -static -nostdlib -fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-Wl,--build-id=none -Wl,-T,"$tmp/many.ld" -o "$tmp/many" "$tmp/many.c" 2>"$tmp/cc.err"; then
	show_file "cc" "$tmp/cc.err"
	fail "the program of $N segments builds"
	checks_exit
fi
loads=$(readelf -lW "$tmp/many" | grep -c ' LOAD ')
check "the program has $((N + 1)) PT_LOAD segments ($loads)" [ "$loads" -eq $((N + 1)) ]

"$tmp/many" >"$tmp/native.out" 2>&1
native=$?
check "natively it runs (status $native) and finds every segment right" \
	sh -c "[ $native -eq 0 ] && [ \$(grep -c 'data ok, bss zero, hole unmapped' '$tmp/native.out') -eq $N ]"
run_uos "$tmp/uos.out" "$tmp/uos.err" "$tmp/many"
check "under uos it exits as natively ($status)" [ "$status" -eq "$native" ]
if cmp -s "$tmp/native.out" "$tmp/uos.out"; then
	pass "under uos it prints what it prints natively"
else
	fail "under uos it prints what it prints natively"
	diff "$tmp/native.out" "$tmp/uos.out" | head -20
	show_file "uos stderr" "$tmp/uos.err"
fi
checks_exit
