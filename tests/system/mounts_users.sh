#!/usr/bin/env bash
# Issue 14: mounts and users as people expect.  A mount point shows in its
# parent's listing, and missing parents are made in the overlay; a bad
# --mount names the part that is wrong; the guest starts in / when its root
# has no directory of uos's cwd; --user takes HOME, USER and LOGNAME from
# the root's /etc/passwd.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x /bin/busybox ] || { echo "skip: busybox-static not installed"; exit 77; }
mkdir -p "$tmp/src" "$tmp/root/bin" "$tmp/root/etc" "$tmp/nowhere/deep"
echo inside >"$tmp/src/f"
cp /bin/busybox "$tmp/root/bin/"
printf 'root:x:0:0:root:/root:/bin/sh\ntester:x:1234:1234::/home/tester:/bin/sh\n' >"$tmp/root/etc/passwd"
"$UOS" mkfs "$tmp/r.img" 16M --from "$tmp/root" >/dev/null 2>&1 || { echo "FAIL: mkfs"; exit 1; }

out=$("$UOS" --mount "$tmp/src:/opt/a/b/c" sh -c 'ls /opt/a/b; cat /opt/a/b/c/f' 2>&1)
check "a mount under missing parents is reached and listed (got: $out)" [ "$out" = "$(printf 'c\ninside')" ]
out=$("$UOS" --mount "$tmp/src:/mnt/uos-x" sh -c 'ls /mnt | grep -x uos-x; stat -c "%U %a %F" /mnt/uos-x' 2>&1)
check "a mount point shows in its parent's listing (got: $out)" [ "$out" = "$(printf 'uos-x\nroot 755 directory')" ]
out=$("$UOS" --mount "$tmp/src:/etc/passwd" true 2>&1)
check "a mount point that is a file is refused (got: $out)" bash -c "[[ '$out' == *'not a directory'* ]]"
out=$("$UOS" --mount "$tmp/src:/mnt/x:rx" true 2>&1); st=$?
check "a bad mode is named (got: $out, status $st)" [ "$out" = "uos: --mount $tmp/src:/mnt/x:rx: the mode after DST must be ro or rw" -a $st -eq 2 ]
out=$("$UOS" --mount "$tmp/src:mnt" true 2>&1)
check "a relative DST is named (got: $out)" [ "$out" = "uos: --mount $tmp/src:mnt: DST must be an absolute path" ]
out=$(cd "$tmp/nowhere/deep" && "$UOS" --root "$tmp/r.img:ro" /bin/busybox pwd 2>&1)
check "a cwd the root lacks starts the guest in / (got: $out)" [ "$out" = / ]
out=$(cd "$tmp" && "$UOS" --mount "$tmp:$tmp" /bin/busybox pwd 2>&1)
check "a cwd the root has is kept (got: $out)" [ "$out" = "$tmp" ]
out=$(env -u USER -u LOGNAME HOME=/nope "$UOS" --root "$tmp/r.img:ro" --user 1234 /bin/busybox sh -c 'echo $HOME $USER $LOGNAME' 2>&1)
check "--user takes HOME, USER, LOGNAME from the root's passwd (got: $out)" [ "$out" = "/home/tester tester tester" ]
out=$(env -u USER -u LOGNAME HOME=/nope "$UOS" --root "$tmp/r.img:ro" --user 999 /bin/busybox sh -c 'echo $HOME $USER' 2>&1)
check "an unlisted uid keeps the environment (got: $out)" [ "$out" = "/nope" ]
checks_exit
