#!/bin/sh
# SPDX-License-Identifier: MIT
# nise filter (stdin → stdout, exit status per verdict, every other byte
# unchanged, forged X-Nise-* removed, an mbox "From " line kept first) and
# nise milter --check-config (defaults, errors naming file and line).
# No services needed. Usage: tests/milter/cli.sh NISE
set -u
nise=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
export NISE_DATA_DIR="$root/data"
seed=$root/examples/seed-amazon-phish.eml

"$nise" filter <"$seed" >"$t/out"
[ $? -eq 0 ] && ok || bad "filter: exit status not 0 although the mail was written (procmail would drop the verdict)"
"$nise" filter --exit-status <"$seed" >"$t/out"
[ $? -eq 1 ] && ok || bad "filter --exit-status: seed exit status not 1"
[ "$(head -1 "$t/out")" = "X-Nise-Verdict: phishing score=27.7" ] && ok || bad "filter: first line $(head -1 "$t/out")"
[ "$(sed -n 2p "$t/out")" = "X-Nise-Findings: SENDER_BRAND_MISMATCH LINK_BRAND_MISMATCH LOOKALIKE_DOMAIN" ] && ok ||
	bad "filter: findings $(sed -n 2p "$t/out")"
[ "$(sed -n 3p "$t/out")" = "	RISKY_TLD HOMOGLYPH_WORD LURE_THREAT_DEADLINE LURE_CREDENTIALS" ] && ok || bad "filter: findings fold $(sed -n 3p "$t/out")"
tail -n +4 "$t/out" | cmp -s - "$seed" && ok || bad "filter: the mail itself changed"

# the header mechanics below are the checks' alone (--no-model): a
# one-word mail is too little for the learned model to be meaningful
# forged verdict headers (with a continuation line) are removed, CRLF kept
printf 'X-Nise-Verdict: clean score=0.0\r\n\tforged\r\nFrom: a@example.org\r\nX-NISE-FINDINGS: none\r\nSubject: hi\r\n\r\nhello\r\n' >"$t/forged"
"$nise" filter --no-model <"$t/forged" >"$t/out2"
[ $? -eq 0 ] && ok || bad "filter: plain mail exit status"
printf 'X-Nise-Verdict: clean score=0.0\r\nFrom: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n' | cmp -s - "$t/out2" && ok ||
	bad "filter: forged headers: $(cat -A "$t/out2")"

# an mbox From_ line stays first
printf 'From someone@example.org Sat Nov 28 09:00:00 2026\nFrom: a@example.org\nSubject: hi\n\nhello\n' >"$t/mbox"
"$nise" filter --no-model <"$t/mbox" >"$t/out3"
[ "$(head -2 "$t/out3" | tr '\n' '|')" = "From someone@example.org Sat Nov 28 09:00:00 2026|X-Nise-Verdict: clean score=0.0|" ] && ok ||
	bad "filter: From_ line: $(head -2 "$t/out3")"

# empty input: not a mail, never judged (clean least of all): written back
# marked unchecked, exit 0 (tests/cli/walk.sh has the rest)
"$nise" filter --no-model </dev/null >"$t/out4" 2>/dev/null
[ $? -eq 0 ] && [ "$(cat "$t/out4" | tr '\n' '|')" = "X-Nise-Verdict: unchecked reason=empty|" ] && ok ||
	bad "filter: empty input: $(cat "$t/out4")"

# a mail longer than max_message_bytes: judged on its start, marked
# unchecked, and every byte of it still written (the rest copied unread)
printf '[limits]\nmax_message_bytes = 1000\n' >"$t/small.conf"
{ printf 'From: a@example.org\nSubject: big\n\n'; i=0; while [ $i -lt 2000 ]; do echo "line $i of a long body"; i=$((i + 1)); done; } >"$t/big"
"$nise" filter --config "$t/small.conf" --no-model <"$t/big" >"$t/out5"
[ $? -eq 0 ] && ok || bad "filter: long mail exit status"
[ "$(head -1 "$t/out5")" = "X-Nise-Verdict: unchecked reason=LIMIT_MESSAGE_BYTES" ] && ok ||
	bad "filter: long mail verdict: $(head -1 "$t/out5")"
tail -n +2 "$t/out5" | cmp -s - "$t/big" && ok || bad "filter: long mail not passed through unchanged"

# milter configuration
"$nise" milter --check-config --config "$root/etc/milter.conf" >"$t/conf" && ok || bad "shipped milter.conf rejected"
grep -q "^on_phishing = header$" "$t/conf" && grep -q "^socket = inet:10026@127.0.0.1$" "$t/conf" && ok ||
	bad "effective milter.conf: $(cat "$t/conf")"
printf '[milter]\non_phishing = delete\n' >"$t/bad.conf"
msg=$("$nise" milter --check-config --config "$t/bad.conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "bad.conf:2: bad value for on_phishing: 'delete'" && ok || bad "bad action: $msg"
printf '[milter]\nsocket = inet:10026@127.0.0.1\nsoket = x\n' >"$t/bad.conf"
msg=$("$nise" milter --check-config --config "$t/bad.conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "bad.conf:3: unknown key 'soket'" && ok || bad "unknown key: $msg"
printf '[milter]\ndns_server = 127.0.0.1:99999\n' >"$t/bad.conf"
msg=$("$nise" milter --check-config --config "$t/bad.conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "bad.conf:2: bad value for dns_server" && ok || bad "bad dns_server: $msg"
printf '[milter]\nnise_config = %s/none.conf\n' "$t" >"$t/bad.conf"
msg=$("$nise" milter --check-config --config "$t/bad.conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "none.conf: No such file" && ok || bad "missing nise.conf: $msg"

# a unix socket: created, served, and SIGTERM ends the milter with status 0
printf '[milter]\nsocket = unix:%s/milter.sock\nauth = no\n' "$t" >"$t/unix.conf"
"$nise" milter --config "$t/unix.conf" 2>"$t/unix.log" &
pid=$!
i=0
while [ ! -S "$t/milter.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$t/milter.sock" ] && ok || bad "no unix socket: $(cat "$t/unix.log")"
kill -TERM "$pid"
wait "$pid"
[ $? -eq 0 ] && grep -q "stopping: 0 message(s) in flight" "$t/unix.log" && ok || bad "SIGTERM: $(cat "$t/unix.log")"

echo "milter-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
