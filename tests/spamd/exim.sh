#!/bin/sh
# SPDX-License-Identifier: MIT
# nise spamd behind a real Exim (Debian's exim4-daemon-heavy), the ACL of
# docs/spamd.md: reject phishing ($spam_score_int >= 100), tag suspicious
# and unchecked (>= 50), deliver the rest.
#   1. the seed mail is refused with 550, the ham delivered with
#      X-Nise-Spam-Score; delivered + rejected = sent
#   2. nise spamd killed (SIGKILL) while Exim is receiving: the next mails
#      are deferred with 451 (temporary), none is delivered unchecked and
#      none is lost; after a restart they are accepted
# Private instance on loopback: Exim on 127.0.0.1:17833, nise spamd on
# 127.0.0.1:17834, its own config, spool and maildir in one temporary
# directory. Needs root (Exim's daemon). Run under
#   flock /tmp/nise-ports.lock tests/spamd/exim.sh BUILD
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
nise=$(cd "$build" && pwd)/nise
EXIM=$(command -v exim4 || true)
[ -n "$EXIM" ] || EXIM=/usr/local/lib/nise-test/exim4/usr/sbin/exim4
if [ ! -x "$EXIM" ]; then
	echo "exim: no exim4 binary (run scripts/bootstrap --test)"
	exit 1
fi
# exim4-base makes this user; the unpacked binary refuses to run without it
getent passwd Debian-exim >/dev/null ||
	adduser --system --group --quiet --allow-bad-names --no-create-home --home /var/spool/exim4 Debian-exim
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "exim: FAIL: $*"; }
expect_eq() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
T=$(mktemp -d /tmp/nise-exim.XXXXXX)
chmod 755 "$T"
SPAMD_PID=
EXIM_PID=
cleanup() {
	[ -n "$EXIM_PID" ] && kill "$EXIM_PID" 2>/dev/null && wait "$EXIM_PID" 2>/dev/null
	[ -n "$SPAMD_PID" ] && kill "$SPAMD_PID" 2>/dev/null && wait "$SPAMD_PID" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/spool" "$T/log" "$T/mail"
chown Debian-exim:Debian-exim "$T/spool" "$T/log" "$T/mail"

acl=$(awk '/<!-- exim-acl -->/ {on = 1; next} on && /^```$/ {if (++n == 2) exit; next} on && n == 1' "$root/docs/spamd.md")
[ -n "$acl" ] || { bad "no ACL found in docs/spamd.md"; exit 1; }
cat >"$T/exim.conf" <<EOF
exim_path = $EXIM
spool_directory = $T/spool
log_file_path = $T/log/%slog
pid_file_path = $T/spool/exim.pid
primary_hostname = mx.nise-test.example
qualify_domain = nise-test.example
daemon_smtp_ports = 17833
local_interfaces = 127.0.0.1
keep_environment =
host_lookup =
rfc1413_hosts =
spamd_address = 127.0.0.1 17834 retry=0s tmo=60s
acl_smtp_rcpt = acl_rcpt
acl_smtp_data = acl_data

begin acl
acl_rcpt:
  accept

# docs/spamd.md: the ACL nise spamd is made for, as the page shows it
acl_data:
$acl
  accept

begin routers
all:
  driver = accept
  transport = maildir

begin transports
maildir:
  driver = appendfile
  directory = $T/mail
  maildir_format
  create_directory
  user = Debian-exim
  group = Debian-exim

begin retry
* * F,1h,1m
EOF

wait_port() { # PORT: up to 10 s
	python3 -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$1"
}
start_spamd() {
	"$nise" spamd --listen 127.0.0.1:17834 >>"$T/spamd.log" 2>&1 &
	SPAMD_PID=$!
	wait_port 17834
}
start_spamd || { bad "nise spamd did not start"; exit 1; }
# -bdf: the daemon stays in the foreground, so its pid is ours to stop
"$EXIM" -C "$T/exim.conf" -bdf -oX 17833 >"$T/exim.out" 2>&1 &
EXIM_PID=$!
if ! wait_port 17833; then
	bad "exim did not start: $(cat "$T/exim.out" "$T/log/paniclog" 2>/dev/null)"
	exit 1
fi

seed=$root/examples/seed-amazon-phish.eml
ham=$root/tests/golden/003-genuine-amazon-dmarc-pass.eml
# send FILE... : one SMTP session per mail; prints "CODE" per mail
send() {
	python3 - "$@" <<'EOF'
import smtplib, sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        s = smtplib.SMTP("127.0.0.1", 17833, local_hostname="client.example", timeout=120)
        s.sendmail("sender@example.org", ["user@nise-test.example"], data)
        print(250)
        s.quit()
    except smtplib.SMTPDataError as e:
        print(e.smtp_code)
    except smtplib.SMTPResponseException as e:
        print(e.smtp_code)
EOF
}
delivered() { find "$T/mail/new" -type f 2>/dev/null | wc -l; }

# 1. reject phishing, deliver ham
expect_eq "seed mail refused" "$(send "$seed")" 550
expect_eq "ham accepted" "$(send "$ham")" 250
expect_eq "delivered after 1" "$(delivered)" 1
f=$(find "$T/mail/new" -type f | head -1)
clean=$("$nise" check --json --no-record "$ham" | python3 -c 'import json,sys; print("%.1f" % min(max(json.load(sys.stdin)["score"], 0), 4.9))')
expect_eq "ham tagged with the spamd score" "$(grep -m1 '^X-Nise-Spam-Score:' "$f")" "X-Nise-Spam-Score: $clean"
expect_eq "ham not flagged" "$(grep -c '^X-Nise-Spam-Flag:' "$f")" 0
grep -q "Rejected as phishing by nise (score 3[0-9]\.[0-9])" "$T/log/rejectlog" && ok ||
	bad "reject log: $(tail -3 "$T/log/rejectlog" 2>/dev/null)"

# 2. kill nise spamd mid-run: Exim defers, nothing lost
n=8
i=0
while [ $i -lt $n ]; do
	cp "$ham" "$T/ham$i.eml"
	i=$((i + 1))
done
send "$T"/ham[0-7].eml >"$T/sent.txt" &
sender=$!
# killed once it has judged two of them
i=0
while [ "$(grep -c 'REPORT' "$T/spamd.log")" -lt 4 ] && [ $i -lt 300 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 "$SPAMD_PID"
wait "$SPAMD_PID" 2>/dev/null
SPAMD_PID=
wait "$sender"
acc=$(grep -c '^250$' "$T/sent.txt")
def=$(grep -c '^451$' "$T/sent.txt")
expect_eq "after the kill: every mail accepted or deferred" "$((acc + def))" "$n"
[ "$acc" -ge 2 ] && [ "$def" -ge 1 ] && ok || bad "the kill was not mid-run: $acc accepted, $def deferred"
expect_eq "delivered = 1 + accepted" "$(delivered)" "$((1 + acc))"
# the client retries the deferred ones once nise spamd is back
start_spamd || bad "nise spamd did not restart"
retry=$(grep -n '^451$' "$T/sent.txt" | cut -d: -f1 | while read -r k; do
	echo "$T/ham$((k - 1)).eml"
done)
# shellcheck disable=SC2086
expect_eq "deferred mails accepted after the restart" "$(send $retry | sort -u)" 250
expect_eq "every mail delivered exactly once" "$(delivered)" "$((1 + n))"
grep -q 'spam acl condition' "$T/log/mainlog" && ok || bad "exim mainlog does not mention the spamd failure"

echo "exim: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
