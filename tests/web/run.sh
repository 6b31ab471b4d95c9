#!/bin/sh
# Browser test of the page: starts `nise serve` on loopback with a store in
# a temporary directory (the seed's ISO-2022-JP twin checked first, so it
# holds one recorded campaign), installs the pinned playwright-core (npm
# ci) into the build directory, and drives Debian's chromium. The
# screenshots land in BUILD/web/seed.png and BUILD/web/campaigns.png.
# Then attacks.mjs: cross-site pages, DNS rebinding, bidi controls and a
# mail cut by a limit (issue 14; its attacker's site on PORT+100). Then
# page.mjs: the answer first at 1280 and 390 px (issue 17), against this
# server (which trusts mx.example.jp, the genuine Amazon mail's receiver)
# and a second one with a bearer token on PORT+101; its screenshots land
# in BUILD/web/page-*.png (docs/img holds copies).
# usage: tests/web/run.sh BUILD [PORT]   (default port 18084)
set -eu
build=$(cd "$1" && pwd)
port=${2:-18084}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$build/web"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/drop.mjs" "$here/attacks.mjs" "$here/page.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
store=$(mktemp -d)
NISE_DATA_DIR="$root/data" NISE_CONFIG=/dev/null "$build/nise" serve --listen "127.0.0.1:$port" \
	--lang ja --db "$store/nise.lmdb" --trust-authserv mx.example.jp >"$work/serve.log" 2>&1 &
pid=$!
tport=$((port + 101))
printf 'page-test-token-0123456789abcdef\n' >"$store/token"
chmod 600 "$store/token"
NISE_DATA_DIR="$root/data" NISE_CONFIG=/dev/null "$build/nise" serve --listen "127.0.0.1:$tport" \
	--lang ja --token-file "$store/token" >"$work/serve-token.log" 2>&1 &
tpid=$!
trap 'kill $pid $tpid 2>/dev/null; wait $pid $tpid 2>/dev/null || true; rm -rf "$store"' EXIT INT TERM
for p in $port $tport; do
	i=0
	until curl -sf "http://127.0.0.1:$p/healthz" >/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null || ! kill -0 $tpid 2>/dev/null; then
			echo "nise serve did not start:"; cat "$work/serve.log" "$work/serve-token.log"; exit 1
		fi
		sleep 0.1
	done
done
curl -sf -H 'Content-Type: message/rfc822' --data-binary "@$root/examples/seed-amazon-phish-iso2022jp.eml" \
	"http://127.0.0.1:$port/v1/check" >/dev/null
cd "$work"
rc=0
node drop.mjs "http://127.0.0.1:$port" "$root/examples/seed-amazon-phish.eml" "$work/seed.png" "$work/campaigns.png" ||
	rc=1
node attacks.mjs "http://127.0.0.1:$port" "$root/examples/seed-amazon-phish.eml" "$work" $((port + 100)) || rc=1
node page.mjs "http://127.0.0.1:$port" "http://127.0.0.1:$tport" page-test-token-0123456789abcdef "$root" "$work" ||
	rc=1
exit $rc
