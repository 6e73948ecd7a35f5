/*
 * The kinds of a syscall's arguments and result, as syscalls.def types them.
 *
 * A row's argument column is ARGS(FD, OUTBUF, SIZE) (up to six kinds, the
 * names below without ARG_), NOARGS (the call takes none) or RAWARGS (no
 * kinds known: six raw words).  Each is an initializer of struct arg_list,
 * so a misspelled kind or a seventh argument does not compile.  --trace
 * prints each kind its own way (trace.c); the argument checks of HOST rows
 * (seccomp.c, hostargs.c) find their arguments by kind; the syscall fuzzer
 * (tests/system/fuzz_syscalls.c) draws each argument for its kind.
 */
#pragma once

enum arg_kind {
	ARG_RAW, /* no kind known: printed in hex; the unnamed words of a row are raw */
	ARG_INT,
	ARG_UINT,
	ARG_HEX,
	ARG_PTR,
	ARG_FD,
	ARG_ATFD,
	ARG_PATH,
	ARG_STR,
	ARG_BUF,    /* data the guest passes; its length is the next argument */
	ARG_OUTBUF, /* data the call returns; its length is the result */
	ARG_SIZE,
	ARG_OFF,
	ARG_OFLAGS,
	ARG_MODE,
	ARG_ATFLAGS,
	ARG_MMPROT,
	ARG_MMFLAGS,
	ARG_SIGNUM,
	ARG_SIGSET,
	ARG_CLOCKID,
	ARG_WHENCE,
	ARG_FCNTLCMD,
	/* Printed as strace prints them (trace_decode.c).  An "O" kind is
	 * data the call returns: shown only when the call succeeded. */
	ARG_ACCMODE,	 /* access(2) mode: F_OK, R_OK|W_OK */
	ARG_OSTAT,	 /* struct stat: {st_mode=S_IFREG|0644, st_size=N, ...} */
	ARG_OSTATX,	 /* struct statx, abbreviated the same way */
	ARG_STATXFLAGS,	 /* AT_STATX_SYNC_AS_STAT|AT_* */
	ARG_STATXMASK,	 /* STATX_* */
	ARG_ARGV,	 /* ["a", "b"]; a row with one is printed at its entry (trace_enter) */
	ARG_ENVP,	 /* 0x7ff... and a comment with the number of variables */
	ARG_ARCHCODE,	 /* ARCH_SET_FS ... */
	ARG_RLIMRES,	 /* RLIMIT_* */
	ARG_RLIMIT,	 /* struct rlimit: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY} */
	ARG_ORLIMIT,
	ARG_SIGACTION,	 /* the kernel's struct sigaction: {sa_handler=..., sa_mask=[...], ...} */
	ARG_OSIGACTION,
	ARG_SIGHOW,	 /* SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK */
	ARG_OSIGSET,
	ARG_CLONEFLAGS,	 /* clone's first argument: prints all five as child_stack=, flags=, ... */
	ARG_OWSTATUS,	 /* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
	ARG_WOPTIONS,	 /* WNOHANG|__WALL */
	ARG_ODIRENTS,	 /* getdents buffer: its address and a comment with the number of entries */
	ARG_IOCTLREQ,	 /* TCGETS ... */
	ARG_FCNTLARG,	 /* by the command before it: FD_CLOEXEC, O_* flags, a number, or none */
	ARG_FDFLAGS,	 /* O_* flags without an access mode: O_CLOEXEC, 0 */
	ARG_OPIPEFDS,	 /* int[2]: [3, 4] */
	ARG_SOCKFAMILY,	 /* AF_UNIX ... */
	ARG_SOCKTYPE,	 /* SOCK_STREAM|SOCK_CLOEXEC */
	ARG_SOCKFLAGS,	 /* SOCK_CLOEXEC|SOCK_NONBLOCK (accept4) */
	ARG_SOCKPROTO,	 /* by the family: IPPROTO_IP for AF_INET, else a number */
	ARG_SOCKADDR,	 /* {sa_family=AF_UNIX, sun_path="..."}; its length is the next argument */
	ARG_GRNDFLAGS,	 /* GRND_NONBLOCK ... */
	ARG_OHEXBUF,	 /* data the call returns, every byte as \xNN (getrandom); its length is the result */
	ARG_FUTEXOP,	 /* FUTEX_WAIT_PRIVATE ...; the arguments the op does not use are left out */
	ARG_TIMESPEC,	 /* {tv_sec=1, tv_nsec=0} */
	ARG_OCPUSET,	 /* a CPU set: [0 1]; its length is the result */
	ARG_OUTSNAME,	 /* {sysname="Linux", nodename="...", ...} */
	ARG_FADVICE,	 /* POSIX_FADV_* */
	ARG_TIMERFLAGS,	 /* 0 or TIMER_ABSTIME */
	ARG_CLONE3ARGS,	 /* struct clone_args: {flags=..., exit_signal=0, stack=...} => {parent_tid=[N]} */
	ARG_FUTEXVAL3,	 /* futex's last argument: FUTEX_BITSET_MATCH_ANY for the bitset ops */
	ARG_IOVEC,	 /* [{iov_base="...", iov_len=N}, ...]; the count is the next argument */
	ARG_OIOVEC,	 /* the same, filled by the call: as many bytes as the result */
	ARG_POLLFDS,	 /* [{fd=3, events=POLLIN}]; the result adds the revents */
	ARG_OCSTR,	 /* a NUL-terminated string the call returns (getcwd) */
	ARG_EPOLLOP,	 /* EPOLL_CTL_ADD ... */
	ARG_EPOLLEVENT,	 /* {events=EPOLLIN, data={u32=4, u64=4}}; the address for EPOLL_CTL_DEL */
	ARG_OEPOLLEVENTS, /* the events epoll_wait returns: as many as the result */
	ARG_EPOLLFLAGS,	 /* EPOLL_CLOEXEC */
	ARG_MADVICE,	 /* MADV_DONTNEED ... */
	ARG_OTIMESPEC,	 /* a timespec the call returns */
	ARG_IOCTLARG,	 /* by the request before it: {c_iflag=...}, {ws_row=...}, [N], or an address */
	/* Sockets and readiness (trace_sock.c, trace_select.c).  The lengths and
	 * sets the call overwrites are read at its entry too (trace_enter). */
	ARG_SOCKLENP,	 /* a value-result length: [16], or [110 => 16] when the call changed it */
	ARG_OSOCKADDR,	 /* a sockaddr the call returns; its length is the SOCKLENP after it */
	ARG_MSGFLAGS,	 /* MSG_DONTWAIT|MSG_NOSIGNAL */
	ARG_MSGHDR,	 /* struct msghdr: {msg_name=..., msg_iov=[...], msg_control=[...], ...} */
	ARG_OMSGHDR,	 /* the same, filled by recvmsg: as many bytes as the result */
	ARG_MMSGHDRS,	 /* sendmmsg's [{msg_hdr={...}, msg_len=N}, ...]; the count is the next argument */
	ARG_OMMSGHDRS,	 /* recvmmsg's: as many as the result */
	ARG_SOCKLEVEL,	 /* SOL_SOCKET, SOL_TCP ... */
	ARG_SOCKOPT,	 /* by the level before it: SO_REUSEADDR, TCP_NODELAY ... */
	ARG_SOCKOPTVAL,	 /* setsockopt's value: [1], {l_onoff=1, l_linger=0}; its length is the next argument */
	ARG_OSOCKOPTVAL, /* getsockopt's value; its length is the SOCKLENP after it */
	ARG_SHUTHOW,	 /* SHUT_RD, SHUT_WR, SHUT_RDWR */
	ARG_FDSET,	 /* select's fd_set as passed: [3 4]; its size is the first argument */
	ARG_TIMEVAL,	 /* {tv_sec=1, tv_usec=0}, as passed */
	ARG_PSELSIG,	 /* pselect6's last argument: {sigmask=[USR1], sigsetsize=8} */
	ARG_SIGFRAME,	 /* rt_sigreturn's frame on the caller's stack: {mask=[]} (no register holds it) */
	ARG_NKINDS
};

