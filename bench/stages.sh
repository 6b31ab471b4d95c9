#!/bin/sh
# Where nise's time goes, per stage, from a callgrind profile (instruction
# counts: repeatable whatever else the machine does). Inclusive cost of each
# stage's entry points over all messages of the given paths, divided by the
# number of messages, next to the parse-only floor.
# Usage: bench/stages.sh BUILD PATH...
set -eu
build=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/full" "$build/bench/nise-bench" --runs 1 "$@" \
	>"$out/full.txt" 2>/dev/null
valgrind --tool=callgrind --callgrind-out-file="$out/parse" "$build/bench/nise-bench" --runs 1 --parse-only "$@" \
	>"$out/parse.txt" 2>/dev/null
n=$(sed -n 's/.*: \([0-9]*\) messages.*/\1/p' "$out/full.txt" | tail -n 1)
callgrind_annotate --inclusive=yes --threshold=100 "$out/full" >"$out/full.ann" 2>/dev/null
callgrind_annotate --inclusive=yes --threshold=100 "$out/parse" >"$out/parse.ann" 2>/dev/null
ir() { # total Ir of the first line naming function $2 in annotation $1
	grep -E "[ *]$2( |\$|\[)" "$1" | head -n 1 | awk '{gsub(",","",$1); print $1}'
}
python3 - "$out" "$n" <<'PY'
import re, sys, subprocess
out, n = sys.argv[1], int(sys.argv[2])
def inclusive(ann, fn):
    for line in open(f"{out}/{ann}.ann"):
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+\*?\s*\S*:(\S+)", line) or re.match(r"\s*([\d,]+)\s+\S*:(\S+)", line)
        if m and m.group(2).split(" ")[0] == fn:
            return int(m.group(1).replace(",", ""))
    return 0
stages = [
    ("scan, all stages (nise_scan)", "nise_scan"),
    ("MIME parse + headers + charsets (nise_mime_parse)", "nise_mime_parse"),
    ("HTML extraction (nise_html_extract)", "nise_html_extract"),
    ("URL extraction from text (nise_url_extract)", "nise_url_extract"),
    ("URL parsing, IDNA, PSL (nise_url_parse)", "nise_url_parse"),
    ("checks and verdict (nise_detect_run)", "nise_detect_run"),
    ("  of which text folding, NFKC (nise_text_fold)", "nise_text_fold"),
    ("  of which UTS #39 skeletons (nise_text_skeleton)", "nise_text_skeleton"),
    ("  of which domain checks (check_domains)", "check_domains"),
    ("  of which text checks (check_text)", "check_text"),
    ("  of which link checks (check_links)", "check_links"),
    ("  of which sender checks (check_sender)", "check_sender"),
]
print(f"{n} messages; instructions per message (callgrind, inclusive):")
print("| stage | full check | parse-only |")
print("|---|---|---|")
for name, fn in stages:
    f, p = inclusive("full", fn), inclusive("parse", fn)
    print(f"| {name} | {f / n / 1e3:,.0f} k | {p / n / 1e3:,.0f} k |")
print("(model and intel stages do not exist yet)")
PY
