#!/bin/sh
# Durable images (issue 14): what a guest syncs survives uos killed with
# SIGKILL.  A write-heavy guest (creates, appends, renames, unlinks, makes
# and removes directories) fsyncs, fdatasyncs, syncfs's or syncs some files
# and only then names them on stdout, which is a host file; uos is killed
# at a random moment, ten times.  After each kill e2fsck -fn finds the image
# clean, or e2fsck -fy repairs it; either way every file named so far (in
# any round) holds its synced content.  Then, with uos running, e2fsck -fn
# finds the image clean after each sync the guest completes.
# usage: UOS=path/to/uos fs_crash.sh
. "$(dirname "$0")/lib.sh"
command -v debugfs >/dev/null || { echo "skip: no debugfs"; exit 77; }

busybox_tree "$W/root"
img=$W/root.img

cat >"$W/root/churn.sh" <<'SCRIPT'
# churn.sh ROUND: write until killed; "SYNCED NAME CONTENT" once NAME is synced.
r=$1 i=0
mkdir -p /work/$r /work/big
cd /work/$r
# A second writer meanwhile, of more than the block cache holds (16 MiB):
# evictions write its blocks whenever they come, between syncs and during.
(j=0; while :; do j=$((j + 1)); dd if=/dev/zero of=/work/big/b$((j % 12)) bs=64k count=32 2>/dev/null; done) &
while :; do
	i=$((i + 1))
	dd if=/dev/urandom of=c$((i % 7)) bs=1k count=$((i % 40 + 1)) 2>/dev/null
	echo "$i" >>log$((i % 3))
	mv c$((i % 7)) m$((i % 5))
	rm -f m$(((i + 2) % 5))
	mkdir -p d$((i % 4)) && echo "$i" >d$((i % 4))/f$i && rm -rf d$(((i + 1) % 4))
	[ $((i % 3)) = 0 ] || continue
	s=s$i c="r$r $i $(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' ')"
	echo "$c" >$s
	case $((i % 4)) in
	0) sync $s ;;
	1) sync -d $s ;;
	2) sync -f $s ;;
	*) sync ;;
	esac
	echo "SYNCED /work/$r/$s $c"
done
SCRIPT
cat >"$W/root/steps.sh" <<'SCRIPT'
mkdir -p /work/steps && cd /work/steps
for n in 1 2 3 4 5; do
	for i in $(seq 20); do
		echo "$n $i" >>f$((i % 6)); mv f$((i % 6)) g$((i % 4)); mkdir -p d$i; rm -rf d$((i - 3))
	done
	echo "mark $n" >mark$n
	sync
	echo "synced $n"
	while [ ! -e /ack/$n ]; do sleep 0.05; done
done
SCRIPT
"$UOS" mkfs "$img" 64M --from "$W/root" >/dev/null || { echo "FAIL: mkfs"; exit 1; }

# check_synced ROUND: every file named so far has its content.
check_synced() {
	bad=0 n=0
	while read -r _ path content; do
		n=$((n + 1))
		got=$(debugfs -R "cat $path" "$img" 2>/dev/null)
		[ "$got" = "$content" ] || { bad=$((bad + 1)); echo "  $path: want '$content', got '$got'"; }
	done <"$W/synced"
	[ $bad = 0 ] && pass "round $1: all $n synced files are there" || fail "round $1: $bad of $n synced files lost"
}

: >"$W/synced"
clean=0 repaired=0
for round in 1 2 3 4 5 6 7 8 9 10; do
	"$UOS" --root "$img" /bin/sh /churn.sh $round >"$W/out" 2>"$W/err" &
	pid=$!
	# Odd rounds first wait for the guest's first synced file (however slow
	# a loaded machine makes the boot), so that some files are synced in
	# every run; then 0.3 to 2.2 s more: during the boot (even rounds), the
	# churn, a flush or a host fdatasync.
	i=0
	while [ $((round % 2)) = 1 ] && ! grep -q '^SYNCED ' "$W/out" && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep "$(awk -v s="$round$$" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 1.9 }')"
	kill -KILL $pid
	wait $pid 2>/dev/null
	wait_unlocked "$img"
	grep '^SYNCED ' "$W/out" >>"$W/synced"
	if e2fsck -fn "$img" >"$W/fsck.out" 2>&1; then
		clean=$((clean + 1))
	else
		repaired=$((repaired + 1))
		e2fsck -fy "$img" >"$W/fsck.out" 2>&1
		e2fsck -fn "$img" >/dev/null 2>&1 || { fail "round $round: e2fsck -fy did not repair"; head -30 "$W/fsck.out"; }
	fi
	check_synced $round
done
echo "after the kills: $clean images clean, $repaired repaired"
[ "$(wc -l <"$W/synced")" -ge 10 ] && pass "$(wc -l <"$W/synced") files synced in all" ||
	fail "only $(wc -l <"$W/synced") files synced: the guest barely ran"

# Not killed: after each completed sync the image on disk is clean, while
# uos runs on.  The guest waits for the host's check before going on.
mkdir -p "$W/ack"
"$UOS" --mount "$W/ack:/ack:rw" --root "$img" /bin/sh /steps.sh >"$W/out" 2>"$W/err" &
pid=$!
for n in 1 2 3 4 5; do
	i=0
	while ! grep -q "^synced $n$" "$W/out" && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	got=$(debugfs -R "cat /work/steps/mark$n" "$img" 2>/dev/null)
	[ "$got" = "mark $n" ] || fail "sync $n: mark$n is not on the image (got '$got')"
	if e2fsck -fn "$img" >"$W/fsck.out" 2>&1; then
		pass "sync $n: e2fsck -fn finds the image clean with uos still running"
	else
		fail "sync $n: the image on disk is not clean:"
		head -20 "$W/fsck.out"
	fi
	touch "$W/ack/$n"
done
wait $pid || fail "the steps guest: $(cat "$W/err")"
fsck_clean "$img"
finish
