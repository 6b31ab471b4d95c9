#!/usr/bin/env python3
"""How much of the JPCERT/CC phishing URL list names a brand data/brands.tsv knows
(python3 stdlib only).

usage: python3 data/tools/brand-coverage.py [--jpcert DIR] [--brands FILE] [--min PCT]
                                            [--show N] [YEAR ...]

Each row of the JPCERT/CC CSVs (date,URL,description) names the impersonated brand in its
description. A row is covered when some brand name of brands.tsv occurs in the description
(after NFKC + case folding, spaces removed for Japanese; a '=name' must not touch an ASCII letter
or digit, the rule detect.c applies to mail), or when the description is '-'/empty (no brand
named). Prints the share of covered URLs per year and overall, then every description not
covered, with its row count. With --min, exits 1 when the overall share is below PCT.
"""
import argparse, csv, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fold(s):
    return unicodedata.normalize('NFKC', s).casefold()


def load_names(path):
    names = []  # (folded name, whole word, brand id)
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            r = line.rstrip('\n').split('\t')
            for n in r[2].split('|'):
                mark = n[:1] if n[:1] in ('=', '~') else ''
                n = fold(n[len(mark):])
                if n:
                    names.append((n, mark, r[0]))
    return names


def alnum(ch):
    return ch.isascii() and ch.isalnum()


OPEN = ('(', '[', '<', '"', '【', '「', '『', '〔', '〈', '《', '〖')
CLOSE = (')', ']', '>', '"', '】', '」', '』', '〕', '〉', '》', '〗')


def fits(v, i, n, mark):
    """the boundary rules of detect.c's on_name"""
    before, after = v[:i], v[i + len(n):]
    if mark == '~':
        return (before == '' or before.endswith(OPEN)) and (after == '' or after.startswith(CLOSE))
    if mark == '=':
        return (i == 0 or not alnum(v[i - 1])) and (not after or not alnum(after[0]))
    return True


def brand_of(desc, names):
    d = fold(desc).strip()
    variants = [d, re.sub(r'\s+', '', d)]
    best = None
    for n, mark, bid in names:
        for v in variants:
            i = v.find(n)
            while i >= 0:
                if fits(v, i, n, mark):
                    if best is None or len(n) > best[0]:
                        best = (len(n), bid)
                    break
                i = v.find(n, i + 1)
    return best[1] if best else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--jpcert', default=os.path.join(ROOT, '..', 'shared', 'corpus', 'urls', 'jpcert'))
    ap.add_argument('--brands', default=os.path.join(ROOT, 'data', 'brands.tsv'))
    ap.add_argument('--min', type=float, default=None, help='fail below this percentage')
    ap.add_argument('--show', type=int, default=0, help='list at most N missing descriptions (0 = all)')
    ap.add_argument('years', nargs='*')
    a = ap.parse_args()
    years = a.years or sorted(y for y in os.listdir(a.jpcert) if re.fullmatch(r'\d{4}', y))
    names = load_names(a.brands)
    cache, missing = {}, {}
    total = covered = 0
    for y in years:
        yt = yc = 0
        d = os.path.join(a.jpcert, y)
        for fn in sorted(os.listdir(d)):
            if not fn.endswith('.csv'):
                continue
            with open(os.path.join(d, fn), encoding='utf-8', newline='') as f:
                for r in csv.DictReader(f):
                    desc = (r.get('description') or '').strip()
                    yt += 1
                    if desc in ('', '-'):
                        yc += 1
                        continue
                    if desc not in cache:
                        cache[desc] = brand_of(desc, names)
                    if cache[desc]:
                        yc += 1
                    else:
                        missing[desc] = missing.get(desc, 0) + 1
        print('%s\t%d/%d\t%.2f%%' % (y, yc, yt, 100.0 * yc / yt if yt else 100.0))
        total += yt
        covered += yc
    pct = 100.0 * covered / total if total else 100.0
    print('all\t%d/%d\t%.2f%%' % (covered, total, pct))
    print('missing brands: %d descriptions, %d URLs' % (len(missing), total - covered))
    ms = sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))
    for desc, n in ms[:a.show or len(ms)]:
        print('\t%d\t%s' % (n, desc))
    if a.min is not None and pct < a.min:
        print('FAIL: coverage %.2f%% below %.2f%%' % (pct, a.min))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
