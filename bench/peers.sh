#!/bin/sh
# make bench-peers: nise against rspamd, SpamAssassin and ClamAV on every
# message of the corpus, in one run on this machine (bench/RESULTS-peers.md).
# Installs the peers from Debian's packages, starts them offline on loopback,
# runs, stops them. Usage: bench/peers.sh BUILD CORPUS
set -eu
build=$1
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in rspamd spamassassin spamc spamd clamav-daemon clamdscan; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -q && apt-get install -y -q --no-install-recommends $missing
fi
run=$(mktemp -d)
trap '"$here/peers/stop.sh" "$run"' EXIT
"$here/peers/start.sh" "$run"
mkdir -p "$here/out"
python3 "$here/peers/run.py" "$corpus" "$build/bench/nise-bench" "$run/clamav/clamd.conf" "$here/out/peers.tsv"
