#!/bin/sh
# Walking mail trees (issue 14 row 20, issue 17 item 4): every command that
# walks a directory reads each file once (symbolic link loops end, a second
# path to a file adds nothing), a Maildir or Maildir++ tree is read as mail
# folders (cur/ and new/ of each folder, never tmp/ or the server's
# files), empty input is refused (check, filter, report), and check's
# --summary / --only on a 10,000-mail mbox made here count exactly.
# Usage: tests/cli/walk.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "walk: FAIL: $*"; }
eq() { # eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got
$2
want
$3"; fi
}
# the sources and verdicts of check --json output (summary line left out)
sv() {
	python3 -c 'import json, sys
for l in sys.stdin:
    d = json.loads(l)
    if "summary" not in d:
        print(d["source"], d["verdict"])'
}
clean() { printf 'From: Friend <f@friend.example>\nTo: v@example.jp\nSubject: %s\nMessage-ID: <%s@friend.example>\n\nSee you at lunch.\n' "$1" "$1"; }
phish() { sed "s/^Subject: .*/Subject: $1/" "$src/examples/seed-amazon-phish.eml"; }

# ---- a Maildir++ tree as Dovecot leaves it
M=$t/Maildir
mkdir -p "$M/cur" "$M/new" "$M/tmp" "$M/.Junk/cur" "$M/.Junk/new" "$M/.Junk/tmp" "$M/.Sent/cur" \
	"$M/.Sent/new" "$M/.Sent/tmp" "$M/.Junk.Old/cur" "$M/Archive/cur" "$M/notafolder"
clean inbox1 >"$M/cur/1700000000.M1P1.host:2,S"
clean inbox2 >"$M/new/1700000001.M2P1.host"
phish tmp >"$M/tmp/1700000002.M3P1.host"
phish junk >"$M/.Junk/cur/1700000003.M4P1.host:2,"
phish junktmp >"$M/.Junk/tmp/1700000004.M5P1.host"
clean sent >"$M/.Sent/cur/1700000005.M6P1.host:2,S"
clean old >"$M/.Junk.Old/cur/1700000006.M7P1.host:2,S"
clean archive >"$M/Archive/cur/1700000007.M8P1.host:2,S"
clean notafolder >"$M/notafolder/mail"
# the server's files, written as mail so that reading one would show
for f in dovecot.index dovecot.index.cache dovecot.index.log dovecot-uidlist dovecot-keywords \
	dovecot.list.index.log subscriptions maildirsize .Junk/maildirfolder .Junk/dovecot.index \
	.Junk/dovecot-uidlist .Sent/maildirfolder courierimapuiddb; do
	clean "server-$f" >"$M/$f"
done
"$nise" check --no-model --no-record --json --summary "$M" >"$t/md.json"
eq "Maildir++: exit status" "$?" 1
eq "Maildir++: mails read" "$(sv <"$t/md.json")" "$M/cur/1700000000.M1P1.host:2,S clean
$M/new/1700000001.M2P1.host clean
$M/.Junk/cur/1700000003.M4P1.host:2, phishing
$M/.Junk.Old/cur/1700000006.M7P1.host:2,S clean
$M/.Sent/cur/1700000005.M6P1.host:2,S clean
$M/Archive/cur/1700000007.M8P1.host:2,S clean"
eq "Maildir++: summary" "$(tail -n 1 "$t/md.json")" \
	'{"summary":{"messages":6,"clean":5,"suspicious":0,"phishing":1,"unchecked":0,"unreadable":0}}'
# one folder given by itself, with a trailing slash
eq "Maildir folder .Junk/" "$("$nise" check --no-model --no-record --json "$M/.Junk/" | sv)" \
	"$M/.Junk/cur/1700000003.M4P1.host:2, phishing"
# a directory holding Maildirs (one per user) is walked down to them
mkdir -p "$t/users/alice"
mv "$M" "$t/users/alice/Maildir"
eq "Maildirs under a directory" "$("$nise" check --no-model --no-record --json "$t/users" | sv | wc -l | tr -d ' ')" 6
mv "$t/users/alice/Maildir" "$M"

