#!/bin/sh
# nise update end to end against a local HTTPS server (tests/update/server.py) with a CA made
# here by openssl: a good update, a second run (304, nothing changes), a newer bundle, a bad
# signature, a truncated download, 404, a slow server (timeout), a stopped server — the old
# data kept each time, the message and the exit status of nise-update(1) — then feed expiry
# with a fake clock ($NISE_NOW) and a feed's refused whole-host entry.
# No fixed port: the server binds a free loopback port.
# Usage: tests/update/update.sh NISE DATA_DIR
set -u
nise=$1
srcdata=$2
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
# check NAME WANT_RC WANT_OUTPUT_FILE CMD...: exit status and the whole output (stdout+stderr)
check() {
	name=$1 want=$2 wantf=$3
	shift 3
	"$@" >"$T/out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, want $want"
		cat "$T/out"
	elif ! diff -u "$wantf" "$T/out" >"$T/diff"; then
		bad "$name: output differs"
		cat "$T/diff"
	else
		ok
	fi
}
same() { # NAME A B
	if [ "$2" = "$3" ]; then ok; else bad "$1: '$2' != '$3'"; fi
}

# ---- a CA and a server certificate for 127.0.0.1
cd "$T" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
	-days 2 -subj /CN=nise-update-test-CA >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr \
	-subj /CN=127.0.0.1 >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >ext.cnf
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
	-extfile ext.cnf >/dev/null 2>&1 || { echo "FAIL: openssl"; exit 1; }

mkdir www src1 src2
start_server() {
	rm -f port
	python3 "$here/server.py" "$T/www" srv.pem srv.key port log &
	pid=$!
	i=0
	while [ ! -s port ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat port)
}
start_server
base="https://127.0.0.1:$port"

