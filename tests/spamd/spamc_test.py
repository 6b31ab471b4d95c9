#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""nise spamd against Debian's spamc and raw SPAMC/1.5 requests.

Starts `nise spamd` on 127.0.0.1:PORT (and PORT+1 for the limit cases),
then asserts exactly what docs/spamd.md promises: spamc -c prints
"score/threshold" with the verdict's band (phishing 10 + nise score,
clean min(score, 4.9)) and exits 1 for phishing only; -y prints the
finding ids, comma-separated, as `nise check --json` lists them (MODEL_*
only when the model changed the verdict); -R
prints the score line and the report in the requested language; PROCESS
adds X-Nise-Verdict; a mail cut by a limit is "unchecked" (5.0, the
LIMIT id as its symbol) or a 75 EX_TEMPFAIL by on_limit; compression is
refused with 64 EX_USAGE; SIGHUP reloads.

Usage: spamc_test.py NISE SOURCE_ROOT PORT
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

nise, root, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
seed = os.path.join(root, "examples", "seed-amazon-phish.eml")
ham = os.path.join(root, "tests", "golden", "003-genuine-amazon-dmarc-pass.eml")
passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"spamd: FAIL {name}:\n  got:  {got!r}\n  want: {want!r}")


def nise_json(path):
    out = subprocess.run([nise, "check", "--json", "--no-record", path], capture_output=True, check=False)
    return json.loads(out.stdout)


def ids(d):
    """The ids X-Nise-Findings and SYMBOLS list: each once, MODEL_* only
    when the model changed the verdict (model.tipped)."""
    seen = []
    tipped = (d.get("model") or {}).get("tipped", False)
    for f in d["findings"]:
        if f["id"].startswith("MODEL_") and not tipped:
            continue
        if f["id"] not in seen:
            seen.append(f["id"])
    return seen


def start(conf, listen):
    log = open(conf + ".log", "w")
    p = subprocess.Popen([nise, "spamd", "--config", conf, "--listen", listen], stderr=log)
    host, prt = listen.rsplit(":", 1)
    for _ in range(100):
        try:
            socket.create_connection((host, int(prt)), timeout=1).close()
            return p
        except OSError:
            time.sleep(0.1)
    raise SystemExit("spamd: nise spamd did not start")


def stop(p):
    p.send_signal(signal.SIGTERM)
    return p.wait(timeout=30)


def spamc(args, mail, p=None):
    with open(mail, "rb") as f:
        r = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", str(p or port)] + args, stdin=f,
                           capture_output=True, check=False)
    return r.returncode, r.stdout.decode("utf-8")


def raw(req, p=None):
    s = socket.create_connection(("127.0.0.1", p or port), timeout=30)
    s.sendall(req)
    s.shutdown(socket.SHUT_WR)
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            break
        chunks.append(b)
    s.close()
    return b"".join(chunks)


def fmt(x):
    return f"{x:.1f}"


tmp = tempfile.mkdtemp(prefix="nise-spamd.")
conf = os.path.join(tmp, "spamd.conf")
with open(conf, "w") as f:
    f.write("[spamd]\nlang = en\nworkers = 2\ntimeout = 5\n")
