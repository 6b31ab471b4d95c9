#!/bin/sh
# Feeds and lists match a host whether it is written in Unicode or in
# punycode, both ways (issue 14, ../shared/attacks row 16): for URL and
# domain feed entries and for the operator's block list, in an LMDB store
# and in a Redis store (started here on loopback, port $2, default 16393).
# Every entry is stored in the host's IDNA ASCII form (the form of a
# link's URL) and every lookup is made in it.
# Usage: tests/intel/idn.sh NISE [REDIS_PORT]
set -u
nise=$1
port=${2:-16393}
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
pass=0
fail=0
check() {
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		echo "idn: FAIL: $1: got '$2', want '$3'"
		fail=$((fail + 1))
	fi
}
# verdict and findings of a mail (MODEL_* left out)
v() {
	f=$1
	shift
	"$nise" check --no-record --no-model --json "$@" "$f" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["verdict"], " ".join(f["id"] for f in d["findings"] if not f["id"].startswith("MODEL_")))'
}
uni=支払い確認.jp
puny=xn--n8j502mt1b354a4lu.jp
uni2=ログイン.example
puny2=xn--eckxa6p0a.example
mail() { # mail FILE URL
	printf 'From: Notice <notice@mail.example>\nTo: v@example.jp\nSubject: notice\nMessage-ID: <%s@mail.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nSee %s for details.\n' \
		"$(basename "$1")" "$2" >"$1"
}
mail "$dir/m-uni.eml" "https://$uni/pay/login"
mail "$dir/m-puny.eml" "https://$puny/pay/login"
mail "$dir/m2-uni.eml" "https://www.$uni2/a"
mail "$dir/m2-puny.eml" "https://www.$puny2/a"
# the same host in upper-case punycode and with an ideographic full stop
mail "$dir/m-upper.eml" "https://XN--N8J502MT1B354A4LU.JP/pay/login"
# (in an href: in text, 。 ends a Japanese sentence and the URL with it)
printf 'From: n@mail.example\nSubject: s\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<a href="https://支払い確認。jp/pay/login">pay</a>\n' >"$dir/m-fullstop.eml"
mail "$dir/m-other.eml" "https://$puny/other"

run() { # run LABEL STORE-OPTIONS...
	label=$1
	shift
	# before any import: no match
	check "$label: empty store" "$(v "$dir/m-uni.eml" "$@")" "clean "
	printf 'https://%s/pay/login\n' "$uni" >"$dir/feed-uni.txt"
	"$nise" intel import --format urls "$@" "$dir/feed-uni.txt" >/dev/null 2>&1
	check "$label: url feed Unicode, link punycode" "$(v "$dir/m-puny.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: url feed Unicode, link Unicode" "$(v "$dir/m-uni.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: url feed Unicode, upper-case punycode" "$(v "$dir/m-upper.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: url feed Unicode, ideographic full stop" "$(v "$dir/m-fullstop.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: another path of the host is not listed" "$(v "$dir/m-other.eml" "$@")" "clean "
	printf '%s\n' "$puny2" >"$dir/feed-dom.txt"
	"$nise" intel import --format domains "$@" "$dir/feed-dom.txt" >/dev/null 2>&1
	check "$label: domain feed punycode, link Unicode" "$(v "$dir/m2-uni.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: domain feed punycode, link punycode" "$(v "$dir/m2-puny.eml" "$@")" "phishing INTEL_URL_MATCH"
	check "$label: intel list (ASCII form)" "$("$nise" intel list "$@" | cut -f5 | LC_ALL=C sort)" "$puny2/
$puny/pay/login"
	check "$label: intel remove by the Unicode form" "$("$nise" intel remove "$@" "https://$uni/pay/login")" \
		"removed $puny/pay/login"
	check "$label: removed" "$(v "$dir/m-puny.eml" "$@")" "clean "
	# the reverse: feed in punycode, domain feed in Unicode
	printf 'https://%s/pay/login\n' "$puny" >"$dir/feed-puny.txt"
	"$nise" intel import --format urls "$@" "$dir/feed-puny.txt" >/dev/null 2>&1
	check "$label: url feed punycode, link Unicode" "$(v "$dir/m-uni.eml" "$@")" "phishing INTEL_URL_MATCH"
	"$nise" intel remove "$@" "https://$puny/pay/login" >/dev/null
	"$nise" intel remove "$@" "http://$puny2/" >/dev/null
	check "$label: domain entry removed by its punycode form" "$(v "$dir/m2-uni.eml" "$@")" "clean "
	printf '%s\n' "$uni2" >"$dir/feed-dom2.txt"
	"$nise" intel import --format domains "$@" "$dir/feed-dom2.txt" >/dev/null 2>&1
	check "$label: domain feed Unicode, link punycode" "$(v "$dir/m2-puny.eml" "$@")" "phishing INTEL_URL_MATCH"
	"$nise" intel remove "$@" "http://$uni2/" >/dev/null
	# the operator's block list: link domain and URL, both forms
	check "$label: block add link-domain Unicode" "$("$nise" block add link-domain "$uni2" "$@")" \
		"block link-domain $puny2"
	check "$label: blocked link domain, link punycode" "$(v "$dir/m2-puny.eml" "$@")" "phishing BLOCKLISTED"
	check "$label: blocked link domain, link Unicode" "$(v "$dir/m2-uni.eml" "$@")" "phishing BLOCKLISTED"
	"$nise" block remove link-domain "$puny2" "$@" >/dev/null
	check "$label: block removed by the punycode form" "$(v "$dir/m2-uni.eml" "$@")" "clean "
	"$nise" block add url "https://$puny/pay/login" "$@" >/dev/null
	check "$label: blocked URL punycode, link Unicode" "$(v "$dir/m-uni.eml" "$@")" "phishing BLOCKLISTED"
	"$nise" block remove url "https://$uni/pay/login" "$@" >/dev/null
	check "$label: block URL removed by the Unicode form" "$(v "$dir/m-uni.eml" "$@")" "clean "
}

run lmdb --db "$dir/db"

if command -v redis-server >/dev/null 2>&1; then
	redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
		--daemonize no --logfile "$dir/redis.log" &
	pid=$!
	i=0
	while ! redis-cli -p "$port" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "idn: redis-server did not start"; cat "$dir/redis.log"; exit 1; }
		sleep 0.05
	done
	run redis --redis "redis://127.0.0.1:$port"
else
	echo "idn: FAIL: redis-server not installed (scripts/bootstrap --test installs it)"
	fail=$((fail + 1))
fi
echo "idn: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
