#!/usr/bin/env python3
"""pastebin's benchmark harness.

Every figure is a ratio against a reference measured in the same run, on the
same machine, alternating ours and theirs and taking the median of at least
three runs: these machines are shared and noisy, so absolute numbers mean
little from one run to the next. Prints a table and writes the same rows to
a JSON file (build/bench/results-TIMESTAMP.json) so runs can be compared.
"""

import argparse
import contextlib
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
    """A pasted on a free port and a data dir; stop() ends it. bin_dir: where
    pasted is; BIN (this build's) when not given, read when it starts, so a
    caller that points BIN elsewhere is obeyed."""

    def __init__(self, data_dir, *flags, bin_dir=None):
        self.data_dir = data_dir
        self.log_path = data_dir + ".log"
        os.makedirs(data_dir, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [os.path.join(bin_dir or BIN, "pasted"), "--listen", "127.0.0.1:0",
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

    def cpu_seconds(self):
        return cpu_seconds(self.proc.pid)

    def write_bytes(self):
        """Bytes this process caused to be written to storage so far."""
        return self.io("write_bytes")

    def read_bytes(self):
        """Bytes this process caused to be read from storage so far."""
        return self.io("read_bytes")

    def io(self, field):
        with open("/proc/%d/io" % self.proc.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def disk_bytes(self):
        """What the data dir takes on disk (allocated blocks, WAL included)."""
        total = 0
        for root, _, files in os.walk(self.data_dir):
            for name in files:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
        return total

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


def cpu_seconds(pid):
    """User + system CPU of a process and its reaped children, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


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

    def cpu_seconds(self):
        """The master's and its workers' CPU."""
        kids = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                              text=True).stdout.split()
        return cpu_seconds(self.proc.pid) + sum(cpu_seconds(int(k)) for k in kids)

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
    def latency(pct):
        m = re.search(pct + r"%\s+([0-9.]+)(us|ms|s)", out)
        return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "requests": requests,
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
        cpu_ours, cpu_ref = [], []
        for connections, close in ((64, False), (256, False), (64, True), (256, True)):
            ours, ref, notes = [], [], []
            for _ in range(args.runs):
                before = d.cpu_seconds()
                a = wrk(ours_url, connections, secs, close=close)
                ours_cpu = (d.cpu_seconds() - before) * 1e6 / a["requests"]
                before = nginx.cpu_seconds()
                b = wrk(nginx.url, connections, secs, close=close)
                ref_cpu = (nginx.cpu_seconds() - before) * 1e6 / b["requests"]
                if (connections, close) == (64, False):
                    cpu_ours.append(ours_cpu)
                    cpu_ref.append(ref_cpu)
                ours.append(a["rps"])
                ref.append(b["rps"])
                if a["timeouts"] or a["non2xx"]:
                    notes.append("pasted: %d timeouts, %d non-2xx" % (a["timeouts"], a["non2xx"]))
            name = "hot 1 KB GET /X, %d conns, %s" % (
                connections, "Connection: close" if close else "keep-alive")
            r = row(name, ours, ref, "req/s", "nginx static file, 2 workers",
                    lower_is_better=False, target=">= 0.7" if close else ">= 1.5")
            r["notes"] = notes
            rows.append(r)
        rows.insert(1, row("  CPU per hot GET, 64 conns keep-alive", cpu_ours, cpu_ref, "us",
                           "nginx's CPU per request", lower_is_better=True,
                           target="ours <= 10 us"))
        rows.append({"benchmark": "peak RSS of pasted (hot GET runs)",
                     "ours": peak_rss_kb(d.proc.pid) / 1024.0, "reference": None,
                     "unit": "MiB", "ratio": None, "target": "cache_bytes + small",
                     "reference_is": "-", "lower_is_better": True})
    finally:
        d.stop()
        nginx.stop()
    return rows


def text_lua(alphabet, pool_size):
    """A wrk script's pool of random characters from alphabet (a Lua string
    expression) and paste(n), a request creating n bytes of it from a fresh
    offset, so every paste differs."""
    return """
local pool = ""
local counter = 0
local id = 0
function setup(thread)
  thread:set("id", math.random(1, 1000000000))
end
function init(args)
  id = wrk.thread:get("id")
  math.randomseed(id)
  local alphabet, t = %s, {}
  for i = 1, %d do
    local k = math.random(#alphabet)
    t[i] = alphabet:sub(k, k)
  end
  pool = table.concat(t)
end
local function text(n)
  local parts, left = {}, n
  while left > 0 do
    local take = math.min(left, 60000)
    local at = math.random(1, #pool - take)
    parts[#parts + 1] = pool:sub(at, at + take - 1)
    left = left - take
  end
  return table.concat(parts)
end
local function paste(n)
  counter = counter + 1
  local body = '{"paste_contents":"' .. id .. "-" .. counter .. " " .. text(n) .. '"}'
  return wrk.format("POST", "/api/v1/paste", {["Content-Type"] = "application/json"}, body)
end
""" % (alphabet, pool_size)


# Text from a pool of random letters and spaces (it compresses about as
# much as prose does, not to nothing).
TEXT_LUA = text_lua('"abcdefghij klmnop"', 65536)

WRITE_LUA = TEXT_LUA + """
function request() return paste(1000) end
"""

# 99 % under 4 KiB, 0.9 % up to 1 MiB, 0.1 % up to 10 MB.
MIXED_LUA = TEXT_LUA + """
function request()
  local r = math.random()
  if r < 0.001 then return paste(math.random(1048576, 10000000)) end
  if r < 0.01 then return paste(math.random(4096, 1048576)) end
  return paste(math.random(100, 4000))
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


def fsync_rate(path, secs):
    out = subprocess.run(["python3", "-c", FSYNC_PY, path, str(secs)],
                         check=True, capture_output=True, text=True).stdout
    os.unlink(path)
    return float(out)


def lua(work, name, text):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def write_run(d, script, secs, connections=64):
    """One wrk run of POSTs against d, with what it cost pasted: CPU µs and
    bytes sent to storage (/proc/PID/io write_bytes, checkpoints included:
    the checkpointer gets half a second to catch up) per paste."""
    cpu, written = d.cpu_seconds(), d.write_bytes()
    r = wrk(d.url + "/api/v1/paste", connections, secs, script=script)
    if r["non2xx"]:
        raise RuntimeError("%d writes failed" % r["non2xx"])
    time.sleep(0.5)
    r["cpu_us"] = (d.cpu_seconds() - cpu) * 1e6 / r["requests"]
    r["write_bytes"] = (d.write_bytes() - written) / r["requests"]
    return r


def bench_writes(work, args):
    script = lua(work, "write.lua", WRITE_LUA)
    secs = 3 if args.quick else 5
    ours, ref, p99, cpu, written, disk = [], [], [], [], [], []
    for run in range(args.runs):
        # A fresh data dir each run: the figures of a new server.
        d = Pasted(os.path.join(work, "pasted-data-%d" % run))
        try:
            ref.append(fsync_rate(os.path.join(d.data_dir, "fsync"), secs))
            r = write_run(d, script, secs)
        finally:
            d.stop()
        ours.append(r["rps"])
        p99.append(r["p99"] * 1000)
        cpu.append(r["cpu_us"])
        written.append(r["write_bytes"])
        disk.append(d.disk_bytes() / r["requests"])
        shutil.rmtree(d.data_dir)
    return [row("durable 1 KB writes, 64 conns", ours, ref, "writes/s",
                "one thread: 1 KB append + fdatasync, same disk",
                lower_is_better=False, target=">= 3"),
            single("  their p99", p99, "ms", "<= 25"),
            single("  pasted CPU per write", cpu, "us", "-"),
            single("  bytes written to storage per paste", written, "B", "<= 10240"),
            single("  bytes on disk per paste", disk, "B", "<= 1638")]


# 1 KiB pastes of random printable characters (~6.5 bits each): as near to
# incompressible as JSON text gets (zstd keeps ~80 %).
NOISE_LUA = text_lua(
    '"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" .. '
    '"!#$%&()*+,-./:;<=>?@[]^_`{|}~ "', 1048576) + """
function request() return paste(1000) end
"""


@contextlib.contextmanager
def largest_size(path):
    """The largest size path reaches while the block runs: peak[0], in
    bytes, polled every 20 ms (0 while the file does not exist)."""
    import threading
    peak, done = [0], threading.Event()

    def watch():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], os.stat(path).st_size)
            except OSError:
                pass
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


def bench_sustained(work, args):
    """Durable writes without a pause: the WAL must stay under wal_limit
    (64 MiB by default), and the data dir and the bytes written per paste
    must count what checkpoints copy. Measured while pasted still runs."""
    script = lua(work, "noise.lua", NOISE_LUA)
    secs = 20 if args.quick else 120
    rps, p99, peaks, disk, written = [], [], [], [], []
    for run in range(args.runs):
        d = Pasted(os.path.join(work, "pasted-data-%d" % run))
        try:
            with largest_size(os.path.join(d.data_dir, "pastes.db-wal")) as peak:
                before = d.write_bytes()
                r = wrk(d.url + "/api/v1/paste", 64, secs, script=script)
                if r["non2xx"]:
                    raise RuntimeError("%d writes failed" % r["non2xx"])
                disk.append(d.disk_bytes() / r["requests"])  # still running
                written.append((d.write_bytes() - before) / r["requests"])
        finally:
            d.stop()
        shutil.rmtree(d.data_dir)
        rps.append(r["rps"])
        p99.append(r["p99"] * 1000)
        peaks.append(peak[0] / (1 << 20))
    return [single("sustained 1 KiB writes, %d s, 64 conns" % secs, rps, "writes/s", "-"),
            single("  their p99 (restarts included)", p99, "ms", "<= 25"),
            single("  WAL peak (wal_limit 64 MiB)", peaks, "MiB", "<= 64"),
            single("  data dir per paste, while running", disk, "B", "<= 1638"),
            single("  bytes written per paste, checkpoints in", written, "B", "<= 12288")]


def server_p99(d, route):
    """The upper bound of the histogram bucket holding pasted's own p99 for
    route (from a complete request to its answer), in ms."""
    import urllib.request
    token = open(os.path.join(d.data_dir, "admin.token")).read().strip()
    req = urllib.request.Request(d.url + "/metrics", headers={"Authorization": "Bearer " + token})
    text = urllib.request.urlopen(req).read().decode()
    buckets = [(float("inf") if le == "+Inf" else float(le), int(n)) for le, n in re.findall(
        r'pasted_http_request_duration_seconds_bucket\{route="%s",le="([^"]+)"\} (\d+)' % route,
        text)]
    total = buckets[-1][1]
    return next(le for le, n in buckets if n >= 0.99 * total) * 1000


def bench_mixed(work, args):
    script = lua(work, "mixed.lua", MIXED_LUA)
    secs = 5 if args.quick else 10
    rps, p99, p50, inside = [], [], [], []
    for run in range(args.runs):
        d = Pasted(os.path.join(work, "pasted-data-%d" % run))
        try:
            r = write_run(d, script, secs)
            inside.append(server_p99(d, "create_paste"))
        finally:
            d.stop()
        shutil.rmtree(d.data_dir)
        rps.append(r["rps"])
        p50.append(r["p50"] * 1000)
        p99.append(r["p99"] * 1000)
    # wrk's clock starts before a body of megabytes is sent, and its Lua
    # builds those bodies on the threads that time the others.
    return [single("mixed writes (99% < 4 KiB, 0.1% to 10 MB), 64 conns", rps, "writes/s", "-"),
            single("  their p50 (wrk)", p50, "ms", "-"),
            single("  their p99 (wrk, uploads included)", p99, "ms", "<= 30"),
            single("  their p99 in pasted (request in to answer, bucket bound)", inside, "ms",
                   "<= 30")]


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


# GETs of random links from a listing of equal-width lines (random_gets),
# read as one Lua string; a request is three pieces joined. Each wrk thread
# used to build a table of a million strings, and wrk loads each thread's
# script before starting that thread, one after the other: the first
# thread ran about 1.2 s longer than the run wrk timed, alone (8 of 16
# connections) for part of it, and its requests counted in the rate. Six
# runs among 1 M pastes gave 1.12-1.30 x this script's rate, where the
# reference's 10 k links load at once. The table also cost wrk 17-18 us of
# user CPU a request against 5, on the cores pasted runs on; now it is 7
# against 4 (2026-12-07). Each thread seeds its own generator: os.time()
# alone gives threads loaded within one second the same links in order.
COLD_LUA = """
local f = assert(io.open("%s", "rb"))
local all = f:read("*a")
f:close()
local width = %d
local count = math.floor(#all / width)
local threads, head, tail = 0, nil, nil
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  local probe = wrk.format("GET", "/@")
  local at = probe:find("@", 1, true)
  head, tail = probe:sub(1, at - 1), probe:sub(at + 1)
  math.randomseed(os.time() * 64 + id)
end
function request()
  local i = (math.random(count) - 1) * width + 1
  return head .. all:sub(i, i + width - 2) .. tail
end
"""


def seed_pastes(data_dir, count):
    """Writes count 1 KB pastes of random text straight into the documented
    layout, as pasted stores them (build/bin/paste_rows, built from
    pasted's own codec, digests and link cipher): each row under its number
    with its keyed link, its body compressed (zstd, about 0.56 of a
    kilobyte of this text) in the row. Going through HTTP would take
    minutes for a million, hours for ten."""
    Pasted(data_dir).stop()  # creates and migrates the database, makes its key
    links = subprocess.run([os.path.join(BIN, "paste_rows"), "sqlite",
                            os.path.join(data_dir, "pastes.db"), str(count),
                            str(int(time.time()))],
                           check=True, stdout=subprocess.PIPE, text=True).stdout.split()
    random.Random(11).shuffle(links)
    return links


def in_turn(args):
    """Rounds, and seconds a run, of measurements taken in turn with their
    reference (both servers up at once): short runs, many of them."""
    return max(3 * args.runs, 9), (1 if args.quick else 2)


def one_connection(got, cold_url, cold_script, hot_url, secs):
    """Appends to got["cold"] and got["hot"] the p50s (ms) of a run of
    random cold GETs and one of a hot GET, each at one connection: a read's
    own latency. At 16 connections on two cores shared with wrk, a closed
    loop's p50 measures how four threads happen to be scheduled as much as
    the read: the hot reference's p50 ranged 67-150 us over ten 2 s runs of
    one pasted whose rate stayed within 53k-61k/s, where at one connection
    it held at 33-37 us (2026-12-07)."""
    got["cold"].append(wrk(cold_url, 1, secs, script=cold_script, threads=1)["p50"] * 1000)
    got["hot"].append(wrk(hot_url, 1, secs, threads=1)["p50"] * 1000)


def bench_cold(work, args):
    count = 100000 if args.quick else 1000000
    data = os.path.join(work, "cold-data")
    print("bench: seeding %d pastes ..." % count, file=sys.stderr, flush=True)
    links = seed_pastes(data, count)
    script = random_gets(work, links)
    # The cache off (every read goes to SQLite) and on (the hot side), both
    # running at once on two copies of the store, and short runs taken in
    # turn, many of them: this machine's speed drifts within minutes (a
    # cold row of 4.59 and one of 1.89 an hour apart on the same code,
    # 2026-12-06; runs of one side and then the other, even taken in turn a
    # daemon at a time, still saw the reference move 2.3 ×).
    rounds, secs = in_turn(args)
    hot_data = data + "-hot"
    shutil.rmtree(hot_data, ignore_errors=True)
    shutil.copytree(data, hot_data, ignore=shutil.ignore_patterns("access.log*", "*.lock"))
    cold, hot, hot_cached = [], [], []
    alone = {"cold": [], "hot": []}
    d = Pasted(data, "--cache-bytes", "0")
    h = Pasted(hot_data)
    try:
        for _ in range(rounds):
            cold.append(wrk(d.url, 16, secs, script=script)["p50"] * 1000)
            hot.append(wrk(d.url + "/" + links[0], 16, secs)["p50"] * 1000)
            hot_cached.append(wrk(h.url + "/" + links[0], 16, secs)["p50"] * 1000)
            one_connection(alone, d.url, script, h.url + "/" + links[0], secs)
    finally:
        d.stop()
        h.stop()
        shutil.rmtree(hot_data, ignore_errors=True)
    d = Pasted(data)
    written = []
    try:
        # Writes into a big table touch more B-tree pages than into a new one.
        script = lua(work, "write.lua", WRITE_LUA)
        written = [write_run(d, script, 3 if args.quick else 5)["write_bytes"]
                   for _ in range(args.runs)]
    finally:
        d.stop()
    return [row("cold read among %dk pastes (cache off), p50" % (count // 1000),
                cold, hot_cached, "ms", "hot read of one cached paste, p50",
                lower_is_better=True, target="<= 2"),
            row("  the same at one connection, p50", alone["cold"], alone["hot"], "ms",
                "the hot read at one connection, p50", lower_is_better=True, target="<= 2"),
            single("  bytes written to storage per 1 KB paste among them", written, "B", "-"),
            row("same paste re-read with the cache off, p50", hot, hot_cached, "ms",
                "hot read of one cached paste, p50", lower_is_better=True, target="-")]


def bench_reads_writes(work, args):
    """Cold reads (16 connections, cache off) and durable writes (32) at
    once, under a small wal_limit (8 MiB): the checkpoint that starts the WAL
    over must find a moment between the event loops' reads, or writes stall
    behind it and the WAL outgrows its limit."""
    import threading
    count = 50000 if args.quick else 200000
    seed = os.path.join(work, "seed")
    reads = random_gets(work, seed_pastes(seed, count))
    writes = lua(work, "noise.lua", NOISE_LUA)
    secs = 5 if args.quick else 15
    wrps, wp99, rrps, peaks = [], [], [], []
    for run in range(args.runs):
        data = os.path.join(work, "data-%d" % run)
        shutil.copytree(seed, data)
        d = Pasted(data, "--cache-bytes", "0", "--wal-limit", "8M")
        read = {}

        def read_run():
            read["r"] = wrk(d.url, 16, secs, script=reads)

        reader = threading.Thread(target=read_run)
        try:
            with largest_size(os.path.join(data, "pastes.db-wal")) as peak:
                reader.start()
                w = wrk(d.url + "/api/v1/paste", 32, secs, script=writes)
                reader.join()
        finally:
            d.stop()
            shutil.rmtree(data)
        if w["non2xx"] or read["r"]["non2xx"]:
            raise RuntimeError("%d writes and %d reads failed" % (w["non2xx"], read["r"]["non2xx"]))
        wrps.append(w["rps"])
        wp99.append(w["p99"] * 1000)
        rrps.append(read["r"]["rps"])
        peaks.append(peak[0] / 2**20)
    return [single("writes beside cold reads (32 + 16 conns, wal_limit 8 MiB)", wrps, "writes/s",
                   "-"),
            single("  their p99", wp99, "ms", "<= 25"),
            single("  the cold reads beside them", rrps, "reads/s", "-"),
            single("  WAL peak", peaks, "MiB", "<= 8")]


def bench_big_reads(work, args):
    """16 clients reading 16 different 9 MiB pastes at once, the cache off:
    pasted's peak RSS against its answer budget (max_output_memory, 64 MiB),
    which a paste too big to cache draws on before its body is read. The
    answers over the budget are 503s; how many were served is shown."""
    import base64
    import threading
    import urllib.error
    import urllib.request
    count = 8 if args.quick else 16
    data = os.path.join(work, "big-data")
    d = Pasted(data)
    try:
        # Base64 of random bytes: zstd keeps about three quarters.
        links = [post_paste(d.url, base64.b64encode(os.urandom(7 << 20)).decode()[:9 << 20])
                 ["shortlink"] for _ in range(count)]
    finally:
        d.stop()
    peaks, served = [], []
    for _ in range(args.runs):
        d = Pasted(data, "--cache-bytes", "0")
        try:
            ok = []

            def get(link):
                try:
                    urllib.request.urlopen(d.url + "/" + link, timeout=60).read()
                    ok.append(link)
                except urllib.error.HTTPError as e:
                    if e.code != 503:
                        raise
            threads = [threading.Thread(target=get, args=(link,)) for link in links]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            peaks.append(peak_rss_kb(d.proc.pid) / 1024.0)
            served.append(len(ok))
        finally:
            d.stop()
    return [single("peak RSS, %d clients reading 9 MiB pastes at once (cache off)" % count,
                   peaks, "MiB", "64 + small"),
            single("  of which answered 200 (the rest 503)", served, "reads", "-")]


# --- one node on PostgreSQL ------------------------------------------------

PG_BIN = "/usr/lib/postgresql/15/bin/"


class Postgres:
    """A PostgreSQL 15 of the distribution's defaults (fsync and synchronous
    commit on: writes are as durable as SQLite's), in a temp dir on the same
    disk as the other benchmarks, run as the postgres user when we are root."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="pastebin-bench-pg-")
        os.chmod(self.dir, 0o755)
        self.root = os.geteuid() == 0
        if self.root:
            import pwd
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.port = free_port()
        self.owner([PG_BIN + "initdb", "-D", self.dir + "/data", "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"])
        self.owner([PG_BIN + "pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w",
                    "start", "-o", "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=300"
                    % (self.port, self.dir)])
        self.url = "host=127.0.0.1 port=%d user=postgres" % self.port
        self.pid = int(open(self.dir + "/data/postmaster.pid").readline())

    def owner(self, cmd):
        if self.root:
            cmd = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def psql(self, sql, db="postgres"):
        run = subprocess.run(["psql", self.url + " dbname=" + db, "-v", "ON_ERROR_STOP=1",
                              "-qc", sql], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError("psql failed: " + run.stderr)

    def database(self, name):
        """A new database, and pasted's flags for a node on it."""
        self.psql("CREATE DATABASE " + name)
        return ["--store", "postgres", "--postgres-url", self.url + " dbname=" + name]

    def cpu_seconds(self):
        """The server's CPU: the postmaster, its ended backends (reaped) and
        the processes it runs now."""
        total = cpu_seconds(self.pid)
        with open("/proc/%d/task/%d/children" % (self.pid, self.pid)) as f:
            for child in f.read().split():
                try:
                    total += cpu_seconds(int(child))
                except FileNotFoundError:
                    pass
        return total

    def restart(self):
        """Stops and starts the server: its shared buffers start empty."""
        self.owner([PG_BIN + "pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-m",
                    "fast", "-w", "restart"])
        self.pid = int(open(self.dir + "/data/postmaster.pid").readline())

    def stop(self):
        self.owner([PG_BIN + "pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.dir)


def seed_postgres(pg, db, count):
    """count 1 KB pastes of random text straight into a node's database, as
    seed_pastes does for SQLite (paste_rows, COPY); links are B and six hex
    digits."""
    rows = subprocess.Popen([os.path.join(BIN, "paste_rows"), "copy", str(count),
                             str(int(time.time()))], stdout=subprocess.PIPE)
    run = subprocess.run(["psql", pg.url + " dbname=" + db, "-v", "ON_ERROR_STOP=1", "-qc",
                          "COPY pastes (shortlink, created_at, size, codec, stored_size,"
                          " delete_token_hash, content_hash, body) FROM STDIN"],
                         stdin=rows.stdout, capture_output=True, text=True)
    rows.stdout.close()
    if rows.wait() != 0 or run.returncode != 0:
        raise RuntimeError("seeding PostgreSQL failed: " + run.stderr)
    # Vacuumed, as autovacuum leaves a table filled over time (it vacuums
    # after inserts too): fresh from COPY, each page's first read would
    # set its rows' hint bits and dirty it, a write of every page read
    # back as shared_buffers evicts it, and autovacuum itself would start
    # within a minute, in the middle of a run.
    pg.psql("VACUUM (ANALYZE) pastes", db)
    return ["B%06x" % i for i in range(1, count + 1)]


def bench_postgres(work, args):
    pg = Postgres()
    rows = []
    try:
        script = lua(work, "write.lua", WRITE_LUA)
        secs = 3 if args.quick else 5
        ours, ref, p99, cpu, pg_cpu = [], [], [], [], []
        for run in range(args.runs):
            d = Pasted(os.path.join(work, "node-%d" % run), *pg.database("writes%d" % run))
            try:
                ref.append(fsync_rate(os.path.join(pg.dir, "fsync"), secs))
                server_cpu = pg.cpu_seconds()
                r = write_run(d, script, secs)
            finally:
                d.stop()
            time.sleep(0.5)  # its backends end
            ours.append(r["rps"])
            p99.append(r["p99"] * 1000)
            cpu.append(r["cpu_us"])
            pg_cpu.append((pg.cpu_seconds() - server_cpu) * 1e6 / r["requests"])
        rows += [row("PostgreSQL node: durable 1 KB writes, 64 conns", ours, ref, "writes/s",
                     "one thread: 1 KB append + fdatasync, same disk",
                     lower_is_better=False, target=">= 2"),
                 single("  their p99", p99, "ms", "<= 25"),
                 single("  pasted CPU per write", cpu, "us", "-"),
                 single("  PostgreSQL CPU per write", pg_cpu, "us", "-")]

        count = 100000 if args.quick else 1000000
        print("bench: seeding %d pastes into PostgreSQL ..." % count, file=sys.stderr, flush=True)
        flags = pg.database("cold")
        Pasted(os.path.join(work, "cold-node"), *flags).stop()  # makes the schema
        links = seed_postgres(pg, "cold", count)
        cold_script = random_gets(work, links)
        cold, hot_cached, hot_pg, hot_sqlite = [], [], [], []
        alone = {"cold": [], "hot": []}
        # Cold reads on a node with the cache off, and the hot reference on
        # a second node of the same database with it on, both up at once,
        # short runs in turn (as bench_cold, and for the same reason).
        d = Pasted(os.path.join(work, "cold-node"), *flags, "--cache-bytes", "0")
        h = Pasted(os.path.join(work, "hot-node"), *flags)
        try:
            rounds, turn_secs = in_turn(args)
            for _ in range(rounds):
                cold.append(wrk(d.url, 16, turn_secs, script=cold_script)["p50"] * 1000)
                hot_cached.append(wrk(h.url + "/" + links[0], 16, turn_secs)["p50"] * 1000)
                one_connection(alone, d.url, cold_script, h.url + "/" + links[0], turn_secs)
        finally:
            d.stop()
            h.stop()
        # Hot reads of one cached paste on the PostgreSQL node and on a
        # SQLite node, alternating.
        d = Pasted(os.path.join(work, "cold-node"), *flags)
        s = Pasted(os.path.join(work, "sqlite-node"))
        try:
            body = ("pastebin benchmark line\n" * 44)[:1024]
            pg_url = d.url + "/" + post_paste(d.url, body)["shortlink"]
            sqlite_url = s.url + "/" + post_paste(s.url, body)["shortlink"]
            for _ in range(args.runs):
                hot_pg.append(wrk(pg_url, 64, secs)["rps"])
                hot_sqlite.append(wrk(sqlite_url, 64, secs)["rps"])
        finally:
            d.stop()
            s.stop()
        rows += [row("PostgreSQL node: cold read among %dk pastes (cache off), p50"
                     % (count // 1000), cold, hot_cached, "ms",
                     "hot read of one cached paste, p50", lower_is_better=True, target="<= 3"),
                 row("  the same at one connection, p50", alone["cold"], alone["hot"], "ms",
                     "the hot read at one connection, p50", lower_is_better=True,
                     target="<= 3"),
                 row("PostgreSQL node: hot GET of a cached 1 KB paste, 64 conns", hot_pg,
                     hot_sqlite, "req/s", "the same on a SQLite node",
                     lower_is_better=False, target="-")]
    finally:
        pg.stop()
    return rows


# --- latency against the number of pastes ----------------------------------

def drop_page_cache():
    """Empties the kernel's page cache (root only), so reads go to the disk."""
    subprocess.run(["sync"], check=True)
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("1\n")
        return True
    except OSError:
        return False


def random_gets(work, links):
    """A wrk script of GETs of random links among a random million of
    links (all of them if fewer; the listing in work/links.txt, one string
    in the script)."""
    sample = random.Random(5).sample(links, min(len(links), 1000000))
    width = len(sample[0]) + 1
    if any(len(link) + 1 != width for link in sample):
        raise RuntimeError("random GETs want links of one length (the seeded ones are 7)")
    listing = os.path.join(work, "links.txt")
    with open(listing, "w") as f:
        f.write("\n".join(sample) + "\n")
    return lua(work, "cold.lua", COLD_LUA % (listing, width))


def cold_runs(start, links, work, args):
    """Random GETs among links, each run on a pasted fresh from start() (its
    cache off) after the page cache is dropped: rates and p99s (ms). wrk
    draws from a random million of them: a million random pastes fall on
    random pages of any store, and each wrk thread holds the listing (8 MB
    for a million)."""
    script = random_gets(work, links)
    rates, p99s, pages, dropped = [], [], [], True
    for _ in range(args.runs):
        d = start()
        try:
            dropped = drop_page_cache() and dropped
            before = d.read_bytes()
            r = wrk(d.url, 16, 3 if args.quick else 5, script=script)
            if r["non2xx"]:
                raise RuntimeError("%d cold reads failed" % r["non2xx"])
            pages.append((d.read_bytes() - before) / 4096 / r["requests"])
        finally:
            d.stop()
        rates.append(r["rps"])
        p99s.append(r["p99"] * 1000)
    return rates, p99s, pages, dropped


def disk_random_reads(path, secs):
    """The disk's own rate: random 4 KiB reads of path by 16 threads (fio,
    psync, the page cache dropped first), in reads/s."""
    drop_page_cache()
    run = subprocess.run(
        ["fio", "--name=random-reads", "--filename=" + path, "--readonly", "--rw=randread",
         "--bs=4k", "--ioengine=psync", "--numjobs=16", "--group_reporting", "--time_based",
         "--runtime=%d" % secs, "--output-format=json"],
        capture_output=True, text=True, check=True)
    return json.loads(run.stdout)["jobs"][0]["read"]["iops"]


SCALE_PLOT = """
set terminal svg size 900,420 font "sans,12" background "white"
set output "%(out)s"
set multiplot layout 1,2 title "random cold GETs (cache off, page cache dropped), 16 connections"
set logscale x
set format x "10^{%%L}"
set xlabel "pastes in the store"
set key bottom left
set grid
set ylabel "requests/s"
set yrange [0:*]
plot "%(data)s" index 0 using 1:2 with linespoints lw 2 title "SQLite", \\
     "%(data)s" index 1 using 1:2 with linespoints lw 2 title "PostgreSQL node"
set ylabel "p99 (ms)"
set key top left
plot "%(data)s" index 0 using 1:3 with linespoints lw 2 title "SQLite", \\
     "%(data)s" index 1 using 1:3 with linespoints lw 2 title "PostgreSQL node"
unset multiplot
"""


PAGE_REPORTING_ORDER = "/sys/module/page_reporting/parameters/page_reporting_order"


@contextlib.contextmanager
def page_reporting_paused():
    """On a VM whose balloon reports free memory to its host (virtio's free
    page reporting), memory the guest frees goes back to the host, and the
    guest's next use of it faults it in from the host again. A cold run
    drops the page cache first, freeing gigabytes, and refills it: on this
    VM (2026-12-06, 10 M pastes, three times each way) the first run after
    such a drop had a p99 of 15-18 ms with reporting and 2-3 ms without,
    at the same rate. That is the host's cost of the drop, not pasted's:
    while the runs measure, reporting is paused (root only; yields whether
    it was) and then restored."""
    try:
        with open(PAGE_REPORTING_ORDER) as f:
            old = f.read().strip()
        with open(PAGE_REPORTING_ORDER, "w") as f:
            f.write("11\n")  # above the largest order: no free block qualifies
    except OSError:
        yield False
        return
    print("bench: free page reporting paused while cold runs measure", file=sys.stderr)
    try:
        yield True
    finally:
        with open(PAGE_REPORTING_ORDER, "w") as f:
            f.write(old + "\n")


def bench_scale(work, args):
    """Cold-read rate and p99 against the number of pastes: SQLite to 10 M,
    a PostgreSQL node to 1 M. Plotted to build/bench/scale.svg."""
    with page_reporting_paused():
        return scale_rows(work, args)


def scale_rows(work, args):
    """bench_scale's runs and rows."""
    sqlite_sizes = [10000, 100000, 1000000] + ([] if args.quick else [10000000])
    pg_sizes = [10000, 100000] + ([] if args.quick else [1000000])
    points = {"SQLite": [], "PostgreSQL node": []}
    all_dropped = True
    disk = None  # the largest SQLite store's: its pages read a GET, the disk's reads/s
    stores = []  # deleted at the end, so that no run measures the disk freeing one
    for count in sqlite_sizes:
        print("bench: seeding %d pastes ..." % count, file=sys.stderr, flush=True)
        data = os.path.join(work, "scale-%d" % count)
        stores.append(data)
        links = seed_pastes(data, count)
        rates, p99s, pages, dropped = cold_runs(
            lambda: Pasted(data, "--cache-bytes", "0"), links, work, args)
        all_dropped = all_dropped and dropped
        points["SQLite"].append((count, rates, p99s))
        if count == sqlite_sizes[-1]:
            reads = [disk_random_reads(os.path.join(data, "pastes.db"), 3 if args.quick else 5)
                     for _ in range(args.runs)]
            disk = (count, rates, pages, reads)
    pg = Postgres()
    try:
        for count in pg_sizes:
            print("bench: seeding %d pastes into PostgreSQL ..." % count, file=sys.stderr,
                  flush=True)
            flags = pg.database("scale%d" % count)
            node = os.path.join(work, "scale-node-%d" % count)
            Pasted(node, *flags).stop()  # makes the schema
            links = seed_postgres(pg, "scale%d" % count, count)

            def start():
                pg.restart()  # its shared buffers emptied too
                return Pasted(node, *flags, "--cache-bytes", "0")
            rates, p99s, _, dropped = cold_runs(start, links, work, args)
            all_dropped = all_dropped and dropped
            points["PostgreSQL node"].append((count, rates, p99s))
            pg.psql("DROP DATABASE scale%d" % count)
    finally:
        pg.stop()
        for data in stores:
            shutil.rmtree(data, ignore_errors=True)

    out_dir = os.path.join(ROOT, "build", "bench")
    os.makedirs(out_dir, exist_ok=True)
    data_file = os.path.join(out_dir, "scale.dat")
    with open(data_file, "w") as f:
        for store in points:
            f.write("# %s: pastes, req/s, p99 ms (medians)\n" % store)
            for count, rates, p99s in points[store]:
                f.write("%d %.1f %.3f\n" % (count, statistics.median(rates),
                                              statistics.median(p99s)))
            f.write("\n\n")
    plot = os.path.join(out_dir, "scale.svg")
    subprocess.run(["gnuplot"], input=SCALE_PLOT % {"out": plot, "data": data_file},
                   text=True, check=True)
    print("bench: plotted %s" % plot, file=sys.stderr)

    rows = []
    note = [] if all_dropped else ["not root: the page cache was not dropped"]
    for store in points:
        small, big = points[store][0], points[store][-1]
        for count, rates, p99s in points[store]:
            rows.append(single("%s: cold GET among %s pastes" % (store, human_count(count)),
                               rates, "req/s", "-"))
            rows.append(single("  their p99", p99s, "ms", "-"))
        r = row("%s: cold GET rate, %s pastes against %s" % (
                store, human_count(big[0]), human_count(small[0])), big[1], small[1],
                "req/s", "the same among %s" % human_count(small[0]),
                lower_is_better=False, target=">= 0.67")
        r["notes"] = note
        rows.append(r)
        rows.append(row("  their p99, %s against %s" % (human_count(big[0]),
                                                         human_count(small[0])),
                        big[2], small[2], "ms", "the same among %s" % human_count(small[0]),
                        lower_is_better=True, target="<= 3"))
    # What the disk allows: with the page cache dropped, each GET among the
    # largest store reads its pages from the disk, one at a time.
    count, rates, pages, reads = disk
    per_get = statistics.median(pages)
    rows.append(single("SQLite: pages read from the disk per cold GET among %s" %
                       human_count(count), pages, "pages", "-"))
    rows.append(row("SQLite: cold GET rate among %s against the disk's" % human_count(count),
                    rates, [r / max(per_get, 1) for r in reads], "req/s",
                    "random 4 KiB reads/s of the same file (fio, 16 threads) / pages per GET",
                    lower_is_better=False, target="-"))
    return rows


def human_count(n):
    return "%d M" % (n // 1000000) if n >= 1000000 else "%d k" % (n // 1000)


# --- export and import ------------------------------------------------------

def write_export_stream(path, count):
    """A pastebin export of count pastes: text of 200-2000 bytes (1 in 50
    of 20 KB, a file on a SQLite node), 1 in 10 expiring, and a visit count
    for 1 in 20, as pasted export writes it."""
    rnd = random.Random(11)
    words = ["alpha", "beta", "gamma", "delta", "return", "if", "for", "x", "42", "\n"]
    links = sorted({"".join(rnd.choice(ALPHABET) for _ in range(7))
                    for _ in range(count + count // 100)})[:count]
    now = int(time.time())
    total = visits = 0
    with open(path, "w") as f:
        f.write('{"type":"pastebin-export","version":1}\n')
        for i, link in enumerate(links):
            size = 20000 if i % 50 == 0 else rnd.randint(200, 2000)
            body = " ".join(rnd.choice(words) for _ in range(size // 4))[:size] + "\n"
            total += len(body.encode())
            minutes = 1440 if i % 10 == 0 else 0
            f.write(json.dumps({
                "type": "paste", "link": link, "created_at": now - i,
                "expiration_minutes": minutes,
                "expires_at": now - i + 60 * minutes if minutes else None,
                "delete_token_sha256": "%064x" % rnd.getrandbits(256), "burn": False,
                "language": "", "body": body}, separators=(",", ":")) + "\n")
        month = time.strftime("%Y-%m", time.gmtime())
        for link in links[::20]:
            f.write('{"type":"visits","link":"%s","month":"%s","visits":3}\n' % (link, month))
            visits += 1
        f.write('{"type":"end","pastes":%d,"bytes":%d,"visit_counts":%d}\n'
                % (count, total, visits))
    return links


def bench_transfer(work, args):
    """pasted export and import of count pastes. References: pasted backup
    of the same data dir (a copy of the database and files, for export); the
    same rows put into SQLite by Python's sqlite3 in one transaction (for an
    import into SQLite); PostgreSQL's COPY of the same rows into a bare table
    (for an import into PostgreSQL)."""
    count = 20000 if args.quick else 100000
    stream = os.path.join(work, "in.jsonl")
    print("bench: writing an export of %d pastes ..." % count, file=sys.stderr, flush=True)
    write_export_stream(stream, count)
    pasted = os.path.join(BIN, "pasted")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # The rows as a table, for the references.
    rows = []
    with open(stream) as f:
        for line in f:
            j = json.loads(line)
            if j["type"] == "paste":
                rows.append((j["link"], j["created_at"], j["expiration_minutes"],
                             j["expires_at"], j["delete_token_sha256"], j["body"]))
    csv_path = os.path.join(work, "rows.csv")
    with open(csv_path, "w", newline="") as f:
        import csv
        csv.writer(f).writerows(rows)
    import sqlite3
    pg = Postgres()
    imp, imp_ref, exp, exp_ref, pg_imp, pg_ref = [], [], [], [], [], []
    try:
        for run in range(args.runs):
            d = os.path.join(work, "sqlite-%d" % run)
            imp.append(count / timed([pasted, "import", stream, "--data-dir", d], **quiet))
            ref_db = os.path.join(work, "ref-%d.db" % run)
            start = time.perf_counter()
            db = sqlite3.connect(ref_db)
            db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                             " CREATE TABLE p (link TEXT PRIMARY KEY, created_at INT,"
                             " minutes INT, expires_at INT, token TEXT, body BLOB)"
                             " WITHOUT ROWID;")
            with db:
                db.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?, ?)", rows)
            db.close()
            imp_ref.append(count / (time.perf_counter() - start))
            exp.append(count / timed([pasted, "export", os.path.join(work, "out-%d" % run),
                                      "--data-dir", d], **quiet))
            exp_ref.append(count / timed([pasted, "backup", os.path.join(work, "bak-%d" % run),
                                          "--data-dir", d], **quiet))
            flags = pg.database("transfer%d" % run)
            pg_imp.append(count / timed([pasted, "import", stream, *flags,
                                         "--data-dir", os.path.join(work, "node-%d" % run)],
                                        **quiet))
            pg.psql("CREATE TABLE p (link text PRIMARY KEY, created_at bigint, minutes bigint,"
                    " expires_at bigint, token text, body text)", "transfer%d" % run)
            start = time.perf_counter()
            subprocess.run(["psql", pg.url + " dbname=transfer%d" % run, "-v", "ON_ERROR_STOP=1",
                            "-qc", "\\copy p FROM '%s' WITH (FORMAT csv)" % csv_path],
                           check=True, **quiet)
            pg_ref.append(count / (time.perf_counter() - start))
    finally:
        pg.stop()
    return [row("import of %dk pastes into SQLite" % (count // 1000), imp, imp_ref,
                "pastes/s", "the rows alone, one sqlite3 transaction",
                lower_is_better=False, target="-"),
            row("export of %dk pastes from SQLite" % (count // 1000), exp, exp_ref,
                "pastes/s", "pasted backup of the same data dir", lower_is_better=False,
                target="-"),
            row("import of %dk pastes into PostgreSQL" % (count // 1000), pg_imp, pg_ref,
                "pastes/s", "COPY of the rows into a bare table", lower_is_better=False,
                target="-")]


# --- paste pages in a browser -------------------------------------------------

def bench_page_load(work, args):
    """How long a paste's page takes in Debian's chromium until it is readable
    and says what it shows the paste as: logs of 100 KB, 1 MB and 5 MB with no
    language, against the same page with ?lang=plaintext (issue: within 2x)."""
    script = os.path.join(ROOT, "tests", "browser", "page_load.mjs")
    if not (shutil.which("node") and os.path.exists("/usr/bin/chromium")):
        print("bench: page-load needs node and chromium; skipped", file=sys.stderr)
        return []
    d = Pasted(os.path.join(work, "node"), "--max-paste-bytes", "10M")
    rows = []
    try:
        links = {}
        lines = ["[%10.6f] usb 1-1.%d: new high-speed USB device number %d using xhci_hcd"
                 % (i * 0.001, i % 9, i % 127) for i in range(120000)]
        text = "\n".join(lines)
        for name, size in (("100 KB", 100 << 10), ("1 MB", 1 << 20), ("5 MB", 5 << 20)):
            links[name] = post_paste(d.url, text[:size] + "\n")["shortlink"]
        out = subprocess.run(["node", script, d.url, json.dumps(links), str(max(args.runs, 3))],
                             check=True, capture_output=True, text=True,
                             cwd=os.path.dirname(script)).stdout
        for line in out.splitlines():
            r = json.loads(line)
            rows.append(row("paste page of a %s log, no language, until readable" % r["name"],
                            r["as_is"], r["plain"], "ms", "the same page with ?lang=plaintext",
                            lower_is_better=True, target="<= 2x"))
    finally:
        d.stop()
    return rows


# --- A/B against an earlier commit -------------------------------------------

def baseline_bin(ref):
    """build/bench/baseline-SHA/bin: pasted built from commit ref (a git
    worktree, the programs alone), made once and kept."""
    sha = subprocess.run(["git", "-C", ROOT, "rev-parse", "--verify", ref + "^{commit}"],
                         check=True, capture_output=True, text=True).stdout.strip()
    out = os.path.join(ROOT, "build", "bench", "baseline-" + sha[:12])
    if os.path.exists(os.path.join(out, "bin", "pasted")):
        return os.path.join(out, "bin"), sha
    src = tempfile.mkdtemp(prefix="pastebin-baseline-")
    try:
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", src, sha],
                       check=True, capture_output=True)
        print("bench: building %s for the A/B rows (once)" % sha[:12], file=sys.stderr)
        subprocess.run(["cmake", "-S", src, "-B", out, "-DBUILD_TESTING=OFF",
                        "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], check=True, capture_output=True)
        subprocess.run(["cmake", "--build", out, "-j%d" % os.cpu_count(), "--target", "pasted"],
                       check=True, capture_output=True)
    finally:
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", src],
                       capture_output=True)
        shutil.rmtree(src, ignore_errors=True)
    return os.path.join(out, "bin"), sha


def bench_ab(work, args):
    """This build against --baseline, alternating, on the hot read, the
    durable write and the disk-bound read paths: throughput and pasted's CPU
    per request."""
    with page_reporting_paused():
        return ab_rows(work, args)


def ab_rows(work, args):
    """bench_ab's runs and rows."""
    base_bin, sha = baseline_bin(args.baseline)
    body = ("pastebin benchmark line\n" * 44)[:1024]
    script = lua(work, "write.lua", WRITE_LUA)
    secs = 3 if args.quick else 5
    sides = {"ours": BIN, "base": base_bin}
    got = {side: {"get": [], "get_cpu": [], "write": [], "write_cpu": []} for side in sides}
    for run in range(args.runs):
        order = list(sides) if run % 2 == 0 else list(reversed(list(sides)))
        for side in order:
            d = Pasted(os.path.join(work, "%s-%d" % (side, run)), bin_dir=sides[side])
            try:
                url = d.url + "/" + post_paste(d.url, body)["shortlink"]
                wrk(url, 64, 1)  # warm: cached, connections made
                before = d.cpu_seconds()
                g = wrk(url, 64, secs)
                got[side]["get"].append(g["rps"])
                got[side]["get_cpu"].append((d.cpu_seconds() - before) * 1e6 / g["requests"])
                w = write_run(d, script, secs)
                got[side]["write"].append(w["rps"])
                got[side]["write_cpu"].append(w["cpu_us"])
            finally:
                d.stop()
                shutil.rmtree(d.data_dir, ignore_errors=True)
    name = "build %s" % sha[:12]
    o, b = got["ours"], got["base"]
    rows = [row("A/B: hot 1 KB GET, 64 conns", o["get"], b["get"], "req/s", name,
                lower_is_better=False, target=">= 0.97"),
            row("A/B:   CPU per hot GET", o["get_cpu"], b["get_cpu"], "us", name,
                lower_is_better=True, target="<= 1.03"),
            row("A/B: durable 1 KB writes, 64 conns", o["write"], b["write"], "writes/s", name,
                lower_is_better=False, target=">= 0.97"),
            row("A/B:   CPU per durable write", o["write_cpu"], b["write_cpu"], "us", name,
                lower_is_better=True, target="<= 1.03")]
    return rows + ab_disk_rows(work, args, sides, name)


def ab_disk_rows(work, args, sides, name):
    """Random GETs among 1 M pastes (100 k with --quick) with pasted's cache
    off and the page cache dropped before each run: every GET reads a page
    from the disk. Both builds read the same store (seeded by this build),
    in turn, so that a change to the read path is measured apart from the
    machine's drift (the scale rows of two builds taken minutes apart moved
    with the VM more than with the change, 2026-12-07)."""
    count = 100000 if args.quick else 1000000
    data = os.path.join(work, "disk-store")
    print("bench: seeding %d pastes ..." % count, file=sys.stderr, flush=True)
    script = random_gets(work, seed_pastes(data, count))
    got = {side: {"rps": [], "cpu": []} for side in sides}
    for run in range(args.runs):
        order = list(sides) if run % 2 == 0 else list(reversed(list(sides)))
        for side in order:
            try:
                d = Pasted(data, "--cache-bytes", "0", bin_dir=sides[side])
            except RuntimeError as e:
                # An earlier build may not know this build's schema.
                print("bench: %s cannot serve this build's store; no disk A/B rows: %s" %
                      (name if side == "base" else "this build", e), file=sys.stderr)
                shutil.rmtree(data, ignore_errors=True)
                return []
            try:
                drop_page_cache()
                before = d.cpu_seconds()
                r = wrk(d.url, 16, 3 if args.quick else 5, script=script)
                if r["non2xx"]:
                    raise RuntimeError("%d cold reads failed (%s)" % (r["non2xx"], side))
                got[side]["rps"].append(r["rps"])
                got[side]["cpu"].append((d.cpu_seconds() - before) * 1e6 / r["requests"])
            finally:
                d.stop()
    shutil.rmtree(data, ignore_errors=True)
    o, b = got["ours"], got["base"]
    what = "%s pastes" % human_count(count)
    return [row("A/B: GET from the disk among %s, 16 conns" % what, o["rps"], b["rps"],
                "req/s", name, lower_is_better=False, target=">= 0.97"),
            row("A/B:   CPU per GET from the disk", o["cpu"], b["cpu"], "us", name,
                lower_is_better=True, target="<= 1.03")]


def bench_failover_modes(work, args):
    """Writes through scripts/cluster's balancer with Patroni in synchronous
    mode (every commit waits for the standby: no acknowledged paste lost with
    the primary) against asynchronous streaming (the reference), the two
    alternating in one run on one cluster."""
    import urllib.request
    # PostgreSQL runs as its own user, which must reach its folder.
    for d in (os.path.dirname(work), work):
        os.chmod(d, 0o755)
    env = dict(os.environ, PASTEBIN_CLUSTER_DIR=os.path.join(work, "cluster"))
    cluster = os.path.join(ROOT, "scripts", "cluster")
    up = subprocess.run([cluster, "up"], env=env, capture_output=True, text=True)
    if up.returncode != 0:
        raise RuntimeError("scripts/cluster up failed: " + up.stderr)
    url = up.stdout.strip().splitlines()[0]
    state = dict(line.split("=", 1) for line in
                 open(os.path.join(work, "cluster", "state")).read().splitlines() if "=" in line)

    def rest(n, path, body=None):
        req = urllib.request.Request("http://127.0.0.1:%s%s" % (state["rest%d" % n], path),
                                     data=body, method="PATCH" if body else "GET",
                                     headers={"Content-Type": "application/json"})
        try:
            return urllib.request.urlopen(req, timeout=2).status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return 0

    def mode(synchronous):
        rest(1, "/config", json.dumps({"synchronous_mode": synchronous}).encode())
        for _ in range(600):  # until a standby is (or no member is) synchronous
            if any(rest(n, "/sync") == 200 for n in (1, 2)) == synchronous:
                return
            time.sleep(0.1)
        raise RuntimeError("Patroni did not switch synchronous_mode to %s" % synchronous)

    script = lua(work, "write.lua", WRITE_LUA)
    secs = 5 if args.quick else 15
    sync, asyn, sync_p99, async_p99 = [], [], [], []
    try:
        for _ in range(args.runs):
            for synchronous in (True, False):
                mode(synchronous)
                r = wrk(url + "/api/v1/paste", 64, secs, script=script)
                if r["non2xx"]:
                    raise RuntimeError("%d writes failed" % r["non2xx"])
                (sync if synchronous else asyn).append(r["rps"])
                (sync_p99 if synchronous else async_p99).append(r["p99"] * 1000)
        mode(True)
    finally:
        subprocess.run([cluster, "down"], env=env, capture_output=True)
    return [row("writes via the cluster, synchronous mode", sync, asyn, "writes/s",
                "the same cluster with asynchronous streaming",
                lower_is_better=False, target="-"),
            row("  their p99", sync_p99, async_p99, "ms", "asynchronous streaming's p99",
                lower_is_better=True, target="-")]


# --- harness ----------------------------------------------------------------

def single(name, ours, unit, target):
    """A figure with no reference: an absolute bound from an issue."""
    return {"benchmark": name, "ours": statistics.median(ours), "reference": None,
            "unit": unit, "ratio": None, "target": target, "reference_is": "-",
            "lower_is_better": True, "ours_runs": ours}


def row(name, ours, ref, unit, ref_name, lower_is_better, target):
    o, r = statistics.median(ours), statistics.median(ref)
    return {"benchmark": name, "ours": o, "reference": r, "unit": unit,
            "reference_is": ref_name, "ratio": o / r if r else None,
            "lower_is_better": lower_is_better, "target": target,
            "ours_runs": ours, "reference_runs": ref}


BENCHMARKS = {"http": bench_http, "writes": bench_writes, "sustained": bench_sustained,
              "mixed": bench_mixed, "reads-writes": bench_reads_writes,
              "cli": bench_cli,
              "cold": bench_cold, "big-reads": bench_big_reads, "rollup": bench_rollup,
              "postgres": bench_postgres,
              "failover-modes": bench_failover_modes, "transfer": bench_transfer,
              "page-load": bench_page_load, "scale": bench_scale,
              "ab": bench_ab}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    p.add_argument("--quick", action="store_true", help="smaller inputs")
    p.add_argument("--runs", type=int, default=3, help="runs per side (>= 3)")
    p.add_argument("--baseline", default="HEAD~1",
                   help="the earlier commit the ab rows compare with (built once)")
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