/* The result column: DEC, HEX (addresses) or NORET (calls that do not return: "?"). */
enum ret_kind { RET_DEC, RET_HEX, RET_NORET };

struct arg_list {
	int n;		    /* arguments shown by --trace: 0..6 */
	enum arg_kind k[6]; /* k[n..5] are ARG_RAW */
};

/* ARGS(a, ...): how many, and each name with ARG_ in front. */
/* clang-format off */
#define ARGS(...) {ARGS_COUNT_(__VA_ARGS__), {ARGS_CAT_(ARGS_, ARGS_COUNT_(__VA_ARGS__))(__VA_ARGS__)}}
#define NOARGS {0, {ARG_RAW}}
#define RAWARGS {6, {ARG_RAW}}

#define ARGS_COUNT_(...) ARGS_N_(__VA_ARGS__, 6, 5, 4, 3, 2, 1)
#define ARGS_N_(a, b, c, d, e, f, n, ...) n
#define ARGS_CAT_(a, b) ARGS_CAT2_(a, b)
#define ARGS_CAT2_(a, b) a##b
#define ARGS_1(a) ARG_##a
#define ARGS_2(a, ...) ARG_##a, ARGS_1(__VA_ARGS__)
#define ARGS_3(a, ...) ARG_##a, ARGS_2(__VA_ARGS__)
#define ARGS_4(a, ...) ARG_##a, ARGS_3(__VA_ARGS__)
#define ARGS_5(a, ...) ARG_##a, ARGS_4(__VA_ARGS__)
#define ARGS_6(a, ...) ARG_##a, ARGS_5(__VA_ARGS__)
/* clang-format on */
