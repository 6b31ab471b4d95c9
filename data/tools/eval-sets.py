#!/usr/bin/env python3
"""Verdicts and check hits per corpus set (python3 stdlib only).

usage: python3 data/tools/eval-sets.py NISE [--corpus DIR] [--checks ID,ID] [--model] [--sets a/b,c/d]

Runs `NISE eval --json --manifest CORPUS/MANIFEST.tsv --root CORPUS --groups CORPUS/jp/labels.tsv
--only SET --no-model` for every set (the first two path components in MANIFEST.tsv) and prints one
line per set and label: messages, phishing, suspicious, clean, and the messages each listed check
fired on. Use it to measure a check's hits (phish/, jp/) and false alarms (ham/) set by set.
"""
import argparse, collections, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('nise')
    ap.add_argument('--corpus', default=os.path.join(ROOT, '..', 'shared', 'corpus'))
    ap.add_argument('--checks', default='')
    ap.add_argument('--model', action='store_true', help='with the learned model (default: checks alone)')
    ap.add_argument('--sets', default='')
    a = ap.parse_args()
    c = a.corpus
    sets = collections.OrderedDict()
    with open(os.path.join(c, 'MANIFEST.tsv'), encoding='utf-8') as f:
        for line in f:
            p = line.split('\t', 1)[0]
            if '/' in p and not p.startswith('robustness'):
                sets['/'.join(p.split('/')[:2])] = True
    want = [s for s in a.sets.split(',') if s] or list(sets)
    checks = [x for x in a.checks.split(',') if x]
    print('set\tlabel\tmessages\tphishing\tsuspicious\tclean' + ''.join('\t' + k for k in checks))
    for s in want:
        cmd = [a.nise, 'eval', '--json', '--manifest', os.path.join(c, 'MANIFEST.tsv'), '--root', c,
               '--groups', os.path.join(c, 'jp', 'labels.tsv'), '--only', s + '/']
        if not a.model:
            cmd.append('--no-model')
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode not in (0, 1) or not out.stdout.strip():
            print('%s: nise eval failed: %s' % (s, out.stderr.strip()), file=sys.stderr)
            return 2
        d = json.loads(out.stdout)
        for label in ('phish', 'spam', 'ham'):
            o = d.get(label)
            if not o or not o.get('messages'):
                continue
            hits = o.get('hits', {})
            print('%s\t%s\t%d\t%d\t%d\t%d' % (s, label, o['messages'], o['phishing'], o['suspicious'], o['clean']) +
                  ''.join('\t%s' % hits.get(k, 0) for k in checks))
    return 0


if __name__ == '__main__':
    sys.exit(main())
