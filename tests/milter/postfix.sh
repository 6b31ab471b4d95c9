#!/bin/bash
# SPDX-License-Identifier: MIT
# A real Postfix on loopback with smtpd_milters = nise milter:
#  1. reject policy: the seed mail is refused with 550 5.7.1, a ham mail
#     is delivered with "X-Nise-Verdict: clean"; delivered + rejected = sent
#  2. header policy: the seed is delivered with "X-Nise-Verdict: phishing"
#     (tag policy: "[phishing]" before its subject; quarantine policy: it
#     waits in Postfix's hold queue while the ham is delivered)
#     and its findings; a forged X-Nise-Verdict and a forged
#     Authentication-Results with our authserv-id are gone
#  3. load + faults: LOAD_N corpus messages at concurrency 20 while the
#     milter gets SIGHUP twice, is killed (-9) and restarted, then gets
#     SIGTERM (drain) and is restarted; with
#     milter_default_action = tempfail no message is lost: every id is
#     delivered exactly once or rejected; milter RSS reported
#  4. limits: a message over max_message_bytes and one over max_parts are
#     delivered with "X-Nise-Verdict: unchecked reason=LIMIT_..." (on_limit
#     = accept), then refused with 451 4.3.0 (on_limit = tempfail)
#  5. attack bombs (address groups, nested comments, deep multipart):
#     answered, delivered with a verdict, the milter still running
# Usage: tests/milter/postfix.sh BUILD CORPUS [LOAD_N]
set -u
build=$(cd "$1" && pwd)
corpus=$(cd "$2" && pwd)
load_n=${3:-600}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nise=$build/nise
. "$here/lib.sh"
trap milter_cleanup EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
expect_eq() { # WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok "$1 = $3"; else bad "$1: got '$2', want '$3'"; fi
}

if [ "$(id -u)" -ne 0 ]; then
	echo "needs root (a private Postfix instance)"
	exit 77
fi

conf() { # FILE on_phishing [extra lines]
	cf=$1
	cat >"$cf" <<C
[milter]
socket = inet:10026@127.0.0.1
authserv_id = mx.nise.test
auth = no
nise_config = $T/nise.conf
on_phishing = $2
C
	shift 2
	for l in "$@"; do echo "$l" >>"$cf"; done
}
cat >"$T/nise.conf" <<C
[nise]
data_dir = $root/data
C

start_sink || { echo "smtp-sink did not start"; exit 1; }
start_postfix </dev/null || { echo "postfix did not start"; exit 1; }

