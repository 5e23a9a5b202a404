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


# --- harness ----------------------------------------------------------------

def row(name, ours, ref, unit, ref_name, lower_is_better, target):
    o, r = statistics.median(ours), statistics.median(ref)
    return {"benchmark": name, "ours": o, "reference": r, "unit": unit,
            "reference_is": ref_name, "ratio": o / r if r else None,
            "lower_is_better": lower_is_better, "target": target,
            "ours_runs": ours, "reference_runs": ref}


BENCHMARKS = {"rollup": bench_rollup}


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
        print("%-46s %10.3f %s %10.3f %s %8.2f  %-8s %s" % (
            r["benchmark"], r["ours"], r["unit"], r["reference"], r["unit"],
            r["ratio"], r["target"], r["reference_is"]))
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
