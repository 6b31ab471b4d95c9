#!/bin/sh
# `nise report` on the seed mail must write exactly the committed examples
# (docs/examples/report-seed.*): the store (temp dir) first records the
# seed's ISO-2022-JP twin, so the report names its campaign. Also: no
# URL or link host appears undefanged.
# Usage: tests/intel/report.sh NISE
set -u
nise=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
fail=0
"$nise" check --db "$dir/n.lmdb" "$root/examples/seed-amazon-phish-iso2022jp.eml" >/dev/null
for v in "ja md" "ja html" "en md"; do
	set -- $v
	"$nise" report --db "$dir/n.lmdb" --lang "$1" --format "$2" "$root/examples/seed-amazon-phish.eml" >"$dir/out"
	want=$root/docs/examples/report-seed.$1.$2
	if ! cmp -s "$dir/out" "$want"; then
		echo "FAIL: report --lang $1 --format $2 differs from $want:"
		diff "$want" "$dir/out" | head -20
		fail=1
	fi
	if grep -n 'http://\|https://\|newnamecardamazon\.icu\|newnamecardamazonmail\.cyou' "$dir/out"; then
		echo "FAIL: report --lang $1 --format $2: a live URL or host"
		fail=1
	fi
done
# the title accuses only when the verdict does: genuine Amazon mail (its
# results not trusted here, so clean by its text and links) is named, not
# called phishing
for v in "en # \"Amazon\\[.\\]co\\[.\\]jp の発送のお知らせ\" — what nise found" \
	"ja # 「Amazon\\[.\\]co\\[.\\]jp の発送のお知らせ」— nise の確認結果"; do
	lang=${v%% *}
	want=${v#* }
	got=$("$nise" report --lang "$lang" "$root/tests/golden/003-genuine-amazon-dmarc-pass.eml" | head -1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: clean mail's report title ($lang): got '$got', want '$want'"
		fail=1
	fi
done
if [ $fail -eq 0 ]; then echo "report: 1 passed, 0 failed"; else echo "report: 0 passed, 1 failed"; fi
exit $fail
