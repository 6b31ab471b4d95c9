#!/bin/sh
# The compiled pattern tables kept between runs (docs/data.md, "The table
# cache"): the first `nise check` writes one file per automaton, 0600 in a
# 0700 directory it makes (parents too); the next maps them; the verdicts
# are byte-identical with the cache, from it, and without it
# (NISE_CACHE_DIR=off writes nothing); a damaged file is not used and is
# written again; a directory others may write is never used.
# Usage: tests/cli/cache.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "cache: FAIL: $*"; }
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
seed=$src/examples/seed-amazon-phish.eml
export NISE_DATA_DIR="$src/data"
unset NISE_CACHE_DIR XDG_CACHE_HOME
c=$t/home/.cache/nise
NISE_CACHE_DIR=off HOME=$t/home "$nise" check --json "$seed" >"$t/none.json"
eq "nothing written with NISE_CACHE_DIR=off" "$(ls -d "$t/home" 2>/dev/null)" ""
HOME=$t/home "$nise" check --json "$seed" >"$t/first.json"
eq "files written under \$HOME/.cache/nise" "$(ls "$c" | grep -c '^ac-[0-9a-f]\{16\}\.bin$')" 4
eq "directory mode" "$(stat -c %a "$c")" 700
eq "file modes" "$(stat -c %a "$c"/ac-*.bin | sort -u)" 600
HOME=$t/home "$nise" check --json "$seed" >"$t/second.json"
eq "first run = no cache" "$(cmp -s "$t/none.json" "$t/first.json" && echo same)" same
eq "mapped run = no cache" "$(cmp -s "$t/none.json" "$t/second.json" && echo same)" same
# a cut file: not used, written again whole
big=$(ls -S "$c"/ac-*.bin | head -n 1)
size=$(stat -c %s "$big")
truncate -s $((size - 8)) "$big"
HOME=$t/home "$nise" check --json "$seed" >"$t/third.json"
eq "cut file: same verdict" "$(cmp -s "$t/none.json" "$t/third.json" && echo same)" same
eq "cut file written again" "$(stat -c %s "$big")" "$size"
# XDG_CACHE_HOME wins over HOME; a group-writable directory is left alone
mkdir -p "$t/xdg/nise"
chmod 770 "$t/xdg/nise"
HOME=$t/home XDG_CACHE_HOME=$t/xdg "$nise" check --json "$seed" >"$t/fourth.json"
eq "group-writable directory not used" "$(ls -A "$t/xdg/nise" | wc -l)" 0
eq "group-writable directory: same verdict" "$(cmp -s "$t/none.json" "$t/fourth.json" && echo same)" same
chmod 700 "$t/xdg/nise"
HOME=$t/home XDG_CACHE_HOME=$t/xdg "$nise" check --json "$seed" >/dev/null
eq "XDG_CACHE_HOME/nise used" "$(ls "$t/xdg/nise" | grep -c '^ac-')" 4
echo "cache: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
