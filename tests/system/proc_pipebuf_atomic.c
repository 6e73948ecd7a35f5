/* proc_pipebuf_atomic: four writers each write 200 records of PIPE_BUF bytes
 * into one pipe; the reader sees every record whole (never interleaved). */
#include <limits.h>
#include <sys/wait.h>
#include "../conformance/guest.h"

#define WRITERS 4
#define RECORDS 200

int main(void)
{
	int p[2];
	static char rec[PIPE_BUF], buf[PIPE_BUF];
	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			close(p[0]);
			memset(rec, 'a' + w, sizeof(rec));
			for (int i = 0; i < RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int whole = 0, torn = 0, count[WRITERS] = {0};
	size_t have = 0;
	ssize_t r;
	while ((r = read(p[0], buf + have, sizeof(buf) - have)) > 0) {
		have += (size_t)r;
		if (have < sizeof(buf))
			continue;
		have = 0;
		int ok = 1;
		for (size_t i = 1; i < sizeof(buf); i++)
			ok &= buf[i] == buf[0];
		if (ok && buf[0] >= 'a' && buf[0] < 'a' + WRITERS) {
			whole++;
			count[buf[0] - 'a']++;
		} else {
			torn++;
		}
	}
	while (wait(NULL) > 0)
		;
	printf("whole %d torn %d left %zu\n", whole, torn, have);
	for (int w = 0; w < WRITERS; w++)
		printf("writer %d: %d\n", w, count[w]);
	return 0;
}
