#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The operator's loop in `nise serve` (issue 16): reload on SIGHUP
(nise-serve(1), docs/update.md) and reported mails kept for retraining
(docs/api.md, POST /v1/feedback).

usage: loop_test.py NISE SOURCE_ROOT PORT

A running server is sent SIGHUP after its nise.conf and its model file
change: the next verdicts follow the new files; a reload that cannot load
(a model file that is not a model) keeps the running engine, says why and
keeps answering; requests in flight across twenty reloads all complete.
Then a server with an LMDB store keeps each mail reported through
/v1/feedback, byte for byte, under STORE.learned/phish or /ham (a report
with the other label moves it), where `nise train --store` reads them.
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

NISE, ROOT, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
SEED = os.path.join(ROOT, "examples", "seed-amazon-phish.eml")
TMP = tempfile.mkdtemp(prefix="nise-reload-test.")
CONF = os.path.join(TMP, "nise.conf")
MODEL = os.path.join(TMP, "model.bin")
LOG = os.path.join(TMP, "serve.log")
ENV = dict(os.environ, NISE_DATA_DIR=os.path.join(ROOT, "data"), XDG_DATA_HOME=os.path.join(TMP, "xdg"))
failures = checks = 0


def ok(cond, what):
    global failures, checks
    checks += 1
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def short(v):
    r = repr(v)
    return r if len(r) <= 160 else r[:160] + "..."


def eq(got, want, what):
    ok(got == want, "%s: %s%s" % (what, short(got), "" if got == want else " (want %s)" % short(want)))


def write_conf(text):
    with open(CONF + ".new", "w") as f:
        f.write(text)
    os.replace(CONF + ".new", CONF)


def check():
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    c.request("POST", "/v1/check", body=open(SEED, "rb").read(), headers={"Content-Type": "message/rfc822"})
    r = c.getresponse()
    body = r.read()
    return r.status, (json.loads(body) if r.status == 200 else body)


def log_text():
    return open(LOG, encoding="utf-8", errors="replace").read()


def hup_and_wait(p, want):
    """SIGHUP, then wait until the log has one more line containing want."""
    n = log_text().count(want)
    p.send_signal(signal.SIGHUP)
    for _ in range(200):
        if log_text().count(want) > n:
            return True
        time.sleep(0.05)
    return False


shutil.copy(os.path.join(ROOT, "data", "model.bin"), MODEL)
write_conf("[nise]\nmodel = %s\n" % MODEL)
log = open(LOG, "wb")
p = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % PORT, "--config", CONF, "--quiet"],
                     stdout=log, stderr=subprocess.STDOUT, env=ENV)


def wait_up(proc):
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit("nise serve exited early: " + log_text())
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nise serve did not start")


