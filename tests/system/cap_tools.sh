#!/usr/bin/env bash
# Issue 14 (capabilities): the tools that read and change capability sets
# print the same natively (as root) and under uos (the root guest):
# `setpriv --dump`, `capsh --print`, `su -c id`, `runuser -u nobody -- id`,
# `su nobody` with the Cap* lines of /proc/self/status, and capsh dropping
# to a uid with a capability kept.  Each runs under `setpriv
# --no-new-privs --bounding-set -sys_resource`, so that both sides start
# alike (a host root may lack CAP_SYS_RESOURCE); setid_tools.sh runs
# set-ID programs and file capabilities without no_new_privs.  Skipped (77) when the host is not root or lacks the tools.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

need_root
need_tools setpriv su runuser
wrap=(setpriv --no-new-privs --bounding-set -sys_resource --)
"${wrap[@]}" true 2>/dev/null || { echo "skip: setpriv cannot set no_new_privs here"; exit 77; }

# same NAME CMD...: CMD's output and status natively and under uos.
same() {
	local name=$1
	shift
	(cd / && timeout 60 "${wrap[@]}" "$@") </dev/null >"$tmp/$name.native" 2>&1
	echo "status $?" >>"$tmp/$name.native"
	(cd / && timeout 60 "$UOS" "${wrap[@]}" "$@") </dev/null >"$tmp/$name.uos" 2>&1
	echo "status $?" >>"$tmp/$name.uos"
	same_output "$name" "$tmp"
}

same setpriv-dump setpriv --dump
same su-c-id su -c id
same runuser-nobody-id runuser -u nobody -- id
same su-nobody-status su nobody -s /bin/sh -c 'id; grep -E "^(Cap|NoNewPrivs)" /proc/self/status'
same setpriv-reuid setpriv --reuid=1000 --init-groups --inh-caps=-all -- grep ^Cap /proc/self/status
if command -v capsh >/dev/null; then
	same capsh-print capsh --print
	same capsh-keep-net-raw capsh --keep=1 --user=nobody --caps=cap_net_raw+eip \
		--addamb=cap_net_raw -- -c 'grep ^Cap /proc/self/status'
else
	echo "capsh not installed: its checks skipped"
fi
exit $checks_failed
