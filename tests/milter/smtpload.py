#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""smtpload.py — a real SMTP client for the milter tests: sends COUNT
messages (files cycled from a list) to HOST:PORT over CONC parallel SMTP
sessions, one X-Nise-Test-Id header per message. Like an MTA it retries a
message on 4xx or a broken connection (never on 5xx), so every message
ends either accepted (250) or rejected (5xx). Prints a JSON summary and
writes "id<TAB>outcome<TAB>file" per message to OUT. The envelope sender
is $SMTPLOAD_FROM (default loadtest@client.nise.test); $SMTPLOAD_XCLIENT,
when set, is sent as XCLIENT attributes (e.g. ADDR=192.0.2.10) so that
Postfix and its milter see another client address than loopback.

usage: smtpload.py HOST PORT CONC COUNT FILELIST OUT [--deadline SECONDS]
"""
import json
import os
import smtplib
import sys
import threading
import time

host, port, conc, count, filelist, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
deadline = float(sys.argv[8]) if len(sys.argv) > 8 and sys.argv[7] == "--deadline" else 600.0
files = [l.strip() for l in open(filelist) if l.strip()]
bodies = {}
lock = threading.Lock()
next_i = 0
outcome = {}
tempfails = 0
conn_errors = 0
t_end = time.time() + deadline


def body(i):
    f = files[i % len(files)]
    if f not in bodies:
        with open(f, "rb") as fh:
            b = fh.read()
        if b.startswith(b"From "):  # mbox separator line, not a header
            b = b.split(b"\n", 1)[1] if b"\n" in b else b""
        bodies[f] = b
    return f, b"X-Nise-Test-Id: %d\r\n" % i + bodies[f]


def take():
    global next_i
    with lock:
        if next_i >= count:
            return None
        i = next_i
        next_i += 1
        return i


def worker():
    global tempfails, conn_errors
    s = None
    i = take()
    while i is not None and time.time() < t_end:
        f, msg = body(i)
        try:
            if s is None:
                s = smtplib.SMTP(host, port, timeout=120)
                s.ehlo("client.nise.test")
                if os.environ.get("SMTPLOAD_XCLIENT"):
                    code, resp = s.docmd("XCLIENT", os.environ["SMTPLOAD_XCLIENT"])
                    if code != 220:
                        raise smtplib.SMTPResponseException(code, resp)
                    s.ehlo("client.nise.test")
            s.sendmail(os.environ.get("SMTPLOAD_FROM", "loadtest@client.nise.test"), ["user@nise.test"], msg)
            with lock:
                outcome[i] = ("accepted", f)
            i = take()
        except smtplib.SMTPRecipientsRefused as e:
            code = list(e.recipients.values())[0][0]
            if code >= 500:
                with lock:
                    outcome[i] = ("rejected", f)
                i = take()
            else:
                with lock:
                    tempfails += 1
                time.sleep(0.2)
        except smtplib.SMTPResponseException as e:
            if 500 <= e.smtp_code < 600:
                with lock:
                    outcome[i] = ("rejected", f)
                i = take()
                try:
                    s.rset()
                except Exception:
                    s = None
            else:
                # like an MTA: a temporary failure ends the session, the
                # message is tried again on a new one
                with lock:
                    tempfails += 1
                try:
                    s.quit()
                except Exception:
                    pass
                s = None
                time.sleep(0.2)
        except (smtplib.SMTPException, OSError):
            with lock:
                conn_errors += 1
            try:
                if s is not None:
                    s.close()
            except Exception:
                pass
            s = None
            time.sleep(0.2)
    if s is not None:
        try:
            s.quit()
        except Exception:
            pass


t0 = time.time()
threads = [threading.Thread(target=worker) for _ in range(conc)]
for t in threads:
    t.start()
for t in threads:
    t.join()
dt = time.time() - t0
with open(out, "w") as fh:
    for i in range(count):
        o, f = outcome.get(i, ("lost", files[i % len(files)]))
        fh.write("%d\t%s\t%s\n" % (i, o, f))
acc = sum(1 for v in outcome.values() if v[0] == "accepted")
rej = sum(1 for v in outcome.values() if v[0] == "rejected")
print(json.dumps({"sent": count, "accepted": acc, "rejected": rej, "unfinished": count - acc - rej,
                  "tempfail_retries": tempfails, "connection_retries": conn_errors,
                  "seconds": round(dt, 2), "messages_per_second": round(count / dt, 1)}))
