#!/bin/sh
# SPDX-License-Identifier: MIT
# `nise filter` removes every forged X-Nise-* field the scan's header
# reader sees (attacks row 10: after "X-Foo : x", after an 8-bit line,
# folded, after a leading continuation line, a mail with no body, any
# case, space before the colon) and copies every other byte: for each
# tests/mime/filter/NAME.eml, the output minus the fields the filter put
# on top must be NAME.stripped exactly. X-Nise-* lines in a body or an
# attached message are body: they stay.
# Usage: filter_forgery.sh NISE DIR
set -u
nise=$1
dir=$2
pass=0
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for eml in "$dir"/*.eml; do
	base=${eml%.eml}
	"$nise" filter --no-model <"$eml" >"$t/out"
	st=$?
	python3 - "$t/out" "$t/stripped" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
i = 0
while i < len(lines) and lines[i].startswith(b"X-Nise-"):
    i += 1
assert i >= 1, "no verdict field on top"
open(sys.argv[2], "wb").write(b"\n".join(lines[i:]))
PY
	if [ $? -eq 0 ] && [ $st -le 1 ] && cmp -s "$t/stripped" "$base.stripped"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $(basename "$eml") (exit $st)"
		diff "$base.stripped" "$t/stripped" | head -10
		fail=$((fail + 1))
	fi
done
echo "filter-forgery: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 7 ]
