# shellcheck shell=sh
# Sourced by the image acceptance tests: uos's path, a scratch directory,
# and the checks every test makes (e2fsck -fn on each image it wrote).
# Each test prints what it checked and exits 0 on success, 1 on failure.
set -u
UOS=${UOS:-${1:-}}
[ -x "$UOS" ] || { echo "usage: UOS=path/to/uos $0"; exit 2; }
W=$(mktemp -d /tmp/uos-image-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
failed=0

fail() { echo "FAIL: $*"; failed=1; }
pass() { echo "ok: $*"; }

# fsck_clean IMAGE: e2fsck -fn, the independent judge, must find nothing.
fsck_clean() {
	if e2fsck -fn "$1" >"$W/fsck.out" 2>&1; then
		pass "e2fsck -fn $(basename "$1") is clean"
	else
		fail "e2fsck -fn $(basename "$1"):"
		head -30 "$W/fsck.out"
	fi
}

# same WHAT EXPECTED ACTUAL: compare two files, show a diff when they differ.
same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | head -40
	fi
}

# busybox_tree DIR: a root tree holding only busybox-static and its applets.
busybox_tree() {
	mkdir -p "$1/bin" "$1/tmp" "$1/work" "$1/etc"
	cp /bin/busybox "$1/bin/busybox"
	"$1/bin/busybox" --list | while read -r a; do
		[ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$1/etc/passwd"
	echo 'root:x:0:' >"$1/etc/group"
}

# wait_unlocked IMG: until no process holds IMG's lock (a killed uos's goes
# with its last fd), at most 5 s.
wait_unlocked() {
	wu_ino=$(stat -c %i "$1") wu_i=0
	while grep -q "FLOCK .*:$wu_ino " /proc/locks && [ $wu_i -lt 50 ]; do
		sleep 0.1
		wu_i=$((wu_i + 1))
	done
}

finish() { exit "$failed"; }