send() { # OUT FILE... : one SMTP session per file
	printf '%s\n' "${@:2}" >"$T/list"
	python3 "$here/smtpload.py" 127.0.0.1 10025 1 "$(wc -l <"$T/list")" "$T/list" "$1" --deadline 60
}
ham=$(ls "$corpus"/ham/sa-easy-1/* | head -1)
seed=$root/examples/seed-amazon-phish.eml

# ---- 1. reject policy
conf "$T/reject.conf" reject
start_milter "$nise" "$T/reject.conf" || { cat "$T/milter.log"; exit 1; }
send "$T/r1.tsv" "$seed" "$ham" >"$T/r1.json"
wait_drained 30
expect_eq "reject policy: seed outcome" "$(awk -F'\t' '$1==0 {print $2}' "$T/r1.tsv")" rejected
expect_eq "reject policy: ham outcome" "$(awk -F'\t' '$1==1 {print $2}' "$T/r1.tsv")" accepted
grep -q "milter-reject: END-OF-MESSAGE .*: 5.7.1 Message rejected as phishing by nise (score 27.7)" "$T/pf/maillog" &&
	ok "5.7.1 reason in the Postfix log" || bad "no 5.7.1 milter-reject in the Postfix log"
expect_eq "reject policy: delivered" "$(delivered)" 1
f=$(grep -l "^X-Nise-Test-Id: 1" -r "$T/sink")
expect_eq "ham verdict header" "$(grep -m1 '^X-Nise-Verdict:' "$f" | tr -d '\r')" "X-Nise-Verdict: clean score=0.0"
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null

# ---- 2. header policy, forged headers removed
conf "$T/header.conf" header
start_milter "$nise" "$T/header.conf" || { cat "$T/milter.log"; exit 1; }
{
	printf 'X-Nise-Verdict: clean score=0.0\r\n'
	printf 'Authentication-Results: mx.nise.test; dmarc=pass header.from=amazon.co.jp\r\n'
	cat "$seed"
} >"$T/forged.eml"
rm -rf "$T/sink"/*
send "$T/r2.tsv" "$seed" "$T/forged.eml" >"$T/r2.json"
wait_drained 30
expect_eq "header policy: delivered" "$(delivered)" 2
for id in 0 1; do
	f=$(grep -l "^X-Nise-Test-Id: $id" -r "$T/sink")
	expect_eq "message $id verdict" "$(grep '^X-Nise-Verdict:' "$f" | tr -d '\r')" "X-Nise-Verdict: phishing score=27.7"
	grep -q '^X-Nise-Findings: SENDER_BRAND_MISMATCH LINK_BRAND_MISMATCH LOOKALIKE_DOMAIN' "$f" &&
		ok "message $id findings header" || bad "message $id findings header: $(grep -A1 '^X-Nise-Findings' "$f")"
done
f=$(grep -l "^X-Nise-Test-Id: 1" -r "$T/sink")
expect_eq "forged A-R with our authserv-id removed" "$(grep -c 'dmarc=pass header.from=amazon.co.jp' "$f")" 0
expect_eq "forged verdict removed" "$(grep -c '^X-Nise-Verdict: clean' "$f")" 0
# attack row 3 with auth = no: a sender-written "mx.google.com; dmarc=pass"
# on the seed From amazon.co.jp is not believed (no id is trusted)
rm -rf "$T/sink"/*
send "$T/r2f.tsv" "$root/tests/golden/007-seed-forged-authentication-results.eml" >/dev/null
wait_drained 30
f=$(grep -l "^X-Nise-Test-Id: 0" -r "$T/sink")
expect_eq "forged mx.google.com pass (auth = no): verdict" \
	"$(grep '^X-Nise-Verdict:' "$f" | tr -d '\r' | cut -d' ' -f2)" phishing
expect_eq "forged mx.google.com pass (auth = no): no BRAND_AUTHENTICATED" \
	"$(sed -n '/^X-Nise-Findings:/,/^[^ \t]/p' "$f" | grep -c BRAND_AUTHENTICATED)" 0
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null

# ---- 2b. tag and quarantine policies
conf "$T/tag.conf" tag
start_milter "$nise" "$T/tag.conf" || { cat "$T/milter.log"; exit 1; }
rm -rf "$T/sink"/*
send "$T/r2b.tsv" "$seed" >/dev/null
wait_drained 30
f=$(grep -l "^X-Nise-Test-Id: 0" -r "$T/sink")
# the Subject unfolded (the tag folds before a long first line)
unfold_subject() { awk '/^Subject:/ { s = $0; f = 1; next } f && /^[ \t]/ { s = s $0; next } { f = 0 } END { print s }' "$1" | tr -d '\r'; }
expect_eq "tag policy: subject" "$(unfold_subject "$f")" \
	"Subject: [phishing] $(unfold_subject "$seed" | sed 's/^Subject: //')"
expect_eq "tag policy: verdict" "$(grep '^X-Nise-Verdict:' "$f" | tr -d '\r')" "X-Nise-Verdict: phishing score=27.7"
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
conf "$T/quarantine.conf" quarantine
start_milter "$nise" "$T/quarantine.conf" || { cat "$T/milter.log"; exit 1; }
rm -rf "$T/sink"/*
send "$T/r2c.tsv" "$seed" "$ham" >/dev/null
wait_drained 30
expect_eq "quarantine policy: seed accepted by SMTP" "$(awk -F'\t' '$1==0 {print $2}' "$T/r2c.tsv")" accepted
expect_eq "quarantine policy: held" "$(held)" 1
expect_eq "quarantine policy: delivered (the ham)" "$(delivered)" 1
grep -q "milter-hold: END-OF-MESSAGE from .*: milter triggers HOLD action" "$T/pf/maillog" &&
	ok "milter-hold in the Postfix log" || bad "no milter-hold in the Postfix log"
postsuper -c "$T/pf/etc" -d ALL hold >/dev/null 2>&1
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null

# ---- 3. load with SIGHUP and a crash
ls "$corpus"/ham/sa-easy-1/* "$corpus"/phish/pot/*.eml "$corpus"/ham/brand-lists/*.eml 2>/dev/null |
	awk 'NR % 7 == 0' | head -400 >"$T/corpus.list"
conf "$T/load.conf" reject
: >"$T/milter.log"
start_milter "$nise" "$T/load.conf" || { cat "$T/milter.log"; exit 1; }
rm -rf "$T/sink"/*
rss0=$(rss_kb "$MILTER_PID")
python3 "$here/smtpload.py" 127.0.0.1 10025 20 "$load_n" "$T/corpus.list" "$T/load.tsv" --deadline $((load_n / 10 + 120)) >"$T/load.json" &
load=$!
until_delivered() { while [ "$(delivered)" -lt "$1" ] && kill -0 "$load" 2>/dev/null; do sleep 0.05; done; }
until_delivered $((load_n / 5))
# a broken configuration: the reload fails, the running engine stays
cp "$T/load.conf" "$T/load.good"
echo "bogus = 1" >>"$T/load.conf"
# waits (up to 30 s) until the milter has logged PATTERN
wait_log() { i=0; while ! grep -q "$1" "$T/milter.log" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }
kill -HUP "$MILTER_PID"
wait_log "reload failed"
until_delivered $((load_n / 3))
# a good one that also turns auth on (takes effect at the next start only)
sed 's/^auth = no$/auth = yes/' "$T/load.good" >"$T/load.conf"
kill -HUP "$MILTER_PID"
wait_log "reloaded: generation 2"
until_delivered $((load_n / 2))
rss1=$(rss_kb "$MILTER_PID")
kill -9 "$MILTER_PID"
wait "$MILTER_PID" 2>/dev/null
cp "$T/load.good" "$T/load.conf"
sleep 1
start_milter "$nise" "$T/load.conf" || { cat "$T/milter.log"; exit 1; }
until_delivered $((load_n * 3 / 4))
# SIGTERM: drain what is in flight, then stop; restart
kill -TERM "$MILTER_PID"
wait "$MILTER_PID"
expect_eq "SIGTERM: exit status" "$?" 0
grep -q "stopping: [0-9]* message(s) in flight" "$T/milter.log" && ok "SIGTERM drained" || bad "no drain on SIGTERM"
start_milter "$nise" "$T/load.conf" || { cat "$T/milter.log"; exit 1; }
wait "$load"
rss2=$(rss_kb "$MILTER_PID")
wait_drained 60 || bad "Postfix queue not empty after 60 s: $(queued)"
cat "$T/load.json"
acc=$(awk -F'\t' '$2=="accepted"' "$T/load.tsv" | wc -l)
rej=$(awk -F'\t' '$2=="rejected"' "$T/load.tsv" | wc -l)
expect_eq "load: accepted + rejected" "$((acc + rej))" "$load_n"
expect_eq "load: delivered" "$(delivered)" "$acc"
# every accepted id delivered exactly once
grep -rh '^X-Nise-Test-Id:' "$T/sink" | tr -d '\r' | awk '{print $2}' | sort -n >"$T/ids.delivered"
awk -F'\t' '$2=="accepted" {print $1}' "$T/load.tsv" | sort -n >"$T/ids.accepted"
if cmp -s "$T/ids.delivered" "$T/ids.accepted"; then ok "load: delivered ids = accepted ids (no loss, no duplicate)"; else
	bad "load: delivered ids differ from accepted ids"; diff "$T/ids.accepted" "$T/ids.delivered" | head; fi
grep -q "reload failed, keeping generation 1: .*load.conf:[0-9]*: unknown key 'bogus'" "$T/milter.log" &&
	ok "SIGHUP with a broken configuration keeps the engine" || bad "failed reload not logged"
grep -q "reloaded: generation 2" "$T/milter.log" && ok "SIGHUP reload" || bad "SIGHUP reload not logged"
grep -q "turning auth on take effect at the next start" "$T/milter.log" && ok "auth on at reload deferred" ||
	bad "auth-on reload not logged"
retries=$(python3 -c "import json;print(json.load(open('$T/load.json'))['tempfail_retries'])")
[ "$retries" -gt 0 ] && ok "the crash was seen by clients as temporary failures ($retries retries)" ||
	bad "the crash caused no temporary failure: was the milter used?"
expect_eq "load: nothing held" "$(held)" 0
echo "milter RSS kB: start $rss0, before the crash $rss1, last instance at the end $rss2"

# ---- 4. limits
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
cat >"$T/nise.conf" <<C
[nise]
data_dir = $root/data
[limits]
max_message_bytes = 20000
max_parts = 3
C
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/big.eml", "w") as f:
    f.write("From: a@client.nise.test\r\nTo: user@nise.test\r\nSubject: big\r\n\r\n")
    f.write(("x" * 70 + "\r\n") * 600)
with open(t + "/parts.eml", "w") as f:
    f.write("From: a@client.nise.test\r\nTo: user@nise.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n")
    for i in range(6):
        f.write("--b\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i)
    f.write("--b--\r\n")
PY
conf "$T/limit.conf" reject "on_limit = accept"
start_milter "$nise" "$T/limit.conf" || { cat "$T/milter.log"; exit 1; }
rm -rf "$T/sink"/*
send "$T/r4.tsv" "$T/big.eml" "$T/parts.eml" >"$T/r4.json"
wait_drained 30
expect_eq "limits, accept: delivered" "$(delivered)" 2
f=$(grep -l "^X-Nise-Test-Id: 0" -r "$T/sink")
expect_eq "over the size limit" "$(grep '^X-Nise-Verdict:' "$f" | tr -d '\r')" "X-Nise-Verdict: unchecked reason=LIMIT_MESSAGE_BYTES"
f=$(grep -l "^X-Nise-Test-Id: 1" -r "$T/sink")
expect_eq "over max_parts" "$(grep '^X-Nise-Verdict:' "$f" | tr -d '\r')" "X-Nise-Verdict: unchecked reason=LIMIT_PARTS"
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
conf "$T/limit2.conf" reject "on_limit = tempfail"
start_milter "$nise" "$T/limit2.conf" || { cat "$T/milter.log"; exit 1; }
ls "$T/big.eml" >"$T/list"
python3 "$here/smtpload.py" 127.0.0.1 10025 1 1 "$T/list" "$T/r5.tsv" --deadline 3 >"$T/r5.json"
expect_eq "limits, tempfail: outcome" "$(cut -f2 "$T/r5.tsv")" lost
grep -q "milter-reject: END-OF-MESSAGE .*: 4.3.0 nise could not check this message" "$T/pf/maillog" &&
	ok "4.3.0 milter-reject in the Postfix log" || bad "no 4.3.0 milter-reject in the Postfix log"

# ---- 5. attack bombs through Postfix (../shared/attacks rows 1-2): an
# address header of 60,000 "g:" groups in each address field, comments
# nested 60,000 deep, and a multipart nested 100,000 deep: the milter
# answers each (a verdict header on the delivered mail), stays up, and
# nothing is lost
kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null
cat >"$T/nise.conf" <<C
[nise]
data_dir = $root/data
C
conf "$T/bomb.conf" header "on_limit = accept"
start_milter "$nise" "$T/bomb.conf" || { cat "$T/milter.log"; exit 1; }
rm -rf "$T/sink"/*
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
files = []
for i, h in enumerate(["From", "To", "Cc", "Reply-To", "Sender"]):
    with open("%s/bomb%d.eml" % (t, i), "wb") as f:
        if h != "From":
            f.write(b"From: a@client.nise.test\r\n")
        f.write(h.encode() + b": " + b"g:" * 60000 + b"\r\nTo: user@nise.test\r\nSubject: colons\r\n\r\nbody\r\n")
    files.append("%s/bomb%d.eml" % (t, i))
with open(t + "/bomb5.eml", "wb") as f:
    f.write(b"From: a" + b"(" * 60000 + b"@client.nise.test\r\nTo: user@nise.test\r\nSubject: comments\r\n\r\nbody\r\n")
with open(t + "/bomb6.eml", "wb") as f:
    f.write(b"From: a@client.nise.test\r\nTo: user@nise.test\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n")
    for i in range(100000):
        f.write(b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1))
    f.write(b"--b100000\r\nContent-Type: text/plain\r\n\r\nx\r\n")
PY
send "$T/r6.tsv" "$T"/bomb0.eml "$T"/bomb1.eml "$T"/bomb2.eml "$T"/bomb3.eml "$T"/bomb4.eml "$T"/bomb5.eml "$T"/bomb6.eml >"$T/r6.json"
wait_drained 60
expect_eq "bombs: accepted" "$(awk -F'\t' '$2=="accepted"' "$T/r6.tsv" | wc -l)" 7
expect_eq "bombs: delivered" "$(delivered)" 7
expect_eq "bombs: each delivered with a verdict" "$(grep -l '^X-Nise-Verdict: ' -r "$T/sink" | wc -l)" 7
kill -0 "$MILTER_PID" 2>/dev/null && ok "bombs: the milter is still running" || bad "bombs: the milter died"
echo "milter RSS kB after the bombs: $(rss_kb "$MILTER_PID")"

[ $fail -eq 0 ] && echo "milter/postfix: all passed" || { echo "--- milter log"; tail -20 "$T/milter.log"; }
exit $fail
