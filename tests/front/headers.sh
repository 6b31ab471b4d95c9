#!/bin/sh
# SPDX-License-Identifier: MIT
# Headers a recipient can read (issue 17 item 3), through nise filter
# (the milter and spamd write the same fields with src/front/render.c):
#   - X-Nise-Reason: one sentence, RFC 2047 UTF-8 words, lines <= 78
#     columns, ja or en; its decoded text is the explanation of the
#     heaviest listed finding;
#   - the subject tag: an ASCII tag before an ASCII subject as it is; a
#     Japanese tag as an encoded word; a subject with raw 8-bit encoded
#     again whole, so raw 8-bit never stands next to encoded words;
#   - MODEL_* in X-Nise-Findings only when the model changed the verdict;
#   - a suspicious mail a limit cut is unchecked (the limit decides first).
# Usage: tests/front/headers.sh NISE
set -u
nise=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "headers: FAIL: $*"; }
export NISE_DATA_DIR="$root/data"
seed=$root/examples/seed-amazon-phish.eml
same() { # name file expected
	if printf '%s' "$3" | cmp -s - "$2"; then ok; else bad "$1:"; echo "--- got"; cat -A "$2"; echo "--- want"; printf '%s' "$3" | cat -A; fi
}

# English reason: plain words, folded at 78 columns
"$nise" filter --reason --lang en <"$seed" | sed -n 4,5p >"$t/en"
same "reason en" "$t/en" 'X-Nise-Reason: The sender calls itself "Amazon.co.jp" (Amazon), but the mail
 comes from newnamecardamazonmail.cyou, which does not belong to Amazon.
'

# Japanese reason and tag: B words that never split a character
"$nise" filter --reason --lang ja --tag '[詐欺注意]' <"$seed" >"$t/ja.eml"
sed -n 4,10p "$t/ja.eml" >"$t/ja"
same "reason and tag ja" "$t/ja" 'X-Nise-Reason: =?UTF-8?B?5beu5Ye65Lq644Gv44CMQW1hem9uLmNvLmpw44CN77yIQW1h?=
 =?UTF-8?B?em9u77yJ44KS5ZCN5LmX44Gj44Gm44GE44G+44GZ44GM44CB5a6f6Zqb44Gu?=
 =?UTF-8?B?6YCB5L+h5YWDIG5ld25hbWVjYXJkYW1hem9ubWFpbC5jeW91IOOBr0FtYXpv?=
 =?UTF-8?B?buOBruODieODoeOCpOODs+OBp+OBr+OBguOCiuOBvuOBm+OCk+OAgg==?=
Subject: =?UTF-8?B?W+ipkOasuuazqOaEj10g?=
 =?utf-8?b?44KC44GG5LiA5bqm56K66KqN44GX44Gm44GL44KJ44CB44GC44Gq44Gf44Gu44Ki?=
 =?utf-8?b?44Kr44Km44Oz44OI44KS5Yip55So44GX44Gm44GP44Gg44GV44GE?=
'
# what a mail reader shows: the explanation, and the tag before the subject
"$nise" check --json --lang ja "$seed" >"$t/seed.json"
python3 - "$t/ja.eml" "$t/seed.json" "$seed" >"$t/py" 2>&1 <<'PY' && ok || { bad "decoded ja: $(cat "$t/py")"; }
import email, email.header, json, sys
def shown(v):
    return str(email.header.make_header(email.header.decode_header(v)))
out = email.message_from_binary_file(open(sys.argv[1], "rb"))
orig = email.message_from_binary_file(open(sys.argv[3], "rb"))
d = json.load(open(sys.argv[2]))
listed = [f for f in d["findings"] if not f["id"].startswith("MODEL_") or d["model"]["tipped"]]
top = max(listed, key=lambda f: f["score"])
assert shown(out["X-Nise-Reason"]) == top["explain_ja"], (shown(out["X-Nise-Reason"]), top["explain_ja"])
assert shown(out["Subject"]) == "[詐欺注意] " + shown(orig["Subject"]), shown(out["Subject"])
assert len(out.get_all("Subject")) == 1
PY
# no added line is longer than 78 columns
head -10 "$t/ja.eml" | awk 'length($0) > 78 { print; exit 1 }' >"$t/long" && ok || bad "an added line over 78 columns: $(cat "$t/long")"

