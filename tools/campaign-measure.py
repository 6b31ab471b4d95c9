#!/usr/bin/env python3
"""How well campaign memory recognises repeats, measured against the jp
corpus's dup_group labels (read here only; nise never sees them).

Usage:
  build/nise check --db /tmp/x/jp.lmdb --json ../shared/corpus/jp/nvdimm/ > jp.jsonl
  build/nise intel fingerprint ../shared/corpus/jp/nvdimm/ > fp.tsv
  tools/campaign-measure.py ../shared/corpus/jp/labels.tsv jp.jsonl fp.tsv

The messages are checked in file order with a fresh store, so each one can
match only campaigns recorded from earlier messages. Prints: phishing
messages and dup_groups (a perfect memory matches messages - groups), how
many got CAMPAIGN_MATCH, and whether the campaign they matched was founded
by a message of their own dup_group.
"""
import json
import sys

labels_tsv, results, fps = sys.argv[1:4]
labels = {}
for line in open(labels_tsv, encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if f[0] != 'set':
        labels[f[1]] = (f[2], f[6])
founder_group = {}
for line in open(fps):
    fp, _verdict, path = line.rstrip('\n').split('\t')
    founder_group.setdefault(fp, labels[path.rsplit('/', 1)[1]][1])
n = judged = matched = own = other = first_of_group = 0
seen = set()
for line in open(results):
    r = json.loads(line)
    label, group = labels[r['source'].rsplit('/', 1)[1]]
    if label != 'phish':
        continue
    n += 1
    judged += r['verdict'] == 'phishing'
    f = [x for x in r['findings'] if x['id'] == 'CAMPAIGN_MATCH']
    if f:
        matched += 1
        campaign = f[0]['evidence'].split()[1].rstrip(',')
        if founder_group.get(campaign) == group:
            own += 1
        else:
            other += 1
            first_of_group += group not in seen
    seen.add(group)
print(f'phishing messages {n}, dup_groups {len(seen)}, repeats a perfect memory would match {n - len(seen)}')
print(f'judged phishing (and so recorded) {judged}')
print(f'matched to an earlier campaign {matched}: {own} to the campaign its own dup_group founded, '
      f'{other} to another group\'s ({first_of_group} of them the first copy of their group)')
