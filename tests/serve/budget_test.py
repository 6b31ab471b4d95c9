#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Row 11 of ../shared/attacks/README.md: 150 connections each holding a
10 MiB body. `nise serve` with its defaults (--max-body 10 MiB,
--max-body-total 64 MiB) must stay under RSS_LIMIT: the bodies that fit in
the budget are held, every other request is answered 503 with Retry-After
at once (Content-Length) or when its body ends (chunked), and counted in
/metrics; /healthz answers throughout, and the memory comes back.

usage: budget_test.py NISE SOURCE_ROOT [PORT]   (default port 18089)
Prints the measured RSS figures.
"""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

NISE, ROOT = sys.argv[1], sys.argv[2]
PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 18089
CLIENTS = 150
BODY = 10 << 20
BUDGET = 64 << 20
# the server's own memory (engine, model, lists) plus the budget plus
# slack for MHD's per-connection buffers (16 KiB each) and malloc
RSS_LIMIT_MB = 200
TMP = tempfile.mkdtemp(prefix="nise-budget-test.")
ENV = dict(os.environ, NISE_DATA_DIR=os.path.join(ROOT, "data"), NISE_CONFIG="/dev/null",
           XDG_DATA_HOME=TMP)
failures = checks = 0
# under AddressSanitizer freed memory sits in its quarantine and every byte
# has shadow: the RSS figures are printed, asserted only in a normal build
ASAN = b"AddressSanitizer" in open(NISE, "rb").read()


def ok(cond, what):
    global failures, checks
    checks += 1
    failures += 0 if cond else 1
    print(("ok   " if cond else "FAIL ") + what)


def rss_ok(cond, what):
    if ASAN:
        print("-    %s (not asserted under AddressSanitizer)" % what)
    else:
        ok(cond, what)


def rss_kb(pid, field):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def get(path):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.read().decode()


def metrics():
    return dict(line.rsplit(" ", 1) for line in get("/metrics")[1].splitlines() if line and line[0] != "#")


def answer(s, timeout):
    """The status line the server sent on s, or None within timeout."""
    s.settimeout(timeout)
    try:
        data = s.recv(4096)
    except (socket.timeout, BlockingIOError):
        return None
    except OSError:
        return "reset"
    return data.split(b"\r\n")[0].decode("latin-1") + (" retry-after" if b"\r\nRetry-After: 2\r\n" in data else "")


HEAD = b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: message/rfc822\r\n" % PORT


def hold_cl():
    """CLIENTS connections announce a BODY-byte mail (Content-Length);
    those not refused send all of it but the last byte. Returns (answers,
    None for a connection held without one; the sockets)."""
    socks, answers = [], []
    for _ in range(CLIENTS):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % BODY)
        socks.append(s)
    for s in socks:
        a = answer(s, 0.05)
        if a is None:
            try:
                s.sendall(b"x" * (BODY - 1))
            except OSError:
                pass
            a = answer(s, 0.05)
        answers.append(a)
    return answers, socks


def hold_chunked(size):
    """CLIENTS connections send a size-byte chunked body without its last
    chunk: nothing tells a client yet whether it fits."""
    socks = []
    for _ in range(CLIENTS):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(size // 65536):
            s.sendall(b"10000\r\n" + b"x" * 65536 + b"\r\n")
        socks.append(s)
    return socks


def released():
    """Waits for every reservation to go (a closed connection MHD does not
    notice at once goes at --timeout)."""
    for _ in range(60):
        m = metrics()
        if m["nise_http_body_bytes"] == "0":
            break
        time.sleep(0.1)
    ok(m["nise_http_body_bytes"] == "0", "all released once the clients are gone (%s)" % m["nise_http_body_bytes"])
    return m


def main():
    log = open(os.path.join(TMP, "serve.log"), "wb")
    p = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % PORT, "--quiet", "--timeout", "3"], stdout=log,
                         stderr=subprocess.STDOUT, env=ENV)
    try:
        for _ in range(200):
            try:
                if get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        base = rss_kb(p.pid, "VmRSS")
        print("RSS at start: %d MiB" % (base // 1024))
        # 150 x 10 MiB announced by Content-Length: the budget is taken
        # before a byte of a body is read
        t = time.time()
        answers, socks = hold_cl()
        held = answers.count(None)
        time.sleep(1)  # the server reads what the held clients sent
        m = metrics()
        rss = rss_kb(p.pid, "VmRSS")
        print("Content-Length: %d held, %d refused in %.1fs; RSS %d MiB, %s bytes reserved" % (
            held, CLIENTS - held, time.time() - t, rss // 1024, m["nise_http_body_bytes"]))
        ok(held == BUDGET // BODY, "150 x 10 MiB: %d bodies held (64 MiB / 10 MiB = 6)" % held)
        ok([a for a in answers if a] == ["HTTP/1.1 503 Service Unavailable retry-after"] * (CLIENTS - held),
           "150 x 10 MiB: the other 144 answered 503 with Retry-After: 2 before sending their body")
        ok(m["nise_http_body_bytes"] == str(held * BODY), "metrics: nise_http_body_bytes %s" % m["nise_http_body_bytes"])
        ok(m["nise_http_body_budget_refused_total"] == "144", "metrics: nise_http_body_budget_refused_total 144")
        ok(m.get('nise_http_requests_total{route="/v1/check",code="503"}') == "144", "metrics: 144 503s on /v1/check")
        rss_ok(rss < RSS_LIMIT_MB * 1024, "150 x 10 MiB: RSS %d MiB < %d MiB" % (rss // 1024, RSS_LIMIT_MB))
        ok(get("/healthz") == (200, "ok\n"), "150 x 10 MiB: /healthz answers meanwhile")
        for s in socks:
            s.close()
        released()

        # chunked: the budget is taken as the body grows; who ran out is
        # answered 503 when the body ends
        socks = hold_chunked(1 << 20)
        m = metrics()
        rss = rss_kb(p.pid, "VmRSS")
        print("chunked 150 x 1 MiB: RSS %d MiB, %s bytes reserved" % (rss // 1024, m["nise_http_body_bytes"]))
        ok(int(m["nise_http_body_bytes"]) <= BUDGET, "chunked: %s bytes reserved <= 64 MiB" % m["nise_http_body_bytes"])
        rss_ok(rss < RSS_LIMIT_MB * 1024, "chunked: RSS %d MiB < %d MiB" % (rss // 1024, RSS_LIMIT_MB))
        for s in socks:
            s.sendall(b"0\r\n\r\n")
        codes = [answer(s, 10) for s in socks]
        for s in socks:
            s.close()
        busy = codes.count("HTTP/1.1 503 Service Unavailable retry-after")
        print("chunked: %d judged, %d refused" % (codes.count("HTTP/1.1 200 OK"), busy))
        ok(codes.count("HTTP/1.1 200 OK") + busy == CLIENTS and busy >= CLIENTS - 64,
           "chunked: each answered 200 (judged) or 503 (over budget); %d 503s >= 86" % busy)
        m = released()
        ok(m["nise_http_body_budget_refused_total"] == str(144 + busy),
           "metrics: nise_http_body_budget_refused_total %s" % m["nise_http_body_budget_refused_total"])
        peak = rss_kb(p.pid, "VmHWM")
        after = rss_kb(p.pid, "VmRSS")
        print("RSS peak %d MiB, after %d MiB" % (peak // 1024, after // 1024))
        rss_ok(peak < RSS_LIMIT_MB * 1024, "peak RSS %d MiB < %d MiB" % (peak // 1024, RSS_LIMIT_MB))
        rss_ok(after < base + 16 * 1024, "memory given back: %d MiB after, %d MiB at start" % (after // 1024, base // 1024))
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(10)
        shutil.rmtree(TMP, ignore_errors=True)


main()
print("budget: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
