#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""API tests against a running `nise serve` (docs/api.md).

usage: api_test.py NISE SOURCE_ROOT [PORT]   (ports PORT..PORT+2, PORT+5 and PORT+7, default 18081)

Starts its own servers on loopback, in a temporary directory, and stops
them on exit. Asserts exact statuses, exact bodies (the API's JSON is
byte-for-byte what `nise check --json` prints), exact metric values, and
that the server keeps answering /healthz while other connections attack it.
"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

NISE, ROOT = sys.argv[1], sys.argv[2]
PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 18081
SEED = os.path.join(ROOT, "examples", "seed-amazon-phish.eml")
TWIN = os.path.join(ROOT, "examples", "seed-amazon-phish-iso2022jp.eml")
CLEAN = os.path.join(ROOT, "tests", "golden", "003-genuine-amazon-dmarc-pass.eml")
FORGED_AR = os.path.join(ROOT, "tests", "golden", "007-seed-forged-authentication-results.eml")
TMP = tempfile.mkdtemp(prefix="nise-serve-test.")
# XDG_DATA_HOME: an empty place, so no server or command here finds a
# default threat-intelligence store; the store tests name theirs (--db)
ENV = dict(os.environ, NISE_DATA_DIR=os.path.join(ROOT, "data"), NISE_CONFIG="/dev/null",
           XDG_DATA_HOME=os.path.join(TMP, "xdg"))
os.mkdir(ENV["XDG_DATA_HOME"])

failures = 0
checks = 0
servers = []


def ok(cond, what):
    global failures, checks
    checks += 1
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what)


def short(v):
    r = repr(v)
    return r if len(r) <= 160 else r[:160] + "..."


def eq(got, want, what):
    ok(got == want, "%s: %s%s" % (what, short(got), "" if got == want else " (want %s)" % short(want)))


def start(port, *extra, name="server"):
    log = open(os.path.join(TMP, "%s.log" % name), "wb")
    p = subprocess.Popen([NISE, "serve", "--listen", "127.0.0.1:%d" % port, "--lang", "en", *extra],
                         stdout=log, stderr=subprocess.STDOUT, env=ENV)
    servers.append(p)
    for _ in range(200):
        if p.poll() is not None:
            raise SystemExit("nise serve exited early: %s" % open(log.name).read())
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return p, log.name
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nise serve did not start on %d" % port)


def stop(p):
    p.send_signal(signal.SIGTERM)
    return p.wait(10)


def stop_all():
    for p in servers:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


def req(port, method, path, body=None, headers=None, timeout=10):
    """A request as a non-browser client sends it: a body goes as
    message/rfc822 unless headers say otherwise (guard.c refuses a POST a
    cross-site page could send)."""
    hs = dict(headers or {})
    if body is not None and not any(k.lower() == "content-type" for k in hs):
        hs["Content-Type"] = "message/rfc822"
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=hs)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def metrics(port, settled=None):
    """GET /metrics as a dict. A request is counted when libmicrohttpd
    reports it completed, which may be just after its client has the
    answer: with settled = {name: value}, ask again (up to 2 s) until
    those counters have reached their values; the caller still asserts."""
    deadline = time.time() + 2
    while True:
        st, h, body = req(port, "GET", "/metrics")
        m = dict(line.rsplit(" ", 1) for line in body.decode().splitlines() if line and line[0] != "#")
        if not settled or all(m.get(k) == v for k, v in settled.items()) or time.time() > deadline:
            return st, h, m
        time.sleep(0.02)


def raw(port, data, shut=True, wait=8):
    """Sends bytes; returns (first line of the answer, seconds until the server closed).
    "Host: h" in data stands for the server's own address."""
    data = data.replace(b"Host: h\r\n", b"Host: 127.0.0.1:%d\r\n" % port)
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(wait)
    t = time.time()
    try:
        s.sendall(data)
        if shut:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server answered and closed first
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (ConnectionResetError, BrokenPipeError):
        out = b""
    except socket.timeout:
        out = b"<still open>"
    finally:
        s.close()
    return out.split(b"\r\n")[0].decode("latin-1"), time.time() - t


def healthz_during(port, attack):
    """Runs attack() in a thread and asks /healthz meanwhile; returns the
    attack's result and the slowest /healthz answer (status, seconds)."""
    result = {}
    th = threading.Thread(target=lambda: result.setdefault("r", attack()))
    th.start()
    time.sleep(0.3)
    worst = (200, 0.0)
    while th.is_alive():
        t = time.time()
        try:
            st, _, _ = req(port, "GET", "/healthz", timeout=2)
        except OSError:
            st = 0
        dt = time.time() - t
        if st != 200 or dt > worst[1]:
            worst = (st, dt) if st != 200 or worst[0] == 200 else worst
        time.sleep(0.2)
    th.join()
    return result.get("r"), worst


def cli_json(path, lang="en"):
    with open(path, "rb") as f:
        return subprocess.run([NISE, "check", "--json", "--lang", lang, "-"], stdin=f,
                              capture_output=True, env=ENV).stdout


def cli(*args, stdin=None):
    return subprocess.run([NISE, *args], capture_output=True, env=ENV, stdin=stdin).stdout


