#!/bin/sh
# Two nise processes sharing one Redis (started here on loopback, port
# $2, default 16380): the campaign the first records is matched by the
# second, and both see the same campaign list.
#   1. process A: `nise check --redis` the seed mail (HTML): phishing,
#      recorded, no CAMPAIGN_MATCH (nothing recorded before);
#   2. process B: `nise check --redis --no-record` its ISO-2022-JP twin:
#      CAMPAIGN_MATCH naming the campaign first seen 2020-11-17, 1 copy;
#   3. process C: `nise check --redis` the twin (records: 2 copies);
#   4. `nise campaigns --redis --json`: one campaign, 2 copies; --brand
#      filters (case-insensitive).
# Usage: tests/intel/redis-two.sh NISE [PORT]
set -u
nise=$1
port=${2:-16380}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
	--daemonize no --logfile "$dir/redis.log" &
pid=$!
i=0
while ! redis-cli -p "$port" ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "redis-server did not start"; cat "$dir/redis.log"; exit 1; }
	sleep 0.05
done
url=redis://127.0.0.1:$port
fail=0
check() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=1
	fi
}
ids() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"] if f["id"] in ("CAMPAIGN_MATCH","INTEL_URL_MATCH")))'; }
expl() { python3 -c 'import json,sys; r=json.load(sys.stdin); print("".join(f["explain_en"] for f in r["findings"] if f["id"]=="CAMPAIGN_MATCH"))'; }
a=$(HOME=$dir "$nise" check --json --redis "$url" "$root/examples/seed-amazon-phish.eml")
check "A: seed judged, nothing to match yet" "$(echo "$a" | ids)" "phishing "
b=$(HOME=$dir "$nise" check --json --no-record --redis "$url" "$root/examples/seed-amazon-phish-iso2022jp.eml")
check "B: twin matches A's campaign" "$(echo "$b" | ids)" "phishing CAMPAIGN_MATCH"
check "B: explanation" "$(echo "$b" | expl)" \
	"The mail has the same text as a phishing campaign first seen 2020-11-17 (1 copies so far, Amazon), even if its links are new."
HOME=$dir "$nise" check --json --redis "$url" "$root/examples/seed-amazon-phish-iso2022jp.eml" > /dev/null
c=$(HOME=$dir "$nise" campaigns --json --redis "$url")
check "campaigns: one, 2 copies" "$(echo "$c" | python3 -c 'import json,sys; cs=[json.loads(l) for l in sys.stdin]; print(len(cs), cs[0]["copies"], cs[0]["first_seen"], cs[0]["brand"], ",".join(cs[0]["link_domains"]))')" \
	"1 2 2020-11-17 Amazon newnamecardamazon.icu"
check "campaigns --brand amazon (text)" "$(HOME=$dir "$nise" campaigns --brand amazon --redis "$url" | head -1 | sed 's/campaign [0-9a-f]*/campaign ID/')" \
	"campaign ID: Amazon, 2 copies, first seen 2020-11-17, last seen 2020-11-17"
check "campaigns --brand JCB: none" "$(HOME=$dir "$nise" campaigns --brand JCB --redis "$url" | wc -l)" 0
check "nothing written to HOME" "$(find "$dir" -name '*.lmdb' | wc -l)" 0
if [ $fail -eq 0 ]; then echo "redis-two: 1 passed, 0 failed"; else echo "redis-two: 0 passed, 1 failed"; fi
exit $fail
