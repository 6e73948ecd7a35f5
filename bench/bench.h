/* bench.h: the shared timing loop of the microbenchmarks in bench/. Each
 * benchmark is a static program that does its setup, then hands one
 * operation to bench_loop(), which runs it N times after a warm-up of N/10
 * and prints "ns_per_op X" (CLOCK_MONOTONIC). These programs are guests of
 * uos, not part of it: they use libc's -1 + errno convention. */
#ifndef UOS_BENCH_H
#define UOS_BENCH_H

/* One operation: returns 0, or -1 with errno set and *what naming the call
 * that failed. */
typedef int (*bench_op_fn)(void *ctx, const char **what);

/* bench_iters: argv[1] as a positive count, else dflt. */
long bench_iters(int argc, char **argv, long dflt);

/* bench_now_ns: CLOCK_MONOTONIC in nanoseconds. */
double bench_now_ns(void);

/* bench_loop: warm up, time n calls of op, print "ns_per_op X" with
 * ops_per_call operations counted per call. On the first failure prints
 * "NAME: WHAT: strerror" on stderr and returns 1; else returns 0. */
int bench_loop(const char *name, long n, long ops_per_call, bench_op_fn op, void *ctx);

/* bench_fail: print "NAME: WHAT: strerror(errno)" on stderr, return 1. */
int bench_fail(const char *name, const char *what);

/* bench_echo_start: fork a child that reads one byte at a time from fd in
 * and writes it back to fd out until EOF, closing every fd it was given in
 * close_fds (count nclose) first. Returns the child's pid, or -1 (errno). */
int bench_echo_start(int in, int out, const int *close_fds, int nclose);

/* bench_echo_stop: close fd (the parent's writing end, so the child sees
 * EOF) and reap the child pid. Returns 0, or -1 (errno). */
int bench_echo_stop(int fd, int pid);

/* bench_tcp_listen: a TCP listener on 127.0.0.1 (a port the kernel picks,
 * put in *port). Returns the fd, or -1 (errno). bench_tcp_connect: a TCP
 * connection to 127.0.0.1:port, or -1 (errno). */
int bench_tcp_listen(int *port);
int bench_tcp_connect(int port);

/* The throughput benchmarks move blocks of BENCH_BLOCK bytes; their reader: */
#define BENCH_BLOCK 65536
struct bench_reader {
	int fd;
	char *buf; /* BENCH_BLOCK bytes */
};

/* bench_read_block: read one whole block from the reader's fd (a read may
 * return less). An op for bench_stream. */
int bench_read_block(void *ctx, const char **what);

/* bench_stream: fork a child that writes mib MiB of blocks, and a tenth more
 * for the warm-up, into wr (closing rd first); time reading them from rd with
 * op (its ctx a struct bench_reader), 16 blocks per MiB; close both ends and
 * reap the child. Returns bench_loop's result, or bench_fail's. */
int bench_stream(const char *name, int rd, int wr, long mib, bench_op_fn op);

#endif
