#!/bin/sh
# Attack row 8: `nise report` defangs every URL form. A mail whose subject,
# From and link texts hold "//host", "http:host", "hxxp", bare domains,
# Markdown image and link syntax, angle-bracket autolinks and HTML is
# reported in Markdown, rendered by python3-markdown and by cmark-gfm (with
# its autolink extension, as GitHub renders), and in HTML; no <a href>,
# <img>, or other live element may come out, and no mail host may appear
# with its dots intact.
# Usage: report-md.sh NISE
set -u
nise=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "report-md: FAIL: $*"; fail=1; }
for tool in cmark-gfm; do
	command -v $tool >/dev/null || { echo "report-md: $tool missing (scripts/bootstrap)"; exit 1; }
done
# Debian's python3-markdown is for Debian's python3 (not a pyenv one on PATH)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" -c 'import markdown' || { echo "report-md: python3-markdown missing (scripts/bootstrap)"; exit 1; }
cat >"$t/m.eml" <<'M'
From: "Amazon [support](javascript:alert(1)) <http://evil0.example/>" <a@evil-sender.example>
To: v@example.jp
Subject: Verify ![p](//tracker.evil.example/p.png) [x](http:\\evil2.example) [y](http:evil3.example) <https://evil4.example/> www.evil8.example <img src=//evil9.example/i.png> &#60;img src=x&#62;
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Amazon: your account is locked within 24 hours.</p>
<p><a href="http://amazon-verify.evil.icu/">[Sign in](//evil5.example/login)</a></p>
<p><a href="https://evil6.example/login">![logo](//evil7.example/x.png) hxxp://evil10.example/ evil11.example/path</a></p>
[z]: //evil12.example
M
"$nise" report --format md "$t/m.eml" >"$t/r.md"
"$nise" report --format html "$t/m.eml" >"$t/r.html"
$py -c 'import markdown, sys; sys.stdout.write(markdown.markdown(open(sys.argv[1], encoding="utf-8").read()))' \
	"$t/r.md" >"$t/py.html"
cmark-gfm --extension autolink --extension table --extension strikethrough --unsafe "$t/r.md" >"$t/gfm.html"
for f in py.html gfm.html r.html; do
	python3 - "$t/$f" <<'PY' || bad "$f"
import html.parser, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
live = []
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "img", "script", "iframe", "object", "embed", "link", "form", "base", "meta",
                   "source", "video", "audio", "image", "svg") and tag not in ("meta",) or \
           any(k in a for k in ("href", "src", "srcset", "action", "formaction", "background")):
            if tag == "meta" and set(a) <= {"charset"}:
                return
            if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
                return
            live.append((tag, a))
P().feed(src)
# nise's own advice names the Council of Anti-Phishing Japan's address,
# which cmark-gfm makes a mailto link: not from the mail
live = [(t, a) for t, a in live if a.get("href") != "mailto:info@antiphishing.jp"]
text = re.sub(r"<[^>]*>", " ", src)
hosts = re.findall(r"evil\d*(?:-sender)?\.(?:example|icu)|amazon-verify\.evil", text)
if live or hosts:
    print("live elements:", live[:5], "hosts with dots:", hosts[:5])
    sys.exit(1)
PY
done
grep -q 'evil5\[\.\]example\|evil5\\\[\.\\\]example' "$t/r.md" || bad "the link text host is not in the report at all"
[ $fail -eq 0 ] && echo "report-md: no live link or image from python3-markdown, cmark-gfm or the HTML report"
exit $fail
