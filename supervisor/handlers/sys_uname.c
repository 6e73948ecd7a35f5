/*
 * The guest's uts namespace: uname(2) gives the host's release and machine
 * with sysname Linux and uos's hostname (--hostname, "uos" by default),
 * which sethostname(2) changes.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "cred.h"
#include "gmem.h"
#include "handlers.h"
#include "task.h"

#define UTS_LEN 64 /* __NEW_UTS_LEN */

static const char *hostname(struct kernel *k)
{
	return k->opts.hostname[0] ? k->opts.hostname : "uos";
}

long sys_uname(struct task *t, const struct sysargs *a)
{
	struct utsname u;
	if (uname(&u) < 0)
		return -errno;
	strcpy(u.sysname, "Linux");
	memset(u.nodename, 0, sizeof(u.nodename));
	memcpy(u.nodename, hostname(t->k), strnlen(hostname(t->k), sizeof(u.nodename) - 1));
	return gmem_write(t, a->a[0], &u, sizeof(u));
}

long sys_sethostname(struct task *t, const struct sysargs *a)
{
	char name[UTS_LEN + 1] = "";
	int len = (int)a->a[1];
	if (!cred_capable(t, CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > UTS_LEN)
		return -EINVAL;
	int err = gmem_read(t, name, a->a[0], len);
	if (err)
		return err;
	/* The guest's uts namespace: the hostname option is its only copy. */
	memset(t->k->opts.hostname, 0, sizeof(t->k->opts.hostname));
	memcpy(t->k->opts.hostname, name, len);
	return 0;
}