try:
    wait_up(p)
    st, r0 = check()
    eq(st, 200, "generation 1 answers")
    eq(r0["verdict"], "phishing", "generation 1: the seed mail")
    ids0 = sorted(f["id"] for f in r0["findings"])
    ok(any(i.startswith("MODEL_") for i in ids0), "generation 1 uses the model file: %s" % ids0)

    # nise.conf changes: a threshold above the seed's score, and no model
    write_conf("[nise]\nmodel = none\n[verdict]\nphishing_score = 500\nsuspicious_score = 3\n")
    ok(hup_and_wait(p, "reloaded: generation 2"), "SIGHUP: 'reloaded: generation 2' in the log")
    st, r1 = check()
    eq(r1["verdict"], "suspicious", "generation 2: phishing_score 500 makes the seed suspicious")
    ids1 = sorted(f["id"] for f in r1["findings"])
    eq([i for i in ids1 if i.startswith("MODEL_")], [], "generation 2: model = none, no MODEL_ finding")
    eq(ids1, sorted(i for i in ids0 if not i.startswith("MODEL_")), "generation 2: the same checks fire")

    # a model file that is not a model: the reload fails, generation 2 keeps serving
    write_conf("[nise]\nmodel = %s\n" % MODEL)
    with open(MODEL, "wb") as f:
        f.write(b"root:x:0:0:root:/root:/bin/bash\n")
    ok(hup_and_wait(p, "reload failed, keeping generation 2"), "bad model: 'reload failed, keeping generation 2'")
    st, r2 = check()
    eq((st, r2["verdict"]), (200, "suspicious"), "after the failed reload: generation 2 still answers")
    ok(p.poll() is None, "the server is still running")

    # the model file restored: generation 3 reads it again
    shutil.copy(os.path.join(ROOT, "data", "model.bin"), MODEL)
    ok(hup_and_wait(p, "reloaded: generation 3"), "model restored: 'reloaded: generation 3'")
    st, r3 = check()
    eq(r3, r0, "generation 3: the same result as generation 1, byte for byte")

    # requests in flight across twenty reloads: every one completes with 200
    results = []
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                results.append(check()[0])
            except Exception as e:  # noqa: BLE001 - any failure is a failed request
                results.append(repr(e))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(20):
        p.send_signal(signal.SIGHUP)
        time.sleep(0.1)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    ok(len(results) >= 20 and all(s == 200 for s in results),
       "%d requests during 20 reloads, all 200: %s" % (len(results), sorted(set(map(str, results)))))
    # signals sent while a reload runs coalesce (one pending SIGHUP): at
    # least one more generation, numbered without a gap
    time.sleep(1)
    gens = [int(l.rsplit(" ", 1)[1]) for l in log_text().splitlines() if "reloaded: generation" in l]
    ok(len(gens) >= 3 and gens == list(range(2, 2 + len(gens))), "generations logged in order: %s" % gens)
    ok(p.poll() is None, "still running after the reloads")
    p.send_signal(signal.SIGTERM)
    eq(p.wait(timeout=10), 0, "SIGTERM: exit 0")

    # feedback keeps the mail for nise train --store
    db = os.path.join(TMP, "s.lmdb")
    log.close()
    log = open(LOG, "wb")
    p = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % PORT, "--config", CONF, "--quiet",
                          "--db", db], stdout=log, stderr=subprocess.STDOUT, env=ENV)
    wait_up(p)
    mail = open(SEED, "rb").read()

    def feedback(label):
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        c.request("POST", "/v1/feedback?label=%s&note=test" % label, body=mail,
                  headers={"Content-Type": "message/rfc822", "X-Nise-Request": "1"})
        r = c.getresponse()
        return r.status, json.loads(r.read())

    def kept():
        out = {}
        for label in ("phish", "ham"):
            d = os.path.join(db + ".learned", label)
            names = sorted(os.listdir(d)) if os.path.isdir(d) else []
            out[label] = [open(os.path.join(d, n), "rb").read() == mail for n in names]
        return out

    st, j = feedback("phishing")
    eq((st, j["learned"], j["kept"]), (200, "phishing", True), "feedback phishing: learned and kept")
    eq(kept(), {"phish": [True], "ham": []}, "the reported mail, byte for byte, in STORE.learned/phish")
    st, j = feedback("phishing")
    eq(kept(), {"phish": [True], "ham": []}, "reported twice: still one file")
    st, j = feedback("genuine")
    eq((st, j["learned"], j["kept"]), (200, "genuine", True), "feedback genuine: learned and kept")
    eq(kept(), {"phish": [], "ham": [True]}, "reported genuine: moved to STORE.learned/ham")
    names = os.listdir(os.path.join(db + ".learned", "ham"))
    ok(all(not n.startswith(".tmp") for n in names), "no temporary file left: %s" % names)
    st_mode = os.stat(os.path.join(db + ".learned", "ham")).st_mode & 0o777
    eq(oct(st_mode), "0o700", "the kept mails' directory is private")
    p.send_signal(signal.SIGTERM)
    eq(p.wait(timeout=10), 0, "SIGTERM: exit 0")
finally:
    if p.poll() is None:
        p.kill()
    if failures:
        print(log_text()[-3000:])
    shutil.rmtree(TMP, ignore_errors=True)
print("%d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
