#!/usr/bin/env bash
# Issue 10: useradd (which opens the audit netlink socket first and goes on
# when the kernel has no audit) and then `su -c id` as the new user, with a
# home made by -m.  Natively in a private mount namespace whose /etc is a
# copy and /home a tmpfs, so the host is not changed; under uos on the host
# root, whose overlay takes the writes.  The two print the same.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

need_root
need_tools useradd su unshare
script='useradd -u 4242 -m -s /bin/sh uostester || exit 1
grep "^uostester:" /etc/passwd
su uostester -c id
su uostester -c "echo \$HOME; touch \$HOME/f && stat -c \"%U %G %a\" \$HOME/f"
stat -c "%U %G %a %n" /home/uostester'
native="cp -a /etc $tmp/etc && mount --bind $tmp/etc /etc && mount -t tmpfs none /home && $script"
if ! unshare --mount --propagation private -- sh -c "$native" >"$tmp/native" 2>&1; then
	echo "skip: no private mount namespace here: $(cat "$tmp/native")"
	exit 77
fi
(cd / && timeout 60 "$UOS" sh -c "$script") </dev/null >"$tmp/uos" 2>&1
status=$?
show_file native "$tmp/native"
check "same output natively and under uos" diff -u "$tmp/native" "$tmp/uos"
check "status 0 (got $status)" [ "$status" -eq 0 ]
checks_exit
