#!/bin/sh
# Parse-only, checks-only and full-check (checks + learned model)
# throughput on one core over all mail of the corpus, and the model's
# load time.
# Usage: bench/parse.sh BUILD CORPUS [RUNS]
set -eu
build=$1
corpus=$2
runs=${3:-5}
dirs="$corpus/ham $corpus/phish $corpus/jp $corpus/spam $corpus/robustness"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
# shellcheck disable=SC2086
taskset -c 0 "$build/bench/nise-bench" --runs "$runs" --parse-only $dirs | tail -n 1
# shellcheck disable=SC2086
taskset -c 0 "$build/bench/nise-bench" --runs "$runs" --no-model $dirs | tail -n 1
# shellcheck disable=SC2086
taskset -c 0 "$build/bench/nise-bench" --runs "$runs" --model-load $dirs | grep -v '^run'
# the learned model's cost, paired per message (robust on a busy machine)
# shellcheck disable=SC2086
taskset -c 0 "$build/bench/nise-bench" --model-cost $dirs
