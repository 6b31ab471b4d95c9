#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Row 4 of ../shared/attacks/README.md: `nise serve --redis` when Redis
stalls (SIGSTOP for 6 s) and when it restarts. The store must come back by
itself; meanwhile mails are judged without it and the result says so
(STORE_UNAVAILABLE), /healthz says "degraded", /metrics has nise_store_up 0,
and /v1/campaigns answers 503 instead of hanging.

usage: redis_test.py NISE SOURCE_ROOT [PORT] [REDIS_PORT]   (default 18092, 16391)
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

NISE, ROOT = sys.argv[1], sys.argv[2]
PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 18092
RPORT = int(sys.argv[4]) if len(sys.argv) > 4 else 16391
SEED = open(os.path.join(ROOT, "examples", "seed-amazon-phish.eml"), "rb").read()
TWIN = open(os.path.join(ROOT, "examples", "seed-amazon-phish-iso2022jp.eml"), "rb").read()
TMP = tempfile.mkdtemp(prefix="nise-redis-test.")
ENV = dict(os.environ, NISE_DATA_DIR=os.path.join(ROOT, "data"), NISE_CONFIG="/dev/null", XDG_DATA_HOME=TMP)
EXPLAIN_EN = ("The threat store was unreachable: this mail was judged without the phishing-URL lists and the "
              "recorded campaigns.")
EXPLAIN_JA = "脅威情報ストアに接続できませんでした。このメールは、フィッシングURLの一覧と記録済みのキャンペーンを使わずに判定しています。"
failures = checks = 0
procs = []


def ok(cond, what):
    global failures, checks
    checks += 1
    failures += 0 if cond else 1
    print(("ok   " if cond else "FAIL ") + what)


def eq(got, want, what):
    ok(got == want, "%s: %r%s" % (what, got, "" if got == want else " (want %r)" % (want,)))


def req(method, path, body=None, timeout=15):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    c.request(method, path, body=body, headers={"Content-Type": "message/rfc822"} if body else {})
    r = c.getresponse()
    return r.status, r.read()


def check(body, lang="en"):
    """(seconds, verdict, ids of the intel findings, STORE_UNAVAILABLE's explanation)"""
    t = time.time()
    st, b = req("POST", "/v1/check?lang=" + lang, body)
    d = json.loads(b)
    ids = [f["id"] for f in d["findings"] if f["id"] in ("CAMPAIGN_MATCH", "STORE_UNAVAILABLE")]
    ex = [(f["explain"], f["evidence"], f["score"]) for f in d["findings"] if f["id"] == "STORE_UNAVAILABLE"]
    return time.time() - t, st, d["verdict"], ids, ex


def metrics():
    st, b = req("GET", "/metrics")
    m = dict(line.rsplit(" ", 1) for line in b.decode().splitlines() if line and line[0] != "#")
    return m.get("nise_store_up"), m.get("nise_store_reconnects_total")


def health():
    st, b = req("GET", "/healthz")
    return st, b.decode()


def redis():
    p = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(RPORT), "--save", "",
                          "--appendonly", "no", "--dir", TMP, "--daemonize", "no", "--logfile",
                          os.path.join(TMP, "redis.log")])
    procs.append(p)
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(RPORT), "ping"], capture_output=True).stdout == b"PONG\n":
            return p
        time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def wait_health(want, limit):
    t = time.time()
    while time.time() - t < limit:
        if health() == want:
            break
        time.sleep(0.1)
    return health(), time.time() - t


def main():
    r = redis()
    log = open(os.path.join(TMP, "serve.log"), "wb")
    s = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % PORT, "--lang", "en", "--redis",
                          "redis://127.0.0.1:%d" % RPORT], stdout=log, stderr=subprocess.STDOUT, env=ENV)
    procs.append(s)
    for _ in range(200):
        try:
            if health()[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    url = "redis://127.0.0.1:%d" % RPORT
    eq(health(), (200, "ok\n"), "up: /healthz")
    eq(metrics(), ("1", "0"), "up: nise_store_up, nise_store_reconnects_total")
    eq(check(SEED)[1:4], (200, "phishing", []), "up: the seed judged and recorded")

    # ---- SIGSTOP for 6 s --------------------------------------------------
    r.send_signal(signal.SIGSTOP)
    stopped = time.time()
    dt, *res = check(TWIN)
    eq(res, [200, "phishing", ["STORE_UNAVAILABLE"], [(EXPLAIN_EN, "redis store %s unreachable" % url, 0)]],
       "stalled: judged without the store, STORE_UNAVAILABLE (no points) instead of CAMPAIGN_MATCH")
    ok(dt < 3.5, "stalled: answered in %.1fs (the 2 s command timeout, not forever)" % dt)
    dt, *res = check(TWIN, "ja")
    eq(res[3][0][0], EXPLAIN_JA, "stalled: the Japanese explanation")
    ok(dt < 1.5, "stalled: the next request does not wait again (%.1fs)" % dt)
    eq(health(), (200, "degraded: the threat store is unreachable\n"), "stalled: /healthz degraded")
    eq(metrics()[0], "0", "stalled: nise_store_up 0")
    t = time.time()
    st, b = req("GET", "/v1/campaigns")
    eq((st, json.loads(b)["error"]["code"]), (503, "store_unavailable"), "stalled: /v1/campaigns 503")
    ok(time.time() - t < 1.5, "stalled: /v1/campaigns answered in %.1fs" % (time.time() - t))
    time.sleep(max(0, 6 - (time.time() - stopped)))
    r.send_signal(signal.SIGCONT)
    h, dt = wait_health((200, "ok\n"), 10)
    eq(h, (200, "ok\n"), "resumed: /healthz ok again (%.1fs after SIGCONT; polled)" % dt)
    dt, *res = check(TWIN)
    eq(res[:3], [200, "phishing", ["CAMPAIGN_MATCH"]], "resumed: the store is read again (CAMPAIGN_MATCH)")
    eq(metrics(), ("1", "1"), "resumed: nise_store_up 1, one reconnect")
    st, b = req("GET", "/v1/campaigns")
    eq((st, [c["copies"] for c in json.loads(b)["campaigns"]]), (200, [2]),
       "resumed: /v1/campaigns, the seed and the twin judged after the stall")

    # ---- restart --------------------------------------------------------------
    r.send_signal(signal.SIGTERM)
    r.wait(10)
    dt, *res = check(SEED)
    eq(res[:3], [200, "phishing", ["STORE_UNAVAILABLE"]], "down: judged without the store")
    ok(dt < 1.5, "down: answered in %.1fs" % dt)
    eq(health(), (200, "degraded: the threat store is unreachable\n"), "down: /healthz degraded")
    eq(metrics()[0], "0", "down: nise_store_up 0")
    r = redis()
    h, dt = wait_health((200, "ok\n"), 10)
    eq(h, (200, "ok\n"), "restarted: /healthz ok again (%.1fs after the restart)" % dt)
    eq(check(SEED)[1:4], (200, "phishing", []), "restarted: judged with the (new, empty) store, recorded")
    eq(check(TWIN)[1:4], (200, "phishing", ["CAMPAIGN_MATCH"]), "restarted: the twin matches what was just recorded")
    eq(metrics(), ("1", "2"), "restarted: nise_store_up 1, two reconnects")


try:
    main()
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGCONT)
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(TMP, ignore_errors=True)
print("redis: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
