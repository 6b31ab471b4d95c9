#!/usr/bin/env python3
"""Writes the URL lists the JPCERT/CC test looks up (tests/intel/jpcert.sh).

Usage: variants.py JPCERT_DIR LEGIT_JSON OUTDIR

OUTDIR/listed.txt    every URL of every CSV, as listed
OUTDIR/variants.txt  each listed URL as Safe Browsing would still match it:
                     host in upper case, host with a trailing dot, the
                     path's letters percent-escaped, a query string added
                     (only to URLs without one: a different query is a
                     different URL for Safe Browsing too)
OUTDIR/legit.txt     http://DOMAIN/ and https://DOMAIN/login for each of
                     the 500 legitimate root domains
OUTDIR/counts        "listed N", "variants N" for the shell test
"""
import csv, glob, json, os, re, sys

src, legit_json, out = sys.argv[1:4]
url_re = re.compile(r'^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$')


def split(u):
    m = url_re.match(u)
    if not m:
        return None
    scheme, auth, rest = m.groups()
    user = ''
    if '@' in auth:
        user, auth = auth.rsplit('@', 1)
        user += '@'
    port = ''
    pm = re.match(r'^(.*?)(:\d*)$', auth)
    if pm and not auth.startswith('['):
        auth, port = pm.groups()
    return scheme, user, auth, port, rest


listed, variants = [], []
for path in sorted(glob.glob(os.path.join(src, '*', '*.csv'))):
    with open(path, newline='', encoding='utf-8', errors='replace') as f:
        for row in csv.DictReader(f):
            u = (row.get('URL') or '').strip()
            if not u:
                continue
            listed.append(u)
            p = split(u)
            if not p or not p[2] or any(c in u for c in '\t\r\n '):
                continue
            scheme, user, host, port, rest = p
            frag = ''
            if '#' in rest:
                rest, frag = rest.split('#', 1)
                frag = '#' + frag
            path_, q = (rest.split('?', 1) + [None])[:2] if '?' in rest else (rest, None)
            variants.append(scheme + user + host.upper() + port + rest + frag)
            if not host.endswith('.'):
                variants.append(scheme + user + host + '.' + port + rest + frag)
            esc = re.sub(r'[A-Za-z]', lambda m: '%%%02X' % ord(m.group(0)), path_)
            variants.append(scheme + user + host + port + esc + ('?' + q if q is not None else '') + frag)
            if q is None:
                variants.append(scheme + user + host + port + (path_ or '/') + '?utm_source=nise' + frag)

with open(legit_json, encoding='utf-8') as f:
    legit = [d['rootDomain'] for d in json.load(f)]
for name, items in (('listed', listed), ('variants', variants),
                    ('legit', ['http://%s/' % d for d in legit] + ['https://%s/login' % d for d in legit])):
    with open(os.path.join(out, name + '.txt'), 'w', encoding='utf-8') as f:
        for u in items:
            f.write(u.replace('\n', ' ') + '\n')
with open(os.path.join(out, 'counts'), 'w') as f:
    f.write('listed %d\nvariants %d\nlegit %d\n' % (len(listed), len(variants), 2 * len(legit)))
