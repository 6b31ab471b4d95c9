#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh — differential test of src/lib/html against gumbo on every HTML
# part of the development corpus (see html_diff.c for what is compared).
#
# usage: tests/html_diff/run.sh [CORPUS_DIR] [-q]
#   CORPUS_DIR defaults to ../shared/corpus relative to the project root.
# Needs: gcc, pkg-config gumbo (libgumbo-dev), python3.
# The HTML parts are extracted to a scratch directory outside the
# repository (never copy corpus data into the project); attachments are
# skipped and no URL is fetched.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$root/../shared/corpus}
quiet=${2:-}
work=${TMPDIR:-/tmp}/nise-html-diff
mkdir -p "$work"
if [ ! -f "$work/parts/index.tsv" ]; then
	python3 "$root/bench/html/extract_parts.py" "$corpus" "$work/parts"
fi
gcc -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -I"$root/include" -I"$root/src/lib" \
	"$root"/src/lib/html/*.c "$root/src/lib/core/arena.c" \
	"$root/tests/html_diff/html_diff.c" $(pkg-config --cflags --libs gumbo) \
	-o "$work/html_diff"
"$work/html_diff" $quiet "$work"/parts/*.html
