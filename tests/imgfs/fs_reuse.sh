#!/bin/sh
# A freed block's new bytes never reach the image while the image still
# gives the block to its old file.  File data goes to the image past the
# block cache (before the metadata that points at it), so a block freed by
# an unlink that is not yet written back must not take a new file's bytes
# first: uos killed then would leave the old file, still on the image, with
# the new file's bytes.  Each round: an old file is synced, removed, and a
# new file written (its blocks are the old file's); uos is killed with
# SIGKILL; the image is clean and the old file, if it is still there, holds
# its own bytes.  Then the same without the kill: the new file's bytes.
# usage: UOS=path/to/uos fs_reuse.sh
. "$(dirname "$0")/lib.sh"
command -v debugfs >/dev/null || { echo "skip: no debugfs"; exit 77; }

busybox_tree "$W/root"
mkdir -p "$W/root/data"
head -c 262144 /dev/zero | tr '\0' A >"$W/root/data/A"
head -c 262144 /dev/zero | tr '\0' B >"$W/root/data/B"
img=$W/root.img
"$UOS" mkfs "$img" 32M --from "$W/root" >/dev/null || { echo "FAIL: mkfs"; exit 1; }

# what PATH: how the file PATH on the image reads: gone, A, B or mixed.
what() {
	debugfs -R "cat $1" "$img" >"$W/got" 2>/dev/null
	if ! debugfs -R "stat $1" "$img" 2>/dev/null | grep -q Inode; then
		echo gone
	elif cmp -s "$W/got" "$W/root/data/A"; then
		echo A
	elif cmp -s "$W/got" "$W/root/data/B"; then
		echo B
	else
		echo "mixed ($(tr -d '\n' <"$W/got" | fold -w 1 | sort | uniq -c | tr -s ' \n' ' '))"
	fi
}

for round in 1 2 3 4 5 6; do
	"$UOS" --root "$img" /bin/sh -c "cd /work && cp /data/A old$round && sync &&
		rm old$round && dd if=/data/B of=new$round bs=64k 2>/dev/null &&
		echo ready && sleep 100" >"$W/out" 2>"$W/err" &
	pid=$!
	i=0
	while ! grep -q ready "$W/out" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL $pid
	wait $pid 2>/dev/null
	wait_unlocked "$img"
	grep -q ready "$W/out" || fail "round $round: the guest did not get there: $(cat "$W/err")"
	e2fsck -fn "$img" >"$W/fsck.out" 2>&1 || { fail "round $round: e2fsck -fn:"; head -20 "$W/fsck.out"; }
	got=$(what /work/old$round)
	case $got in
	gone | A) pass "round $round: the removed file is $got on the image" ;;
	*) fail "round $round: the removed file holds someone else's bytes: $got" ;;
	esac
done

"$UOS" --root "$img" /bin/sh -c "cd /work && cp /data/A old && sync && rm old &&
	dd if=/data/B of=new bs=64k 2>/dev/null" || fail "the last round did not run"
[ "$(what /work/old)" = gone ] && pass "unmounted: the removed file is gone" ||
	fail "unmounted: the removed file is $(what /work/old)"
[ "$(what /work/new)" = B ] && pass "unmounted: the new file holds its bytes" ||
	fail "unmounted: the new file is $(what /work/new)"
fsck_clean "$img"
finish
