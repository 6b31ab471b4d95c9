#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile structure against every front end (issue 13; attacks rows 1, 2).

usage: bombs.py NISE SOURCE_ROOT [PORT [sanitized]]   (PORT default 18090, loopback)

Inputs are generated here, at test time (nothing big is committed):
  - "g:" * 60000 in From, To, Cc, Reply-To and Sender, and the same depth
    of nesting written the other ways: comments "((((", quoted strings,
    angle brackets, group-in-comment, encoded-words;
  - 1,490,000 empty MIME parts (../shared/attacks/gen_emptyparts.py's
    shape) and 100,000 nested multiparts, and 100,000 nested
    message/rfc822.
For each: `nise check --json` must answer with a partial result (a cut
verdict is printed; that a cut mail is never called clean is attack
row 5's test), in < 1 s of CPU and < 100 MB peak RSS, under an
address-space limit (ulimit -v); `nise filter` must write the whole mail
(its X-Nise-* lines removed, every other byte identical); `nise serve`
must answer each POST and stay under 100 MB RSS after 20 part bombs.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

NISE, ROOT = sys.argv[1], sys.argv[2]
PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 18090
# a sanitizer build: same inputs and answers, but ASan's shadow memory
# needs terabytes of address space and its checks cost time: no ulimit -v
# and no CPU or RSS bounds there (the normal build asserts them)
SANITIZED = len(sys.argv) > 4 and sys.argv[4] == "sanitized"
TMP = tempfile.mkdtemp(prefix="nise-bombs.")
ENV = dict(os.environ, NISE_DATA_DIR=os.path.join(ROOT, "data"), NISE_CONFIG="/dev/null",
           XDG_DATA_HOME=os.path.join(TMP, "xdg"))
os.mkdir(ENV["XDG_DATA_HOME"])
AS_LIMIT = 1 << 30   # ulimit -v: 1 GiB of address space (libraries and ICU data included)
RSS_MAX_KB = 100 * 1024
CPU_MAX = 1.0
failures = checks = 0


def ok(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what)


def measured(args, data):
    """Runs NISE args on data (stdin) under ulimit -v; returns (exit, stdout,
    CPU s, peak RSS KB) as /usr/bin/time measures them (the python process
    must not fork: a forked child's peak RSS would count python's memory)."""
    path = os.path.join(TMP, "in.eml")
    with open(path, "wb") as f:
        f.write(data)
    tf = os.path.join(TMP, "time")
    ulimit = "" if SANITIZED else "ulimit -v %d; " % (AS_LIMIT // 1024)
    cmd = '%sexec "$0" "$@" < "%s"' % (ulimit, path)
    p = subprocess.run(["/usr/bin/time", "-o", tf, "-f", "%x %U %S %M", "sh", "-c", cmd, NISE] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    with open(tf) as f:
        last = f.read().split("\n")[-2].split()
    code = int(last[0])
    return code, p.stdout, float(last[1]) + float(last[2]), int(last[3])


def addr_bombs():
    n = 60000
    yield "From g:", b"From: " + b"g:" * n + b"\r\nSubject: colons\r\n\r\nbody\r\n"
    for h in (b"To", b"Cc", b"Reply-To", b"Sender"):
        yield h.decode() + " g:", (b"From: a@b.example\r\n" + h + b": " + b"g:" * n +
                                   b"\r\nSubject: colons\r\n\r\nbody\r\n")
    other = {
        "comments": b"(" * n + b"a@b.example" + b")" * n,
        "quoted": b'"\\"' * n + b"<a@b.example>",
        "angles": b"<" * n + b"a@b.example" + b">" * n,
        "group-in-comment": b"(g:" * n + b")" * n + b" a@b.example",
        "groups-closed": b"g:" * n + b";" * n,
        "encoded-words": b"=?utf-8?q?g:?= " * (n // 4) + b"<a@b.example>",
    }
    for name, v in other.items():
        for h in (b"From", b"To", b"Reply-To"):
            pre = b"" if h == b"From" else b"From: a@b.example\r\n"
            yield "%s %s" % (h.decode(), name), pre + h + b": " + v + b"\r\nSubject: x\r\n\r\nbody\r\n"


def empty_parts(n=1490000):
    return (b"From: a@b.example\r\nSubject: t\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + b"--b\r\n\r\n" * n)


def deep_multipart(n=100000):
    out = [b"From: a@b.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"]
    for i in range(n):
        out.append(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i))
    out.append(b"Content-Type: text/plain\r\n\r\ninnermost\r\n")
    for i in reversed(range(n)):
        out.append(b"--b%d--\r\n" % i)
    return b"".join(out)


def deep_rfc822(n=100000):
    return (b"From: a@b.example\r\nSubject: deep\r\n" +
            b"Content-Type: message/rfc822\r\n\r\n" * n + b"\r\ninnermost\r\n")


def strip_nise(out):
    """The filter's output without the X-Nise-* fields it added."""
    lines = out.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith(b"X-Nise-"):
        i += 1
    return b"\n".join(lines[i:])


def check_all(name, data, want_partial=True):
    code, out, cpu, rss = measured(["check", "--json", "--no-model", "-"], data)
    ok(code in (0, 1, 3), "%s: check exit %d" % (name, code))
    try:
        j = json.loads(out)
    except ValueError:
        j = {}
    if want_partial:
        ok(j.get("partial") is True, "%s: check not partial: %s" % (name, out[:200]))
        ok(j.get("verdict") != "clean", "%s: a mail a limit cut was called clean" % name)
    ok(SANITIZED or cpu < CPU_MAX, "%s: check took %.2f s CPU" % (name, cpu))
    ok(SANITIZED or rss < RSS_MAX_KB, "%s: check peak RSS %d KB" % (name, rss))
    print("%-28s check %.3f s CPU, %5.1f MB peak RSS, %s" % (name, cpu, rss / 1024, j.get("verdict")))
    code, out, cpu, rss = measured(["filter", "--no-model"], data)
    ok(code == 0, "%s: filter exit %d" % (name, code))
    ok(strip_nise(out) == data, "%s: filter did not write the whole mail (%d of %d bytes)" %
       (name, len(out), len(data)))
    ok(SANITIZED or (cpu < CPU_MAX and rss < RSS_MAX_KB), "%s: filter %.2f s CPU %d KB" % (name, cpu, rss))


def serve_rss(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def post(data):
    req = urllib.request.Request("http://127.0.0.1:%d/v1/check" % PORT, data=data, method="POST",
                                 headers={"Content-Type": "message/rfc822"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def serve_all(bombs, parts):
    srv = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % PORT, "--no-record",
                            "--threads", "2", "--max-body", str(16 << 20), "--quiet"],
                           env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for name, data in bombs:
            st, body = post(data)
            ok(st == 200 and json.loads(body).get("partial") is True,
               "serve %s: %d %s" % (name, st, body[:100]))
            ok(srv.poll() is None, "serve died on %s" % name)
        for _ in range(20):
            st, body = post(parts)
            ok(st == 200, "serve parts bomb: %d" % st)
        rss = serve_rss(srv.pid)
        ok(SANITIZED or rss < RSS_MAX_KB, "serve RSS after 20 part bombs: %d KB" % rss)
        print("nise serve RSS after 20 part bombs: %.1f MB" % (rss / 1024))
    finally:
        srv.send_signal(signal.SIGTERM)
        srv.wait(10)


def main():
    bombs = list(addr_bombs())
    for name, data in bombs:
        check_all(name, data)
    parts = empty_parts()
    big = [("1,490,000 empty parts", parts), ("100,000 nested multiparts", deep_multipart()),
           ("100,000 nested message/rfc822", deep_rfc822())]
    for name, data in big:
        check_all(name, data)
    serve_all(bombs[:5] + big, parts)
    shutil.rmtree(TMP, ignore_errors=True)
    print("bombs: %d passed, %d failed" % (checks - failures, failures))
    sys.exit(1 if failures else 0)


main()
