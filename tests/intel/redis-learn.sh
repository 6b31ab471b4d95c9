#!/bin/sh
# Every host learns: two processes sharing one Redis (started here on
# 127.0.0.1:$3, default 16381). B is a running `nise serve --redis`
# (127.0.0.1:$4, default 18087); A is `nise learn` / `nise block` /
# `nise allow` in another process.
#   1. B judges a plain notice clean;
#   2. A learns it as phishing; B's verdict on the same mail is phishing at
#      its next request, measured < 1 s after A returned (no restart);
#   3. A removes what it learned (nise block remove ...): B says clean again;
#   4. POST /v1/feedback on B (label=genuine) for a suspicious mail, then A
#      (`nise check --redis`) sees REPORTED_GENUINE; the feedback route
#      refuses a request without X-Nise-Request or from another site.
# Usage: tests/intel/redis-learn.sh NISE [REDIS_PORT] [SERVE_PORT]
# (run under flock /tmp/nise-ports.lock: fixed ports)
set -u
nise=$1
port=${2:-16381}
sport=${3:-18087}
dir=$(mktemp -d)
rpid=
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
	--daemonize no --logfile "$dir/redis.log" &
rpid=$!
i=0
while ! redis-cli -p "$port" ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "redis-server did not start"; cat "$dir/redis.log"; exit 1; }
	sleep 0.05
done
url=redis://127.0.0.1:$port
printf '[nise]\nmodel = none\n' > "$dir/nise.conf"
export NISE_CONFIG=$dir/nise.conf
HOME=$dir XDG_DATA_HOME= "$nise" serve --quiet --no-record --redis "$url" --listen "127.0.0.1:$sport" 2> "$dir/serve.log" &
spid=$!
i=0
while ! curl -s -o /dev/null "http://127.0.0.1:$sport/"; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "nise serve did not start"; cat "$dir/serve.log"; exit 1; }
	sleep 0.05
done
fail=0
n=0
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fail=$((fail + 1))
	fi
}
cat > "$dir/notice.eml" <<'EOF'
From: Parcel Service <info@parcel-notice.example>
To: you@example.net
Subject: Your parcel is waiting
Date: Wed, 02 Dec 2026 09:00:00 +0000
Message-ID: <p-1@parcel-notice.example>
Content-Type: text/plain; charset=utf-8

Hello,

a parcel for you is waiting at our depot. Choose a delivery day on
https://parcel-notice.example/choose?id=8841 and we will bring it to your door.

Parcel Service
EOF
b() { # MAIL: B's verdict and loop findings
	curl -s -H "Content-Type: message/rfc822" --data-binary "@$1" "http://127.0.0.1:$sport/v1/check" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"] if f["id"] in ("INTEL_URL_MATCH","CAMPAIGN_MATCH","LEARNED_SENDER","REPORTED_GENUINE")))'
}
fp=$(HOME=$dir "$nise" intel fingerprint "$dir/notice.eml" | cut -f1)
check "B before: clean" "$(b "$dir/notice.eml")" "clean "
HOME=$dir "$nise" learn --phishing --who A --note "a reader forwarded it" --redis "$url" "$dir/notice.eml" > /dev/null
# only curl in the loop (python3 starts slowly on a loaded machine)
t0=$(date +%s%N)
curl -s -H "Content-Type: message/rfc822" --data-binary "@$dir/notice.eml" "http://127.0.0.1:$sport/v1/check" > "$dir/b.json"
while ! grep -q '"verdict":"phishing"' "$dir/b.json" && [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000 ]; do
	sleep 0.02
	curl -s -H "Content-Type: message/rfc822" --data-binary "@$dir/notice.eml" "http://127.0.0.1:$sport/v1/check" > "$dir/b.json"
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
got=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"] if f["id"] in ("INTEL_URL_MATCH","CAMPAIGN_MATCH","LEARNED_SENDER","REPORTED_GENUINE")))' < "$dir/b.json")
check "B after A learned: phishing" "$got" "phishing INTEL_URL_MATCH CAMPAIGN_MATCH LEARNED_SENDER"
check "B saw it within a second" "$([ "$ms" -lt 1000 ] && echo yes || echo "no, $ms ms")" yes
echo "B saw A's report ${ms} ms after A returned"
check "A lists what it learned" "$(HOME=$dir "$nise" intel list --redis "$url" | cut -f1-4 | sort)" \
	"block	campaign	$fp	learned
block	sender	info@parcel-notice.example	learned
block	sender-domain	parcel-notice.example	learned
block	url	parcel-notice.example/choose?id=8841	learned
url	learned	$(date -u +%Y-%m-%d)	-"
for e in "url https://parcel-notice.example/choose?id=8841" "sender info@parcel-notice.example" \
	"sender-domain parcel-notice.example" "campaign $fp"; do
	# shellcheck disable=SC2086
	HOME=$dir "$nise" block remove $e --redis "$url" > /dev/null || { echo "FAIL: block remove $e"; fail=$((fail + 1)); }
done
check "B after A removed it: clean" "$(b "$dir/notice.eml")" "clean "
check "nothing left" "$(HOME=$dir "$nise" intel list --redis "$url")" ""

# feedback through B, seen by A
sed -e 's/a parcel for you is waiting/your account will be suspended within 24 hours unless you verify your account and update your password today; a parcel for you is waiting/' \
	"$dir/notice.eml" > "$dir/lure.eml"
fb() { curl -s -o /dev/null -w '%{http_code}' "$@" --data-binary "@$dir/lure.eml" "http://127.0.0.1:$sport/v1/feedback?label=genuine&note=ours"; }
check "feedback without X-Nise-Request or a mail type: 415" "$(fb)" 415
check "feedback from another site: 403" "$(fb -H 'X-Nise-Request: 1' -H 'Sec-Fetch-Site: cross-site')" 403
check "feedback with a foreign Origin: 403" "$(fb -H 'X-Nise-Request: 1' -H 'Origin: http://evil.example')" 403
a() { HOME=$dir "$nise" check --json --no-record --redis "$url" "$1" |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], " ".join(f["id"] for f in r["findings"]))'; }
check "A before feedback: suspicious" "$(a "$dir/lure.eml")" "suspicious LURE_THREAT_DEADLINE LURE_CREDENTIALS"
check "feedback (genuine)" "$(curl -s -H 'X-Nise-Request: 1' -H "Origin: http://127.0.0.1:$sport" --data-binary "@$dir/lure.eml" \
	"http://127.0.0.1:$sport/v1/feedback?label=genuine&note=ours")" \
	'{"learned":"genuine","was":"suspicious","campaign":"'"$(HOME=$dir "$nise" intel fingerprint "$dir/lure.eml" | cut -f1)"'","campaign_stored":true,"urls":0,"sender":false,"sender_domain":false,"not_learned":"the sender domain did not pass trusted authentication: only the text is allowed","kept":true}'
check "feedback keeps the mail on B's host (Redis: the data home), byte for byte" \
	"$(cmp "$dir/lure.eml" "$dir"/.local/share/nise/learned/ham/*.eml && echo same)" same
check "A after feedback: clean" "$(a "$dir/lure.eml")" "clean LURE_THREAT_DEADLINE LURE_CREDENTIALS REPORTED_GENUINE"
check "bad label: 400" "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Nise-Request: 1' --data-binary "@$dir/lure.eml" \
	"http://127.0.0.1:$sport/v1/feedback?label=spam")" 400

echo "redis-learn: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
