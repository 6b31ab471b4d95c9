#!/bin/bash
# SPDX-License-Identifier: MIT
# Receive-time SPF/DKIM/DMARC through a real Postfix and our own DNS:
# unbound on 127.0.0.1:10053 serves amazon.co.jp (a brand's domain, its
# DMARC policy p=reject), amazon-secure-login.test (a lookalike sender)
# and spf-fail.test, with keys generated here; tests/dkimsign signs.
#   A  signed by amazon.co.jp, sent by it: spf, dkim, dmarc pass →
#      BRAND_AUTHENTICATED, clean
#   B  the same message, From still amazon.co.jp, signed and sent by the
#      lookalike (plus a forged "dmarc=pass" header with our authserv-id):
#      dmarc=fail → AUTH_BRAND_FAIL
#   C  A's signed bytes with the From changed, sent from spf-fail.test:
#      spf=fail, dkim=fail, dmarc=fail → AUTH_BRAND_FAIL
#   D  the seed mail From amazon.co.jp with a sender-written
#      "mx.google.com; dmarc=pass" (attack row 3), sent from an address
#      amazon.co.jp's SPF does not list: only our result counts (A shows
#      our own authserv-id is trusted): phishing, no BRAND_AUTHENTICATED
# Usage: tests/milter/auth.sh BUILD
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nise=$build/nise
. "$here/lib.sh"
trap milter_cleanup EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 = $3"; else bad "$1: got '$2', want '$3'"; fi
}
if [ "$(id -u)" -ne 0 ]; then
	echo "needs root (a private Postfix instance)"
	exit 77
fi

# keys and their DNS records (TXT strings of at most 255 bytes)
txt_key() { # PEM → "v=DKIM1; k=rsa; " "p=..." split in 200-byte strings
	p=p=$(openssl rsa -in "$1" -pubout -outform DER 2>/dev/null | base64 -w0)
	printf '"v=DKIM1; k=rsa; "'
	while [ -n "$p" ]; do
		printf ' "%s"' "${p:0:200}"
		p=${p:200}
	done
}
openssl genrsa -out "$T/amazon.pem" 2048 2>/dev/null
openssl genrsa -out "$T/lookalike.pem" 2048 2>/dev/null
cat >"$T/zones.conf" <<Z
	local-zone: "amazon.co.jp." static
	local-data: 'amazon.co.jp. 300 IN TXT "v=spf1 ip4:192.0.2.10 -all"'
	local-data: '_dmarc.amazon.co.jp. 300 IN TXT "v=DMARC1; p=reject"'
	local-data: 'nise1._domainkey.amazon.co.jp. 300 IN TXT $(txt_key "$T/amazon.pem")'
	local-zone: "amazon-secure-login.test." static
	local-data: 'amazon-secure-login.test. 300 IN TXT "v=spf1 ip4:192.0.2.20 -all"'
	local-data: 's1._domainkey.amazon-secure-login.test. 300 IN TXT $(txt_key "$T/lookalike.pem")'
	local-zone: "spf-fail.test." static
	local-data: 'spf-fail.test. 300 IN TXT "v=spf1 -all"'
Z
start_unbound "$T/zones.conf" || { echo "unbound did not start"; exit 1; }
start_sink || { echo "smtp-sink did not start"; exit 1; }
start_postfix </dev/null || { echo "postfix did not start"; exit 1; }
cat >"$T/milter.conf" <<C
[milter]
socket = inet:10026@127.0.0.1
authserv_id = mx.nise.test
dns_server = 127.0.0.1:10053
nise_config = $T/nise.conf
on_phishing = header
C
printf '[nise]\ndata_dir = %s/data\n' "$root" >"$T/nise.conf"
start_milter "$nise" "$T/milter.conf" || { cat "$T/milter.log"; exit 1; }

printf '%s\r\n' \
	"From: Amazon.co.jp <account-update@amazon.co.jp>" \
	"To: user@nise.test" \
	"Subject: =?UTF-8?B?44GU5rOo5paH44Gu55m66YCB44Gr44Gk44GE44Gm?=" \
	"Date: Sat, 28 Nov 2026 09:00:00 +0900" \
	"Message-ID: <order-1234@amazon.co.jp>" \
	"MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=UTF-8" \
	"Content-Transfer-Encoding: 8bit" \
	"" \
	"Amazon.co.jp をご利用いただき、ありがとうございます。" \
	"ご注文の商品を発送しました。お届け予定日は 11月30日 です。" \
	"注文履歴: https://www.amazon.co.jp/gp/css/order-history" >"$T/msg.eml"
"$build/tests/dkimsign" "$T/amazon.pem" nise1 amazon.co.jp <"$T/msg.eml" >"$T/A.eml" || bad "signing A"
{
	printf 'Authentication-Results: mx.nise.test; dmarc=pass header.from=amazon.co.jp\r\n'
	"$build/tests/dkimsign" "$T/lookalike.pem" s1 amazon-secure-login.test <"$T/msg.eml"
} >"$T/B.eml" || bad "signing B"
sed 's/^From: Amazon.co.jp <account-update@amazon.co.jp>/From: Amazon.co.jp <security@amazon.co.jp>/' "$T/A.eml" >"$T/C.eml"

