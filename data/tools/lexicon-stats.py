#!/usr/bin/env python3
"""Count how many corpus messages contain each lexicon phrase (python3 stdlib only).

usage: python3 data/tools/lexicon-stats.py [--corpus DIR] [--lang xx[,yy]] [--show-ham]
                                           [--phrase TEXT ...] [--tsv FILE]

For every message in phish/pot, phish/nazario (mbox), phish/lists-v9fs and every folder under ham/,
the script decodes the Subject and the text/plain and text/html parts with the email package
(HTML: script/style dropped, tags stripped, entities unescaped), folds the text the way nise does
(unicodedata NFKC + casefold, non-spacing marks and format characters dropped, ALL whitespace
removed) and counts, per folder, the messages whose folded text contains the folded phrase as a
substring. Attachments are never decoded: a part with a filename or 'attachment' disposition, or a
non-text type, is skipped. Nothing is fetched.

Without --phrase it measures the rows of data/lexicon.tsv (optionally only --lang); output is one
tab-separated line per phrase:
  lang  category  phrase  weight  pot  nazario  v9fs  ham  note-suggestion
--show-ham prints the ham files that contain each phrase (to see why a phrase collides).
"""
import argparse, email, email.policy, html, mailbox, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WS = re.compile(r'\s+')
TAG = re.compile(r'<[^>]*>')
DROP = re.compile(r'<(script|style|head)\b.*?</\1\s*>', re.S | re.I)
COMMENT = re.compile(r'<!--.*?-->', re.S)


def fold(s):
    s = unicodedata.normalize('NFKC', s).casefold()
    s = ''.join(ch for ch in s if unicodedata.category(ch) not in ('Mn', 'Cf'))
    return WS.sub('', s)


def part_text(part):
    try:
        t = part.get_content()
    except Exception:
        raw = part.get_payload(decode=True) or b''
        cs = part.get_content_charset() or 'latin-1'
        try:
            t = raw.decode(cs, 'replace')
        except LookupError:
            t = raw.decode('latin-1', 'replace')
    return t if isinstance(t, str) else ''


def message_text(msg):
    out = []
    try:
        out.append(str(msg.get('subject', '') or ''))
    except Exception:
        pass
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in ('text/plain', 'text/html'):
            continue
        disp = (part.get('content-disposition') or '').lower()
        if 'attachment' in disp or part.get_filename():
            continue  # never open attachments
        t = part_text(part)
        if ctype == 'text/html':
            t = COMMENT.sub(' ', DROP.sub(' ', t))
            t = html.unescape(TAG.sub(' ', t))
        out.append(t)
    return fold('\n'.join(out))


def load_file(path):
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return message_text(email.message_from_bytes(data, policy=email.policy.default))
    except Exception:
        return fold(data.decode('latin-1', 'replace'))


def collect(corpus):
    sets = {}
    def walk(name, d):
        docs = []
        for dp, _, fs in os.walk(d):
            for fn in sorted(fs):
                if fn.endswith(('.tsv', '.md', '.json', '.csv')):
                    continue
                p = os.path.join(dp, fn)
                if fn.endswith('.mbox'):
                    for i, m in enumerate(mailbox.mbox(p, factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))):
                        try:
                            docs.append(('%s#%d' % (p, i), message_text(m)))
                        except Exception:
                            pass
                else:
                    docs.append((p, load_file(p)))
        sets[name] = docs
    walk('pot', os.path.join(corpus, 'phish', 'pot'))
    walk('nazario', os.path.join(corpus, 'phish', 'nazario'))
    walk('v9fs', os.path.join(corpus, 'phish', 'lists-v9fs'))
    ham = []
    hd = os.path.join(corpus, 'ham')
    for sub in sorted(os.listdir(hd)):
        if os.path.isdir(os.path.join(hd, sub)):
            walk('ham/' + sub, os.path.join(hd, sub))
            ham += sets.pop('ham/' + sub)
    sets['ham'] = ham
    return sets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', default=os.path.join(ROOT, '..', 'shared', 'corpus'))
    ap.add_argument('--lang')
    ap.add_argument('--phrase', action='append')
    ap.add_argument('--tsv', default=os.path.join(ROOT, 'data', 'lexicon.tsv'))
    ap.add_argument('--show-ham', action='store_true')
    a = ap.parse_args()
    rows = []
    if a.phrase:
        rows = [('-', '-', fold(p), '-') for p in a.phrase]
    else:
        langs = set(a.lang.split(',')) if a.lang else None
        with open(a.tsv, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#') or not line.strip():
                    continue
                r = line.rstrip('\n').split('\t')
                if langs and r[0] not in langs:
                    continue
                rows.append((r[0], r[1], r[2], r[3]))
    sets = collect(a.corpus)
    n = {k: len(v) for k, v in sets.items()}
    print('# messages: pot %(pot)d, nazario %(nazario)d, v9fs %(v9fs)d, ham %(ham)d' % n)
    for lang, cat, ph, w in rows:
        c = {k: [p for p, t in v if ph in t] for k, v in sets.items()}
        note = 'corpus: phish pot %d/%d, nazario %d/%d, v9fs %d/%d; ham %d/%d' % (
            len(c['pot']), n['pot'], len(c['nazario']), n['nazario'], len(c['v9fs']), n['v9fs'],
            len(c['ham']), n['ham'])
        print('\t'.join([lang, cat, ph, w, str(len(c['pot'])), str(len(c['nazario'])),
                         str(len(c['v9fs'])), str(len(c['ham'])), note]))
        if a.show_ham:
            for p in c['ham']:
                print('\tham: ' + os.path.relpath(p, a.corpus))
    return 0


if __name__ == '__main__':
    sys.exit(main())
