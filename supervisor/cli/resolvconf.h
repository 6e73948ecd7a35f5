/*
 * --net=host with --root: the guest's resolver sees the host's, as docker
 * gives a container copies of the host's /etc/resolv.conf and /etc/hosts.
 */
#pragma once

#include "task.h"

/*
 * Copy the host's /etc/resolv.conf and /etc/hosts over the guest's, as t
 * (the first guest) sees its root, in its in-memory overlay only: an image
 * the guest writes to is never changed.  Failures are warned, not fatal.
 */
void resolvconf_copy(struct task *t);
