#!/bin/sh
# The JPCERT/CC phishing-URL list end to end (needs ../shared/corpus):
#   - every monthly CSV imports into a fresh LMDB store (temp dir);
#   - every listed URL is found again by `nise intel lookup`, except the
#     one row whose URL has no host ("https:///forum..."), which the
#     import reports as unparsable;
#   - every variant Safe Browsing would still match (host case, trailing
#     dot, percent-escaped path letters, a query added) is found;
#   - none of the 500 legitimate top sites (root and /login) matches.
# Usage: tests/intel/jpcert.sh NISE CORPUS
set -u
nise=$1
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
fail=0
check() { # name got want
	if [ "$2" = "$3" ]; then
		echo "ok: $1: $2"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=1
	fi
}
out=$("$nise" intel import --format jpcert --db "$dir/n.lmdb" "$corpus"/urls/jpcert/20*/*.csv 2>&1) || fail=1
echo "$out"
python3 "$here/variants.py" "$corpus/urls/jpcert" "$corpus/urls/legit/top-sites.json" "$dir" || exit 1
listed=$(sed -n 's/^listed //p' "$dir/counts")
variants=$(sed -n 's/^variants //p' "$dir/counts")
check "rows read" "$(echo "$out" | sed -n 's/^imported [0-9]* of \([0-9]*\) entries.*/\1/p')" "$listed"
check "rows without a host" "$(echo "$out" | sed -n 's/.* \([0-9]*\) without a host.*/\1/p')" 1
for k in listed variants legit; do
	"$nise" intel lookup --db "$dir/n.lmdb" - < "$dir/$k.txt" > "$dir/$k.out"
	echo "lookup $k: exit $?"
done
# one row has no host; a whole-host entry under a domain the brand
# registry gives to a brand (GoDaddy's secureserver.net) is stored, because
# its name is a per-address machine name (180.124.168.184.host....: one
# customer's server, not GoDaddy's site; docs/intel.md); nothing is refused
check "whole-host entries refused" "$(echo "$out" | grep -c '^nise intel import: .*refused whole-host entry')" 0
check "listed URLs found" "$(grep -c '^match' "$dir/listed.out")" $((listed - 1))
check "listed URLs not found" "$(grep '^none' "$dir/listed.out")" "none	https:///forum.square-enix.com-i.cc/ffxiv/threads/417237/"
check "variants found" "$(grep -c '^match' "$dir/variants.out")" "$variants"
check "legitimate sites matched" "$(grep -c '^match' "$dir/legit.out")" 0
check "legitimate sites looked up" "$(grep -c '^none' "$dir/legit.out")" 1000
if [ $fail -eq 0 ]; then
	echo "jpcert: 1 passed, 0 failed"
else
	echo "jpcert: 0 passed, 1 failed"
fi
exit $fail
