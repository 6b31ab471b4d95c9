#!/bin/sh
# CPU per mail of `nise check --json DIR` on one core, two binaries compared:
# for each of ROUNDS rounds, A then B, (user + sys) / files from
# /usr/bin/time under `taskset -c 1`; prints min and mean per binary. On a
# shared machine the min of alternating runs is the comparable figure.
# Usage: bench/check-cpu.sh NISE_A NISE_B DIR [ROUNDS]   (bench/PROFILE.md)
set -eu
a=$1
b=$2
dir=$3
rounds=${4:-5}
n=$(find "$dir" -type f | wc -l)
t=$(mktemp)
trap 'rm -f "$t"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
	for x in "$a" "$b"; do
		/usr/bin/time -o "$t" -f '%U %S' taskset -c 1 "$x" check --json "$dir" >/dev/null 2>&1 || :
		echo "$x $(tail -n 1 "$t")"
	done
	i=$((i + 1))
done | awk -v n="$n" '{v = ($2 + $3) * 1000 / n; if (!($1 in m) || v < m[$1]) m[$1] = v; s[$1] += v; c[$1]++}
	END {for (k in m) printf "%s: min %.3f mean %.3f ms CPU per mail (%d files)\n", k, m[k], s[k] / c[k], n}'
