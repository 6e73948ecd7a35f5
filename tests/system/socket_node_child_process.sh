#!/usr/bin/env bash
# Issue 10: node's child_process.spawn talks to the child over socketpairs
# (libuv's stdio pipes): spawn /bin/echo hi and print what it wrote.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/node ] || { echo "node not installed"; exit 77; }
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/node -e '
const { spawn } = require("child_process");
const c = spawn("/bin/echo", ["hi"]);
let out = "";
c.stdout.on("data", (d) => { out += d; });
c.on("close", (code) => { process.stdout.write("stdout: " + out); console.log("code", code); });
'
