#!/usr/bin/env bash
# pty_exhaust.sh PROGRAM count|memory: a guest takes every pseudo-terminal of
# uos (see pty_exhaust.c).  count: /dev/ptmx fails with ENOSPC at or before
# 1024 pairs, the same count twice, across processes, and every number comes
# back once closed.  memory (uos --memory 64M): pipes and pairs filled both
# ways until ENOMEM, then up to the bound; uos's own resident memory stays
# within the 64 MiB it may hold for the guests and its own start.  Both: uos
# answers while everything is taken, no internal error, status 0, the host
# untouched.
. "$(dirname "$0")/lib.sh"
prog=$1 mode=$2
case $mode in
count) opts=() ;;
memory) opts=(--memory 64M) ;;
*) echo "usage: $0 PROGRAM count|memory"; exit 2 ;;
esac
sec_setup "$prog"
out=$W/watch/out err=$W/watch/err
if [ "$mode" = memory ]; then
	# uos's own size with a guest that holds nothing, then the bound: that plus the
	# 64 MiB of --memory and slack (a sanitizer's shadow and quarantine: more).
	sec_run 30 "$out" "$err" "${opts[@]}" --root "$W/root" -- "/$(basename "$prog")" idle
	base_kb=$max_rss_kb
	if grep -q __asan_init "$UOS"; then slack_kb=$((512 * 1024)); else slack_kb=$((48 * 1024)); fi
	SEC_MAX_RSS_KB=$((base_kb + 64 * 1024 + slack_kb))
	echo "uos alone: ${base_kb} kB resident; the bound: $SEC_MAX_RSS_KB kB"
fi
sec_run 90 "$out" "$err" "${opts[@]}" --root "$W/root" -- "/$(basename "$prog")" "$mode"
show_file "guest output" "$out"
show_file "uos stderr" "$err"
sec_check_run "$err"
check "the guest ran to its end with nothing bad" grep -q "^pty_exhaust $mode: done, 0 bad$" "$out"
if [ "$mode" = count ]; then
	check "ptmx fails with ENOSPC at or before 1024 pairs" \
		grep -qE "^opened ([0-9]|[0-9][0-9]|[0-9][0-9][0-9]|10[01][0-9]|102[0-4]), then (ENOSPC|ENOMEM)$" "$out"
else
	check "ptmx fails with ENOMEM once the memory is taken" grep -q "^ptmx with the memory taken: ENOMEM$" "$out"
	check "pairs fail at the bound or the memory" \
		grep -qE "^every pipe freed: pairs opened and filled up to .*, then (ENOSPC|ENOMEM)$" "$out"
fi
check "uos answered with every pair taken" grep -q "uos answers" "$out"
check "uos exits with the guest's status 0 (got $status)" [ "$status" -eq 0 ]
sec_check_host
checks_exit
