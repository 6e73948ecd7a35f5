#!/usr/bin/env bash
# The README's examples stay true: each line of the block after "Examples"
# runs (with this build's uos), in a scratch directory, and does what its
# comment says: "# prints TEXT" (stdout, lines joined by spaces, is TEXT),
# "# exits N" (the status), otherwise status 0; and every option and
# subcommand of the README's tables has one.
. "$(dirname "$0")/lib.sh"
readme=$DONE_DIR/../../README.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
block=$(awk '/^Examples/ {on = 1; next} on && /^```sh/ {inb = 1; next} inb && /^```/ {exit} inb' "$readme")
[ -n "$block" ] || { echo "FAIL: no Examples block in the README"; exit 1; }
uosdir=$(dirname "$UOS")
while IFS= read -r line; do
	cmd=${line%%  #*} note=""
	[[ $line == *"  # "* ]] && note=${line#*  # }
	cmd=$(echo "$cmd" | sed 's/[[:space:]]*$//')
	out=$(cd "$tmp" && PATH="$uosdir:$PATH" bash -c "$cmd" 2>/dev/null </dev/null)
	st=$?
	case $note in
	"prints "*)
		want=${note#prints }
		want=${want%% (*}
		got=$(echo "$out" | tr '\n' ' ' | sed 's/ *$//')
		check "$cmd: prints $want (got '$got')" [ "$got" = "$want" ] ;;
	"exits "*)
		want=${note#exits }
		want=${want%%[ ,]*}
		check "$cmd: exits $want (got $st)" [ "$st" -eq "$want" ] ;;
	*)
		check "$cmd: exits 0 (got $st)" [ "$st" -eq 0 ] ;;
	esac
done <<<"$block"
# Every option and subcommand of the README's tables has an example.
for opt in $(grep -o '^| `\(--[a-z0-9-]*\|uos [a-z]*\)' "$readme" | sed 's/^| `//' | sed 's/ /_/' | sort -u); do
	opt=${opt/_/ }
	grep -qF -- "$opt" <<<"$block" || fail "no example uses $opt"
done
checks_exit
