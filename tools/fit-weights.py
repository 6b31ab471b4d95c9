#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fit-weights.py — proposes check weights from a regularised logistic fit.

Reads `nise check --json` output for labelled mail, turns each message into
a vector of check activations (a finding's score divided by its current
weight, i.e. the factor the check applied; 0 when it did not fire), and fits
L2-regularised logistic regression (phish = 1, ham = 0) by gradient descent,
with every weight kept >= 0 except the checks listed as evidence *for* a
genuine mail (kept <= 0). Folds keep near-duplicates together: a jp/
message's fold is its campaign (dup_group), other mail is split by file.

The output is a proposal for a human: coefficients are rescaled so that the
phishing threshold (6 points) is where the model's probability crosses 0.5,
and cross-validated rates at the 6 and 3 point thresholds are printed. It
never memorises files: the only inputs are which checks fired.

Usage:
  tools/fit-weights.py CORPUS RESULTS.jsonl...   (results of nise check --json over CORPUS)
"""
import collections
import csv
import json
import math
import os
import random
import sys

NEGATIVE = {"BRAND_AUTHENTICATED"}
L2 = 0.02
EPOCHS = 400
RATE = 0.5


def load(corpus, paths):
    labels = {}
    with open(os.path.join(corpus, "MANIFEST.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            labels[row["path"]] = row["label"]
    groups = {}
    with open(os.path.join(corpus, "jp", "labels.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            groups[row["file"]] = row["dup_group"]
    rows = []
    for p in paths:
        for line in open(p, encoding="utf-8"):
            o = json.loads(line)
            src = o["source"]
            rel = src.split("corpus/", 1)[-1]
            label = labels.get(rel)
            if label not in ("phish", "ham"):
                continue
            feats = {}
            for fd in o["findings"]:
                if fd["score"] != 0 and fd["id"] not in feats:
                    feats[fd["id"]] = fd["score"]
            base = os.path.basename(rel)
            group = groups.get(base) if rel.startswith("jp/") else rel + "#" + str(o.get("index", 0))
            subset = "/".join(rel.split("/")[:2])
            rows.append((feats, 1 if label == "phish" else 0, group, subset))
    return rows


def main():
    corpus, paths = sys.argv[1], sys.argv[2:]
    rows = load(corpus, paths)
    # current weight of each check = the largest score seen (factor 1 is the common case)
    cur = collections.defaultdict(float)
    for feats, _, _, _ in rows:
        for k, v in feats.items():
            if abs(v) > abs(cur[k]):
                cur[k] = v
    ids = sorted(cur)
    X = [[feats.get(k, 0.0) / cur[k] if cur[k] else 0.0 for k in ids] for feats, _, _, _ in rows]
    Y = [y for _, y, _, _ in rows]
    # class balance: phish and ham weigh the same in total; jp phish twice
    npos = sum(Y)
    nneg = len(Y) - npos
    W = [(0.5 / npos if y else 0.5 / nneg) * (2.0 if r[3].startswith("jp/") and y else 1.0) * len(Y)
         for y, r in zip(Y, rows)]

    def fit(idx):
        beta = [0.0] * len(ids)
        b0 = -1.0
        for _ in range(EPOCHS):
            g = [0.0] * len(ids)
            g0 = 0.0
            for i in idx:
                z = b0 + sum(bj * xj for bj, xj in zip(beta, X[i]) if xj)
                p = 1.0 / (1.0 + math.exp(-max(-30, min(30, z))))
                e = (p - Y[i]) * W[i]
                g0 += e
                for j, xj in enumerate(X[i]):
                    if xj:
                        g[j] += e * xj
            n = len(idx)
            b0 -= RATE * g0 / n
            for j in range(len(ids)):
                beta[j] -= RATE * (g[j] / n + L2 * beta[j])
                if ids[j] in NEGATIVE:
                    beta[j] = min(beta[j], 0.0)
                else:
                    beta[j] = max(beta[j], 0.0)
        return b0, beta

    # grouped 5-fold cross-validation
    gl = sorted(set(r[2] for r in rows))
    random.Random(7).shuffle(gl)
    fold = {g: i % 5 for i, g in enumerate(gl)}
    score = [0.0] * len(rows)
    for k in range(5):
        train = [i for i, r in enumerate(rows) if fold[r[2]] != k]
        b0, beta = fit(train)
        scale = 6.0 / -b0 if b0 < 0 else 1.0
        for i, r in enumerate(rows):
            if fold[r[2]] == k:
                score[i] = scale * sum(bj * xj for bj, xj in zip(beta, X[i]))
    by = collections.defaultdict(lambda: [0, 0, 0])
    for s, r in zip(score, rows):
        t = by[r[3]]
        t[0] += 1
        t[1] += s >= 6
        t[2] += 3 <= s < 6
    print("cross-validated (5 folds, campaigns kept together):")
    for k in sorted(by):
        n, ph, su = by[k]
        print("  %-22s n=%5d phishing %6.2f%%  suspicious %6.2f%%" % (k, n, 100 * ph / n, 100 * su / n))
    b0, beta = fit(list(range(len(rows))))
    scale = 6.0 / -b0 if b0 < 0 else 1.0
    print("\nproposed weights (points; phishing at 6):")
    for k, bj in sorted(zip(ids, beta), key=lambda t: -abs(t[1])):
        print("  %-24s current %5.2f  proposed %5.2f" % (k, cur[k], bj * scale))


if __name__ == "__main__":
    main()
