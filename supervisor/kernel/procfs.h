/*
 * What procfs.c (the tree: names, lookup, listings) and procfs_render.c
 * (the contents of its files) share: the node kinds and the renderers.
 */
#pragma once

#include "kernel.h"
#include "task.h"
#include "vfs_impl.h"

enum proc_kind {
	P_ROOT,
	P_SELF,
	P_THREAD_SELF,
	P_PID,	/* /proc/PID */
	P_TID,	/* /proc/PID/task/TID */
	P_TASK, /* /proc/PID/task */
	P_FD,	/* /proc/PID/fd */
	P_FDLINK,
	P_EXE,
	P_CWD,
	P_ROOTLINK,
	P_MAPS,
	P_CMDLINE,
	P_ENVIRON,
	P_STATUS,
	P_STAT,
	P_COMM,
	P_FDINFO,      /* /proc/PID/fdinfo */
	P_FDINFO_FILE, /* /proc/PID/fdinfo/N */
	P_PMOUNTS,     /* /proc/PID/mounts */
	P_STATM,
	/* Files of /proc itself (no pid). */
	P_CPUINFO,
	P_MEMINFO,
	P_UPTIME,
	P_LOADAVG,
	P_FILESYSTEMS,
	P_GSTAT,   /* /proc/stat */
	P_VERSION,
	P_MOUNTS,  /* /proc/mounts: a symlink to self/mounts */
	P_NETLINK, /* /proc/net: a symlink to self/net */
	P_NET,	   /* /proc/PID/net (one network: each shows the same files) */
	P_NET_UNIX,
	P_NET_TCP,
	P_NET_TCP6,
	P_NET_UDP,
	P_NET_UDP6,
	P_NET_ARP,
	P_NET_DEV,
	P_NET_IF_INET6,
	P_NET_IGMP,
	P_NET_IGMP6,
	P_NET_ROUTE,
	P_NET_IPV6_ROUTE,
	P_SYS,	   /* /proc/sys */
	P_SYSK,	   /* /proc/sys/kernel */
	P_SYSK_HOSTNAME,
	P_SYSK_OSTYPE,
	P_SYSK_OSRELEASE,
	P_SYSK_PIDMAX,
	P_SYSK_CAPLAST,
	P_SYSN,	     /* /proc/sys/net */
	P_SYSN_CORE, /* /proc/sys/net/core */
	P_SYSN_SOMAXCONN,
	P_SYSN_IPV4, /* /proc/sys/net/ipv4 */
	P_SYSN_PORTS,
	P_SYSN_UNIX, /* /proc/sys/net/unix */
	P_SYSN_DGRAM_QLEN,
};

/* Whether kind names a file that no process owns (its node has pid 0). */
bool procfs_global_kind(int kind);

/*
 * The contents of the per-process file kind of process tg (live or zombie);
 * p is the thread the node names, or NULL for a zombie.  fd: for fdinfo.
 * Returns the length and a malloc'd buffer in *out, or -errno.
 */
long procfs_render(struct task *t, struct tgroup *tg, struct task *p, int kind, int fd,
		   char **out);
/* The contents of a file of /proc or /proc/sys (kind), as procfs_render. */
long procfs_render_global(struct task *t, int kind, char **out);
