/*
 * Sending signals to guest tasks.  The host kernel keeps each task's real
 * pending set and mask and builds the frames (ARCHITECTURE.md point 8);
 * uos queues a signal with tkill, and when the target is parked in an
 * emulated call, decides as Linux would whether the call ends with EINTR,
 * restarts after the handler (SA_RESTART), or keeps waiting.
 */
#pragma once

#include <stdbool.h>

struct kernel;
struct task;
struct tgroup;

/* Send sig (1..64) to task t. */
void sig_send(struct task *t, int sig);
/* Send a process-directed sig to one thread of tg (none for a zombie). */
void sig_send_process(struct kernel *k, struct tgroup *tg, int sig);
/* A parked task may have a host signal pending (one sent from outside): act on it. */
void sig_check_pending(struct task *t);
