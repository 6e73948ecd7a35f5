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
