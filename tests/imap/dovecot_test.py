#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""nise imap against a private Dovecot (Debian dovecot-imapd) on loopback.

The test makes a CA and a server certificate for "localhost", starts
Dovecot with TLS (IMAPS on 127.0.0.1:17841, STARTTLS on 17842) and one
user (password file), and delivers mail straight into the Maildir:
  1. seed mail + ham in INBOX; `nise imap --once --on-phishing move`:
     exactly the phishing moved to Junk with $Phishing, the ham stays,
     unflagged; a second --once judges nothing
  2. N more mails; nise imap running (IDLE) is killed with SIGKILL
     mid-run and restarted: every UID judged exactly once, none missed
  3. Dovecot restarted under an IDLE: nise reconnects and judges a
     mail delivered afterwards
  4. COUNT mails scanned with --once (STARTTLS): time and peak RSS
Needs root (Dovecot switches to its users). Usage:
  dovecot_test.py NISE SOURCE_ROOT COUNT
"""
import imaplib
import os
import re
import resource
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time

nise, root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
seed = open(os.path.join(root, "examples", "seed-amazon-phish.eml"), "rb").read()
ham = open(os.path.join(root, "tests", "golden", "003-genuine-amazon-dmarc-pass.eml"), "rb").read()
T = tempfile.mkdtemp(prefix="nise-imap.")
os.chmod(T, 0o755)
passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"imap: FAIL {name}:\n  got:  {got!r}\n  want: {want!r}")


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


# ---- certificates: a CA and localhost signed by it
sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=nise test CA",
   "-keyout", f"{T}/ca.key", "-out", f"{T}/ca.pem")
sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", f"{T}/server.key",
   "-out", f"{T}/server.csr")
with open(f"{T}/ext", "w") as f:
    f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
sh("openssl", "x509", "-req", "-in", f"{T}/server.csr", "-CA", f"{T}/ca.pem", "-CAkey", f"{T}/ca.key",
   "-CAcreateserial", "-days", "2", "-extfile", f"{T}/ext", "-out", f"{T}/server.pem")

# ---- Dovecot
home = f"{T}/home/alice"
maildir = f"{home}/Maildir"
for d in ("cur", "new", "tmp"):
    os.makedirs(f"{maildir}/{d}", exist_ok=True)
shutil.chown(f"{T}/home", "nobody", "nogroup")
for dp, dn, fn in os.walk(home):
    shutil.chown(dp, "nobody", "nogroup")
with open(f"{T}/passwd", "w") as f:
    f.write("alice:{PLAIN}s3cret-pass::::::\n")
conf = f"""
base_dir = {T}/run
state_dir = {T}/state
log_path = {T}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{T}/server.pem
ssl_key = <{T}/server.key
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
shutdown_clients = yes
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {T}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={T}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Junk {{
    auto = create
    special_use = \\Junk
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = 17842
  }}
  inet_listener imaps {{
    port = 17841
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
with open(f"{T}/dovecot.conf", "w") as f:
    f.write(conf)
dovecot = None


def start_dovecot():
    global dovecot
    dovecot = subprocess.Popen(["dovecot", "-F", "-c", f"{T}/dovecot.conf"], stderr=subprocess.DEVNULL)
    ctx = ssl.create_default_context(cafile=f"{T}/ca.pem")
    for _ in range(100):
        try:
            imaplib.IMAP4_SSL("localhost", 17841, ssl_context=ctx).logout()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("imap: dovecot did not start: " + open(f"{T}/dovecot.log").read()[-2000:])


def stop_dovecot():
    # doveadm stop: the master and, shutdown_clients = yes, every imap
    # process with it (a plain SIGTERM to the master leaves them serving)
    # process with it; an imap process whose client is idling may outlive
    # its master, so the test ends those (its own children) by pid
    kids = subprocess.run(["ps", "--ppid", str(dovecot.pid), "-o", "pid="], capture_output=True,
                          text=True, check=False).stdout.split()
    subprocess.run(["doveadm", "-c", f"{T}/dovecot.conf", "stop"], check=False, capture_output=True)
    dovecot.wait(timeout=30)
    for k in kids:
        try:
            os.kill(int(k), signal.SIGKILL)
        except ProcessLookupError:
            pass


n_delivered = 0


def deliver(data):
    global n_delivered
    n_delivered += 1
    name = f"{maildir}/new/{int(time.time())}.M{n_delivered}P{os.getpid()}.nise-test"
    with open(name + ".tmp", "wb") as f:
        f.write(data)
    os.rename(name + ".tmp", name)
    shutil.chown(name, "nobody", "nogroup")


def client():
    ctx = ssl.create_default_context(cafile=f"{T}/ca.pem")
    c = imaplib.IMAP4_SSL("localhost", 17841, ssl_context=ctx)
    c.login("alice", "s3cret-pass")
    return c


def search(c, box, crit):
    c.select(box)
    typ, d = c.uid("SEARCH", None, crit)
    return [int(x) for x in d[0].split()]


base = ["--host", "localhost", "--ca-file", f"{T}/ca.pem", "--user", "alice", "--state", f"{T}/state.tsv"]
env = dict(os.environ, NISE_IMAP_PASSWORD="s3cret-pass")


def run_once(extra, log):
    with open(log, "w") as lf:
        return subprocess.run([nise, "imap", "--once"] + base + ["--port", "17841"] + extra, env=env,
                              stderr=lf, check=False).returncode


def journal(path):
    """(uid, verdict) of each judgement in a state file (J lines; "pending"
    is the compaction's copy of an earlier one, not a judgement)."""
    out = []
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if f[0] == "J" and f[1] == "INBOX" and f[5] != "pending":
            out.append((int(f[3]), f[5]))
    return out


def judged(logs):
    out = []
    for log in logs:
        for line in open(log):
            m = re.search(r"judged INBOX uid=(\d+) verdict=(\w+)", line)
            if m:
                out.append((int(m.group(1)), m.group(2)))
    return out


start_dovecot()
try:
    # 1. flag and move exactly the phishing
    deliver(seed)
    deliver(ham)
    check("--once exit", run_once(["--on-phishing", "move", "--move-to", "Junk"], f"{T}/once1.log"), 0)
    check("--once judged", judged([f"{T}/once1.log"]), [(1, "phishing"), (2, "clean")])
    c = client()
    check("INBOX keeps the ham only", search(c, "INBOX", "ALL"), [2])
    check("ham not flagged", search(c, "INBOX", "KEYWORD $Phishing"), [])
    check("ham still unseen", search(c, "INBOX", "UNSEEN"), [2])
    check("Junk has the phishing, flagged", len(search(c, "Junk", "KEYWORD $Phishing")), 1)
    c.logout()
    check("second --once", run_once([], f"{T}/once2.log"), 0)
    check("second --once judges nothing", judged([f"{T}/once2.log"]), [])

    # 2. kill -9 mid-run, restart: every mail judged exactly once
    n = 60
    for k in range(n):
        deliver(seed if k % 3 == 0 else ham)
    logs = [f"{T}/run1.log", f"{T}/run2.log"]
    lf = open(logs[0], "w")
    p = subprocess.Popen([nise, "imap"] + base + ["--port", "17841", "--poll", "5"], env=env, stderr=lf)
    for _ in range(600):
        if len(judged([logs[0]])) >= 15:
            break
        time.sleep(0.02)
    p.kill()
    p.wait()
    first = journal(f"{T}/state.tsv")
    check("killed mid-run", 0 < len(first) < n, True)
    check("the log shows no judgement the state file does not", len(judged([logs[0]])) <= len(first), True)
    lf = open(logs[1], "w")
    p = subprocess.Popen([nise, "imap"] + base + ["--port", "17841", "--poll", "5"], env=env, stderr=lf)
    for _ in range(1500):
        if len(judged(logs)) >= n:
            break
        time.sleep(0.02)
    time.sleep(0.5)
    uids = sorted(u for u, _ in first + journal(f"{T}/state.tsv"))
    check("every mail judged exactly once across the kill", uids, list(range(3, 3 + n)))
    c = client()
    want_flag = [3 + k for k in range(n) if k % 3 == 0]
    check("exactly the phishing flagged $Phishing", search(c, "INBOX", "KEYWORD $Phishing"), want_flag)
    c.logout()

    # 3. Dovecot restarted under an IDLE: nise reconnects
    time.sleep(0.5)
    stop_dovecot()
    time.sleep(0.5)
    start_dovecot()
    deliver(seed)
    for _ in range(1500):
        if (3 + n) in [u for u, _ in judged(logs)]:
            break
        time.sleep(0.02)
    check("after the server restart the new mail is judged", judged(logs)[-1:], [(3 + n, "phishing")])
    check("nise said it reconnected", "connection lost; reconnecting" in open(logs[1]).read(), True)
    p.send_signal(signal.SIGTERM)
    check("nise imap stops on SIGTERM", p.wait(timeout=30), 0)

    # 4. COUNT mails with --once over STARTTLS: time and RSS
    for d in ("cur", "new"):
        for f in os.listdir(f"{maildir}/{d}"):
            os.unlink(f"{maildir}/{d}/{f}")
    for f in os.listdir(maildir):
        if f.startswith("dovecot"):
            os.unlink(f"{maildir}/{f}")
    for k in range(count):
        deliver((seed if k % 10 == 0 else ham).replace(b"Message-ID: <", b"Message-ID: <%d." % k, 1))
    os.unlink(f"{T}/state.tsv")
    t0 = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(f"{T}/bulk.log", "w") as lf:
        rc = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M", nise, "imap", "--once", "--tls", "starttls",
                             "--port", "17842", "--on-phishing", "log"] + base, env=env, stderr=lf,
                            check=False).returncode
    dt = time.monotonic() - t0
    check("bulk --once exit", rc, 0)
    j = judged([f"{T}/bulk.log"])
    check("bulk: every mail judged once", sorted(u for u, _ in j) == sorted(set(u for u, _ in j)) and len(j), count)
    check("bulk: phishing count", sum(1 for _, v in j if v == "phishing"), (count + 9) // 10)
    rss = re.search(r"maxrss_kb=(\d+)", open(f"{T}/bulk.log").read())
    print(f"imap: {count} mails over STARTTLS with --once: {dt:.1f} s, {count / dt:.0f} mails/s, "
          f"max RSS {int(rss.group(1)) / 1024 if rss else -1:.1f} MB")
    del before
finally:
    try:
        stop_dovecot()
    except Exception:
        pass
    if not os.environ.get("KEEP_TMP"):
        shutil.rmtree(T, ignore_errors=True)
print(f"imap: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
