#!/bin/sh
# The maildrop recipe of README.md, as written there, with a real maildrop:
# the folder made once as the comment says (maildirmake), then the seed
# mail lands in Maildir/.Junk/ with "X-Nise-Verdict: phishing" on top and a
# plain mail in the inbox with its verdict; nothing is lost and the mail
# below the added fields is byte-identical.
# Usage: tests/doctest/maildrop.sh NISE SOURCE_ROOT
set -u
nise=$1
root=$2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "maildrop: FAIL: $*"; }
command -v maildrop >/dev/null || { echo "maildrop: not installed (scripts/bootstrap --test installs it)"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/bin" "$t/Maildir/cur" "$t/Maildir/new" "$t/Maildir/tmp"
ln -s "$nise" "$t/bin/nise"
# the recipe: README.md's block from "# ~/.mailfilter (maildrop" to its end
awk '/^# ~\/.mailfilter \(maildrop/{f=1; print; next} f && /^```/{exit} f' "$root/README.md" >"$t/recipe"
[ "$(grep -c 'xfilter "nise filter"' "$t/recipe")" -eq 1 ] && ok || bad "recipe not found in README.md"
# the one-time step its first line names, run as written (~ is $HOME)
once=$(sed -n '1s/.*make the folder once: \(.*\))$/\1/p' "$t/recipe")
[ "$once" = "maildirmake ~/Maildir/.Junk" ] && ok || bad "one-time step: '$once'"
(HOME=$t && eval "$once") && ok || bad "$once failed"
{
	echo "PATH=\"$t/bin:/usr/bin:/bin\""
	echo "HOME=\"$t\""
	echo "DEFAULT=\"$t/Maildir/\""
	echo "NISE_DATA_DIR=\"$root/data\""
	cat "$t/recipe"
} >"$t/mailfilter"
chmod 600 "$t/mailfilter"
seed=$root/examples/seed-amazon-phish.eml
maildrop "$t/mailfilter" <"$seed"
rc=$?
[ $rc -eq 0 ] && ok || bad "maildrop exit status on the seed: $rc"
f=$(ls "$t/Maildir/.Junk/new/"* 2>/dev/null | head -n 1)
[ -n "$f" ] && ok || bad "the seed is not in .Junk/new"
[ -n "$f" ] && [ "$(head -n 1 "$f" | cut -c1-25)" = "X-Nise-Verdict: phishing " ] && ok || bad "first line: $(head -n 1 "$f" 2>/dev/null)"
[ -n "$f" ] && grep -q '^X-Nise-Findings: ' "$f" && ok || bad "no X-Nise-Findings"
[ -n "$f" ] && awk 'f || !/^(X-Nise-|[ \t])/{f=1} f' "$f" | cmp -s - "$seed" && ok || bad "the mail changed"
printf 'From: friend@example.org\nTo: me@example.org\nSubject: lunch\n\nSee you at noon.\n' >"$t/ham.eml"
maildrop "$t/mailfilter" <"$t/ham.eml"
f=$(ls "$t/Maildir/new/"* 2>/dev/null | head -n 1)
[ -n "$f" ] && [ "$(head -n 1 "$f" | cut -c1-21)" = "X-Nise-Verdict: clean" ] && ok || bad "ham: $(head -n 1 "$f" 2>/dev/null)"
[ -n "$f" ] && awk 'f || !/^(X-Nise-|[ \t])/{f=1} f' "$f" | cmp -s - "$t/ham.eml" && ok || bad "the ham changed"
[ "$(ls "$t/Maildir/.Junk/new" | wc -l)" -eq 1 ] && ok || bad "ham went to Junk"
echo "maildrop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
