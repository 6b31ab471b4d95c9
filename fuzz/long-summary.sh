#!/bin/sh
# The summary of a fuzz/long.sh run: one Markdown row per target from its
# libFuzzer log (final stats, last coverage line) and the artifacts it left.
# Usage: fuzz/long-summary.sh OUT_DIR TARGET...
set -u
out=$1
shift
echo "| target | executions | exec/s | coverage (cov / ft) | corpus | peak RSS MB | crashes, leaks, timeouts, OOM |"
echo "|---|---|---|---|---|---|---|"
bad=0
for name in "$@"; do
	log=$out/$name.log
	if [ ! -f "$log" ]; then
		echo "| $name | not run | | | | | |"
		continue
	fi
	n=0
	for a in "$out/$name"-crash-* "$out/$name"-leak-* "$out/$name"-timeout-* "$out/$name"-oom-*; do
		[ -f "$a" ] && n=$((n + 1))
	done
	# a sanitizer report without an artifact (e.g. a leak at exit) counts too
	if [ "$n" -eq 0 ] && grep -q '^==[0-9]*==ERROR\|^SUMMARY: \(Address\|Undefined\|Leak\)Sanitizer\|runtime error:' "$log"; then
		n=1
	fi
	[ "$n" -gt 0 ] && bad=1
	awk -v name="$name" -v n="$n" '
		/^stat::number_of_executed_units:/ { ex = $2 }
		/^stat::average_exec_per_sec:/ { eps = $2 }
		/^stat::peak_rss_mb:/ { rss = $2 }
		/^#[0-9]+.* cov: / {
			for (i = 1; i <= NF; i++) {
				if ($i == "cov:") cov = $(i + 1)
				if ($i == "ft:") ft = $(i + 1)
				if ($i == "corp:") corp = $(i + 1)
			}
		}
		END {
			if (ex == "") ex = "?"
			if (eps == "") eps = "?"
			printf "| %s | %s | %s | %s / %s | %s | %s | %d |\n", name, ex, eps, cov, ft, corp, rss, n
		}' "$log"
done
exit $bad
