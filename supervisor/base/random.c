/*
 * uos's own random bytes (base.h): the host's, taken a pool at a time, so
 * that an exec's layout and AT_RANDOM cost one getrandom in a dozen execs
 * instead of three each.  The pool is uos's memory, which no guest reads;
 * each byte is handed out once.
 */
#include <string.h>
#include <sys/random.h>

#include "base.h"

static unsigned char pool[256];
static size_t left; /* unused bytes at the end of pool */

bool uos_random(void *buf, size_t n)
{
	unsigned char *out = buf;

	while (n) {
		if (!left) {
			if (getrandom(pool, sizeof(pool), GRND_NONBLOCK) != (ssize_t)sizeof(pool))
				return false;
			left = sizeof(pool);
		}
		size_t k = n < left ? n : left;
		memcpy(out, pool + sizeof(pool) - left, k);
		memset(pool + sizeof(pool) - left, 0, k);
		left -= k;
		out += k;
		n -= k;
	}
	return true;
}
