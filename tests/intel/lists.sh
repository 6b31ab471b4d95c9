#!/bin/sh
# What an administrator sets changes verdicts as docs/intel.md ("The
# operator's loop") and nise.conf(5) say, with an LMDB store and the
# checks alone (--no-model):
#   - a block-listed URL (store, then nise.conf) makes a clean mail phishing
#     (BLOCKLISTED); `nise block remove` undoes it;
#   - a feed that listed https://www.list-archive.example/ (a site an
#     operator knows is legitimate; a popular one such as www.google.com is
#     refused at import, tests/update) makes a mail with a link there
#      phishing; an allow-listed link domain (store, then nise.conf)
#     makes it clean again; `nise intel remove` drops the feed entry;
#   - a sender-domain allow entry counts only with authentication;
#   - phishing_score / suspicious_score and weight.CHECK_ID change verdicts;
#   - bad values are refused with FILE:LINE.
# Usage: tests/intel/lists.sh NISE
set -u
nise=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
db=$dir/s.lmdb
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
v() { # MAIL [nise check options]
	m=$1
	shift
	"$nise" check --json --no-record --no-model --db "$db" "$@" "$m" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"]))'
}
cat > "$dir/notes.eml" <<'EOF'
From: Project notes <notes@example.org>
To: you@example.net
Subject: Notes of this week
Date: Wed, 02 Dec 2026 09:00:00 +0000
Message-ID: <notes-1@example.org>
Content-Type: text/plain; charset=utf-8

Hello,

the notes of this week's meeting are at https://www.example.org/notes/week-49.html
and the next meeting is on Friday as usual.

See you there.
EOF
cat > "$dir/search.eml" <<'EOF'
From: Project notes <notes@example.org>
To: you@example.net
Subject: Where to find the archive
Date: Wed, 02 Dec 2026 09:05:00 +0000
Message-ID: <notes-2@example.org>
Content-Type: text/plain; charset=utf-8

Hello,

the archive of the list can be searched with https://www.list-archive.example/search?q=site:example.org
like any other site.

See you there.
EOF
# a notice with lure words from bank.example; authenticated or not
bank() { # AUTH-RESULT
	cat <<EOF
Authentication-Results: mx.example.net; dmarc=$1 header.from=bank.example; spf=$1 smtp.mailfrom=bank.example
From: Example Bank <notice@bank.example>
To: you@example.net
Subject: Please confirm your account details
Date: Wed, 02 Dec 2026 09:10:00 +0000
Message-ID: <bank-1@bank.example>
Content-Type: text/plain; charset=utf-8

Dear customer,

your account will be suspended within 24 hours unless you verify your account
and update your password and payment information today:
https://bank.example/verify

Example Bank
EOF
}
bank pass > "$dir/bank-auth.eml"
bank none > "$dir/bank-noauth.eml"

# ---- block list: URL ----
check "notes: clean" "$(v "$dir/notes.eml")" "clean "
check "block add url" "$("$nise" block add url 'HTTPS://www.Example.org/notes/week-49.html#top' --who alice --note "reported by the help desk" --db "$db")" \
	"block url www.example.org/notes/week-49.html"
check "notes: blocked URL makes it phishing" "$(v "$dir/notes.eml")" "phishing BLOCKLISTED"
check "the explanation" "$("$nise" check --json --no-record --no-model --db "$db" "$dir/notes.eml" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["findings"][0]["explain_en"])')" \
	"https://www.example.org/notes/week-49.html is on this mail system's block list (set by alice on $(date -u +%Y-%m-%d): reported by the help desk)."
check "block list" "$("$nise" block list --db "$db" | cut -f1-5)" "block	url	www.example.org/notes/week-49.html	admin	alice"
check "block remove" "$("$nise" block remove url https://www.example.org/notes/week-49.html --db "$db")" \
	"removed url www.example.org/notes/week-49.html"
