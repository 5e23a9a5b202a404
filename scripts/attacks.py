#!/usr/bin/env python3
"""Replays the resource attacks of the hardening round against a pasted
binary and prints what each cost it: peak resident memory (VmHWM) and CPU
seconds, read from /proc. The end-to-end tests hold pasted to bounds; this
prints the figures, e.g. to compare two builds:

    scripts/attacks.py build/bin/pasted
    scripts/attacks.py /path/to/older/pasted

Run as root for the file-descriptor case (it sets RLIMIT_NOFILE)."""
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

MIB = 1 << 20


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return -1


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Pasted:
    def __init__(self, binary, *flags, nofile=None):
        self.dir = tempfile.mkdtemp(prefix="attacks-")
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))) \
            if nofile else None
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--data-dir", self.dir + "/data", *flags],
            stderr=subprocess.PIPE, text=True, preexec_fn=limit)
        self.tcp_port = None
        for line in self.proc.stderr:
            if "taking pastes over TCP on 127.0.0.1:" in line:
                self.tcp_port = int(line.split("127.0.0.1:")[1].split()[0])
            if "listening on http://" in line:
                self.port = int(line.split("127.0.0.1:")[1].split()[0])
                break
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def peak(self):
        return status_kb(self.proc.pid, "VmHWM")

    def close(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def report(name, p, cpu_seconds=None):
    extra = f", {cpu_seconds:.2f} s CPU" if cpu_seconds is not None else ""
    print(f"{name:48} peak RSS {p.peak() / MIB:7.1f} MiB{extra}", flush=True)


def pipelining(binary):
    p = Pasted(binary)
    body = json.dumps({"paste_contents": "p" * MIB}).encode()
    req = urllib.request.Request(p.url("/api/v1/paste"), data=body,
                                 headers={"Content-Type": "application/json"})
    link = json.load(urllib.request.urlopen(req))["shortlink"]
    urllib.request.urlopen(p.url("/" + link)).read()
    s = socket.create_connection(("127.0.0.1", p.port))
    one = f"GET /{link} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    s.setblocking(False)
    try:
        s.send(one * (51 * 1024 // len(one)))
    except BlockingIOError:
        pass
    time.sleep(3)
    report("51 KB of pipelined GETs of 1 MiB, never read", p)
    s.close()
    p.close()


def uploads(binary, clients, size, path, ctype, name):
    p = Pasted(binary)
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
            f"Connection: close\r\nContent-Length: {size}\r\n\r\n").encode()

    def one():
        try:
            s = socket.create_connection(("127.0.0.1", p.port))
            s.sendall(head)
            chunk = b"a" * (256 << 10)
            sent = 0
            while sent < size:
                s.sendall(chunk[:min(len(chunk), size - sent)])
                sent += min(len(chunk), size - sent)
            s.recv(100)
            s.close()
        except OSError:
            pass

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report(name, p)
    p.close()


def trickle(binary):
    p = Pasted(binary, "--request-timeout", "1")
    socks = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", p.port))
        s.sendall(b"POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
        socks.append(s)
    start = time.time()
    open_after = 50
    while time.time() - start < 6:
        for s in socks:
            try:
                s.send(b" ")
            except OSError:
                pass
        time.sleep(0.2)
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(100).startswith(b"HTTP/1.1 408"):
                open_after -= 1
        except (BlockingIOError, OSError):
            pass
    print(f"{'50 bodies trickled at 5 B/s, request_timeout 1':48} "
          f"{open_after} still held after 6 s", flush=True)
    p.close()


def fds(binary):
    p = Pasted(binary, "--threads", "4", "--max-connections", "1000", "--tcp-listen",
               "127.0.0.1:0", nofile=64)
    socks = []
    for _ in range(100):
        for port in (p.port, p.tcp_port):
            try:
                socks.append(socket.create_connection(("127.0.0.1", port)))
            except OSError:
                pass
    time.sleep(0.5)
    before = cpu(p.proc.pid)
    time.sleep(5)
    report("100+100 idle clients, RLIMIT_NOFILE 64", p, cpu(p.proc.pid) - before)
    for s in socks:
        s.close()
    p.close()


def chunks(binary):
    p = Pasted(binary)
    s = socket.create_connection(("127.0.0.1", p.port))
    wire = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + b"1\r\nc\r\n" * (3 * MIB) + b"0\r\n\r\n")
    before = cpu(p.proc.pid)
    s.sendall(wire)
    s.recv(100)
    report("3 MiB in 1-byte chunks", p, cpu(p.proc.pid) - before)
    s.close()
    p.close()


def create(p, body, ctype="text/plain"):
    req = urllib.request.Request(p.url("/"), data=body, headers={"Content-Type": ctype})
    return urllib.request.urlopen(req).read().decode().strip().rsplit("/", 1)[1]


def newline_pages(binary):
    p = Pasted(binary)
    link = create(p, b"\n" * (4 * MIB))

    def browse():
        req = urllib.request.Request(p.url("/" + link), headers={"Accept": "text/html"})
        try:
            urllib.request.urlopen(req).read()
        except OSError:
            pass

    threads = [threading.Thread(target=browse) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report("2 browsers, page of a 4 MiB paste of newlines", p)
    p.close()


def body_of(binary, path, ctype, body, name):
    p = Pasted(binary)
    s = socket.create_connection(("127.0.0.1", p.port))
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\n"
              f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    answer = s.recv(100).split(b"\r\n", 1)[0].decode()
    time.sleep(0.5)
    report(f"{name} ({answer[9:12] or 'no answer'})", p)
    s.close()
    p.close()


def tcp_uploads(binary):
    p = Pasted(binary, "--tcp-listen", "127.0.0.1:0")
    socks = [socket.create_connection(("127.0.0.1", p.tcp_port)) for _ in range(48)]
    chunk = b"a" * MIB
    for _ in range(9):  # almost 10 MiB each, and the connections held
        for s in socks:
            s.setblocking(False)
            try:
                s.send(chunk)
            except OSError:
                pass
    time.sleep(2)
    report("48 clients x 9 MiB to the TCP port, held", p)
    for s in socks:
        s.close()
    p.close()


def idle_readers(binary):
    p = Pasted(binary)
    link = create(p, b"r" * (10 * MIB))
    socks = []
    for _ in range(8):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", p.port))
        s.sendall(f"GET /raw/{link} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks.append(s)
    time.sleep(1)
    ok = 0
    for _ in range(5):
        try:
            if len(urllib.request.urlopen(p.url("/raw/" + link)).read()) == 10 * MIB:
                ok += 1
        except OSError:
            pass
    print(f"{'8 sockets holding a 10 MiB read, never reading':48} peak RSS "
          f"{p.peak() / MIB:7.1f} MiB, {ok} of 5 other reads served", flush=True)
    for s in socks:
        s.close()
    p.close()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/bin/pasted"
    newline_pages(binary)
    body_of(binary, "/api/v1/paste", "application/json",
            b'{"paste_contents": "x", "junk": [' + b"{}," * (8 * MIB) + b"{}]}",
            "a 24 MiB JSON body of {},")
    body_of(binary, "/form", "application/x-www-form-urlencoded", b"=&" * (8 * MIB),
            "a 16 MiB form of =&")
    tcp_uploads(binary)
    idle_readers(binary)
    pipelining(binary)
    uploads(binary, 20, 60 * MIB, "/api/v1/paste", "application/json",
            "20 clients x 60 MiB JSON bodies")
    uploads(binary, 30, 10 * MIB, "/", "text/plain", "30 clients x valid 10 MiB uploads")
    trickle(binary)
    if os.geteuid() == 0:
        fds(binary)
    chunks(binary)


if __name__ == "__main__":
    main()
