#!/bin/sh
# make fuzz-long: every libFuzzer target in BUILD/fuzz until it has RUNS
# executions (default 10 million) or SECONDS of wall time (default 3 hours),
# JOBS targets at a time (default 2: the two cores), then one summary line
# per target: executions, exec/s, coverage, crashes.
#
# Seeds: fuzz/corpus/NAME, what earlier runs kept in fuzz/out/NAME, and for
# the targets that read whole mails (message, filter, view) the attack mails
# of ../shared/attacks/mails plus inputs made by its generators at a modest
# size (colon bombs in five address headers, 2,000 empty parts, the
# pathological mails of gen_patho.py at scale 1); nothing over 16 KiB, and
# inputs are capped at 16 KiB (-max_len): with 50 KB seeds every mutant is
# large and the message target ran 4 executions/s under ASan on a busy machine.
#
# Usage: fuzz/long.sh BUILD [RUNS] [SECONDS] [JOBS] [TARGET...]
#   FUZZ_LONG_FLAGS: more libFuzzer flags (message, filter and view run with
#   -entropic=0 already: bench/PROFILE.md)
# Logs, crashes and the summary: fuzz/out/long/ (not committed). Exit status
# 1 when any target crashed, leaked, timed out or ran out of memory.
set -u
build=${1:-build-fuzz}
runs=${2:-10000000}
seconds=${3:-10800}
jobs=${4:-2}
[ $# -gt 4 ] && shift 4 || set --
here=$(cd "$(dirname "$0")" && pwd)
attacks=${NISE_ATTACKS:-$here/../../shared/attacks}
out=$here/out/long
mkdir -p "$out"

# ---- extra seeds from the attack files (generated here, never committed)
seeds=$out/seeds
if [ "${FUZZ_LONG_ONE:-}" ]; then
	: # a worker started by xargs below: the seeds are ready
elif [ -d "$attacks" ]; then
	rm -rf "$seeds"
	mkdir -p "$seeds/mail" "$seeds/html"
	cp "$attacks"/mails/*.eml "$seeds/mail/" 2>/dev/null
	[ -f "$attacks/csrf-page.html" ] && cp "$attacks/csrf-page.html" "$seeds/html/"
	for h in From To Cc Reply-To Sender; do
		python3 "$attacks/gen_colon_bomb.py" 2000 "$h" >"$seeds/mail/colon-bomb-$h.eml"
	done
	python3 "$attacks/gen_emptyparts.py" 2000 >"$seeds/mail/emptyparts-2000.eml"
	python3 "$attacks/gen_patho.py" "$seeds/patho" 1 >/dev/null
	for f in "$seeds"/patho/*.eml; do
		[ "$(wc -c <"$f")" -le 16384 ] && mv "$f" "$seeds/mail/patho-${f##*/}"
	done
	rm -rf "$seeds/patho"
else
	mkdir -p "$seeds/mail" "$seeds/html"
	echo "fuzz-long: $attacks not found, only the committed seeds are used" >&2
fi

# ---- the targets
if [ $# -eq 0 ]; then
	for t in "$build"/fuzz/fuzz_*; do
		[ -f "$t" ] && [ -x "$t" ] && set -- "$@" "${t##*/fuzz_}"
	done
fi
[ $# -gt 0 ] || { echo "fuzz-long: no fuzz targets in $build/fuzz" >&2; exit 2; }

one() {
	name=$1
	t=$build/fuzz/fuzz_$name
	extra=""
	flags=""
	case $name in
	message | filter | view)
		extra=$seeds/mail
		# the whole pipeline touches tens of thousands of features per
		# input; libFuzzer's entropic schedule updated their frequencies
		# in 60 % of the CPU (bench/PROFILE.md): 108 -> 293 exec/s
		flags="-entropic=0"
		;;
	html) extra=$seeds/html ;;
	esac
	mkdir -p "$here/out/$name"
	rm -f "$out/$name-crash-"* "$out/$name-leak-"* "$out/$name-timeout-"* "$out/$name-oom-"* \
		"$out/$name-slow-unit-"*
	echo "fuzz-long: $name started $(date -u +%H:%M:%S)"
	# shellcheck disable=SC2086
	NISE_DATA_DIR="$here/../data" nice -n 10 "$t" -runs="$runs" -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
		-artifact_prefix="$out/$name-" $flags ${FUZZ_LONG_FLAGS:-} \
		"$here/out/$name" "$here/corpus/$name" $extra >"$out/$name.log" 2>&1
	echo "fuzz-long: $name finished $(date -u +%H:%M:%S), exit $?"
}

if [ "${FUZZ_LONG_ONE:-}" ]; then
	one "$FUZZ_LONG_ONE"
	exit 0
fi

# JOBS targets at a time (xargs runs this script again for each target)
export build runs seconds
printf '%s\n' "$@" | xargs -P "$jobs" -I{} env FUZZ_LONG_ONE={} "$0" "$build" "$runs" "$seconds" "$jobs"

"$here/long-summary.sh" "$out" "$@" >"$out/summary.md"
status=$?
cat "$out/summary.md"
exit $status