check "notes: clean again" "$(v "$dir/notes.eml")" "clean "
check "block list: empty" "$("$nise" block list --db "$db")" ""
printf '[block]\nlink_domain = example.org\n' > "$dir/block.conf"
check "notes: link domain blocked in nise.conf" "$(v "$dir/notes.eml" --config "$dir/block.conf")" "phishing BLOCKLISTED"
printf '[block]\nsender = Notes@Example.org\n' > "$dir/block2.conf"
check "notes: sender blocked in nise.conf" "$(v "$dir/notes.eml" --config "$dir/block2.conf")" "phishing BLOCKLISTED"

# ---- allow list: link domain against a bad feed entry ----
printf 'https://www.list-archive.example/\n' > "$dir/feed.txt"
"$nise" intel import --format urls --db "$db" "$dir/feed.txt" > /dev/null
check "search: a feed listing list-archive.example makes it phishing" "$(v "$dir/search.eml")" "phishing INTEL_URL_MATCH"
check "allow add link-domain" "$("$nise" allow add link-domain list-archive.example --who bob --note "imported by mistake" --db "$db")" \
	"allow link-domain list-archive.example"
check "search: allowed link domain: clean" "$(v "$dir/search.eml")" "clean "
check "allow remove" "$("$nise" allow remove link-domain list-archive.example --db "$db")" "removed link-domain list-archive.example"
check "search: phishing again" "$(v "$dir/search.eml")" "phishing INTEL_URL_MATCH"
printf '[allow]\nlink_domain = list-archive.example\n' > "$dir/allow.conf"
check "search: allowed in nise.conf: clean" "$(v "$dir/search.eml" --config "$dir/allow.conf")" "clean "
check "intel list" "$("$nise" intel list --db "$db")" "url	urls	-	-	www.list-archive.example/"
check "intel remove" "$("$nise" intel remove --db "$db" https://www.list-archive.example/)" "removed www.list-archive.example/"
check "search: the feed entry is gone" "$(v "$dir/search.eml")" "clean "
check "intel remove: not listed" "$("$nise" intel remove --db "$db" https://www.list-archive.example/ 2>&1; echo "exit $?")" \
	"nise intel remove: https://www.list-archive.example/: not listed
exit 1"

# ---- allow list: sender domain, only with authentication ----
check "bank (authenticated): suspicious" "$(v "$dir/bank-auth.eml")" "suspicious LURE_THREAT_DEADLINE LURE_CREDENTIALS"
"$nise" allow add sender-domain bank.example --who carol --note "our bank" --db "$db" > /dev/null
# the results count only from an authserv-id this host trusts (docs/trust.md)
check "bank (authenticated, untrusted server): allow entry does not count" "$(v "$dir/bank-auth.eml")" \
	"suspicious LURE_THREAT_DEADLINE LURE_CREDENTIALS"
check "bank (authenticated): allowed: clean" "$(v "$dir/bank-auth.eml" --trust-authserv mx.example.net)" \
	"clean LURE_THREAT_DEADLINE LURE_CREDENTIALS ALLOWLISTED"
check "bank (not authenticated): allow entry does not count" "$(v "$dir/bank-noauth.eml")" \
	"suspicious LURE_THREAT_DEADLINE LURE_CREDENTIALS"

# ---- thresholds and weights ----
printf '[verdict]\nsuspicious_score = 6\nphishing_score = 8\n' > "$dir/thr.conf"
check "bank (not authenticated): suspicious_score = 6: clean" "$(v "$dir/bank-noauth.eml" --config "$dir/thr.conf")" \
	"clean LURE_THREAT_DEADLINE LURE_CREDENTIALS"
printf '[verdict]\nphishing_score = 5\n' > "$dir/thr2.conf"
check "bank (not authenticated): phishing_score = 5: phishing" "$(v "$dir/bank-noauth.eml" --config "$dir/thr2.conf")" \
	"phishing LURE_THREAT_DEADLINE LURE_CREDENTIALS"
