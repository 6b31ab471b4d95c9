#!/bin/sh
# Links an attacker hides from a reader that is not the one the victim
# uses (issue 14, ../shared/attacks rows 14 and 15): RFC 3676
# format=flowed soft breaks inside a URL, SVG links (href, xlink:href) and
# the other elements that make a destination (area, form action, button
# and input formaction). Each case asserts the exact links listed.
# Usage: links.sh NISE
set -u
nise=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "links: FAIL: $*"; fail=$((fail + 1)); }
# links FILE: one "source url" line per link, in order
links() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for l in d["links"]:
    print(l["source"], l["url"])' "$1"
}
ids() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(d["verdict"], " ".join(sorted(f["id"] for f in d["findings"] if not f["id"].startswith("MODEL_"))))' "$1"
}
# expect NAME EXPECTED-LINKS: check the mail $t/NAME.eml
expect() {
	"$nise" check --json "$t/$1.eml" >"$t/$1.json"
	got=$(links "$t/$1.json")
	[ "$got" = "$2" ] && ok || bad "$1: links
$got
expected
$2"
}
mail() { # mail NAME CONTENT-TYPE: body on stdin, CRLF line ends
	{
		printf 'From: Notice <a@notice.example>\nTo: v@example.jp\nSubject: %s\n' "$1"
		printf 'Message-ID: <%s@notice.example>\nMIME-Version: 1.0\nContent-Type: %s\n\n' "$1" "$2"
		cat
	} | sed 's/$/\r/' >"$t/$1.eml"
}

# ---- row 14: format=flowed. delsp=yes: the space before a soft break is
# not text, so the reader shows one URL across the break.
printf 'Please sign in at http://www.amazon.co.jp.account-check \n.flowed-evil.example/signin today.\n' |
	mail f-delsp 'text/plain; charset=utf-8; format=flowed; delsp=yes'
expect f-delsp 'text http://www.amazon.co.jp.account-check.flowed-evil.example/signin'
[ "$(ids "$t/f-delsp.json")" = "suspicious BRAND_AS_SUBDOMAIN" ] && ok || bad "f-delsp: $(ids "$t/f-delsp.json")"
# parameter values are case-insensitive and may be quoted
printf 'Go to https://login.example.com/a \nb/c?d=1 \n&e=2 now\n' |
	mail f-quoted 'text/plain; charset=utf-8; format="Flowed"; DelSp="Yes"'
expect f-quoted 'text https://login.example.com/ab/c?d=1&e=2'
# delsp=no (the default): the space stays, so the URL ends at it
printf 'Please sign in at http://www.amazon.co.jp.account-check \n.flowed-evil.example/signin today.\n' |
	mail f-nodelsp 'text/plain; charset=utf-8; format=flowed'
expect f-nodelsp 'text http://www.amazon.co.jp.account-check/'
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if [l["host"] for l in d["links"]] == ["www.amazon.co.jp.account-check"] else 1)' "$t/f-nodelsp.json" &&
	ok || bad "f-nodelsp: host"
# delsp=no, a soft break before the URL: one paragraph, URL intact
printf 'Your account is on hold. Open \nhttp://hold.evil.example/x \nto keep it.\n' |
	mail f-join 'text/plain; charset=utf-8; format=flowed; delsp=no'
expect f-join 'text http://hold.evil.example/x'
# quoted flowed lines join within the same depth; a change of depth ends the
# paragraph; space-stuffing is removed
printf '> http://www.amazon.co.jp.q \n> .quoted-evil.example/a \n>> http://deeper.example/b\n From the team\n' |
	mail f-quote 'text/plain; charset=utf-8; format=flowed; delsp=yes'
expect f-quote 'text http://www.amazon.co.jp.q.quoted-evil.example/a
text http://deeper.example/b'
# a hard break (no trailing space) is not joined
printf 'http://www.amazon.co.jp.hard\n.second.example/x\n' |
	mail f-hard 'text/plain; charset=utf-8; format=flowed; delsp=yes'
expect f-hard 'text http://www.amazon.co.jp.hard/'
# the signature separator "-- " is never flowed
printf 'http://www.amazon.co.jp.sig\n-- \nhttp://sig.example/x\n' |
	mail f-sig 'text/plain; charset=utf-8; format=flowed; delsp=yes'
