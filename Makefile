# nise — top-level entry points. Everything goes through Meson; this file
# only makes the common paths one word long and installs prerequisites.
#
#   make demo     bootstrap (build dependencies only), build, judge the sample mails
#   make bench-imap   10,000 mails in a private Dovecot, nise imap --once (root)
#   make bench-serve  10,000 POST /v1/check at concurrency 32 (wrk) on nise serve
#   make test     bootstrap --test, build (-Werror), run all tests, incl. the
#                 sanitizer build over the whole corpus when ../shared exists
#   make fuzz     run every fuzz target for FUZZ_SECONDS each (default 600)
#   make fuzz-long  every fuzz target until 10 million executions or
#                 FUZZ_LONG_SECONDS (default 3 h), two at a time, with the
#                 attack mails of ../shared/attacks as extra seeds; prints a
#                 summary (FUZZ_TARGETS="message html" for a subset)
#   make model    retrain data/model.bin on ../shared/corpus (nise train),
#                 with data/model.md and the plot bench/model/roc.png
#   make bench    parse/check throughput, then nise vs rspamd, SpamAssassin,
#                 ClamAV on ../shared/corpus (bench/RESULTS.md)
#   make bench-intel  URL lookup and campaign match times (bench/intel.c)

BUILD ?= build
ASAN ?= build-asan
FUZZB ?= build-fuzz
CORPUS ?= ../shared/corpus
FUZZ_SECONDS ?= 600
FUZZ_LONG_RUNS ?= 10000000
FUZZ_LONG_SECONDS ?= 10800
FUZZ_LONG_JOBS ?= 2
FUZZ_TARGETS ?=
WERROR ?= true

.PHONY: all bootstrap bootstrap-test bootstrap-dev build demo test fuzz fuzz-long bench bench-peers bench-intel install clean model

# make install [PREFIX=/usr] [DESTDIR=/tmp/stage] [SYSCONFDIR=/etc] [LOCALSTATEDIR=/var]
PREFIX ?= /usr/local
SYSCONFDIR ?= etc
LOCALSTATEDIR ?= var

all: build

bootstrap:
	@./scripts/bootstrap

# what the tests need on top (clang, chromium, Postfix, Redis, lintian, ...)
bootstrap-test:
	@./scripts/bootstrap --test

# benchmarks and plots on top of that (valgrind, hyperfine, gnuplot)
bootstrap-dev:
	@./scripts/bootstrap --dev

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=$(WERROR)

build: bootstrap $(BUILD)/build.ninja
	ninja -C $(BUILD)

# nise check exits 1 when a message is phishing: that is the demo's point
demo: build
	@echo "--- nise check --lang ja examples/seed-amazon-phish.eml"
	@$(BUILD)/nise check --lang ja examples/seed-amazon-phish.eml || [ $$? -eq 1 ]
	@echo "--- nise check --lang en examples/seed-amazon-phish-iso2022jp.eml"
	@$(BUILD)/nise check --lang en examples/seed-amazon-phish-iso2022jp.eml || [ $$? -eq 1 ]

$(ASAN)/build.ninja: | bootstrap-test
	CC=clang meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false \
		-Darena_debug=true -Dbuildtype=debug -Dwerror=$(WERROR)

test: bootstrap-test build $(ASAN)/build.ninja
	ninja -C $(ASAN)
	./tests/run-all.sh $(BUILD) $(ASAN) $(CORPUS)

$(FUZZB)/build.ninja:
	CC=clang meson setup $(FUZZB) -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Darena_debug=false -Dbuildtype=debugoptimized

fuzz: bootstrap-test $(FUZZB)/build.ninja
	ninja -C $(FUZZB)
	./fuzz/run.sh $(FUZZB) $(FUZZ_SECONDS)

# nise imap: 10,000 mails in a private Dovecot scanned with --once (time, RSS)
.PHONY: bench-imap
bench-imap: bootstrap-test build
	flock /tmp/nise-ports.lock python3 ./tests/imap/dovecot_test.py $(BUILD)/nise . 10000

fuzz-long: bootstrap-test $(FUZZB)/build.ninja
	ninja -C $(FUZZB)
	./fuzz/long.sh $(FUZZB) $(FUZZ_LONG_RUNS) $(FUZZ_LONG_SECONDS) $(FUZZ_LONG_JOBS) $(FUZZ_TARGETS)

# HTTP load from a separate process (wrk): requests per second, p99
.PHONY: bench-serve
bench-serve: bootstrap-test build
	./bench/serve.sh $(BUILD) 10000 32

bench: bootstrap-dev build
	./bench/parse.sh $(BUILD) $(CORPUS)
	./bench/peers.sh $(BUILD) $(CORPUS)

# only the side-by-side run (installs and starts rspamd, spamd, clamd itself)
bench-peers: build
	./bench/peers.sh $(BUILD) $(CORPUS)

# The default model: trained only on ../shared/corpus, reproducible (the
# solver is deterministic and the corpus is read in manifest order).
model: bootstrap-dev build
	./bench/model/train.sh $(BUILD) $(CORPUS)

# threat intelligence: import, URL lookup and campaign match times (LMDB)
bench-intel: build
	$(BUILD)/bench/nise-bench-intel $(CORPUS)/urls/jpcert

install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX) -Dsysconfdir=$(SYSCONFDIR) -Dlocalstatedir=$(LOCALSTATEDIR)
	ninja -C $(BUILD)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir "$(DESTDIR)")

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZB)
