/*
 * --trace's decoding of ioctl's third argument by its request, as strace
 * prints it: struct termios for TCGETS/TCSETS*, struct winsize, and the int
 * of the requests that pass one ([N]).  Other requests print the address.
 * What a request returns is shown only when the call succeeded.
 */
#include <stdint.h>

#include "gmem.h"
#include "trace_line.h"

/* clang-format off */
static const struct flag iflags[] = {
	{01, "IGNBRK"}, {02, "BRKINT"}, {04, "IGNPAR"}, {010, "PARMRK"}, {020, "INPCK"},
	{040, "ISTRIP"}, {0100, "INLCR"}, {0200, "IGNCR"}, {0400, "ICRNL"}, {01000, "IUCLC"},
	{02000, "IXON"}, {04000, "IXANY"}, {010000, "IXOFF"}, {020000, "IMAXBEL"}, {040000, "IUTF8"},
};

static const struct flag oflags_term[] = {
	{01, "OPOST"}, {02, "OLCUC"}, {04, "ONLCR"}, {010, "OCRNL"}, {020, "ONOCR"},
	{040, "ONLRET"}, {0100, "OFILL"}, {0200, "OFDEL"},
};

static const struct flag cflags[] = {
	{0100, "CSTOPB"}, {0200, "CREAD"}, {0400, "PARENB"}, {01000, "PARODD"}, {02000, "HUPCL"},
	{04000, "CLOCAL"}, {010000000000, "CMSPAR"}, {020000000000, "CRTSCTS"},
};

/* strace's order (IEXTEN before ECHOCTL) */
static const struct flag lflags[] = {
	{01, "ISIG"}, {02, "ICANON"}, {04, "XCASE"}, {010, "ECHO"}, {020, "ECHOE"}, {040, "ECHOK"},
	{0100, "ECHONL"}, {0200, "NOFLSH"}, {0400, "TOSTOP"}, {0100000, "IEXTEN"}, {01000, "ECHOCTL"},
	{02000, "ECHOPRT"}, {04000, "ECHOKE"}, {010000, "FLUSHO"}, {040000, "PENDIN"},
	{0200000, "EXTPROC"},
};

static const char *const bauds[] = {
	"B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200", "B1800",
	"B2400", "B4800", "B9600", "B19200", "B38400", "BOTHER", "B57600", "B115200", "B230400",
	"B460800", "B500000", "B576000", "B921600", "B1000000", "B1152000", "B1500000",
	"B2000000", "B2500000", "B3000000", "B3500000", "B4000000",
};
/* clang-format on */

enum { TCGETS = 0x5401, TCSETS, TCSETSW, TCSETSF };
enum { TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414 };
enum { FIONREAD = 0x541b, FIONBIO = 0x5421, TIOCGSID = 0x5429 };

/* The delay field of c_oflag whose mask is mask and first bit shift: NL0, CR2 ... */
static void put_delay(struct line *l, const char *name, unsigned int oflag, unsigned int mask,
		      int shift)
{
	lputf(l, "%s%u|", name, (oflag & mask) >> shift);
}

static void put_termios(struct line *l, const uint32_t *tio)
{
	unsigned int baud = (tio[2] & 017) | ((tio[2] & 010000) >> 8);

	lputf(l, "{c_iflag=");
	put_flags(l, iflags, ARRAY_SIZE(iflags), tio[0]);
	lputf(l, ", c_oflag=");
	put_delay(l, "NL", tio[1], 0100, 6);
	put_delay(l, "CR", tio[1], 03000, 9);
	put_delay(l, "TAB", tio[1], 014000, 11);
	put_delay(l, "BS", tio[1], 020000, 13);
	put_delay(l, "VT", tio[1], 040000, 14);
	put_delay(l, "FF", tio[1], 0100000, 15);
	put_flags(l, oflags_term, ARRAY_SIZE(oflags_term), tio[1] & 0377);
	lputf(l, ", c_cflag=%s|CS%u", baud < ARRAY_SIZE(bauds) ? bauds[baud] : "B?",
	      5 + ((tio[2] & 060) >> 4));
	if (tio[2] & ~(010017u | 060u))
		lputf(l, "|");
	if (tio[2] & ~(010017u | 060u))
		put_flags(l, cflags, ARRAY_SIZE(cflags), tio[2] & ~(010017u | 060u));
	lputf(l, ", c_lflag=");
	put_flags(l, lflags, ARRAY_SIZE(lflags), tio[3]);
	lputf(l, ", ...}");
}

/* Whether the request's argument is data the call returns. */
static bool returns_data(unsigned int req)
{
	return req == TCGETS || req == TIOCGWINSZ || req == TIOCGPGRP || req == FIONREAD ||
	       req == TIOCGSID;
}

void put_ioctlarg(struct line *l, const struct argctx *c, unsigned long v)
{
	unsigned int req = c->i ? (unsigned int)c->a->a[c->i - 1] : 0;
	uint32_t b[4];
	uint16_t ws[4];

	if (returns_data(req) && c->ret < 0) {
		put_ptr(l, c, v);
	} else if (req == TCGETS || (req >= TCSETS && req <= TCSETSF)) {
		if (gmem_read(c->t, b, v, sizeof(b)) == 0)
			put_termios(l, b);
		else
			put_ptr(l, c, v);
	} else if (req == TIOCGWINSZ || req == TIOCSWINSZ) {
		if (gmem_read(c->t, ws, v, sizeof(ws)) == 0)
			lputf(l, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", ws[0], ws[1],
			      ws[2], ws[3]);
		else
			put_ptr(l, c, v);
	} else if (req == TIOCGPGRP || req == TIOCSPGRP || req == FIONREAD || req == FIONBIO ||
		   req == TIOCGSID) {
		if (gmem_read(c->t, b, v, sizeof(b[0])) == 0)
			lputf(l, "[%d]", (int)b[0]);
		else
			put_ptr(l, c, v);
	} else {
		put_ptr(l, c, v);
	}
}
