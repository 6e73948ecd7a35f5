/*
 * Exec: uos's own program loader.
 *
 * exec_prepare does everything that can fail cleanly while the caller's old
 * image is intact: find the file through the VFS, follow `#!` lines, parse
 * and validate the ELF and its interpreter, and build the argument vectors.
 * exec_commit runs at the stub's exec stop: it maps the program and its
 * interpreter into the fresh address space, sets up brk and the stack
 * (argv, envp, auxv), unmaps the stub and points the registers at the entry.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct task;
struct exec_plan;

/*
 * Prepare to run path with argv and envp (NULL-terminated, uos memory).
 * When search is true and path has no slash, look it up in envp's PATH.
 * Returns 0 and a plan in *out, or -errno (ENOENT, EACCES, ENOEXEC, E2BIG,
 * ELOOP ...) with *why set to a message when the file itself is at fault.
 */
int exec_prepare(struct task *t, const char *path, char *const argv[], char *const envp[],
		 bool search, struct exec_plan **out, const char **why);
/* Bytes the new program's stack needs for its strings, vectors and auxv. */
size_t exec_stack_size(const struct exec_plan *p);
/* Load t->plan into t at its exec event stop, then free the plan.  0 or -errno. */
int exec_commit(struct task *t);
void exec_plan_free(struct exec_plan *p);