srv = start(conf, f"127.0.0.1:{port}")
try:
    phish, clean = nise_json(seed), nise_json(ham)
    check("seed is phishing", phish["verdict"], "phishing")
    check("ham is clean", clean["verdict"], "clean")
    pscore = fmt(10 + max(phish["score"], 0))
    cscore = fmt(min(max(clean["score"], 0), 4.9))

    # spamc -K: PING
    check("spamc -K", spamc(["-K"], seed), (0, "SPAMD/1.5 0\n"))
    # spamc -c: CHECK, "score/threshold", exit 1 when spam
    check("spamc -c seed", spamc(["-c"], seed), (1, f"{pscore}/10.0\n"))
    check("spamc -c ham", spamc(["-c"], ham), (0, f"{cscore}/10.0\n"))
    # spamc -y: SYMBOLS, the finding ids
    check("spamc -y seed", spamc(["-y"], seed), (0, ",".join(ids(phish))))
    check("spamc -y ham", spamc(["-y"], ham), (0, ",".join(ids(clean))))
    # spamc -R: REPORT, the score line then the report
    lines = [f"{pscore}/10.0", f"nise: phishing (score {fmt(phish['score'])})", "",
             " pts rule name              description",
             "---- ---------------------- --------------------------------------------------"]
    lines += [f"{f['score']:4.1f} {f['id']:<22} {f['explain_en']}" for f in phish["findings"]]
    check("spamc -R seed", spamc(["-R"], seed), (0, "\n".join(lines) + "\n"))
    # the same report in Japanese, asked for by the nise Lang header
    body = open(seed, "rb").read()
    r = raw(b"REPORT SPAMC/1.5\r\nLang: ja\r\nContent-length: %d\r\n\r\n" % len(body) + body).decode()
    head, _, rep = r.partition("\r\n\r\n")
    check("REPORT Lang: ja status", head.split("\r\n")[:2], ["SPAMD/1.1 0 EX_OK", f"Spam: True ; {pscore} / 10.0"])
    check("REPORT Lang: ja first line", rep.split("\n")[0], f"nise: フィッシング (スコア {fmt(phish['score'])})")
    check("REPORT Lang: ja explanation", rep.split("\n")[4][28:], phish["findings"][0]["explain_ja"])
    # REPORT_IFSPAM: no report for a clean mail
    hb = open(ham, "rb").read()
    r = raw(b"REPORT_IFSPAM SPAMC/1.5\r\nContent-length: %d\r\n\r\n" % len(hb) + hb)
    check("REPORT_IFSPAM ham", r, f"SPAMD/1.1 0 EX_OK\r\nSpam: False ; {cscore} / 10.0\r\nContent-length: 0\r\n\r\n".encode())
    # PROCESS (spamc without options): our headers on top, the mail intact
    rc, out = spamc([], seed)
    check("spamc PROCESS rc", rc, 0)
    check("spamc PROCESS verdict", out.split("\n")[0], f"X-Nise-Verdict: phishing score={fmt(phish['score'])}")
    check("spamc PROCESS mail intact", out.endswith(body.decode()[body.decode().index("Return-Path"):]), True)
    # HEADERS: only the header block
    r = raw(b"HEADERS SPAMC/1.5\r\nContent-length: %d\r\n\r\n" % len(hb) + hb).decode()
    hdr = r.partition("\r\n\r\n")[2].replace("\r\n", "\n")
    check("HEADERS ends at the empty line", hdr.endswith("\n\n") and "\n\n" not in hdr[:-2], True)
    check("HEADERS verdict", hdr.split("\n")[0], f"X-Nise-Verdict: clean score={fmt(clean['score'])}")
    # errors: compression refused, a bad request line, a short body
    check("Compress refused", raw(b"CHECK SPAMC/1.5\r\nCompress: zlib\r\nContent-length: 3\r\n\r\nabc"),
          b"SPAMD/1.5 64 EX_USAGE compression is not supported: send the mail uncompressed\r\n")
    check("bad request", raw(b"HELLO\r\n\r\n"), b"SPAMD/1.5 76 EX_PROTOCOL bad request line (METHOD SPAMC/1.5)\r\n")
    check("short body", raw(b"CHECK SPAMC/1.5\r\nContent-length: 10\r\n\r\nabc"),
          b"SPAMD/1.5 65 EX_DATAERR message shorter than Content-length\r\n")
    check("TELL", raw(b"TELL SPAMC/1.5\r\n\r\n"), b"SPAMD/1.5 64 EX_USAGE TELL is not supported (use nise learn)\r\n")

    # a limit cut the ham short: unchecked, never clean; SIGHUP switches to tempfail
    nconf = os.path.join(tmp, "nise.conf")
    with open(nconf, "w") as f:
        f.write("[limits]\nmax_message_bytes = 620\n")
    lconf = os.path.join(tmp, "limit.conf")
    with open(lconf, "w") as f:
        f.write(f"[spamd]\nnise_config = {nconf}\non_limit = accept\n")
    lim = start(lconf, f"127.0.0.1:{port + 1}")
    try:
        check("limit: spamc -c", spamc(["-c"], ham, port + 1), (0, "5.0/10.0\n"))
        check("limit: spamc -y", spamc(["-y"], ham, port + 1), (0, "LIMIT_MESSAGE_BYTES"))
        rc, out = spamc([], ham, port + 1)
        check("limit: PROCESS refused, spamc passes the mail on unchanged", (rc, out), (0, hb.decode()))
        with open(lconf, "w") as f:
            f.write(f"[spamd]\nnise_config = {nconf}\non_limit = tempfail\n")
        lim.send_signal(signal.SIGHUP)
        # the new generation answers once the log says so (a fixed sleep
        # was too short for a sanitizer build on a loaded machine)
        for _ in range(300):
            if "reloaded: generation 2" in open(lconf + ".log").read():
                break
            time.sleep(0.05)
        check("limit: SIGHUP reloaded", "reloaded: generation 2" in open(lconf + ".log").read(), True)
        r = raw(b"CHECK SPAMC/1.5\r\nContent-length: %d\r\n\r\n" % len(hb) + hb, port + 1)
        check("limit after SIGHUP: tempfail", r, b"SPAMD/1.5 75 EX_TEMPFAIL nise could not check this message, try again later\r\n")
        check("limit: spamc -c on tempfail", spamc(["-c"], ham, port + 1), (0, "0/0\n"))
    finally:
        check("limit spamd stops cleanly", stop(lim), 0)
finally:
    check("spamd stops cleanly on SIGTERM", stop(srv), 0)
log = open(conf + ".log").read()
check("log names the request", f"CHECK user=" in log and "phishing score=" in log, True)
print(f"spamd: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
