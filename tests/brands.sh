#!/bin/sh
# The brand registry as data (issue 15): data/brands.tsv is what
# data/tools/gen-brands.py generates from its seed and ../shared/sources,
# the data files pass data/tools/check-data.py (every genuine brand-list
# From domain owned by its brand), and the registry knows the brand of at
# least 99.5 % of the JPCERT/CC phishing URLs of 2019–2023. Every row's
# source column starts with a review marker (data/tools/brands-review.tsv):
# "reviewed YYYY-MM-DD http(s)://… : … ||" or "unreviewed: … ||"; the counts
# are printed.
# Usage: tests/brands.sh CORPUS [SOURCES]
set -u
corpus=$1
sources=${2:-$(dirname "$corpus")/sources}
cd "$(dirname "$0")/.." || exit 2
fail=0
if [ -d "$sources/domain-list-community" ]; then
	python3 data/tools/gen-brands.py --sources "$sources" --check 2>/dev/null || {
		echo "brands: data/brands.tsv differs from data/tools/gen-brands.py output (re-run it)"
		fail=1
	}
else
	echo "brands: $sources not found, generator check skipped"
fi
marks=$(awk -F'\t' '
	/^#/ || NF == 0 { next }
	$7 ~ /^reviewed [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] https?:\/\/[^ |]+ : \(page of a member organisation, [^|]+ \|\| / { rev++; member++; next }
	$7 ~ /^reviewed [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] https?:\/\/[^ |]+ : [^|]+ \|\| / { rev++; next }
	$7 ~ /^unreviewed: not yet searched \|\| / { todo++; next }
	$7 ~ /^unreviewed: [^|]+ \|\| / { unrev++; next }
	{ printf "brands.tsv:%d: %s: no review marker in the source column\n", NR, $1; bad++ }
	END { printf "brands: %d rows reviewed against the brand'"'"'s own page (%d of them a member organisation'"'"'s), %d unreviewed (no stored official page found), %d unreviewed (not yet searched), %d without a marker\n", rev, member, unrev, todo, bad
	      exit bad > 0 }' data/brands.tsv) || fail=1
printf '%s\n' "$marks"
python3 data/tools/check-data.py "$corpus" | tail -n 20 | grep -v '^0 problem' && fail=1
out=$(python3 data/tools/brand-coverage.py --jpcert "$corpus/urls/jpcert" --min 99.5 --show 10 2019 2020 2021 2022 2023) || fail=1
printf '%s\n' "$out" | sed -n '1,8p'
[ $fail -eq 0 ] && echo "brands: ok" || echo "brands: FAILED"
exit $fail
