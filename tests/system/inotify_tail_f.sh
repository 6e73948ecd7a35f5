#!/usr/bin/env bash
# Issue 4: `tail -f` follows a file through inotify under uos.  A guest shell
# starts tail -f on a file, appends lines from another guest process, then
# kills tail: tail printed exactly the appended lines, used inotify (not the
# polling fallback), and the shell ended.  Then `tail -F` across a log
# rotation (mv, new file): the directory watch sees the new name appear.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

script='f=/tmp/inotify-tail-f; : >$f; tail -f $f & p=$!; sleep 0.3
echo hello >>$f; sleep 0.5; echo world >>$f; sleep 0.5; kill $p; wait $p; echo "tail status $?"'
timeout 60 "$UOS" --trace="$tmp/trace" /bin/bash -c "$script" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?
check "uos exits 0 once tail is killed (status $status)" test "$status" = 0
check "tail printed the appended lines, then died of SIGTERM" \
	test "$(cat "$tmp/out")" = "$(printf 'hello\nworld\ntail status 143')"
check "tail watched the file with inotify" grep -q 'inotify_add_watch(.*) = 1' "$tmp/trace"
check "no inotify call failed, tail did not revert to polling" \
	bash -c "! grep -q 'inotify.*= -\\|reverting to polling' '$tmp/trace' '$tmp/err'"

script='d=/tmp/inotify-tail-F; mkdir -p $d; f=$d/log; echo one >$f; tail -F $f 2>/dev/null & p=$!
sleep 0.3; echo two >>$f; sleep 0.3; mv $f $f.1; echo three >$f; sleep 0.5; echo four >>$f
sleep 0.5; kill $p; wait'
timeout 60 "$UOS" /bin/bash -c "$script" </dev/null >"$tmp/out2" 2>"$tmp/err2"
status=$?
check "tail -F run exits 0 (status $status)" test "$status" = 0
check "tail -F follows the log across a rotation" \
	test "$(cat "$tmp/out2")" = "$(printf 'one\ntwo\nthree\nfour')"
if [ $checks_failed != 0 ]; then
	show_file "stdout" "$tmp/out"
	show_file "stderr" "$tmp/err"
	show_file "stdout -F" "$tmp/out2"
	show_file "stderr -F" "$tmp/err2"
fi
exit $checks_failed
