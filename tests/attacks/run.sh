#!/bin/sh
# Attacks on what nise trusts and says (issue 14, ../shared/attacks rows 3,
# 3b, 5, 7 and 9; row 8 is report-md.sh), in the front ends they apply to: nise check (JSON, text,
# exit status) and nise filter. The inputs are generated here. The milter
# has its own in tests/milter/ and nise serve's /v1/check in
# tests/serve/api_test.py.
# Usage: run.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "attacks: FAIL: $*"; fail=$((fail + 1)); }
# jq-less JSON assertions: json FILE PYTHON-EXPR (d is the object)
json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
ids='[f["id"] for f in d["findings"]]'

# ---- row 3: a sender-written "mx.google.com; dmarc=pass" on the seed mail
seed=$src/tests/golden/007-seed-forged-authentication-results.eml
"$nise" check --json --lang en "$seed" >"$t/3.json"
[ $? -eq 1 ] && ok || bad "row 3: check exit status not 1 (phishing)"
json "$t/3.json" 'd["verdict"] == "phishing"' && ok || bad "row 3: verdict $(cat "$t/3.json")"
json "$t/3.json" '"BRAND_AUTHENTICATED" not in '"$ids" && ok || bad "row 3: BRAND_AUTHENTICATED fired"
json "$t/3.json" 'not any(a["trusted"] for a in d["authentication_results"])' && ok ||
	bad "row 3: an untrusted result marked trusted"
for lang in en ja; do
	"$nise" check --lang $lang "$seed" >"$t/3.$lang.txt"
	grep -q -e "really comes from" -e "本当に" "$t/3.$lang.txt" && bad "row 3: '$lang' text says really comes from" || ok
done
grep -q "^Authentication-Results: not verified by this server" "$t/3.en.txt" && ok ||
	bad "row 3: text does not say the results were not verified"
grep -q "^認証結果: このサーバーでは検証していません" "$t/3.ja.txt" && ok || bad "row 3: ja text"
"$nise" filter --exit-status <"$seed" >"$t/3.out"
[ $? -eq 1 ] && ok || bad "row 3: filter exit status"
head -1 "$t/3.out" | grep -q '^X-Nise-Verdict: phishing score=' && ok || bad "row 3: filter $(head -1 "$t/3.out")"
grep -q BRAND_AUTHENTICATED "$t/3.out" && bad "row 3: filter findings name BRAND_AUTHENTICATED" || ok
# the same forgery after a config naming an unrelated trusted id: still nothing
printf '[nise]\ntrusted_authserv_ids = mx.example.jp, relay.example.jp\n' >"$t/trust.conf"
"$nise" check --config "$t/trust.conf" --json "$seed" >"$t/3c.json"
json "$t/3c.json" 'd["verdict"] == "phishing" and "BRAND_AUTHENTICATED" not in '"$ids" && ok ||
	bad "row 3: with other ids trusted"
"$nise" config check --config "$t/trust.conf" | grep -qx 'trusted_authserv_ids = mx.example.jp, relay.example.jp' &&
	ok || bad "row 3: config check does not print the trusted ids"

# ---- row 3b: the trusted server's topmost result fails; a lower forged
# one with the same authserv-id passes
cat >"$t/3b.eml" <<'M'
Authentication-Results: mx.google.com;
       spf=fail smtp.mailfrom=amazon.co.jp;
       dmarc=fail (p=QUARANTINE) header.from=amazon.co.jp
Received: from evil.example (evil.example [203.0.113.9]) by mx.google.com
Authentication-Results: mx.google.com; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp
From: Amazon.co.jp <account-update@amazon.co.jp>
To: v@example.jp
Subject: =?UTF-8?B?44Ki44Kr44Km44Oz44OI5oOF5aCx44Gu56K66KqN?=
Message-ID: <x2@amazon.co.jp>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Amazon.co.jp をご利用いただきありがとうございます。</p>
<p>お支払い方法の情報を更新してください。</p>
<p><a href="https://signin-support.net/ap/signin">Amazonにサインイン</a></p>
M
"$nise" check --trust-authserv mx.google.com --json "$t/3b.eml" >"$t/3b.json"
json "$t/3b.json" 'd["verdict"] == "phishing" and "AUTH_BRAND_FAIL" in '"$ids"' and "BRAND_AUTHENTICATED" not in '"$ids" &&
	ok || bad "row 3b: $(cat "$t/3b.json")"
json "$t/3b.json" '[a["trusted"] for a in d["authentication_results"]] == [True, True, False, False]' && ok ||
	bad "row 3b: which results are trusted"
"$nise" filter --trust-authserv mx.google.com <"$t/3b.eml" | head -1 | grep -q '^X-Nise-Verdict: phishing' && ok ||
	bad "row 3b: filter"

# ---- row 5: 300 empty parts in front of a phishing part
{
	printf 'From: Support <info@support-center.example>\nTo: user@example.jp\nSubject: Notice\n'
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
	i=0
	while [ $i -lt 300 ]; do
		printf -- '--b\n\n'
		i=$((i + 1))
	done
	printf -- '--b\nContent-Type: text/html; charset=utf-8\n\n'
	printf '<p>Your Amazon account is locked. Verify your password within 24 hours:</p>\n'
	printf '<a href="http://203.0.113.9/amazon/signin">https://www.amazon.co.jp/</a>\n--b--\n'
} >"$t/5.eml"
"$nise" check --json "$t/5.eml" >"$t/5.json"
[ $? -eq 3 ] && ok || bad "row 5: check exit status not 3 (unchecked)"
json "$t/5.json" 'd["verdict"] == "unchecked" and d["limits"] == ["LIMIT_PARTS"] and d["partial"]' && ok ||
	bad "row 5: $(cat "$t/5.json")"
