/* mm_brk: the program break grows and shrinks, brk(0) reports it, a request
 * below the start of the heap leaves it alone, and pages given back come back
 * zero-filled. Nothing address-specific is printed. */
#include <stdint.h>
#include <sys/syscall.h>
#include "guest.h"

static uintptr_t raw_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

int main(void)
{
	uintptr_t start = raw_brk(0);
	uintptr_t cur;
	unsigned char *p;

	EXPECT("brk(0) == sbrk(0)", (void *)start == sbrk(0));
	cur = raw_brk(start + 65536);
	EXPECT("grow by 64 KiB", cur == start + 65536);
	p = (unsigned char *)start;
	EXPECT("new heap is zero", p[0] == 0 && p[65535] == 0);
	memset(p, 0xab, 65536);
	EXPECT("new heap is writable", p[100] == 0xab);
	EXPECT("brk(0) reports the new break", raw_brk(0) == start + 65536);
	cur = raw_brk(start + 100);
	EXPECT("shrink to start+100", cur == start + 100);
	cur = raw_brk(start + 65536);
	EXPECT("grow again", cur == start + 65536);
	EXPECT("page given back is zero again", p[8192] == 0 && p[65535] == 0);
	EXPECT("kept page kept its data", p[50] == 0xab);
	cur = raw_brk(1);
	EXPECT("brk below start leaves the break", cur == start + 65536);
	cur = raw_brk(start + ((uintptr_t)1 << 46));
	EXPECT("absurd growth leaves the break", cur == start + 65536);
	cur = raw_brk(start);
	EXPECT("back to start", cur == start);
	EXPECT("sbrk(4096) returns the old break", sbrk(4096) == (void *)start);
	EXPECT("sbrk(0) moved by 4096", sbrk(0) == (void *)(start + 4096));
	return 0;
}
