#!/bin/sh
# make bench-peers: the race. The same mail through nise (nise check --json,
# and nise serve over keep-alive), rspamd (rspamc, many files per process),
# SpamAssassin (spamc to spamd) and ClamAV (clamdscan --stream to clamd), each
# daemon warm, CPU from the OS for servers and clients, per labelled set of
# the corpus (bench/peers/run.py says exactly how). Installs the peers from
# Debian's packages, starts them offline on loopback, runs, stops them.
# Usage: bench/peers.sh BUILD CORPUS
#   PEERS_SAMPLE=N  at most N mails per set, evenly spaced (default 300;
#                   0 = every mail: SpamAssassin then needs ~25 CPU minutes)
#   PEERS_BATCH=N   files per client process (default 500)
# Output: bench/out/race.md (the tables) and bench/out/race.tsv (per mail).
set -eu
build=$1
corpus=$2
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in rspamd spamassassin spamc spamd clamav-daemon clamdscan curl; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt-get update -q && apt-get install -y -q --no-install-recommends $missing
fi
run=$(mktemp -d)
trap '"$here/peers/stop.sh" "$run"; rm -rf "$run"' EXIT
"$here/peers/start.sh" "$run"
mkdir -p "$here/out"
python3 "$here/peers/run.py" "$corpus" "$build/nise" "$run" "$here/out/race" \
	--sample "${PEERS_SAMPLE:-300}" --batch "${PEERS_BATCH:-500}"
