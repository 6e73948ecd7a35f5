/* The counts of uos's own host calls (hostcall.h) and the names of their kinds. */
#include "hostcall.h"

#include <stddef.h>

struct hostcalls hostcall_tally;

const struct hostcalls *hostcall_counts(void)
{
	return &hostcall_tally;
}

#define REQ(n, name) [HOSTCALL_PTRACE_INDEX(n)] = "PTRACE_" name

/* The requests by number (ptrace(2), <linux/ptrace.h>). */
static const char *const ptrace_names[HOSTCALL_PTRACE_MAX] = {
    REQ(0, "TRACEME"),
    REQ(1, "PEEKTEXT"),
    REQ(2, "PEEKDATA"),
    REQ(3, "PEEKUSER"),
    REQ(4, "POKETEXT"),
    REQ(5, "POKEDATA"),
    REQ(6, "POKEUSER"),
    REQ(7, "CONT"),
    REQ(8, "KILL"),
    REQ(9, "SINGLESTEP"),
    REQ(12, "GETREGS"),
    REQ(13, "SETREGS"),
    REQ(14, "GETFPREGS"),
    REQ(15, "SETFPREGS"),
    REQ(16, "ATTACH"),
    REQ(17, "DETACH"),
    REQ(24, "SYSCALL"),
    REQ(0x4200, "SETOPTIONS"),
    REQ(0x4201, "GETEVENTMSG"),
    REQ(0x4202, "GETSIGINFO"),
    REQ(0x4203, "SETSIGINFO"),
    REQ(0x4204, "GETREGSET"),
    REQ(0x4205, "SETREGSET"),
    REQ(0x4206, "SEIZE"),
    REQ(0x4207, "INTERRUPT"),
    REQ(0x4208, "LISTEN"),
    REQ(0x4209, "PEEKSIGINFO"),
    REQ(0x420a, "GETSIGMASK"),
    REQ(0x420b, "SETSIGMASK"),
    REQ(0x420c, "SECCOMP_GET_FILTER"),
    REQ(0x420e, "GET_SYSCALL_INFO"),
    [HOSTCALL_PTRACE_MAX - 1] = "PTRACE_(other)",
};

const char *hostcall_ptrace_name(int i)
{
	return i >= 0 && i < HOSTCALL_PTRACE_MAX ? ptrace_names[i] : NULL;
}

const char *hostcall_wait_name(enum hostcall_wait w)
{
	static const char *const names[HOSTCALL_WAIT_KINDS] = {
	    [HOSTCALL_STOP_SECCOMP] = "seccomp stops", [HOSTCALL_STOP_SYSCALL] = "syscall stops",
	    [HOSTCALL_STOP_EVENT] = "event stops",     [HOSTCALL_STOP_SIGNAL] = "signal stops",
	    [HOSTCALL_WAIT_DEATH] = "deaths",	       [HOSTCALL_WAIT_NONE] = "empty (WNOHANG)",
	};
	return (unsigned)w < HOSTCALL_WAIT_KINDS ? names[w] : "?";
}