printf '[verdict]\nweight.LURE_CREDENTIALS = 0\n' > "$dir/w.conf"
check "bank (not authenticated): weight.LURE_CREDENTIALS = 0: suspicious, 3 points" \
	"$("$nise" check --json --no-record --no-model --config "$dir/w.conf" "$dir/bank-noauth.eml" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], r["score"])')" "suspicious 3.0"
printf '[verdict]\nweight.LURE_THREAT_DEADLINE = 0.5\nweight.LURE_CREDENTIALS = 0.5\n' > "$dir/w2.conf"
check "bank (not authenticated): both lures 0.5: clean" "$(v "$dir/bank-noauth.eml" --config "$dir/w2.conf")" \
	"clean LURE_THREAT_DEADLINE LURE_CREDENTIALS"
check "config check prints the overrides" "$("$nise" config check --config "$dir/w2.conf" | grep '^weight')" \
	"weight.LURE_THREAT_DEADLINE = 0.5
weight.LURE_CREDENTIALS = 0.5"

# ---- bad values: FILE:LINE ----
printf '[nise]\nlang = ja\n\n[verdict]\nphishing_score = lots\n' > "$dir/bad1.conf"
check "bad threshold" "$("$nise" config check --config "$dir/bad1.conf" 2>&1; echo "exit $?")" \
	"nise: $dir/bad1.conf:5: bad value for phishing_score: 'lots' (a number of points above 0)
exit 2"
printf '[verdict]\nweight.NO_SUCH_CHECK = 2\n' > "$dir/bad2.conf"
check "unknown check" "$("$nise" config check --config "$dir/bad2.conf" 2>&1; echo "exit $?")" \
	"nise: $dir/bad2.conf:2: unknown check 'NO_SUCH_CHECK' in weight.NO_SUCH_CHECK (see docs/checks/)
exit 2"
printf '[verdict]\n\nweight.URL_SHORTENER = 1e999\n' > "$dir/bad3.conf"
check "weight out of range" "$("$nise" config check --config "$dir/bad3.conf" 2>&1; echo "exit $?")" \
	"nise: $dir/bad3.conf:3: bad value for weight.URL_SHORTENER: '1e999' (a number of points from -100 to 100)
exit 2"
printf '[allow]\nsender_domain = not a domain\n' > "$dir/bad4.conf"
check "bad list value" "$("$nise" check --no-model --config "$dir/bad4.conf" "$dir/notes.eml" 2>&1; echo "exit $?")" \
	"nise: $dir/bad4.conf:2: bad value for sender_domain: 'not a domain' (not a sender-domain)
exit 2"
printf '[verdict]\nsuspicious_score = 7\n' > "$dir/bad5.conf"
check "suspicious above phishing" "$("$nise" config check --config "$dir/bad5.conf" 2>&1; echo "exit $?")" \
	"nise: $dir/bad5.conf: suspicious_score 7 is above phishing_score 6
exit 2"

# ---- learned mails are kept for nise train --store ----
"$nise" learn --phishing --no-model --db "$db" "$dir/notes.eml" > /dev/null
"$nise" learn --genuine --no-model --db "$db" "$dir/search.eml" "$dir/bank-auth.eml" > /dev/null
check "learned mails kept next to the store" "$(cd "$db.learned" && find . -name '*.eml' | cut -d/ -f2 | sort | uniq -c | tr -s ' ')" \
	" 2 ham
 1 phish"
check "a mail reported the other way moves" \
	"$("$nise" learn --phishing --no-model --db "$db" "$dir/search.eml" > /dev/null; cd "$db.learned" && find . -name '*.eml' | cut -d/ -f2 | sort | uniq -c | tr -s ' ')" \
	" 1 ham
 2 phish"
check "nise train --store reads them" \
	"$("$nise" train --store --db "$db" --folds 2 --out "$dir/m.bin" 2>&1 | grep -E '^\| (phish|ham) \|' | cut -d'|' -f2-3 | tr -s ' ' | sed 's/ $//')" \
	" phish | 2
 ham | 1"

echo "lists: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
