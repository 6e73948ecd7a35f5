/*
 * Linux 6.13's struct xattr_args (the *xattrat calls' value, size and
 * flags), which this system's headers do not have yet: the handlers read
 * the guest's, hostfs passes its own to the host's getxattrat.
 */
#pragma once

#include <stdint.h>

#define LINUX_NR_getxattrat 464
#define XATTR_ARGS_SIZE_VER0 16 /* sizeof the struct below */

struct xattr_args_ {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};
