# shellcheck shell=bash
# Shared by scripts/demo and scripts/test: install what is missing, then build.
# Source it; it defines UOS_ROOT and the functions below, and runs nothing.

UOS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Debian packages uos needs to build, test and demo itself. libc6-dev is
# named because apt runs without recommends and static guests need libc.a.
# strace and proot are bench/run's peers (and strace checks --summary's counts).
# python3-pexpect, bsdutils (script) and vim-tiny: the pty tests in tests/system/.
UOS_PACKAGES=(libseccomp-dev libcapstone-dev check meson ninja-build pkg-config gcc libc6-dev
	busybox-static e2fsprogs netcat-openbsd procps python3 sqlite3 tmux attr acl strace proot
	python3-pexpect bsdutils vim-tiny)

uos_log() {
	printf '==> %s\n' "$*" >&2
}

# uos_as_root CMD...: run CMD as root (directly, or through sudo).
uos_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		uos_log "need root to run: $*"
		return 1
	fi
}

# uos_install_deps: apt-get install the packages that dpkg does not list as
# installed; does nothing (and needs no network) when all are there.
uos_install_deps() {
	local p missing=()
	for p in "${UOS_PACKAGES[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$p")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	uos_log "installing: ${missing[*]}"
	uos_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	uos_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# uos_build DIR [MESON-SETUP-ARGS...]: configure DIR (once) and build it.
uos_build() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		uos_log "meson setup $dir $*"
		meson setup "$dir" "$UOS_ROOT" "$@"
	fi
	uos_log "ninja -C $dir"
	ninja -C "$dir"
}
