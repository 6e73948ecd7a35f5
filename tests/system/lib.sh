# shellcheck shell=bash
# Sourced by the whole-program tests in tests/system/ and tests/security/: paths and small checks.
# Each test prints what it checked and exits 0 on success, 1 on failure.
DONE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIFFTEST=$DONE_DIR/../difftest
UOS=${UOS_FORCE:-${UOS:-$DONE_DIR/../../build/supervisor/uos}}
export UOS
checks_failed=0

# fail MESSAGE: record a failure (the test goes on, to report everything).
fail() {
	echo "FAIL: $*"
	checks_failed=1
}

pass() {
	echo "ok: $*"
}

# check DESCRIPTION CMD...: pass if CMD succeeds.
check() {
	local what=$1
	shift
	if "$@"; then
		pass "$what"
	else
		fail "$what"
	fi
}

# run_uos OUT ERR [UOS-ARGS...]: run uos with stdin from /dev/null, stdout to
# OUT, stderr to ERR; sets $status.
run_uos() {
	local out=$1 err=$2
	shift 2
	"$UOS" "$@" </dev/null >"$out" 2>"$err"
	status=$?
}

# show_file LABEL FILE: print a file's first lines, for the log.
show_file() {
	echo "--- $1:"
	head -c 2000 "$2"
	echo
}

# need_root: skip (77) unless the host is root (the native side needs it).
need_root() {
	[ "$(id -u)" = 0 ] || { echo "skip: the native side needs root"; exit 77; }
}

# need_tools TOOL...: skip (77) unless every TOOL is installed.
need_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
	done
}

# same_output NAME DIR: pass if DIR/NAME.native and DIR/NAME.uos are equal,
# else fail and show the diff.
same_output() {
	local name=$1 dir=$2
	if diff "$dir/$name.native" "$dir/$name.uos" >"$dir/$name.diff"; then
		pass "$name: $(head -c 160 "$dir/$name.uos" | tr '\n' ' ')"
	else
		fail "$name differs (native < > uos)"
		cat "$dir/$name.diff"
	fi
}

checks_exit() {
	exit "$checks_failed"
}
