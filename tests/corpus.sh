#!/bin/sh
# Every file of the development corpus through `nise check --json` in the
# sanitizer build: no crash, no sanitizer report, exactly one JSON object
# per message (the Nazario mbox holds 415), and Japanese subjects readable.
# Usage: tests/corpus.sh NISE CORPUS
set -u
nise=$1
corpus=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
total=0
for dir in ham phish jp spam robustness; do
	[ -d "$corpus/$dir" ] || continue
	NISE_ARENA_DEBUG=1 "$nise" check --json "$corpus/$dir" >"$out/$dir.jsonl" 2>"$out/$dir.err"
	rc=$?
	# an empty file is refused (docs/check.md): exit 2, one message each,
	# and no other error
	empties=$(find "$corpus/$dir" -type f -empty ! -name '.*' | wc -l)
	refused=$(grep -c ': empty input (0 bytes): not a mail, not judged$' "$out/$dir.err")
	others=$(grep '^nise: ' "$out/$dir.err" | grep -vc ': empty input (0 bytes): not a mail, not judged$')
	if [ "$refused" != "$empties" ]; then
		echo "corpus: $dir: $refused empty inputs refused, $empties empty files"
		fail=1
	fi
	[ $rc -eq 2 ] && [ "$empties" -gt 0 ] && [ "$others" -eq 0 ] && rc=0
	# 0 none phishing, 1 some phishing, 3 some only partly checked (a limit)
	if [ $rc -ne 0 ] && [ $rc -ne 1 ] && [ $rc -ne 3 ]; then
		echo "corpus: $dir: nise exited $rc"
		tail -n 20 "$out/$dir.err"
		fail=1
	fi
	if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$out/$dir.err"; then
		echo "corpus: $dir: sanitizer report"
		grep -m5 -A5 -E 'Sanitizer|runtime error' "$out/$dir.err"
		fail=1
	fi
	n=$(wc -l <"$out/$dir.jsonl")
	total=$((total + n))
done
# one object per message: every mail file (not the empty ones), plus the mbox's messages
files=$(find "$corpus/ham" "$corpus/phish" "$corpus/jp" "$corpus/spam" "$corpus/robustness" -type f \
	! -name '*.tsv' ! -name '*.md' ! -name '*.csv' ! -name '*.json' ! -name '*.mbox' ! -name '.*' ! -empty | wc -l)
mbox=$(python3 -c '
import json,sys
n=0
for l in open(sys.argv[1]):
    o=json.loads(l)
    if o["source"].endswith("phishing0.mbox"): n+=1
print(n)' "$out/phish.jsonl")
expected=$((files + 415))
echo "corpus: $total JSON objects, expected $expected ($files files + 415 in the Nazario mbox; mbox gave $mbox)"
[ "$mbox" = 415 ] || fail=1
[ "$total" = "$expected" ] || fail=1
# every line is valid JSON with a verdict; Japanese subjects have no U+FFFD or raw =?
python3 - "$out" <<'PY' || fail=1
import json, glob, sys
bad = 0; jp = 0; mojibake = []
for f in glob.glob(sys.argv[1] + "/*.jsonl"):
    for line in open(f, encoding="utf-8"):
        o = json.loads(line)
        if o["verdict"] not in ("clean", "suspicious", "phishing", "unchecked"):
            bad += 1
        if "/jp/" in o["source"] or "jp-bounces" in o["source"] or "jp-pages" in o["source"]:
            jp += 1
            s = o["subject"]
            if "\ufffd" in s or "=?" in s:
                mojibake.append((o["source"], s))
print(f"corpus: {jp} Japanese messages, {len(mojibake)} subjects with U+FFFD or undecoded =?")
for src, s in mojibake:
    print("  ", src, s)
sys.exit(1 if bad else 0)
PY
# exact subjects of Japanese corpus messages (tests/corpus-subjects.tsv)
while IFS='	' read -r path want; do
	case "$path" in ''|\#*) continue ;; esac
	got=$("$nise" check --json "$corpus/$path" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["subject"])')
	if [ "$got" != "$want" ]; then
		echo "corpus: subject of $path: got '$got', want '$want'"
		fail=1
	fi
done <"$(dirname "$0")/corpus-subjects.tsv"
echo "corpus: $( [ $fail -eq 0 ] && echo '1 passed, 0 failed' || echo '0 passed, 1 failed')"
exit $fail
