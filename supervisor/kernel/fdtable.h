/*
 * The virtual fd table of a process.
 *
 * A guest fd indexes this table; a slot holds a reference to an open file
 * description (struct vfs_file) and the close-on-exec flag.  The guest never
 * holds host fds: every fd-taking syscall is trapped and looked up here.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct memcg;
struct vfs_file;
struct task;

#define FDT_XFER_SLOTS 6 /* host fds a guest process holds files given to it in */

struct fdtable {
	int refs; /* shared by CLONE_FILES threads */
	int size; /* slots allocated */
	int max;  /* RLIMIT_NOFILE at the time of each call is checked by callers */
	struct memcg *cg; /* slots are counted in its MEMCG_FDSLOTS (NULL: not counted) */
	struct fdslot {
		struct vfs_file *file;
		bool cloexec;
	} *slot;
	/*
	 * What the host fd table behind this one (shared and copied as this one
	 * is) holds at GUEST_XFER_FD and the FDT_XFER_SLOTS - 1 fds after it:
	 * the guest interface's note (guest.c), so that a file given for one
	 * mmap serves the next ones of the same file, in this program and the
	 * next (the slots stay open across execs).
	 */
	struct fdt_xfer {
		/*
		 * The host tables behind this note differ: one of the processes
		 * sharing it exec'd, which unshared its host table.  Every give
		 * then closes every slot first.
		 */
		bool unknown;
		/*
		 * A close or a give did not finish (its task died in it): what the
		 * slots hold is not known until they are all closed again.
		 */
		bool stale;
		unsigned long clock; /* gives, to find the least recently used slot */
		struct fdt_xfer_slot {
			bool held, writable;
			bool maps; /* the host takes any private mapping of it (guest.c) */
			dev_t dev; /* the held host file's */
			ino_t ino;
			unsigned long used; /* clock at its last give */
		} slot[FDT_XFER_SLOTS];
	} xfer;
};

struct fdtable *fdt_alloc(void);
/* A copy sharing every open file (fork).  NULL on allocation failure or past the slot bound. */
struct fdtable *fdt_clone(struct fdtable *fdt);
/* Drop a reference; the last one closes every slot. */
void fdt_put(struct fdtable *fdt);

/* The file at fd, borrowed (no new reference), or NULL. */
struct vfs_file *fdt_get(struct fdtable *fdt, int fd);
/*
 * Install f at the lowest free fd >= minfd below limit.  Consumes the
 * caller's reference on success.  Returns the fd, -EMFILE, or -ENFILE
 * (the slots of every table together are at their bound, memcg.h).
 */
int fdt_install(struct fdtable *fdt, struct vfs_file *f, int minfd, int limit, bool cloexec);
/*
 * Put f at exactly fd, closing what was there (dup2).  Consumes the reference.
 * Returns fd, -EBADF when fd is negative or beyond the table's hard maximum, -ENOMEM.
 */
int fdt_install_at(struct fdtable *fdt, int fd, struct vfs_file *f, bool cloexec);
/* Close fd.  0 or -EBADF. */
int fdt_close(struct fdtable *fdt, int fd);
int fdt_get_cloexec(struct fdtable *fdt, int fd);
int fdt_set_cloexec(struct fdtable *fdt, int fd, bool on);
/* Close every close-on-exec fd (execve). */
void fdt_close_on_exec(struct fdtable *fdt);
/*
 * close_range(2) on [first, last] (last may exceed the table): close every
 * open fd there, or with cloexec only mark them close-on-exec.
 */
void fdt_close_range(struct fdtable *fdt, unsigned int first, unsigned int last, bool cloexec);

/* The task's RLIMIT_NOFILE soft limit, as an fd bound (capped at the table's maximum). */
int fdt_nofile(struct task *t);
/*
 * The file at the task's fd, borrowed, in *out.  -EBADF when fd is not open,
 * and also when io is true and the file was opened with O_PATH (which allows
 * no I/O, as Linux's fdget rejects FMODE_PATH files for such calls).
 */
int fdt_fget(struct task *t, int fd, bool io, struct vfs_file **out);