# ---- row 20: a symbolic link loop, and second paths to the same file
L=$t/loop
mkdir -p "$L/a/b"
ln -s .. "$L/a/up"
ln -s ../.. "$L/a/b/top"
ln -s "$L" "$L/a/b/self"
phish loop-root >"$L/root.eml"
clean loop-a >"$L/a/m.eml"
clean loop-b >"$L/a/b/n.eml"
ln -s ../root.eml "$L/a/again.eml"
# a link to a file outside the tree is judged like a file in it (once)
clean outside >"$t/outside.eml"
ln -s "$t/outside.eml" "$L/a/b/outside.eml"
"$nise" check --no-model --no-record --json "$L" >"$t/loop.json"
eq "loop: exit status" "$?" 1
# (the first path in sorted order wins: a/again.eml before root.eml)
eq "loop: each file once" "$(sv <"$t/loop.json")" "$L/a/again.eml phishing
$L/a/b/n.eml clean
$L/a/b/outside.eml clean
$L/a/m.eml clean"
# the same directory twice on the command line, and the loop's own path
eq "loop: given twice" "$("$nise" check --no-model --no-record --json "$L" "$L/a/up" "$t/outside.eml" | sv | wc -l | tr -d ' ')" 4
# recorded once: the campaign of the phishing mail has one copy
"$nise" check --no-model --db "$t/db" "$L" >/dev/null
eq "loop: recorded once" "$("$nise" campaigns --db "$t/db" --json | python3 -c 'import json, sys
c = [json.loads(l) for l in sys.stdin]
print(len(c), [k["copies"] for k in c])')" "1 [1]"
# learn walks the same way: one learned mail per file
"$nise" learn --phishing --who test --db "$t/db2" "$L" >"$t/learn.out" 2>"$t/learn.err"
eq "learn: exit status" "$?" 0
eq "learn: one line per file" "$(wc -l <"$t/learn.out" | tr -d ' ')" 4
# a link that points nowhere: reported, the rest judged, exit status 2
ln -s "$t/nowhere.eml" "$L/a/dangling.eml"
"$nise" check --no-model --no-record --json "$L" >"$t/dang.json" 2>"$t/dang.err"
eq "dangling link: exit status" "$?" 2
eq "dangling link: message" "$(cat "$t/dang.err")" "nise: $L/a/dangling.eml: No such file or directory"
eq "dangling link: the rest" "$(sv <"$t/dang.json" | wc -l | tr -d ' ')" 4
rm "$L/a/dangling.eml"

# ---- empty input: refused with a message, never judged
: >"$t/empty.eml"
printf '\r\n\r\n' >"$t/blank.eml"
"$nise" check "$t/empty.eml" >"$t/e.out" 2>"$t/e.err"
eq "check empty file: exit status" "$?" 2
eq "check empty file: output" "$(cat "$t/e.out")" ""
eq "check empty file: message" "$(cat "$t/e.err")" "nise: $t/empty.eml: empty input (0 bytes): not a mail, not judged"
"$nise" check <"$t/empty.eml" >"$t/e.out" 2>"$t/e.err"
eq "check empty stdin: exit status" "$?" 2
eq "check empty stdin: message" "$(cat "$t/e.err")" "nise: standard input: empty input (0 bytes): not a mail, not judged"
"$nise" check --json - <"$t/blank.eml" >"$t/e.out" 2>"$t/e.err"
eq "check blank lines: exit status" "$?" 2
eq "check blank lines: message" "$(cat "$t/e.err")" \
	"nise: standard input: empty input (4 bytes, only blank lines): not a mail, not judged"
# an empty file in a tree: the others judged, exit status 2
mkdir -p "$t/withempty"
clean one >"$t/withempty/a.eml"
: >"$t/withempty/b.eml"
"$nise" check --no-model --no-record --json --summary "$t/withempty" >"$t/we.json" 2>/dev/null
eq "tree with an empty file: exit status" "$?" 2
eq "tree with an empty file: summary" "$(tail -n 1 "$t/we.json")" \
	'{"summary":{"messages":1,"clean":1,"suspicious":0,"phishing":0,"unchecked":0,"unreadable":1}}'
"$nise" filter <"$t/empty.eml" >"$t/f.out" 2>"$t/f.err"
eq "filter empty: exit status" "$?" 0
eq "filter empty: the mail written, unchecked" "$(od -c <"$t/f.out" | head -n 3)" \
	"$(printf 'X-Nise-Verdict: unchecked reason=empty\n' | od -c | head -n 3)"
eq "filter empty: message" "$(cat "$t/f.err")" "nise filter: empty input (0 bytes): not a mail, not judged"
"$nise" filter --exit-status <"$t/blank.eml" >"$t/f.out" 2>/dev/null
eq "filter --exit-status blank lines: exit status" "$?" 2
head -n 1 "$t/f.out" | grep -q '^X-Nise-Verdict: unchecked reason=empty' && ok || bad "filter blank: $(head -n 1 "$t/f.out")"
"$nise" report "$t/empty.eml" >"$t/r.out" 2>"$t/r.err"
eq "report empty: exit status" "$?" 2
eq "report empty: message" "$(cat "$t/r.err")" "nise report: $t/empty.eml: empty input (0 bytes): not a mail, no report"
"$nise" report - <"$t/empty.eml" >"$t/r.out" 2>/dev/null
eq "report empty stdin: exit status" "$?" 2

