/* Robust futex lists at thread death: see robust.c. */
#pragma once

struct task;

/* t is at its exit stop: hand on the robust futexes it holds, as Linux does at thread exit. */
void robust_exit(struct task *t);