# libspf2 passes every loopback client ("localhost is always allowed"), so
# the client claims another address with XCLIENT, as a test SMTP client may
send() { # ENVELOPE_FROM FILE CLIENT_IP
	echo "$2" >"$T/list"
	SMTPLOAD_XCLIENT="ADDR=$3 NAME=[UNAVAILABLE]" SMTPLOAD_FROM=$1 python3 "$here/smtpload.py" 127.0.0.1 10025 1 1 "$T/list" "$T/out.tsv" --deadline 30 >/dev/null
	expect_eq "$(basename "$2") accepted" "$(cut -f2 "$T/out.tsv")" accepted
	wait_drained 30
	f=$(ls -t "$T/sink"/* | head -1)
	# header fields unfolded, one per line
	awk '/^\r?$/ {exit} /^[ \t]/ {sub(/^[ \t]+/, " "); printf "%s", $0; next} NR > 1 {print ""} {printf "%s", $0} END {print ""}' "$f" |
		tr -d '\r' >"$T/$(basename "$2").hdr"
}
hdr() { grep "^$2:" "$T/$1.hdr" | sed "s/^$2: //"; }

send bounce@amazon.co.jp "$T/A.eml" 192.0.2.10
expect_eq "A: Authentication-Results" "$(hdr A.eml Authentication-Results)" \
	"mx.nise.test; spf=pass smtp.mailfrom=bounce@amazon.co.jp; dkim=pass header.d=amazon.co.jp header.s=nise1; dmarc=pass header.from=amazon.co.jp"
expect_eq "A: verdict" "$(hdr A.eml X-Nise-Verdict)" "clean score=-6.0"
expect_eq "A: findings" "$(hdr A.eml X-Nise-Findings)" "BRAND_AUTHENTICATED"

send bounce@amazon-secure-login.test "$T/B.eml" 192.0.2.20
expect_eq "B: Authentication-Results" "$(hdr B.eml Authentication-Results)" \
	"mx.nise.test; spf=pass smtp.mailfrom=bounce@amazon-secure-login.test; dkim=pass header.d=amazon-secure-login.test header.s=s1; dmarc=fail header.from=amazon.co.jp"
expect_eq "B: one Authentication-Results left (the forged one removed)" "$(grep -c '^Authentication-Results:' "$T/B.eml.hdr")" 1
expect_eq "B: findings" "$(hdr B.eml X-Nise-Findings)" "AUTH_BRAND_FAIL MODEL_PHISHING"
expect_eq "B: verdict" "$(hdr B.eml X-Nise-Verdict)" "phishing score=8.1"

send bounce@spf-fail.test "$T/C.eml" 192.0.2.30
expect_eq "C: Authentication-Results" "$(hdr C.eml Authentication-Results)" \
	"mx.nise.test; spf=fail smtp.mailfrom=bounce@spf-fail.test; dkim=fail reason=\"signature verification failed\" header.d=amazon.co.jp header.s=nise1; dmarc=fail header.from=amazon.co.jp"
expect_eq "C: findings" "$(hdr C.eml X-Nise-Findings)" "AUTH_BRAND_FAIL MODEL_PHISHING"

send bounce@amazon.co.jp "$root/tests/golden/007-seed-forged-authentication-results.eml" 192.0.2.30
D=007-seed-forged-authentication-results.eml
expect_eq "D: our Authentication-Results on top" "$(hdr $D Authentication-Results | head -1)" \
	"mx.nise.test; spf=fail smtp.mailfrom=bounce@amazon.co.jp; dkim=none; dmarc=fail header.from=amazon.co.jp"
expect_eq "D: the sender's one left below, not believed" "$(hdr $D Authentication-Results | sed -n 2p | cut -c1-14)" "mx.google.com;"
expect_eq "D: verdict" "$(hdr $D X-Nise-Verdict | cut -d' ' -f1)" "phishing"
case " $(hdr $D X-Nise-Findings) " in
*" AUTH_BRAND_FAIL "*) ok "D: AUTH_BRAND_FAIL" ;;
*) bad "D: findings $(hdr $D X-Nise-Findings)" ;;
esac
case " $(hdr $D X-Nise-Findings) " in
*" BRAND_AUTHENTICATED "*) bad "D: BRAND_AUTHENTICATED from a forged result" ;;
*) ok "D: no BRAND_AUTHENTICATED" ;;
esac

# SIGTERM: a clean exit (under sanitizers: no leak after these messages)
kill -TERM "$MILTER_PID"
wait "$MILTER_PID"
expect_eq "milter exit status after SIGTERM" "$?" 0
MILTER_PID=

[ $fail -eq 0 ] && echo "milter/auth: all passed" || { echo "--- milter log"; tail -20 "$T/milter.log"; tail -5 "$T/unbound.log"; }
exit $fail
