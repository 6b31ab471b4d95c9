#!/bin/sh
# Dovecot learn-on-move (docs/dovecot.md) against a real Dovecot started
# here on 127.0.0.1:$2 (default 10143) with contrib/dovecot/ as shipped:
# a test user appends a mail to INBOX over IMAP (python3 imaplib), moves it
# into Junk — the store then holds it as learned phishing, and nise judges
# a copy phishing; moves it back to INBOX — the store holds an allow entry
# for its text. Needs root (Dovecot), dovecot-imapd and dovecot-sieve.
# Usage: tests/dovecot/learn-on-move.sh NISE [PORT]
# (run under flock /tmp/nise-ports.lock: a fixed port)
set -u
nise=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
port=${2:-10143}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v dovecot > /dev/null || ! command -v sievec > /dev/null; then
	echo "needs root, dovecot-imapd and dovecot-sieve: skipped"
	exit 77
fi
dir=$(mktemp -d)
chmod 755 "$dir"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
db=$dir/store/nise.lmdb
mkdir -p "$dir/run" "$dir/state" "$dir/home" "$dir/sieve" "$dir/bin" "$dir/store"
# the shipped programs, pointed at this nise and this store
for p in nise-learn-phishing nise-learn-genuine; do
	sed -e "s|\${NISE:-/usr/bin/nise}|$nise|" -e "s|\${NISE_STORE:---db /var/lib/nise/nise.lmdb}|--db $db|" \
		"$root/contrib/dovecot/$p" > "$dir/bin/$p"
	chmod 755 "$dir/bin/$p"
done
cp "$root/contrib/dovecot/"*.sieve "$dir/sieve/"
sed -e "s|/etc/dovecot/sieve/|$dir/sieve/|" -e "s|/usr/lib/dovecot/sieve-pipe|$dir/bin|" \
	"$root/contrib/dovecot/90-nise-imapsieve.conf" > "$dir/90-nise-imapsieve.conf"
echo "tester:{PLAIN}secret-pass" > "$dir/passwd"
# the mail user: nobody, who must write its Maildir and the store
uid=$(id -u nobody)
gid=$(id -g nobody)
chown "$uid:$gid" "$dir/home" "$dir/store"
cat > "$dir/dovecot.conf" <<EOF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/home/%u
}
namespace inbox {
  inbox = yes
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
!include $dir/90-nise-imapsieve.conf
EOF
for f in "$dir/sieve/"*.sieve; do
	sievec -c "$dir/dovecot.conf" "$f" || { echo "sievec $f failed"; exit 1; }
done
# the store, made here and handed to the mail user
"$nise" intel stats --db "$db" > /dev/null
chown "$uid:$gid" "$dir/store/"*
dovecot -F -c "$dir/dovecot.conf" &
pid=$!
i=0
while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "dovecot did not start"; cat "$dir/dovecot.log"; exit 1; }
	sleep 0.1
done
fail=0
n=0
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=$((fail + 1))
	fi
}
cat > "$dir/mail.eml" <<'EOF'
From: Parcel Service <info@parcel-notice.example>
To: tester@example.net
Subject: Your parcel is waiting
Date: Wed, 02 Dec 2026 09:00:00 +0000
Message-ID: <p-1@parcel-notice.example>
Content-Type: text/plain; charset=utf-8

Hello,

a parcel for you is waiting at our depot. Choose a delivery day on
https://parcel-notice.example/choose?id=8841 and we will bring it to your door.

Parcel Service
EOF
imap() { # ACTION: append | to-junk | to-inbox
	python3 - "$port" "$dir/mail.eml" "$1" <<'EOF'
import imaplib, sys, time
port, path, action = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4('127.0.0.1', port)
m.login('tester', 'secret-pass')
if action == 'append':
    m.append('INBOX', None, None, open(path, 'rb').read().replace(b'\n', b'\r\n'))
else:
    src, dst = ('INBOX', 'Junk') if action == 'to-junk' else ('Junk', 'INBOX')
    m.select(src)
    typ, data = m.uid('SEARCH', None, 'ALL')
    uid = data[0].split()[-1]
    typ, data = m.uid('MOVE', uid, dst)
    print(typ)
m.logout()
EOF
}
listed() { "$nise" intel list --db "$db" 2>/dev/null | cut -f1-2,4-5 | sort; }
v() { "$nise" check --json --no-record --no-model --db "$db" "$dir/mail.eml" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"]))'; }

imap append
check "before: nothing learned" "$(listed)" ""
check "move into Junk" "$(imap to-junk)" OK
i=0
while [ -z "$(listed)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "the store holds it as learned phishing" "$(listed | grep -v '^url')" \
	"block	campaign	learned	imap:tester
block	sender	learned	imap:tester
block	sender-domain	learned	imap:tester
block	url	learned	imap:tester"
check "a copy is now phishing" "$(v)" "phishing LURE_LANGUAGE INTEL_URL_MATCH CAMPAIGN_MATCH LEARNED_SENDER"
check "move out of Junk" "$(imap to-inbox)" OK
i=0
while ! listed | grep -q '^allow' && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "the store holds its text as reported genuine" "$(listed | grep '^allow')" "allow	campaign	learned	imap:tester"
if [ $fail -ne 0 ]; then
	echo "--- dovecot.log"
	tail -20 "$dir/dovecot.log"
fi
echo "dovecot learn-on-move: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
