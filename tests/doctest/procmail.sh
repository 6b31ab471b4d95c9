#!/bin/sh
# The procmail recipe of README.md, as written there, with a real procmail:
# the seed mail lands in Maildir/.Junk/ with "X-Nise-Verdict: phishing" on
# top, a plain mail in the inbox with its verdict; nothing is lost and the
# mail below the added fields is byte-identical.
# Usage: tests/doctest/procmail.sh NISE SOURCE_ROOT
set -u
nise=$1
root=$2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "procmail: FAIL: $*"; }
command -v procmail >/dev/null || { echo "procmail: not installed (scripts/bootstrap --test installs it)"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/bin" "$t/Maildir/cur" "$t/Maildir/new" "$t/Maildir/tmp"
ln -s "$nise" "$t/bin/nise"
# the recipe: the lines of README.md's block from "# ~/.procmailrc" to the
# blank line before the maildrop one
awk '/^# ~\/.procmailrc$/{f=1; next} f && /^# ~\/.mailfilter/{exit} f' "$root/README.md" >"$t/recipe"
[ "$(grep -c 'nise filter' "$t/recipe")" -eq 1 ] && ok || bad "recipe not found in README.md"
{
	echo "PATH=$t/bin:/usr/bin:/bin"
	echo "MAILDIR=$t/Maildir/"
	echo "DEFAULT=$t/Maildir/"
	echo "NISE_DATA_DIR=$root/data"
	echo "LOGFILE=$t/procmail.log"
	cat "$t/recipe"
} >"$t/rc"
seed=$root/examples/seed-amazon-phish.eml
procmail -m "$t/rc" <"$seed"
[ $? -eq 0 ] && ok || bad "procmail exit status on the seed"
f=$(ls "$t/Maildir/.Junk/new/"* 2>/dev/null | head -n 1)
[ -n "$f" ] && ok || { bad "the seed is not in .Junk/new"; cat "$t/procmail.log"; }
[ -n "$f" ] && [ "$(head -n 1 "$f" | cut -c1-25)" = "X-Nise-Verdict: phishing " ] && ok || bad "first line: $(head -n 1 "$f" 2>/dev/null)"
[ -n "$f" ] && grep -q '^X-Nise-Findings: ' "$f" && ok || bad "no X-Nise-Findings"
# below the added fields the mail is the one that came in (procmail's own
# From_ line and the blank line it ends a delivered mail with aside)
[ -n "$f" ] && awk 'f || !/^(X-Nise-|[ \t])/{f=1} f' "$f" | grep -v '^From ' | sed '$ { /^$/d; }' | cmp -s - "$seed" && ok ||
	bad "the mail changed"
grep -q "Rescue of unfiltered data" "$t/procmail.log" && bad "procmail rescued unfiltered data (filter exit status)" || ok
printf 'From: friend@example.org\nTo: me@example.org\nSubject: lunch\n\nSee you at noon.\n' >"$t/ham.eml"
procmail -m "$t/rc" <"$t/ham.eml"
f=$(ls "$t/Maildir/new/"* 2>/dev/null | head -n 1)
[ -n "$f" ] && [ "$(head -n 1 "$f" | cut -c1-21)" = "X-Nise-Verdict: clean" ] && ok || bad "ham: $(head -n 1 "$f" 2>/dev/null)"
[ "$(ls "$t/Maildir/.Junk/new" | wc -l)" -eq 1 ] && ok || bad "ham went to Junk"
echo "procmail: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
