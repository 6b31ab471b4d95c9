#!/bin/bash
# SPDX-License-Identifier: MIT
# docs/postfix.md "With a unix socket", run as written: its milter.conf
# and main.cf blocks (paths moved under a temporary directory), the
# shipped unit's User, Group, RuntimeDirectoryMode and UMask
# (contrib/systemd/nise-milter.service), and the postfix user in the
# milter's group, against a private Postfix (tests/milter/lib.sh):
#   1. the socket is srwxrwx--- nise:nise and Postfix delivers the seed
#      with exactly the documented headers (verdict, findings, X-Nise-Reason
#      in Japanese, the encoded tag) and the milter logs one line for it;
#   2. with UMask=0027 the socket is srwxr-x--- and Postfix cannot connect:
#      the mail is refused with 451 4.7.1 (milter_default_action = tempfail);
#   3. a mail submitted with sendmail (non_smtpd_milters, seen as coming
#      from 127.0.0.1) gets spf=none, never spf=pass for its sender's domain.
# Needs root; run under flock /tmp/nise-ports.lock (Postfix on 10025,
# smtp-sink on 10027). Usage: tests/milter/unix-socket.sh BUILD
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
nise=$build/nise
if [ "$(id -u)" -ne 0 ]; then
	echo "needs root (a private Postfix instance, users and groups)"
	exit 77
