/*
 * The line discipline of uos's terminals, as Linux's n_tty: what the master
 * writes goes through input processing (ISTRIP, IUCLC, ICRNL, INLCR, IGNCR,
 * IXON's VSTART/VSTOP, ISIG's VINTR/VQUIT/VSUSP, canonical editing with
 * VERASE, VWERASE, VKILL, VLNEXT, VREPRINT, VEOF, VEOL, VEOL2, and the echoes
 * ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT) into the input queue;
 * what the slave writes goes through output processing (OPOST: ONLCR,
 * OCRNL, ONOCR, ONLRET, OLCUC, XTABS) into the output queue, where the
 * echoes go too.  Reads follow ICANON, or VMIN and VTIME (the timer itself
 * is the caller's: pty.c's timeout op).
 *
 * A character whose c_cc entry is 0 (_POSIX_VDISABLE) is disabled.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "tty_impl.h"

/* ---- the queues */

static unsigned q_count(const struct ttyq *q)
{
	return q->head - q->tail;
}

static unsigned q_room(const struct ttyq *q)
{
	return q->cap - q_count(q);
}

static unsigned q_idx(const struct ttyq *q, unsigned i)
{
	return i & (q->cap - 1);
}

static void q_put(struct ttyq *q, unsigned char c, unsigned char flag)
{
	unsigned i = q_idx(q, q->head++);

	q->buf[i] = c;
	if (q->flag)
		q->flag[i] = flag;
}

static bool q_alloc(struct ttyq *q, unsigned cap, bool flags)
{
	q->cap = cap;
	q->buf = malloc(cap);
	q->flag = flags ? calloc(cap, 1) : NULL;
	return q->buf && (!flags || q->flag);
}

void tty_ldisc_init(struct tty *t)
{
	if (!q_alloc(&t->in, TTY_IBUF, true) || !q_alloc(&t->out, TTY_OBUF, false))
		tty_ldisc_free(t);
}

void tty_ldisc_free(struct tty *t)
{
	free(t->in.buf);
	free(t->in.flag);
	free(t->out.buf);
	t->in.buf = t->in.flag = t->out.buf = NULL;
}

/* ---- flags */

#define I(t, f) ((t)->tio.c_iflag & (f))
#define O(t, f) ((t)->tio.c_oflag & (f))
#define L(t, f) ((t)->tio.c_lflag & (f))

/* Whether c is the enabled control character cc[v]. */
static bool is_cc(const struct tty *t, unsigned char c, int v)
{
	return t->tio.c_cc[v] != 0 && c == t->tio.c_cc[v];
}

/* A continuation byte of a UTF-8 character (IUTF8): no column of its own. */
static bool is_cont(const struct tty *t, unsigned char c)
{
	return I(t, IUTF8) && (c & 0xc0) == 0x80;
}

/* ---- output processing */

/* One byte into the output queue as OPOST says; false when it does not fit. */
static bool out_char(struct tty *t, unsigned char c)
{
	struct ttyq *q = &t->out;

	if (!O(t, OPOST)) {
		if (!q_room(q))
			return false;
		q_put(q, c, 0);
		return true;
	}
	switch (c) {
	case '\n':
		if (O(t, ONLRET))
			t->column = 0;
		if (O(t, ONLCR)) {
			if (q_room(q) < 2)
				return false;
			t->column = t->canon_column = 0;
			q_put(q, '\r', 0);
		}
		break;
	case '\r':
		if (O(t, ONOCR) && t->column == 0)
			return true;
		if (O(t, OCRNL)) {
			c = '\n';
			if (O(t, ONLRET))
				t->column = t->canon_column = 0;
			break;
		}
		t->column = t->canon_column = 0;
		break;
	case '\t': {
		unsigned spaces = 8 - (t->column & 7);
		if ((t->tio.c_oflag & TABDLY) == XTABS) {
			if (q_room(q) < spaces)
				return false;
			t->column += spaces;
			while (spaces--)
				q_put(q, ' ', 0);
			return true;
		}
		t->column += spaces;
		break;
	}
	case '\b':
		if (t->column > 0)
			t->column--;
		break;
	default:
		if (!iscntrl(c)) {
			if (O(t, OLCUC))
				c = (unsigned char)toupper(c);
			if (!is_cont(t, c))
				t->column++;
		}
		break;
	}
	if (!q_room(q))
		return false;
	q_put(q, c, 0);
	return true;
}

