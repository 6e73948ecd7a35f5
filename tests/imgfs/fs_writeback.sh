#!/bin/sh
# The periodic writeback (issue 14): a change no one syncs reaches the
# image file once it is 30 s old (checked every 5 s), as Linux's
# dirty_expire_centisecs and dirty_writeback_centisecs; not long before.
# uos is then killed with SIGKILL: the file is on the image, which e2fsck
# -fn finds clean.
# usage: UOS=path/to/uos fs_writeback.sh
. "$(dirname "$0")/lib.sh"
command -v debugfs >/dev/null || { echo "skip: no debugfs"; exit 77; }

busybox_tree "$W/root"
img=$W/root.img
"$UOS" mkfs "$img" 16M --from "$W/root" >/dev/null || { echo "FAIL: mkfs"; exit 1; }
"$UOS" --root "$img" /bin/sh -c 'echo unsynced >/work/late; echo written; sleep 60' >"$W/out" &
pid=$!
i=0
while ! grep -q written "$W/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t=0
while [ $t -lt 45 ] && [ "$(debugfs -R 'cat /work/late' "$img" 2>/dev/null)" != unsynced ]; do
	sleep 1
	t=$((t + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
if [ $t -ge 24 ] && [ $t -lt 45 ]; then
	pass "an unsynced change reached the image after $t s"
else
	fail "an unsynced change reached the image after $t s (want 25 to 36)"
fi
[ "$(debugfs -R 'cat /work/late' "$img" 2>/dev/null)" = unsynced ] && pass "it is there after SIGKILL" ||
	fail "it is lost after SIGKILL"
fsck_clean "$img"
finish
