#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run.py — the race: the same mail through nise, rspamd, SpamAssassin and
ClamAV, each run the way its users run it, in one run on this machine
(bench/peers/start.sh must have started the three daemons; they are warm:
each scans WARM messages before anything is measured).

  nise check    `nise check --json FILE...`, BATCH files per process (the
                CLI as a person or a script runs it; engine start-up included)
  nise serve    `nise serve` (2 threads), one curl process per BATCH files
                POSTing them to /v1/check over one keep-alive connection
  rspamd        `rspamc FILE...`, BATCH files per process, to a warm rspamd
                (2 normal workers)
  SpamAssassin  one `spamc -c` per message (as an MTA or procmail runs it)
                to a warm spamd (2 children, never recycled)
  ClamAV        `clamdscan --stream FILE...`, BATCH files per process, to a
                warm clamd (2 threads)
Two client streams at a time (two cores). CPU from the OS: the daemon's
process tree from /proc/PID/stat (utime+stime, reaped children included) and
the clients' getrusage(RUSAGE_CHILDREN), both over the same interval; for
nise check all of it is client time (there is no server).

Usage: run.py CORPUS NISE RUN_DIR OUT_PREFIX [--sample N] [--batch N] [--no-serve]
  CORPUS/MANIFEST.tsv gives the files and labels; a set is the first two
  path components (jp/ by label); an mbox is split into one file per message.
  --sample N: at most N messages per set, evenly spaced in manifest order.
