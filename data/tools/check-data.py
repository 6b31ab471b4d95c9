#!/usr/bin/env python3
"""Sanity checks for the data files (python3 stdlib only).

usage: python3 data/tools/check-data.py [CORPUS_DIR]

- every file: UTF-8, tab-separated, the right number of columns, no stray whitespace;
- brands.tsv: unique ids, lowercase domain syntax, tokens lowercase ascii, no brand domain that is
  also listed in shared-senders.tsv as a registrable (non-HOST) entry unless that row says "also";
- lexicon.tsv: known lang/category, weight in 0.5..3, phrase already normalised (NFKC, casefold,
  no whitespace);
- with the corpus: each From domain of ham/brand-lists/brands.tsv is owned by its brand row.
Exit status 1 if anything fails.
"""
import os, re, sys, csv, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, 'data')
COLS = {'brands.tsv': 7, 'shared-senders.tsv': 3, 'shorteners.tsv': 2, 'lexicon.tsv': 5, 'tld-risk.tsv': 5}
DOM = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$')
errors = []

def rows(name):
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.startswith('#') or not line.strip():
                continue
            r = line.rstrip('\n').split('\t')
            if len(r) != COLS[name]:
                errors.append('%s:%d: %d columns, want %d' % (name, n, len(r), COLS[name]))
            if any(x != x.strip() for x in r):
                errors.append('%s:%d: leading/trailing whitespace in a field' % (name, n))
            yield n, r

def main():
    shared = {r[0]: r[1] for _, r in rows('shared-senders.tsv')}
    for n, r in rows('shorteners.tsv'):
        if not DOM.match(r[0]):
            errors.append('shorteners.tsv:%d: bad domain %r' % (n, r[0]))
    brands, ids = {}, set()
    for n, r in rows('brands.tsv'):
        if len(r) != 7:
            continue
        bid, name, names, doms, snd, toks, src = r
        if not re.fullmatch(r'[a-z0-9_]+', bid) or bid in ids:
            errors.append('brands.tsv:%d: bad or duplicate id %r' % (n, bid))
        ids.add(bid)
        if not names or not src:
            errors.append('brands.tsv:%d: empty names/source' % n)
        ds = sorted(set(d for d in (doms + '|' + snd).split('|') if d))
        for d in ds:
            if not DOM.match(d):
                errors.append('brands.tsv:%d: bad domain %r' % (n, d))
            if d in shared and 'HOST' not in shared[d] and 'also' not in shared[d].lower():
                errors.append('brands.tsv:%d: %s is a shared sender without an "also <brand>" note' % (n, d))
        if toks != '-':
            for t in toks.split('|'):
                if not re.fullmatch(r'=?[a-z0-9][a-z0-9-]*', t):
                    errors.append('brands.tsv:%d: bad token %r' % (n, t))
        brands[bid] = set(ds)
    for n, r in rows('lexicon.tsv'):
        if len(r) != 5:
            continue
        lang, cat, phrase, w, note = r
        if lang not in ('ja', 'en', 'pt', 'de', 'fr', 'es', 'nl', 'it'):
            errors.append('lexicon.tsv:%d: lang %r' % (n, lang))
        if cat not in ('deadline', 'threat', 'credential', 'payment', 'security_pretext', 'action', 'delivery', 'prize'):
            errors.append('lexicon.tsv:%d: category %r' % (n, cat))
        if not 0.5 <= float(w) <= 3:
            errors.append('lexicon.tsv:%d: weight %s' % (n, w))
        if phrase != re.sub(r'\s+', '', unicodedata.normalize('NFKC', phrase).casefold()):
            errors.append('lexicon.tsv:%d: phrase not normalised %r' % (n, phrase))
    for n, r in rows('tld-risk.tsv'):
        if len(r) == 5 and not 0 <= float(r[1]) <= 3:
            errors.append('tld-risk.tsv:%d: weight %s' % (n, r[1]))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpus')
    bl = os.path.join(corpus, 'ham', 'brand-lists', 'brands.tsv')
    if os.path.exists(bl):
        with open(bl, encoding='utf-8') as f:
            for r in csv.DictReader(f, delimiter='\t'):
                b, d = r['brand'], r['from_domain'].lower()
                if b not in brands:
                    errors.append('ham brand-lists: brand %s not in brands.tsv' % b)
                elif not any(d == x or d.endswith('.' + x) for x in brands[b]):
                    errors.append('ham brand-lists: %s (%s) not owned by brand %s' % (d, r['path'], b))
    else:
        print('note: corpus not found, skipped the ham/brand-lists check')
    for e in errors:
        print(e)
    print('%d problem(s)' % len(errors))
    return 1 if errors else 0

if __name__ == '__main__':
    sys.exit(main())
