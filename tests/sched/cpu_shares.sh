#!/usr/bin/env bash
# In serial mode two busy tasks at nice 0 and 5 get CPU shares near CFS's
# 1024:335 (ratio 3.06).  A share measurement, not a speed assertion: the
# bounds are wide because slices end on a timer on a noisy machine.
set -euo pipefail
ratio=$("${UOS:?}" --sched=serial:1 "$1")
echo "nice 0 : nice 5 work ratio = $ratio (CFS weights: 3.06)"
awk -v r="$ratio" 'BEGIN { exit !(r >= 1.8 && r <= 5.0) }' || { echo "FAIL: ratio $ratio is not near 3"; exit 1; }
echo ok