Writes OUT_PREFIX.tsv (one row per message and filter) and OUT_PREFIX.md
(the tables), and prints the tables.
"""
import argparse
import collections
import concurrent.futures as cf
import csv
import json
import mailbox
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cpu  # noqa: E402

SERVE_PORT = 18093  # not used by any test (18094 is serve-loop) (grep the tree before changing it)


def chunks(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs), n)]


def parallel(fn, items):
    with cf.ThreadPoolExecutor(2) as ex:
        return list(ex.map(fn, items))


# ---- each filter: fn(list of paths) -> {path: (flagged, detail)}

def rspamd_batch(paths):
    out = subprocess.run(["rspamc", "-h", "127.0.0.1:11333", "-t", "60"] + paths,
                         capture_output=True, text=True).stdout
    res, cur, action = {}, None, "?"
    for line in out.splitlines():
        if line.startswith("Results for file: "):
            cur = line[len("Results for file: "):].rsplit(" (", 1)[0]
        elif line.startswith("Action:") and cur is not None:
            action = line.split(":", 1)[1].strip()
        elif line.startswith("Score:") and cur is not None:
            score = line.split(":", 1)[1].split("/")[0].strip()
            res[cur] = (action not in ("no action", "?"), f"{action}:{score}")
            cur = None
    return res


def spamc_one(path):
    with open(path, "rb") as f:
        out = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", "7830", "-c"], stdin=f,
                             capture_output=True, text=True).stdout.strip()
    try:
        score = float(out.split("/")[0])
    except ValueError:
        return {path: (False, "error:" + out[:20])}
    return {path: (score >= 5.0, f"{score:.1f}")}


def clamav_batch(paths, conf):
    out = subprocess.run(["clamdscan", "--config-file=" + conf, "--stream", "--no-summary"] + paths,
                         capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        path, _, verdict = line.rpartition(": ")
        verdict = verdict.strip()
        res[path] = (verdict.endswith("FOUND"), verdict[:60])
    return res


def nise_batch(paths, nise):
    out = subprocess.run([nise, "check", "--json", "--lang", "en"] + paths,
                         capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        src = o.get("source", "")
        if src not in res and src.endswith("#0"):  # a file read as a one-message mbox
            src = src[:-2]
        res[src] = (o.get("verdict") == "phishing", o.get("verdict", "?"))
    return res


def serve_batch(paths, tmp):
    # one curl process, one keep-alive connection, one POST per file; each
    # answer is one line of JSON (the object nise check --json prints)
    fd, cfg = tempfile.mkstemp(dir=tmp, suffix=".curl")
    with os.fdopen(fd, "w") as f:
        for i, p in enumerate(paths):
            if i:
                f.write("next\n")
            q = p.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'url = "http://127.0.0.1:{SERVE_PORT}/v1/check?lang=en"\n'
                    f'data-binary = "@{q}"\nheader = "Content-Type: message/rfc822"\n'
                    f'silent\nwrite-out = "\\n"\n')
    out = subprocess.run(["curl", "-K", cfg], capture_output=True, text=True).stdout
    res = {}
    lines = [x for x in out.splitlines() if x.strip()]
    for p, line in zip(paths, lines):
        try:
            v = json.loads(line).get("verdict", "?")
        except ValueError:
            v = "error"
        res[p] = (v == "phishing", v)
    return res


class Serve:
    def __init__(self, nise, tmp):
        self.p = subprocess.Popen([nise, "serve", "--listen", f"127.0.0.1:{SERVE_PORT}", "--threads", "2",
                                   "--quiet"], stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "serve.log"), "w"))
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", SERVE_PORT), 0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("nise serve did not start (see serve.log)")

    def stop(self):
        self.p.terminate()
        self.p.wait()


def pidfile(path):
    with open(path) as f:
        return int(f.read().split()[0])


def load_sets(corpus, tmp, sample):
    sets = collections.OrderedDict()
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            path, label = row["path"], row["label"]
            parts = path.split("/")
            name = parts[0] + "/" + parts[1] if len(parts) > 2 else parts[0]
            if parts[0] == "jp":
                name = "jp/" + label
            full = os.path.join(corpus, path)
            if full.endswith(".mbox"):
                for i, m in enumerate(mailbox.mbox(full)):
                    p = os.path.join(tmp, "mbox", f"{os.path.basename(full)}.{i}.eml")
                    os.makedirs(os.path.dirname(p), exist_ok=True)
                    with open(p, "wb") as g:
                        g.write(m.as_bytes())
                    sets.setdefault((name, label), []).append((f"{path}#{i}", p))
            else:
                sets.setdefault((name, label), []).append((path, os.path.realpath(full)))
    if sample:
        for k, msgs in sets.items():
            if len(msgs) > sample:
                sets[k] = [msgs[i * len(msgs) // sample] for i in range(sample)]
    return sets


FILTERS = ["nise check", "nise serve", "rspamd", "spamassassin", "clamav"]
HOW = {
    "nise check": "`nise check --json`, {b} files per process",
    "nise serve": "`nise serve`, curl keep-alive, {b} POSTs per connection",
    "rspamd": "`rspamc`, {b} files per process",
    "spamassassin": "`spamc -c` per message",
    "clamav": "`clamdscan --stream`, {b} files per process",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("nise")
    ap.add_argument("run")
    ap.add_argument("out")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--warm", type=int, default=50)
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--serve-port", type=int, default=18093)
    ap.add_argument("--only", default="", help="comma-separated filters (e.g. 'nise check,nise serve')")
    a = ap.parse_args()
    global SERVE_PORT
    SERVE_PORT = a.serve_port
    nise = os.path.abspath(a.nise)
    tmp = tempfile.mkdtemp(prefix="nise-race-")
    # nise without a threat-intelligence store, like the peers without feeds
    os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "xdg")
    clamd_conf = os.path.join(a.run, "clamav", "clamd.conf")
    servers = {}
    for flt, pf in (("rspamd", "rspamd/rspamd.pid"), ("spamassassin", "sa/spamd.pid"),
                    ("clamav", "clamav/clamd.pid")):
        if os.path.exists(os.path.join(a.run, pf)):
            servers[flt] = pidfile(os.path.join(a.run, pf))
    serve = None
    filters = [f for f in FILTERS if (f != "nise serve" or not a.no_serve)
               and (not a.only or f in a.only.split(","))]
    if "nise serve" in filters:
        serve = Serve(nise, tmp)
        servers["nise serve"] = serve.p.pid
    b = a.batch
    runners = {
        "nise check": lambda ps: parallel(lambda c: nise_batch(c, nise), chunks(ps, b)),
        "nise serve": lambda ps: parallel(lambda c: serve_batch(c, tmp), chunks(ps, b)),
        "rspamd": lambda ps: parallel(rspamd_batch, chunks(ps, b)),
        "spamassassin": lambda ps: parallel(spamc_one, ps),
        "clamav": lambda ps: parallel(lambda c: clamav_batch(c, clamd_conf), chunks(ps, b)),
    }
    try:
        sets = load_sets(a.corpus, tmp, a.sample)
        # warm every filter on the first messages of the corpus (not measured)
        warm = [p for msgs in sets.values() for _, p in msgs][:a.warm]
        for flt in filters:
            runners[flt](warm)
        # nise check's start-up alone: one process on one small message, median of 5
        one = []
        for _ in range(5):
            c0 = cpu.clients_seconds()
            nise_batch([warm[0]], nise)
            one.append(cpu.clients_seconds() - c0)
        startup = sorted(one)[2]
        rows, summary = [], collections.OrderedDict()
        for (name, label), msgs in sets.items():
            paths = [p for _, p in msgs]
            for flt in filters:
                pid = servers.get(flt)
                s0 = cpu.tree_seconds(pid) if pid else 0.0
                c0 = cpu.clients_seconds()
                w0 = time.perf_counter()
                res = {}
                for r in runners[flt](paths):
                    res.update(r)
                wall = time.perf_counter() - w0
                srv = (cpu.tree_seconds(pid) - s0) if pid else 0.0
                cli = cpu.clients_seconds() - c0
                got = [res.get(p, (False, "missing")) for p in paths]
                for (key, _), (fl, det) in zip(msgs, got):
                    rows.append((key, name, label, flt, int(fl), det))
                summary[(name, label, flt)] = {
                    "n": len(msgs), "server": srv / len(msgs), "client": cli / len(msgs),
                    "wall": wall, "flagged": sum(fl for fl, _ in got),
                    "suspicious": sum(d == "suspicious" for _, d in got),
                    "missing": sum(d in ("missing", "error") or d.startswith("error") for _, d in got)}
            print(f"done {name} ({label}, {len(msgs)} messages)", file=sys.stderr, flush=True)
    finally:
        if serve:
            serve.stop()
    with open(a.out + ".tsv", "w") as f:
        f.write("path\tset\tlabel\tfilter\tflagged\tdetail\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    md = report(sets, summary, filters, b, startup)
    with open(a.out + ".md", "w") as f:
        f.write(md)
    print(md)
    shutil.rmtree(tmp, ignore_errors=True)


def report(sets, summary, filters, b, startup):
    L = []
    total = lambda s: s["server"] + s["client"]  # noqa: E731
    peers = ("rspamd", "spamassassin", "clamav")
    L.append("| set (label, mails) | nise check ms | nise serve ms | rspamd ms | SpamAssassin ms | ClamAV ms "
             "| rspamd / nise check | SpamAssassin / nise check | ClamAV / nise check | rspamd / nise serve |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")

    def ratio(cost, p, base):
        if p not in cost or base not in cost or cost[base] <= 0:
            return "—"
        return f"{cost[p] / cost[base]:.1f}×"

    agg = collections.defaultdict(lambda: [0.0, 0])
    for (name, label), msgs in sets.items():
        cost = {f: total(summary[(name, label, f)]) for f in filters}
        cells = [f"{cost[f] * 1e3:.2f}" if f in cost else "—" for f in FILTERS]
        ratios = [ratio(cost, p, "nise check") for p in peers] + [ratio(cost, "rspamd", "nise serve")]
        L.append(f"| {name} ({label}, {len(msgs)}) | " + " | ".join(cells + ratios) + " |")
        for f in filters:
            agg[f][0] += cost[f] * len(msgs)
            agg[f][1] += len(msgs)
    cost = {f: agg[f][0] / agg[f][1] for f in filters}
    cells = [f"**{cost[f] * 1e3:.2f}**" if f in cost else "—" for f in FILTERS]
    ratios = [ratio(cost, p, "nise check") for p in peers] + [ratio(cost, "rspamd", "nise serve")]
    n = max(x[1] for x in agg.values())
    L.append(f"| all ({n}) | " + " | ".join(cells + [f"**{r}**" for r in ratios]) + " |")
    L.append("")
    procs = sum(-(-len(msgs) // b) for msgs in sets.values())
    L.append(f"CPU ms per mail, server + client. nise check's start-up alone (one process, one small "
             f"mail, median of 5): {startup * 1e3:.1f} ms; with {b} files per process the sets above "
             f"took {procs} processes for {n} mails, so start-up is {startup * procs / n * 1e3:.2f} ms of "
             f"nise check's {cost.get('nise check', 0) * 1e3:.2f} ms per mail overall (a set of 300 mails: "
             f"{startup / 300 * 1e3:.2f} ms per mail).")
    L.append("")
    for (name, label), msgs in sets.items():
        L.append(f"### {name} ({label}, {len(msgs)} mails)")
        L.append("")
        L.append("| filter | how | flagged | CPU ms/mail server | client | total | mails/s per core "
                 "| wall s | unanswered |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for f in filters:
            s = summary[(name, label, f)]
            t = total(s)
            fl = f"{s['flagged']}" + (f" phishing + {s['suspicious']} suspicious" if f.startswith("nise") else "")
            L.append(f"| {f} | {HOW[f].format(b=b)} | {fl} | {s['server'] * 1e3:.2f} | {s['client'] * 1e3:.2f} "
                     f"| {t * 1e3:.2f} | {1 / t if t > 0 else float('inf'):.0f} | {s['wall']:.1f} | {s['missing']} |")
        L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
