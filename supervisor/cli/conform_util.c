/* `uos conform`: allocation, buffers and clocks (conform_impl.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"
#include "syscall.h"

#include "conform_impl.h"

const char *const cres_name[] = {"none", "pass", "fail", "timeout", "skip"};

void *cf_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("uos conform: out of memory\n", stderr);
		exit(125);
	}
	return p;
}

char *cf_strdup(const char *s)
{
	return strcpy(cf_realloc(NULL, strlen(s) + 1), s);
}

char *cf_strndup(const char *s, size_t n)
{
	char *d = cf_realloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Append one zeroed element of size sz to v; returns it. */
void *cf_vec_push(struct vec *v, size_t sz)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->p = cf_realloc(v->p, v->cap * sz);
	}
	void *e = (char *)v->p + v->n++ * sz;
	memset(e, 0, sz);
	return e;
}


void cf_buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > OUT_MAX)
		n = OUT_MAX - b->len;
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = cf_realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

double cf_ms_between(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1e3 + (a->tv_nsec - b->tv_nsec) / 1e6;
}

struct timespec cf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}