def campaigns(port, query=""):
    st, h, body = req(port, "GET", "/v1/campaigns" + query)
    return st, h.get("content-type"), json.loads(body)


def store_tests(port, seed):
    """--db: mails judged phishing are recorded; /v1/report and /v1/campaigns."""
    twin = open(TWIN, "rb").read()
    db = os.path.join(TMP, "serve.lmdb")
    p, _ = start(port, "--db", db, "--threads", "4", name="store")
    st, _, body = req(port, "POST", "/v1/check", twin)
    eq((st, json.loads(body)["verdict"]), (200, "phishing"), "store: the ISO-2022-JP twin to /v1/check: phishing")
    # what the CLI writes for a store in the same state: a second store
    # that `nise check --db` recorded the twin into
    ref = os.path.join(TMP, "ref.lmdb")
    cli("check", "--db", ref, TWIN)

    def report(*args):
        return cli("report", "--db", ref, *args, SEED)

    st, h, body = req(port, "POST", "/v1/report?format=md&lang=ja", seed)
    eq((st, h.get("content-type")), (200, "text/markdown; charset=utf-8"), "report md: status, content type")
    eq(body, report("--lang", "ja", "--format", "md"),
       "report md ja == nise report --db (the same state) --lang ja --format md")
    eq(body, open(os.path.join(ROOT, "docs", "examples", "report-seed.ja.md"), "rb").read(),
       "report md ja == docs/examples/report-seed.ja.md")
    # Markdown escapes the brackets of "[.]" (tests/attacks/report-md.sh)
    ok(b"hxxp://cardservices\\[.\\]newnamecardamazon\\[.\\]icu/" in body, "report md: the link defanged (hxxp, [.])")
    ok(b"http://" not in body and b"https://" not in body and b"newnamecardamazon.icu" not in body,
       "report md: no live URL or host")
    ok("これまでに 1 通（キャンペーン c4b08afda0237bac）".encode() in body, "report md: names the recorded campaign")
    st, h, body = req(port, "POST", "/v1/report?format=html&lang=ja", seed)
    eq((st, h.get("content-type")), (200, "text/html; charset=utf-8"), "report html: status, content type")
    eq(h.get("content-security-policy"),
       "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
       "report html: its own Content-Security-Policy")
    eq(h.get("x-content-type-options"), "nosniff", "report html: nosniff")
    eq(body, report("--lang", "ja", "--format", "html"), "report html ja == nise report --format html")
    ok(b"<script" not in body.lower() and b" style=" not in body.lower() and b"<style" not in body.lower(),
       "report html: no script, no inline style")
    ok(b"http://" not in body and b"hxxp://" in body, "report html: defanged")
    st, h, body = req(port, "POST", "/v1/report", seed)
    eq((st, h.get("content-type"), body), (200, "text/markdown; charset=utf-8", report("--lang", "en")),
       "report: default md in the server's language (en) == nise report --lang en")
    st, _, body = req(port, "POST", "/v1/report?format=pdf", seed)
    eq((st, json.loads(body)["error"]["code"]), (400, "bad_format"), "report format=pdf: 400")
    st, _, body = req(port, "POST", "/v1/report?format=md&lang=fr", seed)
    eq((st, json.loads(body)["error"]["code"]), (400, "bad_lang"), "report lang=fr: 400")
    st, _, body = req(port, "POST", "/v1/report", b"")
    eq((st, json.loads(body)["error"]["code"]), (400, "empty_body"), "report without a body: 400")
    eq(req(port, "GET", "/v1/report")[0], 405, "GET /v1/report: 405")

    st, ct, d = campaigns(port)
    eq((st, ct), (200, "application/json"), "campaigns: status, content type")
    eq([(c["brand"], c["copies"]) for c in d["campaigns"]], [("Amazon", 1)],
       "campaigns: one, Amazon, 1 copy (the reports recorded nothing)")
    eq(d["campaigns"], [json.loads(line) for line in cli("campaigns", "--db", db, "--json").splitlines()],
       "campaigns: the objects of nise campaigns --json")
    eq(d["campaigns"][0]["subjects"], ["もう一度確認してから、あなたのアカウントを利用してください"], "campaigns: subject")
    eq(len(campaigns(port, "?brand=amazon")[2]["campaigns"]), 1, "campaigns ?brand=amazon: 1")
    eq(len(campaigns(port, "?brand=AMAZON")[2]["campaigns"]), 1, "campaigns ?brand=AMAZON: 1")
    eq(campaigns(port, "?brand=nosuch")[:3], (200, "application/json", {"campaigns": []}),
       "campaigns ?brand=nosuch: 0")
    eq(len(campaigns(port, "?brand=")[2]["campaigns"]), 1, "campaigns ?brand= (empty): all")
    st, _, body = req(port, "GET", "/v1/campaigns?brand=" + "a" * 256)
    eq((st, json.loads(body)["error"]["code"]), (400, "bad_brand"), "campaigns: brand over 255 bytes: 400")

    # /v1/view records too; concurrent requests record every copy (routes.c
    # serialises the records; this run alone rarely hits the race it closes)
    eq(req(port, "POST", "/v1/view", seed)[0], 200, "view of the seed: 200")
    # row 6: what a cross-site page sends records nothing (the count below stays 10)
    eq([req(port, "POST", "/v1/check", twin, h)[0] for h in (
        {"Content-Type": "text/plain", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"})],
       [403, 415, 415], "csrf to a server with a store: 403, 415, 415")
    results = []
    threads = [threading.Thread(target=lambda: results.append(req(port, "POST", "/v1/check", twin)[0]))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(results, [200] * 8, "8 concurrent /v1/check of the twin: 200")
    eq([c["copies"] for c in campaigns(port)[2]["campaigns"]], [10],
       "campaigns: 10 copies (1 + the view + 8 concurrent checks)")
    eq(req(port, "POST", "/v1/check", open(CLEAN, "rb").read())[0], 200, "a clean mail to /v1/check")
    eq(len(campaigns(port)[2]["campaigns"]), 1, "campaigns: a clean mail is not recorded")
    m = metrics(port, {'nise_http_requests_total{route="/v1/campaigns",code="200"}': "7",
                       'nise_http_requests_total{route="/v1/report",code="400"}': "3"})[2]
    eq([m.get('nise_http_requests_total{route="/v1/report",code="%s"}' % c) for c in ("200", "400")],
       ["3", "3"], "metrics: /v1/report 200s and 400s")
    eq([m.get('nise_http_requests_total{route="/v1/campaigns",code="%s"}' % c) for c in ("200", "400")],
       ["7", "1"], "metrics: /v1/campaigns 200s and 400s")
    eq(stop(p), 0, "store server: stopped")

    # --no-record: the store is read (the report names the campaign), not written
    p, _ = start(port, "--db", db, "--no-record", name="norecord")
    eq(req(port, "POST", "/v1/check", twin)[0], 200, "--no-record: /v1/check 200")
    eq([c["copies"] for c in campaigns(port)[2]["campaigns"]], [10], "--no-record: still 10 copies")
    ok("これまでに 10 通".encode() in req(port, "POST", "/v1/report?lang=ja", seed)[2],
       "--no-record: the report still names the campaign (10 copies)")
    eq(stop(p), 0, "--no-record server: stopped")


# The bodies of ../shared/attacks/csrf-page.html (row 6): what a page in
# the user's browser sends with <form enctype=text/plain> and fetch(no-cors).
CSRF_FORM = (b"From: Amazon.co.jp <support@amazon-verify.example>\r\nSubject: CSRF-PLANTED Your monthly newsletter"
             b"\r\nX-Pad: a=b\r\nContent-Type: text/html\r\n\r\n<p>Amazon: your account is locked within 24 hours."
             b" Verify your card now.</p><a href='http://amazon-login.example.icu/'>Sign in to Amazon</a>")


def cross_site_tests(port, seed, log):
    """Row 6: requests a cross-site page can make are refused; Host must
    name this server (DNS rebinding). Row 13: the access log escapes."""
    me = "127.0.0.1:%d" % port

    def code(path, body=None, method="POST", **hs):
        st, _, b = req(port, method, path, body, {k.replace("_", "-"): v for k, v in hs.items()})
        return st, json.loads(b)["error"]["code"] if st >= 400 else None

    evil = "http://evil.example"
    eq(code("/v1/check", CSRF_FORM, Content_Type="text/plain", Origin=evil, Sec_Fetch_Site="cross-site"),
       (403, "cross_site"), "csrf: <form enctype=text/plain> from another site: 403")
    eq(code("/v1/check", CSRF_FORM, Content_Type="text/plain"), (415, "bad_content_type"),
       "csrf: text/plain without Origin (an old browser's form): 415")
    eq(code("/v1/check", CSRF_FORM, Content_Type="text/plain;charset=UTF-8", Origin=evil),
       (403, "cross_site"), "csrf: fetch(no-cors) from another origin: 403")
    eq(code("/v1/view", seed, Content_Type="application/x-www-form-urlencoded"), (415, "bad_content_type"),
       "csrf: urlencoded form body (curl's default): 415")
    eq(code("/v1/report", seed, Content_Type="multipart/form-data; boundary=x"), (415, "bad_content_type"),
       "csrf: multipart form body: 415")
    eq(code("/v1/check", seed, Content_Type=""), (415, "bad_content_type"), "csrf: empty Content-Type: 415")
    st, _, _ = req(port, "POST", "/v1/check", seed, {"Content-Type": "text/plain ; charset=x"})
    eq(st, 415, "csrf: text/plain with parameters: 415")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest("POST", "/v1/check")
    c.putheader("Content-Length", str(len(seed)))
    c.endheaders(seed)
    r = c.getresponse()
    eq((r.status, json.loads(r.read())["error"]["code"]), (415, "bad_content_type"),
       "csrf: no Content-Type at all (fetch with an ArrayBuffer): 415")
    c.close()
    eq(code("/v1/check", seed, Content_Type="message/rfc822", Origin="null"), (403, "cross_site"),
       "csrf: Origin null (sandboxed frame, file:): 403")
    eq(code("/v1/check", seed, Content_Type="message/rfc822", Origin="http://localhost:%d" % port),
       (403, "cross_site"), "csrf: Origin of another name for this server: 403")
    eq(code("/v1/check", seed, Content_Type="message/rfc822", Sec_Fetch_Site="same-site"), (403, "cross_site"),
       "csrf: Sec-Fetch-Site same-site (another port of 127.0.0.1): 403")
    eq(code("/v1/campaigns", method="GET", Sec_Fetch_Site="cross-site"), (403, "cross_site"),
       "csrf: GET /v1/campaigns cross-site: 403")
    eq(code("/metrics", method="GET", Origin=evil), (403, "cross_site"), "csrf: GET /metrics from another origin: 403")
    eq(req(port, "GET", "/", headers={"Sec-Fetch-Site": "cross-site"})[0], 200,
       "csrf: the page itself may be opened from a link on another site: 200")
    for ct in ("message/rfc822", "Message/RFC822; charset=utf-8", "application/octet-stream"):
        st, _, body = req(port, "POST", "/v1/check", seed, {"Content-Type": ct})
        eq((st, json.loads(body)["verdict"]), (200, "phishing"), "accepted: Content-Type %s" % ct)
    st, _, body = req(port, "POST", "/v1/check", seed, {"Content-Type": "text/plain", "X-Nise-Request": "1"})
    eq((st, json.loads(body)["verdict"]), (200, "phishing"), "accepted: X-Nise-Request: 1 (needs a preflight)")
    st, _, body = req(port, "POST", "/v1/view", seed, {"Origin": "http://" + me, "Sec-Fetch-Site": "same-origin",
                                                       "X-Nise-Request": "1"})
    eq(st, 200, "accepted: the page's own request (same origin)")
    st, _, body = req(port, "OPTIONS", "/v1/check", headers={"Origin": evil,
                                                             "Access-Control-Request-Method": "POST"})
    eq(st, 405, "preflight OPTIONS: 405, no CORS grant")

    # Host: only names of this server (DNS rebinding sends the attacker's name)
    def host(h, path="/healthz"):
        return raw(port, b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + h + b"\r\nConnection: close\r\n\r\n")[0]
    eq(host(b"evil.example:%d" % port, "/v1/campaigns"), "HTTP/1.1 421 Misdirected Request",
       "Host: a rebinding name: 421")
    eq(host(b"evil.example:%d" % port, "/"), "HTTP/1.1 421 Misdirected Request", "Host: a rebinding name, the page: 421")
    eq(host(b"127.0.0.1"), "HTTP/1.1 421 Misdirected Request", "Host: right address, no port: 421")
    eq(host(b"127.0.0.1:1%d" % port), "HTTP/1.1 421 Misdirected Request", "Host: another port: 421")
    eq(host(b"localhost.evil.example:%d" % port), "HTTP/1.1 421 Misdirected Request", "Host: localhost.evil...: 421")
    eq(host(b"localhost:%d" % port), "HTTP/1.1 200 OK", "Host: localhost: 200")
    eq(host(b"LocalHost.:%d" % port), "HTTP/1.1 200 OK", "Host: LocalHost. (any case, final dot): 200")
    eq(host(b"[::1]:%d" % port), "HTTP/1.1 200 OK", "Host: an IPv6 literal: 200")
    eq(raw(port, b"GET /healthz HTTP/1.0\r\n\r\n")[0], "HTTP/1.1 421 Misdirected Request", "no Host (HTTP/1.0): 421")

    # row 13: the access log escapes every byte a client chose
    raw(port, b"GET /x%0aforged%1b[31m%c2%9b%e2%80%ae%ff%22%5c\xe6\x97\xa5 HTTP/1.1\r\nHost: h\r\n"
        b"User-Agent: ua\x1b[2J\xe2\x80\xae\x7fok\r\nConnection: close\r\n\r\n")
    time.sleep(0.3)
    logged = open(log, "rb").read()
    lines = [re.sub(rb"in=0B [0-9.]+ms", b"in=0B Tms", line) for line in logged.split(b"\n") if b"forged" in line]
    eq(lines, [b'nise serve: GET /x\\x0aforged\\x1b[31m\\xc2\\x9b\\xe2\\x80\\xae\\xff\\x22\\x5c\xe6\x97\xa5 404 '
               b'in=0B Tms ua="ua\\x1b[2J\\xe2\\x80\\xae\\x7fok"'],
       "access log: %0a, ESC, C1, U+202E, invalid UTF-8, quote, backslash escaped; UTF-8 kept")
    ok(all(line.startswith(b"nise serve: ") for line in logged.split(b"\n") if line)
       and not any(b in logged for b in (b"\x1b", b"\r", b"\xe2\x80\xae")),
       "access log: every line is the server's, no raw ESC, CR or bidi control")


def main():
    seed = open(SEED, "rb").read()
    port = PORT
    # mx.example.jp is the receiving server of the genuine Amazon mail
    # (CLEAN): its results are trusted, nobody else's (docs/trust.md)
    _, log = start(port, "--max-body", "65536", "--max-header", "8192", "--timeout", "2",
                   "--request-timeout", "3", "--max-connections", "16",
                   "--trust-authserv", "mx.example.jp")

    # ---- a second server on the same port refuses to start ----------------
    second = subprocess.run([NISE, "serve", "--listen", "127.0.0.1:%d" % port], env=ENV,
                            capture_output=True, timeout=30)
    eq((second.returncode, second.stderr.decode().strip().splitlines()[-1:]),
       (2, ["nise serve: cannot listen on 127.0.0.1:%d: Address already in use (another server, perhaps "
            "another nise serve, is listening there)" % port]),
       "second nise serve on the same port: refused, exit 2")

    # ---- /v1/check is `nise check --json`, byte for byte ----------------
    st, h, body = req(port, "POST", "/v1/check", seed)
    eq(st, 200, "seed: status")
    eq(h.get("content-type"), "application/json", "seed: content type")
    want = cli_json(SEED)
    eq(body, want, "seed: API body == nise check --json --lang en -")
    d = json.loads(body)
    eq(d["verdict"], "phishing", "seed: verdict")
    ids = [f["id"] for f in d["findings"]]
    eq(ids, [f["id"] for f in json.loads(want)["findings"]], "seed: same findings as the CLI")
    ok("LINK_BRAND_MISMATCH" in ids and "HOMOGLYPH_WORD" in ids, "seed: link and homoglyph findings")
    eq(d["links"][0]["host"], "cardservices.newnamecardamazon.icu", "seed: link host")
    st, _, body = req(port, "POST", "/v1/check?lang=ja&source=seed.eml", seed)
    dj = json.loads(body)
    eq(body, cli_json(SEED, "ja").replace(b'"source":"-"', b'"source":"seed.eml"'),
       "seed: ?lang=ja&source= == nise check --json --lang ja")
    eq(dj["findings"][0]["explain"], dj["findings"][0]["explain_ja"], "lang=ja: explain is Japanese")
    st, _, body = req(port, "POST", "/v1/check", open(CLEAN, "rb").read())
    eq(json.loads(body)["verdict"], "clean", "genuine Amazon mail: verdict")
    ok("BRAND_AUTHENTICATED" in [f["id"] for f in json.loads(body)["findings"]],
       "genuine Amazon mail: the trusted mx.example.jp pass counts")
    # attack row 3: the seed mail From amazon.co.jp with a sender-written
    # "mx.google.com; dmarc=pass" (not a trusted id): still phishing
    for lang in ("en", "ja"):
        st, _, body = req(port, "POST", "/v1/check?lang=" + lang, open(FORGED_AR, "rb").read())
        df = json.loads(body)
        eq((st, df["verdict"]), (200, "phishing"), "forged Authentication-Results (%s): phishing" % lang)
        ok("BRAND_AUTHENTICATED" not in [f["id"] for f in df["findings"]],
           "forged Authentication-Results (%s): no BRAND_AUTHENTICATED" % lang)
        ok("really comes from" not in body.decode() and "本当に" not in body.decode(),
           "forged Authentication-Results (%s): no 'really comes from'" % lang)
        eq([a["trusted"] for a in df["authentication_results"]], [False, False],
           "forged Authentication-Results (%s): not trusted" % lang)

    # ---- /v1/view: the safe rendering ------------------------------------
    st, _, body = req(port, "POST", "/v1/view?lang=ja", seed)
    eq(st, 200, "view: status")
    v = json.loads(body)
    eq(v["check"], json.loads(cli_json(SEED, "ja")), "view: check part == nise check --json")
    segs = v["view"]["body"]
    link_segs = [s for s in segs if s.get("link") == 0]
    eq([s["text"] for s in link_segs], ["続けるにはこちらをクリック"], "view: the button is link 0")
    eq(v["check"]["links"][0]["host"], "cardservices.newnamecardamazon.icu", "view: link 0's real host")
    flagged = [v["check"]["findings"][i]["id"] for i in v["view"]["links"][0]["findings"]]
    eq(flagged, ["LINK_BRAND_MISMATCH", "LOOKALIKE_DOMAIN", "RISKY_TLD"], "view: findings naming link 0")
    glyphs = [(s["text"], s["glyph"]) for s in segs if "glyph" in s]
    eq(glyphs, [("ο", "U+03BF GREEK SMALL LETTER OMICRON")], "view: the Greek omicron is marked")
    eq([s["glyph_ja"] for s in segs if "glyph" in s], ["ο（ギリシャ文字の小文字オミクロン、U+03BF）"],
       "view: and named in Japanese")
    i = segs.index(next(s for s in segs if "glyph" in s))
    eq(segs[i - 1]["text"][-4:] + segs[i]["text"] + segs[i + 1]["text"][:1], "Amazοn", "view: in Amazοn")
    eq(v["view"]["subject"], [{"text": v["check"]["subject"]}], "view: subject")

    eq(v["view"]["input"], "mail", "view: the seed is a mail")
    eq(v["view"]["sender_authenticated"], False, "view: nothing authenticated the seed's sender")
    eq(v["view"]["advice"]["ja"]["todo"][0], "リンクを開かず、添付ファイルも開かずに削除してください。",
       "view: advice ja (nise report's)")
    eq(len(v["view"]["advice"]["en"]["todo"]), 4, "view: four steps, as nise report writes")
    ok(v["view"]["advice"]["ja"]["threat"].startswith("リンク先は本物そっくりの偽ログインページです。"),
       "view: threat ja (nise report's)")

    # ---- text without headers, and files that are no mail ------------------
    text = "お客様のアカウントは停止されました。\n24時間以内に確認: https://amaz0n-login.example.icu/verify\n".encode()
    st, _, body = req(port, "POST", "/v1/view?lang=ja", text)
    v = json.loads(body)
    eq((st, v["view"]["input"], v["check"]["anomalies"][0]["id"], v["check"]["links"][0]["host"], v["check"]["from"]),
       (200, "text", "TEXT_ONLY", "amaz0n-login.example.icu", None), "pasted text: judged as text")
    with open(os.path.join(TMP, "text.txt"), "wb") as f:
        f.write(text)
    eq(req(port, "POST", "/v1/check", text)[2], cli_json(f.name), "pasted text: /v1/check == nise check --json")
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0"
    for path in ("/v1/view", "/v1/report"):
        st, _, body = req(port, "POST", path, png, {"X-Nise-Request": "1"})
        eq((st, json.loads(body)["error"]), (422, {"status": 422, "code": "not_a_mail", "message":
           "the body is not a mail (image/png): send one RFC 5322 message or a mail's text"}),
           "PNG to %s: refused, no verdict" % path)
    st, _, body = req(port, "POST", "/v1/view", b"%PDF-1.7\n")
    eq((st, json.loads(body)["error"]["code"]), (422, "not_a_mail"), "PDF to /v1/view: refused")
    st, _, body = req(port, "POST", "/v1/view", b" \r\n\r\n")
    eq((st, json.loads(body)["error"]["code"]), (400, "empty_body"), "white space to /v1/view: empty_body")
    with open(os.path.join(TMP, "x.png"), "wb") as f:
        f.write(png)
    st, _, body = req(port, "POST", "/v1/check", png)
    d = json.loads(body)
    eq((st, d["verdict"] != "clean", d["anomalies"][0], body == cli_json(f.name)),
       (200, True, {"id": "NOT_A_MESSAGE", "detail": "image/png"}, True),
       "PNG to /v1/check: what nise check --json says (never clean, NOT_A_MESSAGE)")

    hostile = (b"From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
               b"Content-Type: text/html; charset=utf-8\r\n\r\n"
               b"<p>Hi<script>alert('S1')</script><img src=\"http://evil.example/t.png\" alt=\"logo\" "
               b"onerror=\"alert('S2')\"><a href=\"javascript:alert('S3')\" onclick=\"x()\">go</a>"
               b"<style>p{background:url(http://evil.example/s)}</style>"
               b"<span style=\"display:none\">HIDDEN-TEXT</span>&lt;b&gt;</p>")
    st, _, body = req(port, "POST", "/v1/view", hostile)
    view = json.loads(body)["view"]
    vtext = json.dumps(view)
    eq(st, 200, "hostile HTML: status")
    ok(all(w not in vtext for w in ("alert", "evil.example", "onerror", "onclick", "HIDDEN-TEXT", "<script")),
       "hostile HTML: no script, handler, remote URL or hidden text in the view")
    eq(view["body"], [{"text": "Hi"}, {"image": "logo"}, {"text": "go", "link": 0}, {"text": "<b>"}],
       "hostile HTML: the view is text, an image placeholder, a link and the escaped text")

    # ---- malformed requests: exact answers ---------------------------------
    eq(raw(port, b"POST /v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: message/rfc822\r\n"
           b"Content-Length: 100000\r\n\r\n" + b"a" * 1000,
           shut=False)[0], "HTTP/1.1 413 Content Too Large", "body over --max-body (Content-Length): 413")
    big = b"a" * 70000
    eq(raw(port, b"POST /v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: message/rfc822\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" +
           b"%x\r\n" % len(big) + big + b"\r\n0\r\n\r\n")[0], "HTTP/1.1 413 Content Too Large",
       "body over --max-body (chunked): 413")
    eq(raw(port, b"GET /healthz HTTP/1.1\r\nHost: h\r\nX-A: " + b"a" * 10000 + b"\r\n\r\n")[0],
       "HTTP/1.1 431 Request Header Fields Too Large", "headers over --max-header: 431")
    eq(raw(port, b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: h\r\n\r\n")[0], "HTTP/1.1 414 URI Too Long",
       "URI over --max-header: 414")
    eq(raw(port, b"POST /v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: message/rfc822\r\n"
           b"Content-Length: abc\r\n\r\n")[0],
       "HTTP/1.1 400 Bad Request", "bad Content-Length: 400")
    eq(raw(port, b"GET / HTTP/7.0\r\nHost: h\r\n\r\n")[0], "HTTP/1.1 505 HTTP Version Not Supported",
       "unknown HTTP version: 505")
    st, h, body = req(port, "GET", "/v1/check")
    eq((st, h.get("allow"), json.loads(body)["error"]["code"]), (405, "POST", "method_not_allowed"),
       "GET /v1/check: 405, Allow: POST")
    st, _, body = req(port, "GET", "/nope")
    eq((st, json.loads(body)["error"]["code"]), (404, "not_found"), "unknown path: 404")
    st, _, body = req(port, "POST", "/v1/check", b"")
    eq((st, json.loads(body)["error"]["code"]), (400, "empty_body"), "empty body: 400")
    st, _, body = req(port, "POST", "/v1/check?lang=fr", seed)
    eq((st, json.loads(body)["error"]["code"]), (400, "bad_lang"), "lang=fr: 400")
    noise = random.Random(7).randbytes(4096)
    with open(os.path.join(TMP, "noise"), "wb") as f:
        f.write(noise)
    st, _, body = req(port, "POST", "/v1/check", noise)
    eq((st, body == cli_json(f.name)), (200, True), "random bytes as a mail: judged as the CLI judges them")

    # garbage and cut-off requests: no answer but a close, soon, and the
    # server answers others meanwhile
    line, dt = raw(port, b"\x00\xff\xfe garbage\r\n\r\n", shut=False)
    ok(line in ("", "HTTP/1.1 400 Bad Request") and dt < 4, "garbage: closed without success (%.1fs)" % dt)
    (line, dt), worst = healthz_during(port, lambda: raw(
        port, b"POST /v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: message/rfc822\r\n"
        b"Content-Length: 1000\r\n\r\nFrom: a\r\n", shut=False))
    ok(line == "" and 1.5 < dt < 4.5, "truncated body: closed after the 2 s idle timeout (%.1fs)" % dt)
    ok(worst[0] == 200 and worst[1] < 1, "  /healthz meanwhile: %d in %.3fs" % worst)
    (line, dt), worst = healthz_during(port, lambda: raw(port, b"GET /healthz HTTP/1.1\r\nHost: h\r\n",
                                                          shut=False))
    ok(line == "" and 1.5 < dt < 4.5, "stalled headers: closed after the 2 s idle timeout (%.1fs)" % dt)
    ok(worst[0] == 200 and worst[1] < 1, "  /healthz meanwhile: %d in %.3fs" % worst)

    def dribble():
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(10)
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: message/rfc822\r\n"
                  b"Content-Length: 10000\r\n\r\n" % port)
        t = time.time()
        try:
            for _ in range(200):
                s.sendall(b"a")
                time.sleep(0.25)
            return "not closed", time.time() - t
        except OSError:
            return "closed", time.time() - t
        finally:
            s.close()
    (what, dt), worst = healthz_during(port, dribble)
    ok(what == "closed" and 2.5 < dt < 5.5, "slow body: cut at the 3 s request timeout (%s, %.1fs)" % (what, dt))
    ok(worst[0] == 200 and worst[1] < 1, "  /healthz meanwhile: %d in %.3fs" % worst)

    # past --max-connections (16), connections wait in the listen queue
    # until a slot frees (MHD stops accepting; nothing is dropped)
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", port))
    extra.settimeout(1)
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port)
    try:
        first = extra.recv(100)
    except socket.timeout:
        first = None
    eq(first, None, "17th connection with 16 open: not served while the 16 hold their slots")
    for s in socks:
        s.close()
    extra.settimeout(3)
    try:
        later = extra.recv(100).split(b"\r\n")[0]
    except socket.timeout:
        later = None
    extra.close()
    eq(later, b"HTTP/1.1 200 OK", "17th connection: served once the 16 closed")
    eq(req(port, "GET", "/healthz")[0], 200, "after the flood: /healthz 200")

    # the access log never holds a body
    marker = b"NISE-BODY-MARKER-7f3a"
    req(port, "POST", "/v1/check", seed + b"\r\n" + marker)
    logged = open(log, "rb").read()
    ok(marker not in logged and b"POST /v1/check 200" in logged, "access log: requests, never bodies")

    cross_site_tests(port, seed, log)

    # ---- metrics: exact counts on a fresh server -------------------------
    mport = port + 1
    start(mport, "--trust-authserv", "mx.example.jp", name="metrics")
    for _ in range(3):
        req(mport, "POST", "/v1/check", seed)
    req(mport, "POST", "/v1/view", open(CLEAN, "rb").read())
    req(mport, "GET", "/nope")
    # requests are counted at completion, which can follow the answer:
    # wait for every counter asserted below
    st, h, m = metrics(mport, {'nise_http_requests_total{route="other",code="404"}': "1",
                               'nise_http_requests_total{route="/v1/view",code="200"}': "1",
                               'nise_http_requests_total{route="/v1/check",code="200"}': "3",
                               'nise_http_request_duration_seconds_count{route="/v1/check"}': "3"})
    eq(h.get("content-type"), "text/plain; version=0.0.4; charset=utf-8", "metrics: content type")
    eq(m.get('nise_messages_total{verdict="phishing"}'), "3", "metrics: phishing")
    eq(m.get('nise_messages_total{verdict="clean"}'), "1", "metrics: clean")
    eq(m.get('nise_check_hits_total{check="HOMOGLYPH_WORD"}'), "3", "metrics: hits of HOMOGLYPH_WORD")
    eq(m.get('nise_check_hits_total{check="BRAND_AUTHENTICATED"}'), "1", "metrics: hits of BRAND_AUTHENTICATED")
    eq(m.get('nise_http_requests_total{route="/v1/check",code="200"}'), "3", "metrics: /v1/check 200s")
    eq(m.get('nise_http_requests_total{route="other",code="404"}'), "1", "metrics: 404s")
    eq(m.get('nise_http_request_duration_seconds_count{route="/v1/check"}'), "3", "metrics: histogram count")
    eq(m.get('nise_http_request_duration_seconds_bucket{route="/v1/check",le="+Inf"}'), "3",
       "metrics: histogram +Inf bucket")

    # --allow-host: names a proxy or /etc/hosts gives this server
    aport = port + 7
    start(aport, "--allow-host", "nise.example", "--allow-host", "mail-tools", name="allowhost")
    for h, want in ((b"nise.example", "200 OK"), (b"NISE.example.", "200 OK"), (b"mail-tools", "200 OK"),
                    (b"evil.example", "421 Misdirected Request"), (b"x.nise.example", "421 Misdirected Request")):
        got = raw(aport, b"GET /healthz HTTP/1.1\r\nHost: " + h + b":%d\r\nConnection: close\r\n\r\n" % aport)[0]
        eq(got, "HTTP/1.1 " + want, "--allow-host: Host %s" % h.decode())
    r = subprocess.run([NISE, "serve", "--listen", "127.0.0.1:%d" % aport, "--allow-host", "evil.example:80"],
                       capture_output=True, env=ENV, timeout=10)
    eq((r.returncode, b"--allow-host wants a host name" in r.stderr), (2, True), "--allow-host NAME:PORT: refused")

    # ---- the bearer token ------------------------------------------------
    tport = port + 2
    tok = os.path.join(TMP, "token")
    with open(tok, "w") as f:
        f.write("s3cret-token-0123456789\n")
    os.chmod(tok, 0o644)
    r = subprocess.run([NISE, "serve", "--listen", "127.0.0.1:%d" % tport, "--token-file", tok],
                       capture_output=True, env=ENV, timeout=10)
    eq((r.returncode, b"readable by others" in r.stderr), (2, True), "token file readable by others: refused")
    os.chmod(tok, 0o600)
    r = subprocess.run([NISE, "serve", "--listen", "0.0.0.0:%d" % tport], capture_output=True, env=ENV,
                       timeout=10)
    eq((r.returncode, b"not a loopback address" in r.stderr), (2, True), "0.0.0.0 without a token: refused")
    start(tport, "--token-file", tok, name="token")
    st, h, _ = req(tport, "POST", "/v1/check", seed)
    eq((st, h.get("www-authenticate")), (401, 'Bearer realm="nise"'), "token: none given: 401")
    eq(req(tport, "POST", "/v1/check", seed, {"Authorization": "Bearer s3cret-token-012345678"})[0], 401,
       "token: wrong: 401")
    eq(req(tport, "GET", "/metrics")[0], 401, "token: /metrics without: 401")
    st, _, body = req(tport, "POST", "/v1/check", seed, {"Authorization": "Bearer s3cret-token-0123456789"})
    eq((st, json.loads(body)["verdict"]), (200, "phishing"), "token: right: 200")
    eq(req(tport, "GET", "/healthz")[0], 200, "token: /healthz open")
    st, h, body = req(tport, "GET", "/")
    eq(st, 200, "token: the page open")
    ok(h.get("content-security-policy", "").startswith("default-src 'none'; script-src 'self'"),
       "page: strict Content-Security-Policy")
    ok(b"https://" not in body and b"http://" not in body, "page: no external URL")

    # /v1/report and /v1/campaigns: behind the token; without a store they
    # still answer (no campaign)
    st, h, _ = req(tport, "POST", "/v1/report", seed)
    eq((st, h.get("www-authenticate")), (401, 'Bearer realm="nise"'), "token: /v1/report without: 401")
    eq(req(tport, "GET", "/v1/campaigns")[0], 401, "token: /v1/campaigns without: 401")
    auth = {"Authorization": "Bearer s3cret-token-0123456789"}
    st, h, body = req(tport, "GET", "/v1/campaigns", headers=auth)
    eq((st, json.loads(body)), (200, {"campaigns": []}), "token: /v1/campaigns with, no store: none")
    st, h, body = req(tport, "POST", "/v1/report", seed, auth)
    with open(SEED, "rb") as f:
        eq((st, body), (200, cli("report", "--lang", "en", "-", stdin=f)),
           "token: /v1/report with, no store == nise report without a store")
    ok(b"nise has not recorded this campaign before" in body, "no store: the report names no campaign")

    # ---- the store ------------------------------------------------------------
    store_tests(port + 5, seed)

    # ---- SIGTERM stops cleanly ----------------------------------------------
    p = servers[0]
    p.send_signal(signal.SIGTERM)
    eq(p.wait(10), 0, "SIGTERM: exit status 0")


try:
    main()
finally:
    stop_all()
    shutil.rmtree(TMP, ignore_errors=True)
print("api: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