fi
. "$here/lib.sh"
added_group=
cleanup() {
	[ -n "$added_group" ] && gpasswd -d postfix "$added_group" >/dev/null 2>&1
	milter_cleanup
}
trap cleanup EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "unix-socket: FAIL: $*"; fail=1; }
expect_eq() { # WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
seed=$root/examples/seed-amazon-phish.eml

# ---- the documented settings
unit=$root/contrib/systemd/nise-milter.service
user=$(sed -n 's/^User=//p' "$unit")
group=$(sed -n 's/^Group=//p' "$unit")
umask_doc=$(sed -n 's/^UMask=//p' "$unit")
rtmode=$(sed -n 's/^RuntimeDirectoryMode=//p' "$unit")
expect_eq "unit settings" "$user:$group:$umask_doc:$rtmode" "nise:nise:0007:0750"
# the user the package makes (debian/nise.postinst), on a machine without it
getent passwd "$user" >/dev/null ||
	adduser --system --group --home /var/lib/nise --no-create-home --gecos "nise phishing-mail detector" "$user" >/dev/null
python3 - "$root/docs/postfix.md" "$T" <<'PY' || { bad "docs/postfix.md: the unix socket blocks are not there"; exit 1; }
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
conf = [b for info, b in blocks if info == "ini" and "socket = unix:" in b]
main = [b for info, b in blocks if info == "" and "smtpd_milters = unix:" in b]
assert len(conf) == 1 and len(main) == 1
open(sys.argv[2] + "/doc-milter.conf", "w").write(conf[0])
open(sys.argv[2] + "/doc-main.cf", "w").write(main[0])
PY
sockdir=$T/run/nise
sed -e "s|/run/nise/|$sockdir/|" "$T/doc-milter.conf" >"$T/milter.conf"
# the test's own: the engine's data, and DNS that answers nothing at once
cat >>"$T/milter.conf" <<C
nise_config = $T/nise.conf
dns_server = 127.0.0.1:10099
C
printf '[nise]\ndata_dir = %s/data\n' "$root" >"$T/nise.conf"
grep -q '^socket = unix:' "$T/milter.conf" && grep -q '^reason = yes' "$T/milter.conf" && ok ||
	bad "the documented milter.conf: $(cat "$T/milter.conf")"

# the postfix user in the milter's group (adduser postfix nise)
if ! id -nG postfix | tr ' ' '\n' | grep -qx "$group"; then
	gpasswd -a postfix "$group" >/dev/null && added_group=$group
fi

start_sink || { echo "smtp-sink did not start"; exit 1; }
# (not in a pipeline: start_postfix sets PF_UP, which the cleanup needs)
sed -e "s|/run/nise/|$sockdir/|" "$T/doc-main.cf" >"$T/main.extra"
start_postfix <"$T/main.extra" || { echo "postfix did not start"; exit 1; }
# sendmail's submissions: the pickup service reads the maildrop queue
echo 'pickup unix n - n 60 1 pickup' >>"$T/pf/etc/master.cf"
postfix -c "$T/pf/etc" reload >/dev/null 2>&1

# RuntimeDirectory=nise with RuntimeDirectoryMode, then the milter as
# User/Group with the unit's UMask
start_doc_milter() { # UMASK
	rm -rf "$sockdir"
	mkdir -p "$sockdir"
	chown "$user:$group" "$sockdir"
	chmod "$rtmode" "$sockdir"
	: >"$T/milter.log"
	chown "$user" "$T/milter.log"
	(umask "$1" && exec setpriv --reuid="$user" --regid="$group" --init-groups "$nise" milter --config "$T/milter.conf") \
		>>"$T/milter.log" 2>&1 &
	MILTER_PID=$!
	i=0
	while [ ! -S "$sockdir/milter.sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
}
stop_milter() { kill "$MILTER_PID"; wait "$MILTER_PID" 2>/dev/null; MILTER_PID=; }
# one SMTP session: prints the reply to the data ("250", "451 4.7.1 ...")
smtp_once() { # FILE
	python3 - "$1" <<'PY'
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", 10025, timeout=60)
try:
    s.sendmail("bounce@amazon.co.jp", ["user@nise.test"], open(sys.argv[1], "rb").read())
    print("250")
except smtplib.SMTPRecipientsRefused as e:
    code, msg = list(e.recipients.values())[0]
    print(code, msg.decode())
except smtplib.SMTPResponseException as e:
    print(e.smtp_code, e.smtp_error.decode())
s.quit()
PY
}

# ---- 1. as documented: Postfix connects, the headers as documented
start_doc_milter "$umask_doc"
expect_eq "socket" "$(stat -c '%A %U:%G' "$sockdir/milter.sock")" "srwxrwx--- $user:$group"
rm -rf "$T/sink"/*
expect_eq "seed over SMTP" "$(smtp_once "$seed")" 250
wait_drained 30
f=$(find "$T/sink" -type f | head -1)
if [ -z "$f" ]; then
	bad "nothing delivered: $(tail -5 "$T/milter.log")"
else
	# the fields nise wrote, in the order Postfix gives them
	awk '/^X-Nise-/ { f = 1; print; next } f && /^[ \t]/ { print; next } { f = 0 }' "$f" | tr -d '\r' >"$T/xnise"
	want='X-Nise-Verdict: phishing score=27.7
X-Nise-Findings: SENDER_BRAND_MISMATCH LINK_BRAND_MISMATCH LOOKALIKE_DOMAIN
	RISKY_TLD HOMOGLYPH_WORD LURE_THREAT_DEADLINE LURE_CREDENTIALS
X-Nise-Reason: =?UTF-8?B?5beu5Ye65Lq644Gv44CMQW1hem9uLmNvLmpw44CN77yIQW1h?=
 =?UTF-8?B?em9u77yJ44KS5ZCN5LmX44Gj44Gm44GE44G+44GZ44GM44CB5a6f6Zqb44Gu?=
 =?UTF-8?B?6YCB5L+h5YWDIG5ld25hbWVjYXJkYW1hem9ubWFpbC5jeW91IOOBr0FtYXpv?=
 =?UTF-8?B?buOBruODieODoeOCpOODs+OBp+OBr+OBguOCiuOBvuOBm+OCk+OAgg==?='
	expect_eq "X-Nise-* fields" "$(cat "$T/xnise")" "$want"
	subj=$(awk '/^Subject:/ { s = $0; f = 1; next } f && /^[ \t]/ { s = s $0; next } { f = 0 } END { print s }' "$f" | tr -d '\r')
	orig=$(awk '/^Subject:/ { s = $0; f = 1; next } f && /^[ \t]/ { s = s $0; next } { f = 0 } END { print s }' "$seed" | tr -d '\r')
	expect_eq "tagged subject" "$subj" "Subject: =?UTF-8?B?W+ipkOasuuazqOaEj10g?= ${orig#Subject: }"
	qid=$(sed -n 's/.*postfix\/cleanup\[[0-9]*\]: \([0-9A-F]*\): milter-.*//p; s/.*postfix\/cleanup\[[0-9]*\]: \([0-9A-F]*\): message-id=.*/\1/p' "$T/pf/maillog" | head -1)
	msgid=$(grep -i '^Message-ID:' "$seed" | head -1 | tr -d '\r' | sed 's/^[^:]*: *//')
	expect_eq "the milter's log line" "$(grep ': verdict=' "$T/milter.log")" \
		"nise milter: $qid: verdict=phishing score=27.7 action=tag from=bounce@amazon.co.jp msgid=$msgid findings=SENDER_BRAND_MISMATCH,LINK_BRAND_MISMATCH,LOOKALIKE_DOMAIN,RISKY_TLD,HOMOGLYPH_WORD,LURE_THREAT_DEADLINE,LURE_CREDENTIALS"
fi

# ---- 3. sendmail (non_smtpd_milters): no spf=pass from 127.0.0.1
rm -rf "$T/sink"/*
sed 's/^From: .*/From: Amazon <bounce@amazon.co.jp>/' "$seed" |
	sendmail -C "$T/pf/etc" -f bounce@amazon.co.jp user@nise.test
i=0
while [ -z "$(find "$T/sink" -type f)" ] && [ $i -lt 300 ]; do
	postqueue -c "$T/pf/etc" -f >/dev/null 2>&1
	sleep 0.2
	i=$((i + 1))
done
f=$(find "$T/sink" -type f | head -1)
if [ -z "$f" ]; then
	bad "sendmail: nothing delivered: $(tail -5 "$T/milter.log")"
else
	ar=$(sed -n '/^Authentication-Results: mx.example.org;/,/^[^ \t]/p' "$f" | tr -d '\r\n\t')
	case $ar in
	*"spf=none smtp.mailfrom=bounce@amazon.co.jp;"*) ok ;;
	*) bad "sendmail submission: $ar" ;;
	esac
	case $ar in *spf=pass*) bad "sendmail submission got spf=pass: $ar" ;; *) ok ;; esac
fi
stop_milter

# ---- 2. UMask=0027 as the counter-example: Postfix cannot connect
start_doc_milter 0027
expect_eq "socket with 0027" "$(stat -c '%A' "$sockdir/milter.sock")" "srwxr-x---"
reply=$(smtp_once "$seed")
expect_eq "seed with 0027: refused for now" "${reply%% *} ${reply#* }" "451 4.7.1 Service unavailable - try again later"
stop_milter

echo "unix-socket: $pass passed, $([ $fail -eq 0 ] && echo 0 || echo some) failed"
exit $fail