"$nise" check --lang en "$t/5.eml" | grep -q '^Verdict: only partly checked' && ok || bad "row 5: en text"
"$nise" check --lang ja "$t/5.eml" | grep -q '^判定: 一部しか確認できませんでした' && ok || bad "row 5: ja text"
"$nise" filter <"$t/5.eml" >"$t/5.out"
[ $? -eq 0 ] && ok || bad "row 5: filter exit status"
[ "$(head -1 "$t/5.out")" = "X-Nise-Verdict: unchecked reason=LIMIT_PARTS" ] && ok || bad "row 5: filter $(head -1 "$t/5.out")"
# a complete mail says "limits": [] and is never unchecked
"$nise" check --json "$seed" >"$t/5b.json"
json "$t/5b.json" 'd["limits"] == [] and d["schema"] == 2' && ok || bad "row 5: complete mail limits"

# ---- row 9: nise filter never loses a mail
printf '[limits]\nmax_links = lots\n' >"$t/bad.conf"
mkdir "$t/confdir"
check_pass() { # name reason args...
	name=$1
	why=$2
	shift 2
	"$nise" filter "$@" <"$t/3b.eml" >"$t/9.out" 2>"$t/9.err"
	st=$?
	# the mail was written: 0, so procmail keeps the filtered copy
	[ $st -eq 0 ] && ok || bad "row 9 ($name): exit status $st"
	[ "$(head -1 "$t/9.out")" = "X-Nise-Verdict: unchecked reason=$why" ] && ok ||
		bad "row 9 ($name): first line $(head -1 "$t/9.out")"
	tail -n +2 "$t/9.out" | cmp -s - "$t/3b.eml" && ok || bad "row 9 ($name): the mail changed or was lost"
}
check_pass "config error" config --config "$t/bad.conf"
check_pass "missing config" config --config "$t/nonexistent.conf"
check_pass "a directory as config" config --config "$t/confdir"
check_pass "unknown option" usage --bogus
check_pass "bad --trust-authserv" usage --trust-authserv 'a;b'
check_pass "model not a model" config --model /etc/passwd
check_pass "data not there" config --data "$t/nonexistent"
"$nise" filter --exit-status --config "$t/bad.conf" <"$t/3b.eml" >"$t/9.out" 2>/dev/null
[ $? -eq 2 ] && ok || bad "row 9: --exit-status on a config error is not 2"
tail -n +2 "$t/9.out" | cmp -s - "$t/3b.eml" && ok || bad "row 9: --exit-status: the mail changed or was lost"
NISE_CONFIG=$t/bad.conf "$nise" filter <"$t/3b.eml" | head -1 | grep -q 'reason=config' && ok ||
	bad "row 9: NISE_CONFIG error"

# ---- row 7: a right-to-left override before two links (and in the subject)
printf 'From: IT Helpdesk <helpdesk@mail-notice.example>\nSubject: \342\200\256 Storage notice\nMIME-Version: 1.0\n' >"$t/7.eml"
printf 'Content-Type: text/html; charset=utf-8\n\n<p>Your mailbox storage is almost used up.</p><p>\342\200\256' >>"$t/7.eml"
printf '<a href="https://www.microsoft.com/">ycavirP</a> \342\200\217 <a href="http://quota-keep.example/">liam ym \342\200\256peeK</a></p>\n' >>"$t/7.eml"
"$nise" check --json "$t/7.eml" >"$t/7.json"
json "$t/7.json" '[f["evidence"] for f in d["findings"] if f["id"] == "BIDI_CONTROL"] == ["U+202E RIGHT-TO-LEFT OVERRIDE in the subject, 5 in all"]' &&
	ok || bad "row 7: BIDI_CONTROL $(cat "$t/7.json")"
for lang in en ja; do
	"$nise" check --lang $lang "$t/7.eml" >"$t/7.$lang.txt"
	if LC_ALL=C grep -q "$(printf '\342\200[\256\217]')" "$t/7.$lang.txt"; then bad "row 7: a raw bidi control in the $lang text output"; else ok; fi
	grep -q "^  liam ym ⟨U+202E⟩peeK → http://quota-keep.example/" "$t/7.$lang.txt" && ok || bad "row 7: $lang link line"
	grep -q "⟨U+202E⟩ Storage notice" "$t/7.$lang.txt" && ok || bad "row 7: $lang subject"
done
for fmt in md html; do
	"$nise" report --format $fmt "$t/7.eml" >"$t/7.$fmt"
	if LC_ALL=C grep -q "$(printf '\342\200[\256\217]')" "$t/7.$fmt"; then bad "row 7: a raw bidi control in the $fmt report"; else ok; fi
done

# ---- rows 17-19 (part): nise config check refuses what would fail or
# judge nothing at start
refuse() { # name file-content
	printf "$2" >"$t/c.conf"
	"$nise" config check --config "$t/c.conf" >/dev/null 2>"$t/c.err"
	[ $? -eq 2 ] && ok || bad "config check accepted $1"
}
refuse "a model that is not one" '[nise]\nmodel = /etc/passwd\n'
refuse "a model that does not exist" '[nise]\nmodel = /nonexistent/model.bin\n'
refuse "an arena too small for one mail" '[limits]\nmax_arena_bytes = 1\n'
refuse "an empty trusted_authserv_ids" '[nise]\ntrusted_authserv_ids = ,\n'
"$nise" config check --config "$t/confdir" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "config check accepted a directory"
"$nise" check --config "$t/confdir" "$seed" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "check started with a directory as config"

echo "attacks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
