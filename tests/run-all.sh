#!/bin/sh
# Runs every test suite and ends with one line "tests: N passed, N failed".
#   1. the normal build's meson suites (unit, golden, lint, fuzz replays)
#   2. the same suites in the ASan+UBSan build (arena debug mode)
#   3. the whole ../shared/corpus through the ASan build (tests/corpus.sh)
#   4. nise spamd behind a real Exim (tests/spamd/exim.sh, root)
#   5. nise imap against a real Dovecot (tests/imap/dovecot_test.py, root)
#   6. nise milter behind a real Postfix, unbound for DNS (tests/milter/, root)
# Usage: tests/run-all.sh BUILD ASAN_BUILD CORPUS
set -u
build=$1
asan=$2
corpus=$3
pass=0
fail=0
step() {
	name=$1
	shift
	echo "=== $name"
	if "$@"; then
		pass=$((pass + 1))
		echo "=== $name: ok"
	else
		fail=$((fail + 1))
		echo "=== $name: FAILED"
	fi
}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
# no test may read or write the user's threat-intelligence store
# (~/.local/share/nise): the default location points at an empty place
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
# nor the user's table cache (~/.cache/nise): every run starts empty, so
# the tests build the tables once and map them afterwards
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_DATA_HOME" "$XDG_CACHE_HOME"' EXIT
step "meson test ($build)" meson test -C "$build" --print-errorlogs --num-processes 2
step "install tree" ./tests/install.sh "$build"
if [ "$(id -u)" -eq 0 ]; then
	step "Debian package" ./tests/package.sh
else
	echo "=== Debian package: needs root (dpkg -i), skipped"
fi
step "meson test ($asan, sanitizers)" meson test -C "$asan" --print-errorlogs --num-processes 2
step "nise serve page in chromium" ./tests/web/run.sh "$build" 18084
step "nise serve under load (1,000 requests, wrk)" ./bench/serve.sh "$build" 1000 32 18085
if [ "$(id -u)" -eq 0 ]; then
	step "spamd: Exim's spam ACL rejects the seed, delivers ham, defers while nise spamd is down" \
		flock /tmp/nise-ports.lock ./tests/spamd/exim.sh "$build"
else
	echo "=== spamd with Exim: needs root, skipped"
fi
if [ "$(id -u)" -eq 0 ]; then
	step "imap: Dovecot over TLS, flag/move exactly the phishing, kill -9 and server restart, 1,000 with --once" \
		flock /tmp/nise-ports.lock python3 ./tests/imap/dovecot_test.py "$build/nise" . 1000
else
	echo "=== imap with Dovecot: needs root, skipped"
fi
if [ "$(id -u)" -eq 0 ]; then
	step "milter: SPF/DKIM/DMARC with our own DNS (sanitizers)" flock /tmp/nise-ports.lock ./tests/milter/auth.sh "$asan"
	step "milter: docs/postfix.md's unix socket with the unit's permissions, X-Nise-Reason, the log line, sendmail gets spf=none" \
		flock /tmp/nise-ports.lock ./tests/milter/unix-socket.sh "$build"
	step "Dovecot learn-on-move (IMAPSieve, a real Dovecot on 127.0.0.1:10143)" \
		./tests/dovecot/learn-on-move.sh "$build/nise" 10143
else
	echo "=== milter SPF/DKIM/DMARC: needs root, skipped"
fi
if [ -d "$corpus" ]; then
	step "corpus under sanitizers" ./tests/corpus.sh "$asan/nise" "$corpus"
	step "HTML extractor vs gumbo" ./tests/html-diff-gate.sh "$corpus"
	step "brand registry: generated, checked, JPCERT/CC coverage >= 99.5 %" ./tests/brands.sh "$corpus"
	step "MIME reader vs GMime" ./tests/mime-diff-gate.sh "$build" "$corpus"
	step "detection targets (nise eval)" ./tests/eval-gate.sh "$build/nise" "$corpus"
	step "JPCERT/CC list: import, lookup, variants, legitimate sites" ./tests/intel/jpcert.sh "$build/nise" "$corpus"
	step "the operator's loop: learn each jp campaign's first copy, judge the repeats" \
		python3 ./bench/learn-jp.py "$build/nise" "$corpus/jp" --expect tests/intel/learn-jp.expected
	step "the operator's loop: one ham reported genuine, nothing else changes" ./tests/intel/learn-ham.sh "$build/nise"
	# nise milter behind a real Postfix (needs root: a private Postfix instance)
	if [ "$(id -u)" -eq 0 ]; then
		step "milter: Postfix policies, 10,000-message load with reloads and a crash, limits" flock /tmp/nise-ports.lock ./tests/milter/postfix.sh "$build" "$corpus" 10000
	else
		echo "=== milter with Postfix: needs root, skipped"
	fi
else
	echo "=== corpus not found at $corpus: corpus tests skipped"
fi
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