# ---- --summary and --only on a 10,000-mail mbox: 6,000 clean, 2,000
# suspicious, 1,500 phishing, 500 cut by the parts limit (unchecked)
python3 - "$t/big.mbox" "$src/examples/seed-amazon-phish.eml" <<'PY'
import sys
out, seed = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().replace("\r\n", "\n")
def clean(i):
    return f"From: Friend <f{i}@friend.example>\nTo: v@example.jp\nSubject: lunch {i}\nMessage-ID: <c{i}@friend.example>\n\nSee you at lunch, table {i}.\n"
def susp(i):
    return (f"From: Notice <a@notice.example>\nSubject: flowed {i}\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
            f"Please sign in at http://www.amazon.co.jp.account-check \n.flowed-evil.example/signin?n={i} today.\n")
def phish(i):
    return seed.replace("Subject:", f"X-Seq: {i}\nSubject:", 1)
def cut(i):
    parts = "".join("--b\nContent-Type: text/plain\n\n\n" for _ in range(300))
    return (f"From: Notice <n@notice.example>\nSubject: parts {i}\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=b\n\n" + parts + "--b\nContent-Type: text/plain\n\nhello\n--b--\n")
kinds = [clean] * 12 + [susp] * 4 + [phish] * 3 + [cut]
with open(out, "w", encoding="utf-8") as f:
    for i in range(10000):
        body = kinds[i % 20](i)
        body = "\n".join((">" + l if l.startswith("From ") else l) for l in body.split("\n"))
        f.write(f"From sender@example.jp Mon Nov 30 10:00:00 2026\n{body}\n")
PY
# (two runs, not three: the suites also run under the sanitizers)
"$nise" check --no-model --no-record --summary --only phishing --lang ja "$t/big.mbox" >"$t/only.txt"
eq "10,000: exit status" "$?" 1
eq "--only phishing: mails shown" "$(grep -c '^== ' "$t/only.txt")" 1500
eq "--only phishing: every one phishing" "$(grep -c '^判定: フィッシング' "$t/only.txt")" 1500
eq "--only phishing: summary (ja) counts all" "$(tail -n 1 "$t/only.txt")" \
	"集計: 10000通（問題なし 6000、要注意 2000、フィッシング 1500、一部しか確認できず 500）、読めなかった入力 0"
"$nise" check --no-model --no-record --json --summary --only suspicious "$t/big.mbox" >"$t/only.json"
eq "--only suspicious: summary (JSON)" "$(tail -n 1 "$t/only.json")" \
	'{"summary":{"messages":10000,"clean":6000,"suspicious":2000,"phishing":1500,"unchecked":500,"unreadable":0}}'
# the English summary line, on a part of the mbox (the first 20 mails: 12, 4, 3, 1)
python3 -c 'import sys
d = open(sys.argv[1], encoding="utf-8").read().split("\nFrom sender@")
sys.stdout.write("\nFrom sender@".join(d[:20]) + "\n")' "$t/big.mbox" >"$t/twenty.mbox"
"$nise" check --no-model --no-record --summary "$t/twenty.mbox" >"$t/twenty.txt"
eq "20: one header line per mail" "$(grep -c '^== ' "$t/twenty.txt")" 20
eq "20: summary (en)" "$(tail -n 1 "$t/twenty.txt")" \
	"Summary: 20 mails: 12 clean, 4 suspicious, 3 phishing, 1 only partly checked; 0 inputs not read"
eq "--only suspicious: verdicts" "$(sv <"$t/only.json" | cut -d' ' -f2 | sort | uniq -c | tr -s ' ')" \
	" 1500 phishing
 2000 suspicious
 500 unchecked"
eq "--only suspicious: mbox positions" "$(python3 -c 'import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
print(s[0]["source"].endswith("big.mbox"), s[0].get("index"), len(s))' "$t/only.json")" "True 12 4001"
"$nise" check --only clean "$t/empty.eml" >/dev/null 2>"$t/o.err"
eq "--only clean: usage error" "$?" 2
eq "--only clean: message" "$(cat "$t/o.err")" "nise check: --only must be phishing or suspicious"

echo "walk: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
