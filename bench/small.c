/* small.c: the input of the "gcc -O0 -c" workload of bench/run: a small
 * translation unit with a few headers, a struct, a loop and a switch. It is
 * compiled, never linked or run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char text[32];
	int count;
};

static int word_cmp(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	return y->count - x->count ?: strcmp(x->text, y->text);
}

static int classify(int c)
{
	switch (c) {
	case ' ': case '\t': case '\n':
		return 0;
	case '.': case ',': case ';':
		return 1;
	default:
		return 2;
	}
}

int count_words(const char *s, struct word *out, int max)
{
	int n = 0;

	while (*s) {
		char buf[32];
		int len = 0;

		while (*s && classify((unsigned char)*s) != 2)
			s++;
		while (*s && classify((unsigned char)*s) == 2 && len < 31)
			buf[len++] = *s++;
		buf[len] = '\0';
		if (len == 0)
			continue;
		int i;
		for (i = 0; i < n && strcmp(out[i].text, buf); i++)
			;
		if (i == n && n < max)
			snprintf(out[n++].text, sizeof(out[0].text), "%s", buf);
		if (i < n)
			out[i].count++;
	}
	qsort(out, n, sizeof(*out), word_cmp);
	return n;
}
