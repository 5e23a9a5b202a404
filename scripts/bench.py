#!/usr/bin/env python3
"""pastebin's benchmark harness.

Every figure is a ratio against a reference measured in the same run, on the
same machine, alternating ours and theirs and taking the median of at least
three runs: these machines are shared and noisy, so absolute numbers mean
little from one run to the next. Prints a table and writes the same rows to
a JSON file (build/bench/results-TIMESTAMP.json) so runs can be compared.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pasted:
    """A pasted on a free port and a data dir; stop() ends it."""

    def __init__(self, data_dir, *flags):
        self.data_dir = data_dir
        self.log_path = data_dir + ".log"
        os.makedirs(data_dir, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "pasted"), "--listen", "127.0.0.1:0",
             "--data-dir", data_dir, *flags],
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 600
        while time.time() < deadline:
            text = open(self.log_path).read()
            m = re.search(r"listening on (http://\S+)", text)
            if m:
                self.url = m.group(1)
                return
            if self.proc.poll() is not None:
                raise RuntimeError("pasted exited:\n" + text)
            time.sleep(0.02)
        raise RuntimeError("pasted did not start")

    def text(self):
        return open(self.log_path).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - start


# --- rollup -----------------------------------------------------------------

def write_access_log(path, lines):
    """A realistic Combined Log Format log: 88% paste reads over 100k
    pastes, the rest writes and misses."""
    rnd = random.Random(7)
    links = ["".join(rnd.choice(ALPHABET) for _ in range(7)) for _ in range(100000)]
    agents = ["curl/7.88.1", "pastebin/0.1.0",
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
              "Gecko) Chrome/120.0 Safari/537.36"]
    block = []
    for i in range(min(lines, 1000000)):
        t = "%02d/Nov/2026:%02d:%02d:%02d +0000" % (
            1 + i * 30 // 1000000, i // 3600 % 24, i // 60 % 60, i % 60)
        r = rnd.random()
        if r < 0.80:
            req, st = "GET /%s HTTP/1.1" % rnd.choice(links), 200
        elif r < 0.88:
            req, st = "GET /api/v1/paste?shortlink=%s HTTP/1.1" % rnd.choice(links), 200
        elif r < 0.95:
            req, st = "POST /api/v1/paste HTTP/1.1", 201
        else:
            req, st = "GET /Zz9Zz9Z HTTP/1.1", 404
        block.append('192.0.2.%d - - [%s] "%s" %d 1024 "-" "%s"\n' % (
            i % 250, t, req, st, rnd.choice(agents)))
    chunk = "".join(block)
    with open(path, "w") as f:
        for _ in range(lines // len(block)):
            f.write(chunk)


def bench_rollup(work, args):
    lines = 1000000 if args.quick else 10000000
    log = os.path.join(work, "access.log")
    write_access_log(log, lines)
    ours, awk = [], []
    for run in range(args.runs):
        awk.append(timed(["bash", "-c",
                          "awk '{print $4, $7}' %s | sort | uniq -c > /dev/null" % log]))
        data = os.path.join(work, "rollup-%d" % run)
        os.makedirs(data)
        shutil.copy(log, os.path.join(data, "access.log"))
        d = Pasted(data)  # the start-up rollup reads the whole log
        d.stop()
        m = re.search(r"rolled up (\d+) log lines, \d+ visits, in (\d+) ms", d.text())
        if not m or int(m.group(1)) != lines:
            raise RuntimeError("rollup did not read the log:\n" + d.text())
        ours.append(int(m.group(2)) / 1000.0)
        shutil.rmtree(data)
    return [row("rollup of %dM-line access log" % (lines // 1000000),
                ours, awk, "s", "awk '{print $4,$7}'|sort|uniq -c",
                lower_is_better=True, target="< 1.0")]


# --- HTTP: pasted against nginx -------------------------------------------

NGINX_CONF = """
worker_processes 2;
pid %(dir)s/nginx.pid;
error_log %(dir)s/nginx-error.log;
daemon off;
events { worker_connections 8192; }
http {
  access_log %(dir)s/nginx-access.log;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:%(port)d backlog=4096;
    root %(dir)s/www;
    default_type text/plain;
  }
}
"""


class Nginx:
    def __init__(self, work, body):
        self.dir = os.path.join(work, "nginx")
        os.makedirs(os.path.join(self.dir, "www"), exist_ok=True)
        # nginx's workers run as nobody when started by root: let them in.
        path = self.dir
        while path != "/":
            os.chmod(path, os.stat(path).st_mode | 0o755)
            path = os.path.dirname(path)
            if path == os.path.dirname(tempfile.gettempdir().rstrip("/")):
                break
        with open(os.path.join(self.dir, "www", "x"), "w") as f:
            f.write(body)
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF % {"dir": self.dir, "port": self.port})
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = "http://127.0.0.1:%d/x" % self.port
        wait_http(self.url)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def wait_http(url, timeout=10):
    import urllib.request
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError("nothing answers at " + url)


def wrk(url, connections, seconds, script=None, close=False, threads=2):
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency"]
    if close:
        cmd += ["-H", "Connection: close"]
    if script:
        cmd += ["-s", script]
    run = subprocess.run(cmd + [url], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError("wrk failed (%d): %s %s" % (run.returncode, run.stdout, run.stderr))
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p50 = re.search(r"50%\s+([0-9.]+)(us|ms|s)", out)
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {"rps": rps, "p50": float(p50.group(1)) * scale,
            "non2xx": int(errors.group(1)) if errors else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def post_paste(base, text):
    import urllib.request
    req = urllib.request.Request(base + "/api/v1/paste",
                                 json.dumps({"paste_contents": text}).encode(),
                                 {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def bench_http(work, args):
    body = ("pastebin benchmark line\n" * 44)[:1024]
    d = Pasted(os.path.join(work, "pasted-data"))
    nginx = Nginx(work, body)
    rows = []
    try:
        link = post_paste(d.url, body)["shortlink"]
        ours_url = d.url + "/" + link
        secs = 3 if args.quick else 5
        for connections, close in ((64, False), (256, False), (64, True), (256, True)):
            ours, ref, notes = [], [], []
            for _ in range(args.runs):
                a = wrk(ours_url, connections, secs, close=close)
                b = wrk(nginx.url, connections, secs, close=close)
                ours.append(a["rps"])
                ref.append(b["rps"])
                if a["timeouts"] or a["non2xx"]:
                    notes.append("pasted: %d timeouts, %d non-2xx" % (a["timeouts"], a["non2xx"]))
            name = "hot 1 KB GET /X, %d conns, %s" % (
                connections, "Connection: close" if close else "keep-alive")
            r = row(name, ours, ref, "req/s", "nginx static file, 2 workers",
                    lower_is_better=False, target=">= 0.7" if close else ">= 0.8")
            r["notes"] = notes
            rows.append(r)
        rows.append({"benchmark": "peak RSS of pasted (hot GET runs)",
                     "ours": peak_rss_kb(d.proc.pid) / 1024.0, "reference": None,
                     "unit": "MiB", "ratio": None, "target": "cache_bytes + small",
                     "reference_is": "-", "lower_is_better": True})
    finally:
        d.stop()
        nginx.stop()
    return rows


WRITE_LUA = """
local counter = 0
local id = 0
local pad = string.rep("x", 1000)
function setup(thread)
  thread:set("id", math.random(1, 1000000000))
