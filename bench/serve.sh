#!/bin/sh
# Load on `nise serve` from a separate client process (wrk): REQUESTS POSTs
# of the seed mail to /v1/check at CONCURRENCY connections. Fails unless
# every answer is 200 with the phishing verdict and wrk saw no socket
# error. Prints requests per second and latency percentiles.
# usage: bench/serve.sh BUILD [REQUESTS] [CONCURRENCY] [PORT]
set -eu
build=$1
requests=${2:-10000}
conc=${3:-32}
port=${4:-18086}
root=$(cd "$(dirname "$0")/.." && pwd)
threads=2
[ "$conc" -lt "$threads" ] && threads=$conc
tmp=$(mktemp -d)
NISE_DATA_DIR="$root/data" NISE_CONFIG=/dev/null "$build/nise" serve --listen "127.0.0.1:$port" \
	--quiet --max-connections $((conc * 2)) >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
i=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
		echo "nise serve did not start:"; cat "$tmp/serve.log"; exit 1
	fi
	sleep 0.1
done
echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); server threads: $(nproc)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "command: wrk -t$threads -c$conc --latency -s bench/serve.lua http://127.0.0.1:$port/v1/check ($requests requests)"
NISE_BENCH_BODY="$root/examples/seed-amazon-phish.eml" NISE_BENCH_REQUESTS=$requests \
	NISE_BENCH_THREADS=$threads NISE_BENCH_DONE="$tmp/done" wrk -t"$threads" -c"$conc" -d300s \
	--timeout 10s --latency -s "$root/bench/serve.lua" "http://127.0.0.1:$port/v1/check" \
	>"$tmp/wrk.out" 2>&1 &
wrk=$!
# every thread has its share: SIGINT ends wrk's run with its summary
while kill -0 $wrk 2>/dev/null; do
	n=0
	for f in "$tmp"/done.*; do [ -e "$f" ] && n=$((n + 1)); done
	if [ $n -ge "$threads" ]; then
		kill -INT $wrk
		break
	fi
	sleep 0.02
done
wait $wrk || { cat "$tmp/wrk.out"; exit 1; }
sed -n '/^requests /,$p' "$tmp/wrk.out"
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
served=$(echo "$metrics" | sed -n 's/^nise_http_requests_total{route="\/v1\/check",code="200"} //p')
phish=$(echo "$metrics" | sed -n 's/^nise_messages_total{verdict="phishing"} //p')
echo "server: /v1/check 200 answers $served, phishing verdicts $phish"
get() { sed -n "s/^$1 //p" "$tmp/wrk.out"; }
fail=0
[ "$(get checked)" -ge "$requests" ] || { echo "FAIL: only $(get checked) of $requests answers checked"; fail=1; }
[ "$(get bad)" -eq 0 ] || { echo "FAIL: $(get bad) answers were not 200 + phishing"; fail=1; }
[ "$(get socket_errors)" -eq 0 ] || { echo "FAIL: $(get socket_errors) socket errors"; fail=1; }
[ "$(get non2xx)" -eq 0 ] || { echo "FAIL: $(get non2xx) non-2xx answers"; fail=1; }
[ "$phish" -ge "$(get checked)" ] || { echo "FAIL: the server judged $phish, wrk counted $(get checked)"; fail=1; }
[ $fail -eq 0 ] && echo "serve load: ok"
exit $fail
