#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run.py — every message of the corpus through nise, rspamd, SpamAssassin
and ClamAV on this machine, in the same run (bench/peers/start.sh must have
started the three daemons). Writes the raw per-message results as TSV and
prints one table per labelled set.

For each set and filter it measures:
  flagged   rspamd: action other than "no action"; SpamAssassin: score >= 5;
            ClamAV: any detection; nise: verdict phishing (and, separately,
            suspicious)
  CPU s/msg server + client process time from the OS (/proc/PID/stat of the
            daemon's processes and getrusage of the clients), per message
  msg/s/core  1 / (CPU s/msg)
  median latency  wall time of one message's scan as its client saw it
Clients run two at a time (the machine has two cores, the daemons two
workers each). nise runs in-process (its library is what milter and HTTP
front ends call), one message after another, through build/bench/nise-bench.

Usage: run.py CORPUS NISE_BENCH CLAMD_CONF OUT.tsv
"""
import collections
import concurrent.futures as cf
import csv
import mailbox
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HZ = os.sysconf("SC_CLK_TCK")


def server_cpu(names):
    """CPU seconds used so far by processes whose command name is in names."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        if comm in names:
            fields = st[st.rindex(")") + 2:].split()
            # own time, plus that of children already reaped (spamd
            # replaces its children: their time moves to the parent)
            total += sum(int(x) for x in fields[11:15]) / HZ
    return total


def clients_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def rspamd(path, _):
    out = subprocess.run(["rspamc", "-h", "127.0.0.1:11333", path], capture_output=True, text=True).stdout
    action, score = "?", 0.0
    for line in out.splitlines():
        if line.startswith("Action:"):
            action = line.split(":", 1)[1].strip()
        elif line.startswith("Score:"):
            score = float(line.split(":", 1)[1].split("/")[0])
    return action != "no action" and action != "?", f"{action}:{score:.2f}"


def spamassassin(path, _):
    with open(path, "rb") as f:
        out = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", "7830", "-c"], stdin=f,
                             capture_output=True, text=True).stdout.strip()
    try:
        score = float(out.split("/")[0])
    except ValueError:
        return False, "error:" + out[:20]
    return score >= 5.0, f"{score:.1f}"


def clamav(path, conf):
    out = subprocess.run(["clamdscan", "--config-file=" + conf, "--no-summary", path],
                         capture_output=True, text=True).stdout.strip()
    found = out.endswith("FOUND")
    return found, out.rsplit(":", 1)[-1].strip()[:60] if found else "OK"


PEERS = [("rspamd", rspamd, {"rspamd"}), ("spamassassin", spamassassin, {"spamd", "spamd child"}),
         ("clamav", clamav, {"clamd"})]


def main():
    corpus, nise_bench, clamd_conf, out_tsv = sys.argv[1:5]
    tmp = tempfile.mkdtemp(prefix="nise-peers-")
    # the message list: MANIFEST rows; an mbox becomes one file per message
    sets = collections.OrderedDict()
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            path, label = row["path"], row["label"]
            parts = path.split("/")
            name = parts[0] + "/" + parts[1] if len(parts) > 2 else parts[0]
            if parts[0] == "jp":
                name = "jp/" + label
            key = (name, label)
            full = os.path.join(corpus, path)
            if full.endswith(".mbox"):
                for i, m in enumerate(mailbox.mbox(full)):
                    p = os.path.join(tmp, f"{os.path.basename(full)}.{i}.eml")
                    with open(p, "wb") as g:
                        g.write(m.as_bytes())
                    sets.setdefault(key, []).append((f"{path}#{i}", p))
            else:
                sets.setdefault(key, []).append((path, full))
    sample = int(os.environ.get("PEERS_SAMPLE", "0"))
    if sample:
        for k in sets:
            sets[k] = sets[k][:sample]
    rows = []
    summary = collections.OrderedDict()
    for (name, label), msgs in sets.items():
        # nise, in-process
        tsv = os.path.join(tmp, "nise.tsv")
        done = subprocess.run([nise_bench, "--runs", "1", "--tsv", tsv] + [p for _, p in msgs],
                              capture_output=True, check=True, text=True)
        # nise-bench reports the CPU time of its timed pass alone (not the
        # file reading nor the per-message pass that wrote the TSV)
        last = done.stdout.strip().splitlines()[-1]
        cpu = float(last.split(",")[-1].split("us/msg")[0]) / 1e6 * len(msgs)
        lat = {}
        with open(tsv) as f:
            for r in csv.DictReader(f, delimiter="\t"):
                lat[r["path"]] = r
        nres = []
        for key, p in msgs:
            # a file that starts with a "From " line is read as a one-message mbox
            r = lat.get(p) or lat.get(p + "#0")
            v = r["verdict"] if r else "error"
            nres.append((key, v, float(r["latency_us"]) / 1e3 if r else 0.0))
            rows.append((key, label, "nise", v in ("phishing",), v, float(r["latency_us"]) / 1e3 if r else 0))
        summary[(name, label, "nise")] = {
            "n": len(msgs), "flagged": sum(v == "phishing" for _, v, _ in nres),
            "suspicious": sum(v == "suspicious" for _, v, _ in nres),
            "cpu": cpu / len(msgs), "lat": statistics.median(l for _, _, l in nres)}
        for peer, fn, procs in PEERS:
            s0, c0 = server_cpu(procs), clients_cpu()

            def one(m):
                t = time.perf_counter()
                flagged, detail = fn(m[1], clamd_conf)
                return m[0], flagged, detail, (time.perf_counter() - t) * 1e3

            with cf.ThreadPoolExecutor(2) as ex:
                out = list(ex.map(one, msgs))
            cpu = server_cpu(procs) - s0 + clients_cpu() - c0
            for key, flagged, detail, ms in out:
                rows.append((key, label, peer, flagged, detail, ms))
            summary[(name, label, peer)] = {
                "n": len(msgs), "flagged": sum(o[1] for o in out), "cpu": cpu / len(msgs),
                "lat": statistics.median(o[3] for o in out)}
        print(f"done {name} ({label}, {len(msgs)} messages)", file=sys.stderr, flush=True)
    with open(out_tsv, "w") as f:
        f.write("path\tlabel\tfilter\tflagged\tdetail\tlatency_ms\n")
        for r in rows:
            f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{int(r[3])}\t{r[4]}\t{r[5]:.1f}\n")
    for (name, label), msgs in sets.items():
        print(f"\n### {name} ({label}, {len(msgs)} messages)\n")
        print("| filter | flagged | % | CPU ms/msg | msg/s/core | median latency ms |")
        print("|---|---|---|---|---|---|")
        for peer in ["nise", "rspamd", "spamassassin", "clamav"]:
            s = summary[(name, label, peer)]
            flag = f"{s['flagged']}" + (f" phishing + {s['suspicious']} suspicious" if peer == "nise" else "")
            pct = 100.0 * (s["flagged"] + s.get("suspicious", 0)) / s["n"]
            rate = 1.0 / s["cpu"] if s["cpu"] > 0 else float("inf")
            print(f"| {peer} | {flag} | {pct:.1f} | {s['cpu'] * 1e3:.2f} | {rate:.0f} | {s['lat']:.1f} |")


if __name__ == "__main__":
    main()
