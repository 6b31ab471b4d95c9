#!/usr/bin/env python3
"""The operator's loop on the jp corpus: learn the first copy of each
campaign as phishing, then judge the later copies in order.

Usage: bench/learn-jp.py NISE CORPUS_JP_DIR [--no-model] [--expect FILE]

CORPUS_JP_DIR holds labels.tsv (set, file, label, brand, kind, evidence,
dup_group) and the sets it names. The dup_group labels are read here only:
nise never sees them. Messages are taken in file-name order (the order
`nise check DIR` reads them). Three runs, each with a fresh LMDB store:

  checks     `nise check --no-record` on every message: no memory at all;
  memory     `nise check` on every message: campaign memory alone (every
             mail judged phishing is recorded, later copies may match);
  learned    the first copy of each dup_group `nise learn --phishing`, every
             later copy `nise check --no-record` (nothing but the reports);
  both       the same, later copies `nise check` (reports and memory).

--no-model judges with the checks alone (the learned model already judges
every repeat phishing, which hides what the loop adds).

Prints, for the repeats (phishing messages that are not the first of their
dup_group): how many were judged phishing, and how many carried each
finding the loop adds (CAMPAIGN_MATCH, INTEL_URL_MATCH from a learned URL,
LEARNED_SENDER). With --expect FILE, compares the printed lines with FILE
and exits 1 when they differ (tests/intel/learn-jp.sh).
"""
import json
import os
import subprocess
import sys
import tempfile


EXTRA = []


def run_check(nise, db, files, record):
    args = [nise, 'check', '--json', '--db', db] + EXTRA
    if not record:
        args.append('--no-record')
    out = subprocess.run(args + files, stdout=subprocess.PIPE, check=False).stdout.decode()
    res = {}
    for line in out.splitlines():
        r = json.loads(line)
        res[os.path.basename(r['source'])] = r
    return res


def run_learned(nise, db, rows, first, record):
    res = {}
    batch = []
    for name, path, _ in rows:
        if name in first:
            if batch:
                res.update(run_check(nise, db, batch, record))
                batch = []
            subprocess.run([nise, 'learn', '--phishing', '--who', 'bench', '--db', db] + EXTRA + [path],
                           stdout=subprocess.DEVNULL, check=True)
        else:
            batch.append(path)
    if batch:
        res.update(run_check(nise, db, batch, record))
    return res


def main():
    nise, jp = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    if '--no-model' in rest:
        EXTRA.append('--no-model')
        rest.remove('--no-model')
    expect = rest[1] if len(rest) > 1 and rest[0] == '--expect' else None
    rows = []
    for line in open(os.path.join(jp, 'labels.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if f[0] == 'set' or f[2] != 'phish':
            continue
        rows.append((f[1], os.path.join(jp, f[0], f[1]), f[6]))
    rows.sort()
    files = [p for _, p, _ in rows]
    first = set()
    seen = set()
    for name, _, group in rows:
        if group not in seen:
            first.add(name)
        seen.add(group)
    repeats = [name for name, _, _ in rows if name not in first]

    with tempfile.TemporaryDirectory() as tmp:
        env_db = lambda n: os.path.join(tmp, n + '.lmdb')
        checks = run_check(nise, env_db('checks'), files, False)
        memory = run_check(nise, env_db('memory'), files, True)
        learned = run_learned(nise, env_db('learned'), rows, first, False)
        both = run_learned(nise, env_db('both'), rows, first, True)

    def ids(r):
        return {f['id'] for f in r['findings']}

    def learned_url(r):
        return any(f['id'] == 'INTEL_URL_MATCH' and '(learned ' in f['evidence'] for f in r['findings'])

    n = len(repeats)
    out = [f'phishing messages {len(rows)}, dup_groups {len(seen)}, repeats {n}']
    for label, res in (('checks alone', checks), ('campaign memory alone', memory), ('learned first copies', learned),
                       ('learned first copies + memory', both)):
        ph = sum(res[x]['verdict'] == 'phishing' for x in repeats)
        sus = sum(res[x]['verdict'] == 'suspicious' for x in repeats)
        cm = sum('CAMPAIGN_MATCH' in ids(res[x]) for x in repeats)
        line = f'{label}: repeats judged phishing {ph}/{n}, suspicious {sus}, CAMPAIGN_MATCH {cm}'
        if res is learned or res is both:
            url = sum(learned_url(res[x]) for x in repeats)
            snd = sum('LEARNED_SENDER' in ids(res[x]) for x in repeats)
            anyf = sum(learned_url(res[x]) or bool(ids(res[x]) & {'CAMPAIGN_MATCH', 'LEARNED_SENDER'})
                       for x in repeats)
            tipped = sum(res[x]['verdict'] == 'phishing' and checks[x]['verdict'] != 'phishing' for x in repeats)
            line += (f', learned URL (INTEL_URL_MATCH) {url}, LEARNED_SENDER {snd}, any of the three {anyf}, '
                     f'phishing only because of what was learned {tipped}')
        out.append(line)
    for label, res in (('learned', learned), ('learned + memory', both)):
        missed = [x for x in repeats if res[x]['verdict'] != 'phishing']
        out.append(f'repeats not judged phishing ({label}): ' + (' '.join(missed) if missed else 'none'))
    text = '\n'.join(out) + '\n'
    sys.stdout.write(text)
    if expect:
        want = open(expect, encoding='utf-8').read()
        if want != text:
            sys.stdout.write('FAIL: differs from ' + expect + '\n')
            return 1
        sys.stdout.write('learn-jp: 1 passed, 0 failed\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
