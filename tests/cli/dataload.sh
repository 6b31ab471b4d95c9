#!/bin/sh
# Loading data/ (src/lib/checks/data.c): each file is mapped and read row
# by row; a malformed row stops the start with its file and line; CRLF line
# ends, a last row without a newline and comment lines read as in data/;
# a missing file or a directory in a file's place is named. The verdicts
# over the copied data are the same bytes as over data/ itself.
# Usage: tests/cli/dataload.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "dataload: FAIL: $*"; }
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
seed=$src/examples/seed-amazon-phish.eml
export NISE_CACHE_DIR=off
fresh() { rm -rf "$t/d"; cp -r "$src/data" "$t/d"; }
# the output goes to $t/got.json, the errors to $t/err; prints the exit status
run() { NISE_DATA_DIR=$t/d "$nise" check --json "$seed" >"$t/got.json" 2>"$t/err"; echo "rc=$?"; }

NISE_DATA_DIR=$src/data "$nise" check --json "$seed" >"$t/want.json"
fresh
eq "a copy of data/: exit status (phishing)" "$(run)" "rc=1"
eq "a copy of data/: same output" "$(cmp -s "$t/want.json" "$t/got.json" && echo same)" same

# CRLF everywhere, no newline after the last row, a comment at the end
fresh
for f in "$t"/d/*.tsv "$t"/d/*.txt; do
	sed -i 's/$/\r/' "$f"
	printf '# a comment without a newline' >>"$f"
done
eq "CRLF rows, last row unterminated: exit status" "$(run)" "rc=1"
eq "CRLF rows, last row unterminated: same output" "$(cmp -s "$t/want.json" "$t/got.json" && echo same)" same

# a bad rank: file and line (the row appended after the file's last line)
fresh
n=$(($(wc -l <"$t/d/popular-domains.tsv") + 1))
printf 'example.com\t12x\n' >>"$t/d/popular-domains.tsv"
eq "bad rank: exit status" "$(run)" "rc=2"
eq "bad rank: file and line" "$(cat "$t/err")" "nise: cannot start: parse error: popular-domains.tsv:$n: expected domain<TAB>rank"
# other rows that are no rank, each refused with the same file and line
bad_rank() {
	fresh
	printf '%s\n' "$2" >>"$t/d/popular-domains.tsv"
	run >/dev/null
	eq "$1" "$(cat "$t/err")" "nise: cannot start: parse error: popular-domains.tsv:$n: expected domain<TAB>rank"
}
bad_rank "rank 0 refused" "example.com	0"
bad_rank "rank over 100,000,000 refused" "example.com	100000001"
bad_rank "a rank of 23 digits refused" "example.com	99999999999999999999999"
bad_rank "no rank column refused" "example.com"

# a missing file, a directory in a file's place
fresh
rm "$t/d/freemail.tsv"
eq "missing file: exit status" "$(run)" "rc=2"
eq "missing file named" "$(cat "$t/err")" "nise: cannot start: input/output error: $t/d/freemail.tsv: No such file or directory"
fresh
rm "$t/d/freemail.tsv"
mkdir "$t/d/freemail.tsv"
run >/dev/null
eq "a directory named" "$(cat "$t/err")" "nise: cannot start: input/output error: $t/d/freemail.tsv: not a regular file"
# an empty file is an empty list
fresh
: >"$t/d/click-trackers.tsv"
eq "empty file: starts" "$(run)" "rc=1"

echo "dataload: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