# ---- keys and bundles: v1 = the repository's data, v2 = one file changed
pk=$("$nise" update keygen "$T/secret" | sed -n 's/^public_key = //p')
same "keygen writes a 64-digit public key" "$(printf %s "$pk" | wc -c)" 64
find "$srcdata" -maxdepth 1 -type f ! -name '.*' -exec cp {} src1/ \;
cp src1/* src2/
printf '# v2 of the data\n' >>src2/lure-words.txt
nfiles=$(ls src1 | wc -l)
"$nise" update sign --key secret --out v1.bundle --created 1000000000 src1 >/dev/null
"$nise" update sign --key secret --out v2.bundle --created 1000000100 src2 >/dev/null
cp v1.bundle www/nise-data.bundle

conf() { # BUNDLE_URL_PATH TIMEOUT [MAX_BYTES [DATA_DIR]]
	cat >"$T/nise.conf" <<EOC
[nise]
data_dir = ${4:-$T/data}

[update]
bundle_url = $base$1
public_key = $pk
ca_file = $T/ca.pem
state = $T/update.state
db = $T/intel.lmdb
timeout = $2
max_bytes = ${3:-268435456}

[feed own]
url = $base/files/own.txt
format = urls
EOC
}
conf /files/nise-data.bundle 20
U() { "$nise" update --config "$T/nise.conf" "$@"; }

# ---- a good update
cat >want <<EOW
nise update: data: updated to the bundle created 2001-09-09T01:46:40Z ($nfiles files) in $T/data
EOW
check "good update" 0 want U --data-only
link1=$(readlink data)
case "$link1" in .data.??????) ok ;; *) bad "data is a link to .data.XXXXXX: '$link1'" ;; esac
for f in src1/*; do
	cmp -s "$f" "data/$(basename "$f")" || bad "installed $(basename "$f") differs"
done
same "installed files" "$(ls data | wc -l)" "$nfiles"
"$nise" check --config "$T/nise.conf" --no-record "$srcdata/../examples/"*.eml >/dev/null 2>&1
[ $? -le 1 ] && ok || bad "nise check runs on the installed data"

# ---- a second run: 304, nothing changes
: >log
cat >want <<EOW
nise update: data: not modified (HTTP 304)
EOW
check "second run" 0 want U --data-only
same "second run sent a conditional request" "$(cat log)" "/files/nise-data.bundle 304"
same "second run kept the link" "$(readlink data)" "$link1"

# ---- a newer bundle replaces the directory; the old one is removed
cp v2.bundle www/nise-data.bundle
cat >want <<EOW
nise update: data: updated to the bundle created 2001-09-09T01:48:20Z ($nfiles files) in $T/data
EOW
check "newer bundle" 0 want U --data-only
link2=$(readlink data)
[ "$link2" != "$link1" ] && ok || bad "newer bundle: link unchanged"
same "v2 installed" "$(tail -n 1 data/lure-words.txt)" "# v2 of the data"
same "old directory removed" "$(ls -d .data.* | tr '\n' ' ')" "$link2 "

# ---- failures: each keeps v2, says why, exits 2 (the only source)
keeps() { # NAME
	same "$1: link kept" "$(readlink data)" "$link2"
	same "$1: data kept" "$(tail -n 1 data/lure-words.txt)" "# v2 of the data"
}
kept="$T/data is unchanged"
# a bad signature: a later bundle with one byte of a file changed after signing
"$nise" update sign --key secret --out v3.bundle --created 1000000200 src1 >/dev/null
sed 's/^# nise brand registry/# nise brand registrY/' v3.bundle >www/nise-data.bundle
cmp -s v3.bundle www/nise-data.bundle && bad "the tampered bundle is not different"
cat >want <<EOW
nise update: data: FAILED: $base/files/nise-data.bundle: bad signature (not signed by the key public_key names); $kept
EOW
check "bad signature" 2 want U --data-only
keeps "bad signature"
# signed by another key
"$nise" update keygen "$T/other" >/dev/null
"$nise" update sign --key other --out www/nise-data.bundle --created 1000000300 src1 >/dev/null
check "another key" 2 want U --data-only
keeps "another key"
# an older bundle, correctly signed (a replay)
cp v1.bundle www/nise-data.bundle
cat >want <<EOW
nise update: data: FAILED: $base/files/nise-data.bundle: the bundle (created 2001-09-09T01:46:40Z) is older than the installed one (2001-09-09T01:48:20Z): refused; $kept
EOW
check "older bundle" 2 want U --data-only
keeps "older bundle"
# signed, but its data does not load (brands.tsv broken)
mkdir src4 && cp src1/* src4/ && printf 'only-one-column\n' >>src4/brands.tsv
"$nise" update sign --key secret --out www/nise-data.bundle --created 1000000400 src4 >/dev/null
U --data-only >out 2>&1
rc=$?
same "data that does not load: exit" "$rc" 2
grep -q "^nise update: data: FAILED: $base/files/nise-data.bundle: the new data does not load: brands.tsv:[0-9]*: .*; $kept\$" out && ok ||
	{ bad "data that does not load: message"; cat out; }
keeps "data that does not load"
same "no directory left behind" "$(ls -d .data.* | tr '\n' ' ')" "$link2 "
# a truncated download
cp v3.bundle www/nise-data.bundle
half=$(($(wc -c <v3.bundle) / 2))
conf /trunc/nise-data.bundle 20
cat >want <<EOW
nise update: data: FAILED: $base/trunc/nise-data.bundle: truncated: the connection closed after $half bytes, before the whole body; $kept
EOW
check "truncated" 2 want U --data-only
keeps "truncated"
# 404
conf /files/no-such.bundle 20
cat >want <<EOW
nise update: data: FAILED: $base/files/no-such.bundle: HTTP 404; $kept
EOW
check "404" 2 want U --data-only
keeps "404"
# a slow server: the timeout
conf /slow/nise-data.bundle 1
cat >want <<EOW
nise update: data: FAILED: $base/slow/nise-data.bundle: timed out after 1 s (timeout); $kept
EOW
check "slow server" 2 want U --data-only
keeps "slow server"

# over max_bytes
conf /files/nise-data.bundle 20 1000
cat >want <<EOW
nise update: data: FAILED: $base/files/nise-data.bundle: larger than max_bytes (1000 bytes); $kept
EOW
check "max_bytes" 2 want U --data-only
keeps "max_bytes"
# a data_dir that is a real directory is never replaced
mkdir realdir
conf /files/nise-data.bundle 20 268435456 "$T/realdir"
cat >want <<EOW
nise update: data: FAILED: $T/realdir is not a symbolic link: nise update replaces data_dir by switching a link; move the directory away and link it (mv $T/realdir $T/realdir.orig && ln -s $T/realdir.orig $T/realdir); $T/realdir is unchanged
EOW
check "real directory" 2 want U --data-only
same "real directory untouched" "$(ls -A realdir | wc -l)" 0

# ---- feeds with a fake clock; the own list names google.com whole, which is refused
conf /files/nise-data.bundle 20
printf 'https://phish-a.example/login\nhttps://phish-b.example/x\nhttps://phish-c.example/y\nhttps://www.google.com/\n' >www/own.txt
t0=1800000000
cat >want <<EOW
nise update: feed own: refused whole-host entry www.google.com: a popular domain (Tranco rank 1)
nise update: feed own: 4 read, 3 stored, 1 refused, 0 bad
EOW
NISE_NOW=$t0 check "feed import" 0 want U --feeds-only
lookup() { "$nise" intel lookup --db "$T/intel.lmdb" "$1" >/dev/null 2>&1; }
lookup https://phish-b.example/x && ok || bad "phish-b listed after import"
lookup https://www.google.com/ && bad "google.com listed" || ok
# a day later phish-b has left the list
printf 'https://phish-a.example/login\nhttps://phish-c.example/y\n' >www/own.txt
cat >want <<EOW
nise update: feed own: 2 read, 2 stored, 0 refused, 0 bad
EOW
NISE_NOW=$((t0 + 86400)) check "feed changed" 0 want U --feeds-only
lookup https://phish-b.example/x && ok || bad "phish-b kept until it expires"
# 14 days (the default) after it was last listed, less one second: kept; the list is unchanged (304)
cat >want <<EOW
nise update: feed own: not modified (HTTP 304)
EOW
NISE_NOW=$((t0 + 14 * 86400 - 1)) check "feed 304, not yet expired" 0 want U --feeds-only
lookup https://phish-b.example/x && ok || bad "phish-b expired a second early"
cat >want <<EOW
nise update: feed own: not modified (HTTP 304)
nise update: feed own: 1 expired (gone from the feed for 14 days)
EOW
NISE_NOW=$((t0 + 14 * 86400)) check "feed expiry" 0 want U --feeds-only
lookup https://phish-b.example/x && bad "phish-b still listed after expiry" || ok
lookup https://phish-a.example/login && ok || bad "phish-a (still in the list) expired"
# entries still listed never expire
NISE_NOW=$((t0 + 400 * 86400)) U --feeds-only >/dev/null 2>&1
lookup https://phish-c.example/y && ok || bad "phish-c (still in the list) expired"
cat >want <<EOW
feed own: 2 URLs
EOW
"$nise" intel stats --db "$T/intel.lmdb" 2>&1 | grep '^feed ' >out
diff -u want out >/dev/null && ok || { bad "intel stats per feed"; cat out; }

# a download that is not of the feed's format changes nothing; a store that never had a feed
# gets it whole (no conditional request) although the state file knows the URL
printf '<html><body>maintenance</body></html>\n' >www/page.html
cat >>"$T/nise.conf" <<EOC

[feed page]
url = $base/files/page.html
format = jpcert
EOC
cat >want <<EOW
nise update: feed own: 2 read, 2 stored, 0 refused, 0 bad
nise update: feed page: FAILED: $base/files/page.html: not a jpcert feed: line 1: no "URL" column in the header; its entries are kept
EOW
NISE_NOW=$((t0 + 400 * 86400)) check "not a feed; another store" 1 want U --feeds-only --db "$T/page.lmdb"
conf /files/nise-data.bundle 20

# ---- one source failing of two: exit 1
cat >>"$T/nise.conf" <<EOC

[feed gone]
url = $base/files/gone.txt
format = openphish
EOC
cp v2.bundle www/nise-data.bundle # what is installed: its ETag is remembered
cat >want <<EOW
nise update: data: not modified (HTTP 304)
nise update: feed own: not modified (HTTP 304)
nise update: feed gone: FAILED: $base/files/gone.txt: HTTP 404; its entries are kept
EOW
NISE_NOW=$((t0 + 400 * 86400)) check "partial failure" 1 want U
# ---- a stopped server
kill "$pid"
wait "$pid" 2>/dev/null
pid=
U --data-only >out 2>&1
rc=$?
same "stopped server: exit" "$rc" 2
grep -q "^nise update: data: FAILED: $base/files/nise-data.bundle: could not connect: .*; $kept\$" out && ok ||
	{ bad "stopped server: message"; cat out; }
keeps "stopped server"

# ---- configuration errors name the line; exit 2
printf '[update]\nbundle_url = http://plain.example/x\n' >bad.conf
cat >want <<EOW
nise update: $T/bad.conf:2: bad value for bundle_url: 'http://plain.example/x' (an https:// URL)
EOW
check "http:// refused" 2 want "$nise" update --config "$T/bad.conf"
printf '[feed x]\nurl = https://a.example/f\n' >bad.conf
cat >want <<EOW
nise update: $T/bad.conf: [feed x] needs url and format
EOW
check "incomplete feed" 2 want "$nise" update --config "$T/bad.conf"

# the man page's example configuration is valid (with this tree's data: config check loads it)
sed -n '/^# EXAMPLE/,/^# SEE ALSO/p' "$srcdata/../docs/man/nise-update.1.scd" |
	sed -n '/^```$/,/^```$/p' | grep -v '^```$' | sed "s|^data_dir = .*|data_dir = $srcdata|" >example.conf
grep -q '^\[feed openphish\]$' example.conf && ok || bad "example config not found in nise-update.1.scd"
"$nise" config check --config "$T/example.conf" >out 2>&1 && ok || { bad "man page example: nise config check"; cat out; }
grep -q '^format = openphish$' out && ok || { bad "config check prints the feeds"; cat out; }

echo "update: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