expect f-sig 'text http://www.amazon.co.jp.sig/
text http://sig.example/x'
# quoted-printable and base64 bodies are reassembled after decoding
printf 'Sign in at http://www.amazon.co.jp.qp=20\n.qp-evil.example/signin\n' | {
	printf 'Content-Transfer-Encoding: quoted-printable\n'
	cat
} >"$t/qpbody"
{
	printf 'From: Notice <a@notice.example>\nSubject: qp\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n'
	cat "$t/qpbody"
} >"$t/f-qp.eml"
expect f-qp 'text http://www.amazon.co.jp.qp.qp-evil.example/signin'
printf 'Sign in at http://www.amazon.co.jp.b64 \r\n.b64-evil.example/signin\r\n' | base64 >"$t/b64"
{
	printf 'From: Notice <a@notice.example>\nSubject: b64\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	cat "$t/b64"
} >"$t/f-b64.eml"
expect f-b64 'text http://www.amazon.co.jp.b64.b64-evil.example/signin'
# the text the reader sees is the reassembled one (text output)
"$nise" check --lang en "$t/f-delsp.eml" | grep -qF '  http://www.amazon.co.jp.account-check.flowed-evil.example/signin → http://www.amazon.co.jp.account-check.flowed-evil.example/signin (flowed-evil.example)' &&
	ok || bad "f-delsp: text output"
# not flowed: read as written
printf 'Please sign in at http://www.amazon.co.jp.account-check \n.flowed-evil.example/signin today.\n' |
	mail f-fixed 'text/plain; charset=utf-8'
expect f-fixed 'text http://www.amazon.co.jp.account-check/'

# ---- row 15: SVG links and the other elements that make a destination
printf '<p>Sign in: <svg width="200" height="30"><a href="http://svg-only.evil.example/login"><text x="0" y="20">Amazon sign-in</text></a></svg></p>\n' |
	mail svg 'text/html; charset=utf-8'
expect svg 'html http://svg-only.evil.example/login'
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if [l["text"] for l in d["links"]] == ["Amazon sign-in"] else 1)' "$t/svg.json" && ok || bad "svg: link text"
cat <<'H' | mail svg-xlink 'text/html; charset=utf-8'
<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="https://xlink.evil.example/a"><text>Pay</text></a>
<a href="https://both.evil.example/h" xlink:href="https://ignored.example/x"><rect/></a>
<A XLINK:HREF="https://upper.evil.example/u"/></svg>
<math><a href="https://math.evil.example/m">m</a></math>
<p><a href="https://after.example/p">after</a></p>
H
expect svg-xlink 'html https://xlink.evil.example/a
html https://both.evil.example/h
html https://upper.evil.example/u
html https://math.evil.example/m
html https://after.example/p'
cat <<'H' | mail forms 'text/html; charset=utf-8'
<base href="https://base.example/dir/">
<img usemap="#m" src="cid:x"><map name="m"><area href="https://area.evil.example/a" alt="Open"></map>
<form action="https://form.evil.example/post" method="post"><input type="password" name="p">
<button formaction="https://button.evil.example/b">Sign in</button>
<input type="submit" formaction="rel/i" value="Go"></form>
<button formaction="https://outside.evil.example/o">x</button>
H
expect forms 'html-area https://area.evil.example/a
form https://form.evil.example/post
form https://button.evil.example/b
form https://base.example/dir/rel/i
form https://outside.evil.example/o'
[ "$(ids "$t/forms.json")" = "phishing CREDENTIAL_FORM" ] && ok || bad "forms: $(ids "$t/forms.json")"
# the shared reproducers, when present (never committed)
r=${ATTACKS:-$(dirname "$0")/../../../shared/attacks}/mails
if [ -f "$r/svg-link.eml" ]; then
	"$nise" check --json "$r/svg-link.eml" >"$t/r15.json"
	[ "$(links "$t/r15.json")" = 'html http://svg-only.evil.example/login' ] && ok || bad "svg-link.eml"
	"$nise" check --json "$r/flowed-url.eml" >"$t/r14.json"
	[ "$(links "$t/r14.json")" = 'text http://www.amazon.co.jp.account-check.flowed-evil.example/signin' ] && ok ||
		bad "flowed-url.eml"
fi
echo "links: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
