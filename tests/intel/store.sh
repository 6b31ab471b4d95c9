#!/bin/sh
# Runs the store test suite (tests/unit/test_store.c) against a real
# redis-server started here on loopback (port $1, default 16379), in a
# temporary directory, without persistence; stopped on exit.
# Usage: tests/intel/store.sh TEST_STORE_BINARY [PORT]
set -u
bin=$1
port=${2:-16379}
if ! command -v redis-server >/dev/null 2>&1; then
	echo "store-redis: redis-server not installed (scripts/bootstrap installs it)"
	exit 1
fi
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
	if [ $i -gt 100 ]; then
		echo "store-redis: redis-server did not start on port $port:"
		cat "$dir/redis.log"
		exit 1
	fi
	sleep 0.05
done
"$bin" "redis://127.0.0.1:$port"