long tty_ldisc_write(struct tty *t, const unsigned char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && !t->stopped && out_char(t, buf[n]))
		n++;
	if (n)
		tty_wake(t);
	return n || !len ? (long)n : -EAGAIN;
}

/* ---- echoes: through output processing; dropped when the output queue is full */

static void echo_raw(struct tty *t, unsigned char c)
{
	out_char(t, c);
}

/* c as ECHOCTL shows it: "^X" for a control character but tab and newline. */
static void echo_char(struct tty *t, unsigned char c)
{
	if (L(t, ECHOCTL) && iscntrl(c) && c != '\t' && c != '\n') {
		if (q_room(&t->out) < 2)
			return;
		q_put(&t->out, '^', 0);
		q_put(&t->out, c == 0x7f ? '?' : (c ^ 0100), 0);
		t->column += 2;
		return;
	}
	echo_raw(t, c);
}

/* ECHOPRT's closing "/" once the erasing stops. */
static void finish_erasing(struct tty *t)
{
	if (t->erasing) {
		echo_raw(t, '/');
		t->erasing = false;
	}
}

/* ---- the input queue */

static bool in_full(const struct tty *t)
{
	return q_count(&t->in) >= TTY_IBUF - 1;
}

static void in_put(struct tty *t, unsigned char c, unsigned char flag)
{
	if (!in_full(t))
		q_put(&t->in, c, flag);
}

/*
 * A line ends with c (flag: TTYQ_EOF for VEOF): readers may take it.  Its
 * end fits where plain bytes no longer do, as n_tty's last byte of room.
 */
static void commit_line(struct tty *t, unsigned char c, unsigned char flag)
{
	if (q_count(&t->in) >= TTY_IBUF)
		return;
	q_put(&t->in, c, TTYQ_EOL | flag);
	t->canon_head = t->in.head;
}

/* The column where the byte at in index i would be echoed, from the line's start. */
static unsigned column_at(const struct tty *t, unsigned i)
{
	unsigned col = t->canon_column;

	for (unsigned j = t->canon_head; j != i; j++) {
		unsigned char c = t->in.buf[q_idx(&t->in, j)];
		if (c == '\t')
			col = (col | 7) + 1;
		else if (iscntrl(c))
			col += L(t, ECHOCTL) ? 2 : 0;
		else if (!is_cont(t, c))
			col++;
	}
	return col;
}

static void echo_backspaces(struct tty *t, unsigned n, bool blank)
{
	while (n--) {
		echo_raw(t, '\b');
		if (blank) {
			echo_raw(t, ' ');
			echo_raw(t, '\b');
		}
	}
}

