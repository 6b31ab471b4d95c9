#!/bin/sh
# Golden tests: each NNN-name.eml is judged with `nise check --json
# --lang en` (run from this directory, so "source" is the bare file name)
# and compared with NNN-name.expect.json as JSON values; when
# NNN-name.expect.txt exists, the text output (--lang ja) must match it
# byte for byte. NNN-name.args, when present, holds extra options for
# both runs (e.g. --trust-authserv ID). Set GOLDEN_UPDATE=1 to rewrite the expectations after a
# deliberate change (then review the diff).
# Usage: run.sh NISE DIR
set -u
nise=$1
dir=$2
cd "$dir" || exit 2
pass=0
fail=0
for eml in *.eml; do
	base=${eml%.eml}
	args=
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086 # args is a list of options
	got=$("$nise" check $args --json --lang en "$eml")
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		printf '%s\n' "$got" | python3 -m json.tool --no-ensure-ascii >"$base.expect.json"
		# shellcheck disable=SC2086
		[ -f "$base.expect.txt" ] && "$nise" check $args --lang ja "$eml" >"$base.expect.txt"
		continue
	fi
	if printf '%s\n' "$got" | python3 -c '
import json, sys
got = json.loads(sys.stdin.read())
want = json.load(open(sys.argv[1], encoding="utf-8"))
if got != want:
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            print(f"  {k}: got {json.dumps(got.get(k), ensure_ascii=False)}")
            print(f"  {k}: want {json.dumps(want.get(k), ensure_ascii=False)}")
    sys.exit(1)' "$base.expect.json"; then
		pass=$((pass + 1))
	else
		echo "golden: $eml: JSON differs"
		fail=$((fail + 1))
	fi
	if [ -f "$base.expect.txt" ]; then
		# shellcheck disable=SC2086
		if "$nise" check $args --lang ja "$eml" | diff -u "$base.expect.txt" -; then
			pass=$((pass + 1))
		else
			echo "golden: $eml: text differs"
			fail=$((fail + 1))
		fi
	fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
