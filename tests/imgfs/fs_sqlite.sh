#!/bin/sh
# sqlite3 under uos: create a database, 10,000 inserts in one transaction,
# then queries, once under the default root (the database in /tmp, on the
# in-memory overlay) and once on an ext2 image mounted read-write
# (--mount IMG:/data:rw).  Both outputs must match a native run; the image
# must be e2fsck-clean afterwards and hold a database that the host's own
# sqlite3 reads (extracted with debugfs).
# usage: UOS=path/to/uos fs_sqlite.sh
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }

{
	echo 'create table t(a integer primary key, b text, c real);'
	echo 'create index tb on t(b);'
	echo 'begin;'
	i=0
	while [ $i -lt 10000 ]; do
		echo "insert into t(b, c) values('row$(( i * 7919 % 10007 ))', $i.5);"
		i=$((i + 1))
	done
	echo 'commit;'
} >"$W/ins.sql"
Q='select count(*), sum(a), sum(c), min(b), max(b) from t;
select b from t where a % 997 = 0;
select count(*) from t where b like "row1%";
pragma integrity_check;'

sqlite3 "$W/native.db" ".read $W/ins.sql" "$Q" >"$W/native.out" 2>&1 || fail "sqlite3 natively"
[ "$(sed -n 1p "$W/native.out")" = "10000|50005000|50000000.0|row0|row9999" ] ||
	fail "the native run gave $(sed -n 1p "$W/native.out")"

db=/tmp/uos-image-sqlite-$$.db
"$UOS" sqlite3 $db ".read $W/ins.sql" "$Q" >"$W/tmp.out" 2>"$W/tmp.err"
same "sqlite3 in /tmp under the default root matches native" "$W/native.out" "$W/tmp.out"
[ -e $db ] && fail "the guest's $db reached the host"

"$UOS" mkfs "$W/data.img" 64M || fail "uos mkfs"
"$UOS" --mount "$W/data.img:/data:rw" sqlite3 /data/t.db ".read $W/ins.sql" "$Q" \
	>"$W/img.out" 2>"$W/img.err"
same "sqlite3 on an ext2 image matches native" "$W/native.out" "$W/img.out"
grep -v '^uos: unsupported' "$W/img.err" | head -5
fsck_clean "$W/data.img"
debugfs -R "dump /t.db $W/back.db" "$W/data.img" 2>/dev/null
sqlite3 "$W/back.db" "$Q" >"$W/back.out" 2>&1
same "the host's sqlite3 reads the database uos wrote" "$W/native.out" "$W/back.out"
finish
