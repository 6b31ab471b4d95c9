#!/bin/sh
# Every command answers --help on stdout with exit status 0, and every
# option its help names is one the command's source really parses (so the
# help cannot drift from the program); -V and --version print the version;
# an unknown option is still a usage error (exit 2).
# Usage: tests/cli/help.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "help: FAIL: $*"; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for cmd in check eval train filter intel update campaigns report config milter spamd imap serve; do
	if "$nise" "$cmd" --help >"$out" 2>/dev/null; then ok; else bad "nise $cmd --help exit $?"; fi
	grep -q "nise $cmd" "$out" && ok || bad "nise $cmd --help does not name the command"
	"$nise" "$cmd" -h >/dev/null 2>&1 && ok || bad "nise $cmd -h"
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$out" | sort -u); do
		[ "$opt" = --help ] && continue
		if grep -rqF -- "\"$opt\"" "$src/src/cli" "$src/src/front" "$src/src/milter" "$src/src/serve" "$src/src/spamd" "$src/src/imap"; then ok; else
			bad "nise $cmd --help names $opt, which no front end parses"; fi
	done
done
v=$("$nise" -V | head -n 1)
case "$v" in "nise "*) ok ;; *) bad "-V printed '$v'" ;; esac
[ "$("$nise" --version | head -n 1)" = "$v" ] && ok || bad "--version differs from -V"
"$nise" check --no-such-option </dev/null >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "unknown option to check is not exit 2"
# "--" ends the options: a file called --help is a file, not a request for help
"$nise" check -- --help >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "check -- --help should fail to read the file --help (exit 2)"
echo "help: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
