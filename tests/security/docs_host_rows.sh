#!/usr/bin/env bash
# docs/SECURITY.md must name every HOST row of supervisor/handlers/syscalls.def in its
# table of the calls the host runs (a row the document forgets is a row
# nobody argued is safe).
root=$(cd "$(dirname "$0")/../.." && pwd)
missing=0
for name in $(sed -n 's/^SYSCALL([0-9]*, *\([a-z0-9_]*\), *HOST,.*/\1/p' "$root/supervisor/handlers/syscalls.def"); do
	if ! grep -Eq "^\| ([a-z0-9_]+, )*$name(,| \|)" "$root/docs/SECURITY.md"; then
		echo "FAIL: HOST row $name is not in docs/SECURITY.md's table"
		missing=1
	fi
done
[ "$missing" -eq 0 ] && echo "ok: every HOST row is in docs/SECURITY.md"
exit "$missing"
