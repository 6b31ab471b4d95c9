#!/bin/bash
# SPDX-License-Identifier: MIT
# The 10,000-message run: N corpus messages (default 10000) through a real
# Postfix (smtpd_milters = nise milter, reject policy for phishing) at
# concurrency C (default 20) from tests/milter/smtpload.py, a real SMTP
# client. SIGHUP once a third of the way in. Reports messages per second
# (end to end: SMTP, Postfix, milter, delivery to smtp-sink), the milter's
# RSS at start, middle and end, and checks every message is accounted for:
# each id delivered exactly once or rejected with 5.7.1, none lost.
# Needs root (private Postfix). Usage: bench/milter-load.sh BUILD CORPUS [N] [C]
set -u
build=$(cd "$1" && pwd)
corpus=$(cd "$2" && pwd)
n=${3:-10000}
c=${4:-20}
here=$(cd "$(dirname "$0")/../tests/milter" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
trap milter_cleanup EXIT
printf '[nise]\ndata_dir = %s/data\n' "$root" >"$T/nise.conf"
printf '[milter]\nsocket = inet:10026@127.0.0.1\nauthserv_id = mx.nise.test\nauth = no\nnise_config = %s\non_phishing = reject\n' \
	"$T/nise.conf" >"$T/milter.conf"
start_sink || exit 1
start_postfix </dev/null || exit 1
start_milter "$build/nise" "$T/milter.conf" || exit 1
# every single-message file of the corpus (ham, phishing, spam), cycled
find "$corpus/ham" "$corpus/phish" "$corpus/spam" "$corpus/jp" -type f ! -name '*.tsv' ! -name '*.mbox' -size -2M | sort >"$T/list"
echo "corpus files: $(wc -l <"$T/list"), messages to send: $n, concurrency $c"
rss_log=$T/rss.tsv
(
	t0=$(date +%s)
	while kill -0 "$MILTER_PID" 2>/dev/null; do
		echo "$(($(date +%s) - t0))	$(rss_kb "$MILTER_PID")	$(delivered)" >>"$rss_log"
		sleep 1
	done
) &
sampler=$!
python3 "$here/smtpload.py" 127.0.0.1 10025 "$c" "$n" "$T/list" "$T/out.tsv" --deadline 3600 >"$T/load.json" &
load=$!
while [ "$(delivered)" -lt $((n / 3)) ] && kill -0 "$load" 2>/dev/null; do sleep 0.2; done
kill -HUP "$MILTER_PID"
wait "$load"
wait_drained 120
kill "$sampler" 2>/dev/null
# the milter's own CPU time (user + system), to give messages per milter CPU second
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$MILTER_PID/stat")
cat "$T/load.json"
acc=$(awk -F'\t' '$2=="accepted"' "$T/out.tsv" | wc -l)
rej=$(awk -F'\t' '$2=="rejected"' "$T/out.tsv" | wc -l)
grep -rh '^X-Nise-Test-Id:' "$T/sink" | tr -d '\r' | awk '{print $2}' | sort -n >"$T/ids.delivered"
awk -F'\t' '$2=="accepted" {print $1}' "$T/out.tsv" | sort -n >"$T/ids.accepted"
verdicts=$(grep -rh '^X-Nise-Verdict:' "$T/sink" | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')
lines=$(wc -l <"$rss_log")
rss_start=$(head -1 "$rss_log" | cut -f2)
rss_mid=$(sed -n "$((lines / 2))p" "$rss_log" | cut -f2)
rss_end=$(tail -1 "$rss_log" | cut -f2)
rss_max=$(cut -f2 "$rss_log" | sort -n | tail -1)
echo "sent $n: accepted $acc, rejected $rej, delivered $(delivered), held $(held), still queued $(queued)"
echo "delivered verdicts: $verdicts"
echo "milter CPU: $cpu s for $n messages ($(awk -v n="$n" -v c="$cpu" 'BEGIN {printf "%.0f", n / c}') messages per milter CPU second)"
echo "milter RSS kB: start $rss_start, middle $rss_mid, end $rss_end, max $rss_max (samples: $lines, one per second)"
grep -c "reloaded: generation 2" "$T/milter.log" | sed 's/^/SIGHUP reloads logged: /'
status=0
[ $((acc + rej)) -eq "$n" ] || { echo "FAIL: accepted + rejected != sent"; status=1; }
cmp -s "$T/ids.delivered" "$T/ids.accepted" || { echo "FAIL: delivered ids != accepted ids"; status=1; }
# flat: the second half of the run grows the milter by less than 10 %
[ "$rss_end" -le $((rss_mid * 11 / 10)) ] || { echo "FAIL: RSS grew from $rss_mid to $rss_end kB in the second half"; status=1; }
[ $status -eq 0 ] && echo "milter load: every message accounted for"
exit $status