end
function init(args)
  id = wrk.thread:get("id")
end
function request()
  counter = counter + 1
  local body = '{"paste_contents":"' .. pad .. id .. '-' .. counter .. '"}'
  return wrk.format("POST", "/api/v1/paste", {["Content-Type"] = "application/json"}, body)
end
"""

FSYNC_PY = """
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
buf = b"x" * 1024
n, end = 0, time.perf_counter() + float(sys.argv[2])
while time.perf_counter() < end:
    os.write(fd, buf)
    os.fdatasync(fd)
    n += 1
print(n / float(sys.argv[2]))
"""


def bench_writes(work, args):
    script = os.path.join(work, "write.lua")
    with open(script, "w") as f:
        f.write(WRITE_LUA)
    secs = 3 if args.quick else 5
    ours, ref = [], []
    d = Pasted(os.path.join(work, "pasted-data"))
    try:
        for run in range(args.runs):
            out = subprocess.run(["python3", "-c", FSYNC_PY,
                                  os.path.join(d.data_dir, "fsync-%d" % run), str(secs)],
                                 check=True, capture_output=True, text=True).stdout
            ref.append(float(out))
            r = wrk(d.url + "/api/v1/paste", 64, secs, script=script)
            if r["non2xx"]:
                raise RuntimeError("%d writes failed" % r["non2xx"])
            ours.append(r["rps"])
    finally:
        d.stop()
    return [row("durable 1 KB writes, 64 conns", ours, ref, "writes/s",
                "one thread: 1 KB append + fdatasync, same disk",
                lower_is_better=False, target=">= 2.0")]


def bench_cli(work, args):
    d = Pasted(os.path.join(work, "pasted-data"))
    text = ("pastebin benchmark line\n" * 44)[:1024]
    src = os.path.join(work, "1k.txt")
    with open(src, "w") as f:
        f.write(text)
    js = os.path.join(work, "1k.json")
    with open(js, "w") as f:
        json.dump({"paste_contents": text}, f)
    ours, ref = [], []
    try:
        env = dict(os.environ, PASTEBIN_SERVER=d.url, HOME=work)
        for _ in range(args.runs):
            out = os.path.join(work, "hyperfine.json")
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "5", "--runs", "40" if args.quick else "100",
                 "--export-json", out,
                 "%s put %s" % (os.path.join(BIN, "pastebin"), src),
                 "curl -s -o /dev/null -H 'Content-Type: application/json' "
                 "--data-binary @%s %s/api/v1/paste" % (js, d.url)],
                check=True, capture_output=True, env=env)
            results = json.load(open(out))["results"]
            ours.append(results[0]["median"] * 1000)
            ref.append(results[1]["median"] * 1000)
    finally:
        d.stop()
    return [row("pastebin put 1 KB, whole process", ours, ref, "ms",
                "curl POSTing the same JSON", lower_is_better=True, target="<= 0.8")]


COLD_LUA = """
local links = {}
for line in io.lines("%s") do links[#links + 1] = "/" .. line end
math.randomseed(os.time())
function request()
  return wrk.format("GET", links[math.random(#links)])
end
"""


INSERT_BODY = "INSERT INTO bodies (id, data) VALUES (?, ?)"
INSERT_PASTE = ("INSERT OR IGNORE INTO pastes (shortlink, expiration_length_in_minutes,"
                " created_at, expires_at, paste_path, size, delete_token_hash, body_id, codec,"
                " stored_size) VALUES (?,?,?,?,'',?,?,?,0,?)")


def seed_pastes(data_dir, count):
    """Writes count 1 KB pastes straight into the documented layout (rows in
    pastes.db, small bodies inline in its bodies table, as pasted stores
    them): going through HTTP would take minutes for a million."""
    import sqlite3
    Pasted(data_dir).stop()  # creates and migrates the database
    db = sqlite3.connect(os.path.join(data_dir, "pastes.db"))
    rnd = random.Random(11)
    # Random text, as real pastes are: it does not compress to nothing.
    pool = "".join(rnd.choice("abcdefghij klmnop\n") for _ in range(1 << 16)).encode()
    links, pastes, bodies, now = [], [], [], int(time.time())
    for i in range(count):
        link = "".join(rnd.choice(ALPHABET) for _ in range(7))
        at = rnd.randrange(len(pool) - 1024)
        body = pool[at:at + 1024]
        bodies.append((i + 1, body))
        pastes.append((link, 0, now, None, len(body), "h", i + 1, len(body)))
        links.append(link)
        if len(pastes) == 10000:
            db.executemany(INSERT_BODY, bodies)
            db.executemany(INSERT_PASTE, pastes)
            db.commit()
            pastes, bodies = [], []
    db.executemany(INSERT_BODY, bodies)
    db.executemany(INSERT_PASTE, pastes)
    db.commit()
    db.close()
    return links


def bench_cold(work, args):
    count = 100000 if args.quick else 1000000
    data = os.path.join(work, "cold-data")
    print("bench: seeding %d pastes ..." % count, file=sys.stderr, flush=True)
    links = seed_pastes(data, count)
    listing = os.path.join(work, "links.txt")
    with open(listing, "w") as f:
        f.write("\n".join(links) + "\n")
    script = os.path.join(work, "cold.lua")
    with open(script, "w") as f:
        f.write(COLD_LUA % listing)
    secs = 3 if args.quick else 5
    cold, hot = [], []
    # The cache off: every read goes to SQLite.
    d = Pasted(data, "--cache-bytes", "0")
    try:
        hot_url = d.url + "/" + links[0]
        for _ in range(args.runs):
            cold.append(wrk(d.url, 16, secs, script=script)["p50"] * 1000)
            hot.append(wrk(hot_url, 16, secs)["p50"] * 1000)
    finally:
        d.stop()
    d = Pasted(data)  # and with the cache on, for the hot side
    try:
        hot_cached = [wrk(d.url + "/" + links[0], 16, secs)["p50"] * 1000
                      for _ in range(args.runs)]
    finally:
        d.stop()
    return [row("cold read among %dk pastes (cache off), p50" % (count // 1000),
                cold, hot_cached, "ms", "hot read of one cached paste, p50",
                lower_is_better=True, target="<= 3.0"),
            row("same paste re-read with the cache off, p50", hot, hot_cached, "ms",
                "hot read of one cached paste, p50", lower_is_better=True, target="-")]


# --- harness ----------------------------------------------------------------

def row(name, ours, ref, unit, ref_name, lower_is_better, target):
    o, r = statistics.median(ours), statistics.median(ref)
    return {"benchmark": name, "ours": o, "reference": r, "unit": unit,
            "reference_is": ref_name, "ratio": o / r if r else None,
            "lower_is_better": lower_is_better, "target": target,
            "ours_runs": ours, "reference_runs": ref}


BENCHMARKS = {"http": bench_http, "writes": bench_writes, "cli": bench_cli,
              "cold": bench_cold, "rollup": bench_rollup}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    p.add_argument("--quick", action="store_true", help="smaller inputs")
    p.add_argument("--runs", type=int, default=3, help="runs per side (>= 3)")
    args = p.parse_args()
    args.runs = max(args.runs, 3)
    rows = []
    with tempfile.TemporaryDirectory(prefix="pastebin-bench-") as work:
        for name in args.only or list(BENCHMARKS):
            print("bench: running %s ..." % name, file=sys.stderr, flush=True)
            bench_dir = os.path.join(work, name)
            os.makedirs(bench_dir)
            rows += BENCHMARKS[name](bench_dir, args)
    print("%-46s %12s %12s %8s  %-8s %s" % ("benchmark", "ours", "reference",
                                            "ratio", "target", "reference is"))
    for r in rows:
        if r["reference"] is None:
            print("%-46s %10.1f %s %12s %8s  %-8s" % (
                r["benchmark"], r["ours"], r["unit"], "-", "-", r["target"]))
            continue
        print("%-46s %10.3f %s %10.3f %s %8.2f  %-8s %s" % (
            r["benchmark"], r["ours"], r["unit"], r["reference"], r["unit"],
            r["ratio"], r["target"], r["reference_is"]))
        for note in r.get("notes", []):
            print("    note: " + note)
    out_dir = os.path.join(ROOT, "build", "bench")
    os.makedirs(out_dir, exist_ok=True)
    stamp = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    out = os.path.join(out_dir, "results-%s.json" % stamp)
    with open(out, "w") as f:
        json.dump({"when": stamp, "host": socket.gethostname(),
                   "cpus": os.cpu_count(), "rows": rows}, f, indent=2)
    print("bench: wrote %s" % out, file=sys.stderr)


if __name__ == "__main__":
    main()
