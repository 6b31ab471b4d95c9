#!/bin/sh
# Starts rspamd, spamd and clamd on loopback, offline, with configurations
# written under RUN (nothing in /etc is changed). Each setting says why.
# Usage: bench/peers/start.sh RUN_DIR      (stop.sh RUN_DIR stops them)
set -eu
run=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$run"
run=$(cd "$run" && pwd)
# spamd's children run as nobody and must read their configuration here
chmod 755 "$run"

# ---- rspamd: the stock configuration, overridden from $run/rspamd/local.d
ld=$run/rspamd/local.d
mkdir -p "$ld" "$run/rspamd/override.d" "$run/rspamd/db" "$run/rspamd/log"
# one normal worker per core, on loopback only; no proxy, no controller beyond loopback
cat >"$ld/worker-normal.inc" <<EOC
bind_socket = "127.0.0.1:11333";
count = 2;
EOC
echo 'bind_socket = "127.0.0.1:11334";' >"$ld/worker-controller.inc"
echo 'enabled = false;' >"$ld/worker-proxy.inc"
echo 'enabled = false;' >"$ld/worker-fuzzy.inc"
# DNS goes to a closed loopback port: every lookup fails at once instead of
# waiting on a timeout, and nothing leaves the machine
cat >"$ld/options.inc" <<EOC
dns { nameserver = ["127.0.0.1:5399"]; timeout = 0.1s; retransmits = 0; }
EOC
# network reputation: off (offline comparison, like nise's); hfilter too, since
# with DNS failing it marks every sender "unresolvable" (+4 points to all mail)
for m in rbl surbl emails spf dkim dmarc arc asn fuzzy_check mx_check url_redirector \
	hfilter neural ratelimit greylist replies history_redis reputation clickhouse elastic metadata_exporter \
	external_services antivirus dcc; do
	echo 'enabled = false;' >"$ld/$m.conf"
done
# the phishing module stays on, but without its downloaded OpenPhish/PhishTank feeds
cat >"$ld/phishing.conf" <<EOC
openphish_enabled = false;
phishtank_enabled = false;
EOC
# no Bayes (needs Redis and training); logs to a file under $run
echo 'backend = "redis"; servers = ""; enabled = false;' >"$ld/classifier-bayes.conf"
cat >"$ld/logging.inc" <<EOC
type = "file"; filename = "$run/rspamd/log/rspamd.log"; level = "error";
EOC
rspamd -i -u root -g root -c /etc/rspamd/rspamd.conf \
	--var=LOCAL_CONFDIR="$run/rspamd" --var=DBDIR="$run/rspamd/db" --var=RUNDIR="$run/rspamd" \
	--var=LOGDIR="$run/rspamd/log" -p "$run/rspamd/rspamd.pid" </dev/null >"$run/rspamd/log/start.log" 2>&1

# ---- SpamAssassin: spamd with local tests only (-L), no DNS, no Bayes
sa=$run/sa
mkdir -p "$sa"
cat >"$sa/local.cf" <<EOC
dns_available no
skip_rbl_checks 1
use_bayes 0
bayes_auto_learn 0
use_razor2 0
use_pyzor 0
EOC
cp /etc/spamassassin/*.pre "$sa/" 2>/dev/null || true
# two children that are never recycled (recycling would move their CPU time
# around mid-measurement)
spamd -d -L --listen=127.0.0.1:7830 --min-children=2 --max-children=2 --max-conn-per-child=1000000 -u nobody \
	--siteconfigpath="$sa" --pidfile="$sa/spamd.pid" --syslog=stderr </dev/null >"$sa/spamd.log" 2>&1

# ---- ClamAV: clamd with no downloadable signatures (this machine cannot
# reach the signature mirrors); one inert signature so clamd starts, and
# its phishing heuristics switched on (they need the official .pdb/.wdb
# lists to do anything: documented in RESULTS.md)
cl=$run/clamav
mkdir -p "$cl/db"
echo "NiseBench.Inert.Placeholder:0:*:6e6973652d62656e63682d6e65766572" >"$cl/db/nise-bench.ndb"
cat >"$cl/clamd.conf" <<EOC
TCPSocket 3310
TCPAddr 127.0.0.1
DatabaseDirectory $cl/db
PidFile $cl/clamd.pid
LogFile $cl/clamd.log
Foreground no
User root
ScanMail yes
PhishingSignatures yes
PhishingScanURLs yes
MaxThreads 2
EOC
clamd --config-file="$cl/clamd.conf" </dev/null >"$cl/start.log" 2>&1

# wait until all three answer (spamc exits 1 for spam: not an error here)
set +e
for i in $(seq 1 120); do
	ok=0
	printf "Subject: x\n\nx\n" | rspamc -h 127.0.0.1:11333 >/dev/null 2>&1 && ok=$((ok + 1))
	echo "Subject: x" | spamc -d 127.0.0.1 -p 7830 -c >/dev/null 2>&1; [ $? -le 1 ] && ok=$((ok + 1))
	clamdscan --config-file="$cl/clamd.conf" --ping 1 >/dev/null 2>&1 && ok=$((ok + 1))
	[ $ok -eq 3 ] && { echo "peers: rspamd, spamd, clamd up"; exit 0; }
	sleep 1
done
echo "peers: not all filters started (see $run)" >&2
exit 1
