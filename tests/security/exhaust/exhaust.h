/*
 * What the exhaustion attacks share: errno names, so that the output says
 * ENOSPC rather than a number or a locale's message.
 */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EAGAIN: return "EAGAIN";
	case ENOLCK: return "ENOLCK";
	case EPERM: return "EPERM";
	case EFBIG: return "EFBIG";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case ENOBUFS: return "ENOBUFS";
	case ETOOMANYREFS: return "ETOOMANYREFS";
	case EMSGSIZE: return "EMSGSIZE";
	default: {
		static char buf[32];
		snprintf(buf, sizeof(buf), "errno %d", e);
		return buf;
	}
	}
}

/* Print what a call returned: its errno's name when it failed, else "0". */
static inline void said(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? ename(errno) : "0");
}