# a subject written in raw UTF-8: the whole subject encoded again
awk '/^Subject:/ { print "Subject: 重要なお知らせ: アカウントの確認"; skip = 1; next }
	skip && /^[ \t]/ { next } { skip = 0; print }' "$seed" >"$t/raw.eml"
"$nise" filter --tag '[詐欺注意]' <"$t/raw.eml" >"$t/raw.out"
sed -n '/^Subject:/,/^[^ ]/p' "$t/raw.out" | sed '$d' >"$t/raw.all"
same "raw 8-bit subject, encoded whole" "$t/raw.all" 'Subject: =?UTF-8?B?W+ipkOasuuazqOaEj10g6YeN6KaB44Gq44GK55+l44KJ44GbOiDjgqI=?=
 =?UTF-8?B?44Kr44Km44Oz44OI44Gu56K66KqN?=
'
python3 - "$t/raw.out" >"$t/py" 2>&1 <<'PY' && ok || bad "decoded raw subject: $(cat "$t/py")"
import email, email.header, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
v = m["Subject"]
assert all(ord(c) < 128 for c in v), "raw 8-bit left in the Subject"
shown = str(email.header.make_header(email.header.decode_header(v)))
assert shown == "[詐欺注意] 重要なお知らせ: アカウントの確認", shown
PY
# an ASCII tag before an ASCII subject: as written
awk '/^Subject:/ { print "Subject: Your account is on hold"; skip = 1; next }
	skip && /^[ \t]/ { next } { skip = 0; print }' "$seed" | "$nise" filter --tag '[phishing]' | grep '^Subject' >"$t/ascii"
same "ascii tag" "$t/ascii" 'Subject: [phishing] Your account is on hold
'
# clean mail is never tagged
"$nise" filter --tag '[phishing]' <"$root/tests/golden/003-genuine-amazon-dmarc-pass.eml" >"$t/ham.out"
grep -c '^Subject: \[phishing\]' "$t/ham.out" | grep -qx 0 && ok || bad "clean mail tagged"

# MODEL_* only when the model changed the verdict: this clean mail has
# MODEL_PHISHING in its JSON findings, not in its header
"$nise" check --json "$root/tests/golden/003-genuine-amazon-dmarc-pass.eml" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (d["verdict"] == "clean" and not d["model"]["tipped"] and "MODEL_PHISHING" in [f["id"] for f in d["findings"]]))' &&
	ok || bad "003 no longer a clean mail with an untipped MODEL_PHISHING (pick another)"
head -2 "$t/ham.out" | tr -d '\r' >"$t/ham.h"
same "clean: no MODEL_PHISHING" "$t/ham.h" 'X-Nise-Verdict: clean score=2.0
X-Nise-Findings: BRAND_CONSISTENT
'
"$nise" filter --reason --lang en <"$root/tests/golden/003-genuine-amazon-dmarc-pass.eml" | sed -n 3p | tr -d '\r' >"$t/ham.r"
same "clean reason" "$t/ham.r" 'X-Nise-Reason: nise found no sign of phishing in this mail.
'

# a suspicious mail cut by a limit is unchecked, not suspicious
printf '[limits]\nmax_parts = 1\n' >"$t/parts.conf"
"$nise" filter --config "$t/parts.conf" --reason --lang en <"$root/tests/golden/005-clean-receipt-with-pdf.eml" | head -2 | tr -d '\r' >"$t/lim"
same "limit decides first" "$t/lim" 'X-Nise-Verdict: unchecked reason=LIMIT_PARTS
X-Nise-Reason: nise could not read this mail whole, so it is not known to be
'
"$nise" check --json --config "$t/parts.conf" "$root/tests/golden/005-clean-receipt-with-pdf.eml" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["verdict"] != "suspicious")' && ok ||
	bad "005 with max_parts = 1 is no longer suspicious (pick another)"

echo "headers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
