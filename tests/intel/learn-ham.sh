#!/bin/sh
# The operator's loop, a false alarm: one ham mail nise flags suspicious
# is reported genuine (`nise learn --genuine`); then
#   - it and two copies of it (new Message-ID, Date and a changed number in
#     the text) judge clean, with REPORTED_GENUINE;
#   - no other mail of ../shared/corpus/ham changes verdict;
#   - no mail of ../shared/corpus/phish or jp/nvdimm becomes clean.
# The checks alone (--no-model): with the shipped model no ham mail is
# flagged at all. The mail is from linux.microsoft.com without
# authentication, so only its text is allowed, never the sender domain.
# Usage: tests/intel/learn-ham.sh NISE   (exit 77 without the corpus)
set -u
nise=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$root/../shared/corpus
[ -d "$corpus/ham" ] || { echo "no corpus: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
db=$dir/s.lmdb
mail=$corpus/ham/brand-lists/linux-hyperv/007584_b8c76bb184f5.eml
fail=0
check() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=1
	fi
}
run() { # OUT DIR...
	out=$1
	shift
	"$nise" check --json --no-record --no-model --db "$db" "$@" |
		python3 -c 'import json,sys
for l in sys.stdin:
    r=json.loads(l); print(r["source"]+"\t"+r["verdict"]+"\t"+" ".join(f["id"] for f in r["findings"]))' > "$out"
}
v() { "$nise" check --json --no-record --no-model --db "$db" "$1" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"]))'; }

"$nise" intel stats --db "$db" > /dev/null 2>&1 || true
run "$dir/ham.before" "$corpus/ham"
run "$dir/phish.before" "$corpus/phish" "$corpus/jp/nvdimm"
check "before: the mail is suspicious" "$(v "$mail")" "suspicious BRAND_SPOOFED_ORIGIN"
# checks alone, with no authserv-id trusted (docs/trust.md): 19 (12 before results from
# untrusted servers stopped counting)
check "before: ham flagged" "$(cut -f2 "$dir/ham.before" | grep -vc '^clean$')" 19

out=$("$nise" learn --genuine --no-model --who tester --note "a patch, not phishing" --db "$db" "$mail")
check "learn --genuine output" "$out" \
	"$mail: learned genuine (was suspicious): campaign 779f5c8adf6adb64, 0 URLs; not learned: the sender domain did not pass trusted authentication: only the text is allowed"
check "after: the mail is clean" "$(v "$mail")" "clean BRAND_SPOOFED_ORIGIN REPORTED_GENUINE"
sed -e 's/^Message-Id: <1c02879d/Message-Id: <2d02879d/' -e 's/^Date: .*/Date: Mon, 7 Feb 2022 09:00:00 -0800/' \
	"$mail" > "$dir/copy1.eml"
sed -e 's/^Message-Id: <1c02879d/Message-Id: <3e02879d/' -e 's/2022/2023/g' "$mail" > "$dir/copy2.eml"
check "copy 1 (headers) is clean" "$(v "$dir/copy1.eml")" "clean BRAND_SPOOFED_ORIGIN REPORTED_GENUINE"
check "copy 2 (numbers) is clean" "$(v "$dir/copy2.eml")" "clean BRAND_SPOOFED_ORIGIN REPORTED_GENUINE"
check "the explanation" "$("$nise" check --json --no-record --no-model --db "$db" "$dir/copy1.eml" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print("".join(f["explain_en"] for f in r["findings"] if f["id"]=="REPORTED_GENUINE"))')" \
	"A mail like this one (779f5c8adf6adb64) was reported as genuine by tester on $(date -u +%Y-%m-%d) (a patch, not phishing)."
check "the sender domain is not allowed" "$("$nise" allow list --db "$db" | cut -f1-3)" \
	"allow	campaign	779f5c8adf6adb64"

run "$dir/ham.after" "$corpus/ham"
run "$dir/phish.after" "$corpus/phish" "$corpus/jp/nvdimm"
changed=$(paste "$dir/ham.before" "$dir/ham.after" | awk -F'\t' '$1 != $4 { print "misaligned " $1; next } $2 != $5 { print $1 " " $2 " -> " $5 }')
check "ham: only the reported mail changed verdict" "$changed" "$mail suspicious -> clean"
check "ham: mails read" "$(wc -l < "$dir/ham.after")" 3614
cleaned=$(paste "$dir/phish.before" "$dir/phish.after" | awk -F'\t' '$2 != "clean" && $5 == "clean" { print $1 }')
check "phish + jp: none became clean" "$cleaned" ""
check "phish + jp: mails read" "$(wc -l < "$dir/phish.after")" "$(wc -l < "$dir/phish.before")"
check "phish + jp: no REPORTED_GENUINE" "$(grep -c REPORTED_GENUINE "$dir/phish.after")" 0
echo "phish + jp: $(wc -l < "$dir/phish.after") mails, $(cut -f2 "$dir/phish.after" | grep -c '^clean$') clean before and after"

if [ $fail -eq 0 ]; then echo "learn-ham: 1 passed, 0 failed"; else echo "learn-ham: 0 passed, 1 failed"; fi
exit $fail
