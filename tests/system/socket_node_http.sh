#!/usr/bin/env bash
# Issue 10: node's http server and client on the loopback (TCP on uos's own
# loopback under uos): three requests, one with a body, then exec of a child.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/node ] || { echo "node not installed"; exit 77; }
exec "$DIFFTEST" --expect-status 0 -- /usr/bin/node -e '
const http = require("http");
const { execFile } = require("child_process");
const srv = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => { body += d; });
  req.on("end", () => {
    res.setHeader("X-Seen", req.method + " " + req.url);
    res.end("got " + body.length + " bytes: " + body.slice(0, 8) + "\n");
  });
});
function get(path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: srv.address().port, path,
                               method: body ? "POST" : "GET" }, (res) => {
      let out = "";
      res.on("data", (d) => { out += d; });
      res.on("end", () => resolve(res.statusCode + " " + res.headers["x-seen"] + " " + out));
    });
    req.on("error", reject);
    req.end(body);
  });
}
srv.listen(0, "127.0.0.1", async () => {
  process.stdout.write(await get("/a"));
  process.stdout.write(await get("/b", "x".repeat(100000)));
  const all = await Promise.all([get("/c1"), get("/c2"), get("/c3")]);
  process.stdout.write(all.join(""));
  srv.close();
  execFile("/bin/echo", ["child", "ok"], (err, out) => process.stdout.write(out));
});
'