/* Echo the erase of c, the byte at in index i, as Linux's eraser does. */
static void echo_erase(struct tty *t, unsigned char c, unsigned i, bool erase_key)
{
	if (L(t, ECHOPRT)) {
		if (!t->erasing) {
			echo_raw(t, '\\');
			t->erasing = true;
		}
		echo_char(t, c);
	} else if (erase_key && !L(t, ECHOE)) {
		echo_char(t, t->tio.c_cc[VERASE]);
	} else if (c == '\t') {
		unsigned before = column_at(t, i);
		unsigned after = (before | 7) + 1;
		echo_backspaces(t, after - before, false);
	} else if (iscntrl(c)) {
		if (L(t, ECHOCTL))
			echo_backspaces(t, 2, true);
	} else if (!is_cont(t, c)) {
		echo_backspaces(t, 1, true);
	}
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* VERASE, VWERASE, VKILL: take bytes back from the line not yet committed. */
static void eraser(struct tty *t, enum erase_kind kind)
{
	unsigned alnums = 0;

	if (t->in.head == t->canon_head)
		return;
	if (kind == ERASE_LINE) {
		if (!L(t, ECHO)) {
			t->in.head = t->canon_head;
			return;
		}
		if (!L(t, ECHOK) || !L(t, ECHOKE) || !L(t, ECHOE)) {
			t->in.head = t->canon_head;
			finish_erasing(t);
			echo_char(t, t->tio.c_cc[VKILL]);
			if (L(t, ECHOK))
				echo_raw(t, '\n');
			return;
		}
	}
	while (t->in.head != t->canon_head) {
		unsigned i = t->in.head;
		unsigned char c;
		do /* a whole UTF-8 character */
			c = t->in.buf[q_idx(&t->in, --i)];
		while (is_cont(t, c) && i != t->canon_head);
		if (kind == ERASE_WORD) {
			if (isalnum(c) || c == '_')
				alnums++;
			else if (alnums)
				break;
		}
		t->in.head = i;
		if (L(t, ECHO))
			echo_erase(t, c, i, kind == ERASE_CHAR);
		if (kind == ERASE_CHAR)
			break;
	}
	if (t->in.head == t->canon_head && L(t, ECHO))
		finish_erasing(t);
}

/* VREPRINT: the kill-style echo of the line so far on a new line. */
static void reprint(struct tty *t)
{
	finish_erasing(t);
	echo_char(t, t->tio.c_cc[VREPRINT]);
	echo_raw(t, '\n');
	for (unsigned i = t->canon_head; i != t->in.head; i++)
		echo_char(t, t->in.buf[q_idx(&t->in, i)]);
}

/* ---- input processing */

void tty_flush(struct tty *t, bool in, bool out)
{
	if (in) {
		t->in.head = t->in.tail = t->canon_head = 0;
		t->lnext = t->erasing = false;
	}
	if (out)
		t->out.tail = t->out.head;
	if (t->packet)
		t->pktstatus |= (in ? TIOCPKT_FLUSHREAD : 0) | (out ? TIOCPKT_FLUSHWRITE : 0);
	tty_wake(t);
}

void tty_stop(struct tty *t, bool stop)
{
	if (t->stopped == stop)
		return;
	t->stopped = stop;
	if (t->packet) {
		t->pktstatus &= ~(TIOCPKT_STOP | TIOCPKT_START);
		t->pktstatus |= stop ? TIOCPKT_STOP : TIOCPKT_START;
	}
	tty_wake(t);
}

/* VINTR, VQUIT, VSUSP with ISIG. */
static void signal_char(struct tty *t, unsigned char c, int sig)
{
	if (!L(t, NOFLSH))
		tty_flush(t, true, true);
	tty_signal(t, sig);
	if (I(t, IXON))
		tty_stop(t, false);
	if (L(t, ECHO))
		echo_char(t, c);
}

/* A byte that is no special character: echoed and queued. */
static void plain_char(struct tty *t, unsigned char c)
{
	if (L(t, ECHO)) {
		finish_erasing(t);
		if (c == '\n') {
			echo_raw(t, '\n');
		} else {
			if (t->canon_head == t->in.head)
				t->canon_column = t->column;
			echo_char(t, c);
		}
	}
	if (c == 0377 && I(t, PARMRK))
		in_put(t, c, 0);
	in_put(t, c, 0);
}

/* The canonical mode's special characters: whether c was one. */
static bool canon_char(struct tty *t, unsigned char c)
{
	bool iexten = L(t, IEXTEN);

	if (is_cc(t, c, VERASE) || is_cc(t, c, VKILL) || (iexten && is_cc(t, c, VWERASE))) {
		eraser(t, is_cc(t, c, VERASE) ? ERASE_CHAR
			  : is_cc(t, c, VKILL) ? ERASE_LINE
					       : ERASE_WORD);
		return true;
	}
	if (iexten && is_cc(t, c, VLNEXT)) {
		t->lnext = true;
		if (L(t, ECHO)) {
			finish_erasing(t);
			if (L(t, ECHOCTL) && q_room(&t->out) >= 2) {
				q_put(&t->out, '^', 0);
				q_put(&t->out, '\b', 0);
			}
		}
		return true;
	}
	if (iexten && L(t, ECHO) && is_cc(t, c, VREPRINT)) {
		reprint(t);
		return true;
	}
	if (c == '\n') {
		if (L(t, ECHO) || L(t, ECHONL))
			echo_raw(t, '\n');
		commit_line(t, c, 0);
		return true;
	}
	if (is_cc(t, c, VEOF)) {
		commit_line(t, 0, TTYQ_EOF);
		return true;
	}
	if (is_cc(t, c, VEOL) || (iexten && is_cc(t, c, VEOL2))) {
		if (L(t, ECHO)) {
			if (t->canon_head == t->in.head)
				t->canon_column = t->column;
			echo_char(t, c);
		}
		commit_line(t, c, 0);
		return true;
	}
	return false;
}

static void receive_char(struct tty *t, unsigned char c)
{
	if (I(t, ISTRIP))
		c &= 0x7f;
	if (I(t, IUCLC) && L(t, IEXTEN))
		c = (unsigned char)tolower(c);
	if (t->lnext) {
		t->lnext = false;
		plain_char(t, c);
		return;
	}
	if (I(t, IXON)) {
		if (is_cc(t, c, VSTART)) {
			tty_stop(t, false);
			return;
		}
		if (is_cc(t, c, VSTOP)) {
			tty_stop(t, true);
			return;
		}
	}
	if (L(t, ISIG)) {
		int sig = is_cc(t, c, VINTR) ? SIGINT
			: is_cc(t, c, VQUIT) ? SIGQUIT
			: is_cc(t, c, VSUSP) ? SIGTSTP
					     : 0;
		if (sig) {
			signal_char(t, c, sig);
			return;
		}
	}
	if (t->stopped && I(t, IXON) && I(t, IXANY))
		tty_stop(t, false);
	if (c == '\r') {
		if (I(t, IGNCR))
			return;
		if (I(t, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(t, INLCR)) {
		c = '\r';
	}
	if (L(t, ICANON) && canon_char(t, c))
		return;
	plain_char(t, c);
}

bool tty_input_room(const struct tty *t)
{
	/* Canonical mode with no whole line: bytes go on (and past room are lost) so that erase works. */
	return !in_full(t) || (L(t, ICANON) && t->canon_head == t->in.tail);
}

size_t tty_receive(struct tty *t, const unsigned char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && tty_input_room(t))
		receive_char(t, buf[n++]);
	if (n)
		tty_wake(t);
	return n;
}

/* ---- reads */

unsigned tty_input_count(const struct tty *t)
{
	return L(t, ICANON) ? t->canon_head - t->in.tail : q_count(&t->in);
}

bool tty_input_ready(const struct tty *t)
{
	unsigned n = q_count(&t->in);

	if (L(t, ICANON))
		return t->canon_head != t->in.tail;
	if (t->tio.c_cc[VMIN] && !t->tio.c_cc[VTIME])
		return n >= t->tio.c_cc[VMIN];
	return n > 0;
}

/* Up to len bytes of a whole line; its EOF char is taken, never given. */
static long read_canon(struct tty *t, unsigned char *buf, size_t len)
{
	struct ttyq *q = &t->in;
	size_t n = 0;

	if (t->canon_head == q->tail)
		return -EAGAIN;
	while (q->tail != t->canon_head && n < len) {
		unsigned i = q_idx(q, q->tail);
		if (q->flag[i] & TTYQ_EOF) {
			q->tail++;
			break;
		}
		buf[n++] = q->buf[i];
		q->tail++;
		if (q->flag[i] & TTYQ_EOL)
			break;
	}
	/* A line cut by VEOF that filled buf: its EOF char goes with it. */
	if (n && q->tail != t->canon_head && (q->flag[q_idx(q, q->tail)] & TTYQ_EOF) &&
	    !(q->flag[q_idx(q, q->tail - 1)] & TTYQ_EOL))
		q->tail++;
	return (long)n;
}

long tty_ldisc_read(struct tty *t, unsigned char *buf, size_t len, bool expired)
{
	struct ttyq *q = &t->in;
	long r;

	if (L(t, ICANON)) {
		r = read_canon(t, buf, len);
	} else {
		unsigned n = q_count(q), vmin = t->tio.c_cc[VMIN];
		unsigned want = vmin < len ? vmin : (unsigned)len;
		if (!expired && (n < want || (n == 0 && t->tio.c_cc[VTIME])))
			return -EAGAIN;
		r = n < len ? n : (long)len;
		for (long i = 0; i < r; i++)
			buf[i] = q->buf[q_idx(q, q->tail++)];
		t->canon_head = q->tail;
	}
	if (r >= 0)
		tty_wake(t);
	return r;
}

void tty_ldisc_set(struct tty *t, const struct ktermios *old)
{
	if ((old->c_lflag ^ t->tio.c_lflag) & ICANON) {
		for (unsigned i = t->in.tail; i != t->in.head; i++)
			t->in.flag[q_idx(&t->in, i)] &= ~TTYQ_EOL;
		if (L(t, ICANON) && q_count(&t->in)) {
			t->in.flag[q_idx(&t->in, t->in.head - 1)] |= TTYQ_EOL;
			t->canon_head = t->in.head;
		} else {
			t->canon_head = t->in.tail;
		}
		t->erasing = t->lnext = false;
	}
	if (!I(t, IXON) && t->stopped)
		tty_stop(t, false);
	tty_wake(t);
}
