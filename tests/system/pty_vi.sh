#!/usr/bin/env bash
# vi edits files through script(1) on a pseudo-terminal (pty_vi.py types the keys, once vi has
# drawn its screen): a new file (insert, o, :wq) and an existing one (dd, G,
# A, :%s, u, :x). Natively and under uos (the driver and vi both guests, the
# pty uos's own); the files' contents and vi's exit statuses must be equal.
# vim.tiny when installed, else vi.
. "$(dirname "$0")/lib.sh"
need_tools /usr/bin/python3 script
vi=$(command -v vim.tiny || command -v vi) || { echo "skip: neither vim.tiny nor vi installed"; exit 77; }
echo "vi: $vi ($(readlink -f "$vi"))"
py=$DONE_DIR/pty_vi.py
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/native" "$dir/uos"

timeout 90 /usr/bin/python3 "$py" "$vi" "$dir/native" </dev/null >"$dir/vi.native" 2>"$dir/err.native"
echo "status $?" >>"$dir/vi.native"
timeout 120 "$UOS" /usr/bin/python3 "$py" "$vi" "$dir/uos" </dev/null >"$dir/vi.uos" 2>"$dir/err.uos"
echo "status $?" >>"$dir/vi.uos"
check "native: the new file is as typed" \
	grep -qF "new.txt: content b'hello from vi\\nsecond line\\n'" "$dir/vi.native"
check "native: the old file is as edited" \
	grep -qF "old.txt: content b'Two\\nThreeee\\nfour\\n'" "$dir/vi.native"
check "uos wrote nothing to the host" sh -c "[ -z \"\$(ls -A '$dir/uos')\" ]"
[ -s "$dir/err.uos" ] && show_file "uos stderr" "$dir/err.uos"
same_output vi "$dir"
checks_exit
