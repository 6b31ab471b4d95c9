#!/bin/sh
# Runs every libFuzzer target for SECONDS each, with its seed corpus, and
# keeps new interesting inputs in fuzz/out/NAME (not committed). Crashes
# land in fuzz/out/crash-*; copy them into fuzz/corpus/NAME as regressions.
set -u
build=${1:-build-fuzz}
seconds=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for t in "$build"/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=${t##*/fuzz_}
	mkdir -p "$here/out/$name"
	echo "== fuzz $name for ${seconds}s"
	NISE_DATA_DIR="$here/../data" "$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$here/out/crash-$name-" -print_final_stats=1 \
		"$here/out/$name" "$here/corpus/$name" 2>&1 | tail -n 30 || status=1
done
exit $status
