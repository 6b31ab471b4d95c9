#!/bin/sh
# SPDX-License-Identifier: MIT
# Differential test of nise's MIME reader against GMime (the oracle, used
# only here) on every mail of the corpus: same header fields, addresses,
# parts, types, charsets, decoded text, file names, sizes and SHA-256.
# The known, documented differences (tests/mime_diff/RESULTS.md) leave
# 99.7% of mails identical; below 99.5% is a regression. Every class of
# difference found is printed with an example.
# Usage: tests/mime-diff-gate.sh BUILD CORPUS
set -u
build=$1
corpus=$2
tool=$build/tests/mime_diff
if [ ! -x "$tool" ]; then
	echo "mime-diff: $tool not built (libgmime-3.0-dev missing?)"
	echo "mime-diff: 0 passed, 1 failed"
	exit 1
fi
out=$(tail -n +2 "$corpus/MANIFEST.tsv" | cut -f1 | sed "s#^#$corpus/#" | "$tool" -q - 2>&1)
printf '%s\n' "$out" | grep -a '^class \|^cpu '
last=$(printf '%s\n' "$out" | tail -n 1)
echo "mime-diff: $last"
set -- $last
# mails N identical N classes N
mails=$2 same=$4
ok=1
[ "$mails" -gt 6000 ] || ok=0
[ $((same * 1000 / mails)) -ge 995 ] || ok=0
if [ $ok = 1 ]; then echo "mime-diff: 1 passed, 0 failed"; else echo "mime-diff: 0 passed, 1 failed"; fi
[ $ok = 1 ]
