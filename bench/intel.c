/* SPDX-License-Identifier: MIT */
/*
 * intel.c — `nise-bench-intel [JPCERT_DIR]`: the threat-intelligence
 * store's speed, on LMDB in a temporary directory (make bench-intel).
 *
 *   1. import every JPCERT/CC CSV under JPCERT_DIR (wall time);
 *   2. look up 100,000 listed URLs and 100,000 unlisted ones, each timed
 *      alone after one warm-up pass: median and 99th percentile; the size
 *      of the in-memory prefix set (src/lib/intel/pcache.c);
 *   3. store 100,000 campaigns (random fingerprints) and match 10,000
 *      mails against them (half 3 bits from a stored one, half random):
 *      median and 99th percentile.
 * Times are per call on one core, including SHA-256 and the LMDB read
 * transactions.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "intel/feed.h"
#include "intel/intel.h"
#include "intel/store.h"
#include "nise/nise.h"

#define NLOOK 100000
#define NCAMP 100000
#define NMATCH 10000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_d);
	printf("%-52s median %6.2f us   p99 %6.2f us   (%zu calls)\n", what, t[n / 2] * 1e6, t[n * 99 / 100] * 1e6, n);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = sz >= 0 ? malloc((size_t)sz + 1) : NULL;
	*n = b ? fread(b, 1, (size_t)sz, f) : 0;
	fclose(f);
	return b;
}

struct urls {
	char **u;
	size_t n;
};

static bool on_entry(void *ctx, const struct nise_feed_entry *e)
{
	struct urls *x = ctx;
	if (x->n < NLOOK)
		x->u[x->n++] = strdup(e->url);
	return true;
}

static size_t csv_files(const char *dir, char ***out)
{
	size_t n = 0, cap = 256;
	char **files = malloc(cap * sizeof(*files));
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		DIR *sub = opendir(path);
		struct dirent *se;
		while (sub && (se = readdir(sub))) {
			size_t l = strlen(se->d_name);
			if (l > 4 && strcmp(se->d_name + l - 4, ".csv") == 0 && n < cap) {
				char *p = malloc(strlen(path) + l + 2);
				snprintf(p, strlen(path) + l + 2, "%s/%s", path, se->d_name);
				files[n++] = p;
			}
		}
		if (sub)
			closedir(sub);
	}
	if (d)
		closedir(d);
	*out = files;
	return n;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/nise-bench-intel-XXXXXX", path[256], diag[600] = "";
	if (!mkdtemp(dir))
		return 1;
	struct nise_engine_opts opts = {0};
	nise_limits_default(&opts.limits);
	struct nise_engine *e = NULL;
	if (nise_engine_new(&e, &opts, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "engine: %s\n", diag);
		return 1;
	}
	double *t = malloc(NLOOK * sizeof(*t));
	struct urls listed = {calloc(NLOOK, sizeof(char *)), 0};
	if (argc > 1) {
		snprintf(path, sizeof(path), "%s/urls.lmdb", dir);
		struct nise_store *s;
		if (nise_store_open(&s, path, true, diag, sizeof(diag)) != NISE_OK) {
			fprintf(stderr, "%s\n", diag);
			return 1;
		}
		char **files;
		size_t nf = csv_files(argv[1], &files);
		size_t stored = 0;
		double t0 = now();
		for (size_t i = 0; i < nf; i++) {
			size_t n;
			char *buf = slurp(files[i], &n);
			struct nise_intel_import_stats st;
			if (buf && nise_intel_import(&st, s, e, "jpcert", buf, n, diag, sizeof(diag)) == NISE_OK)
				stored += st.stored;
			if (buf) {
				size_t bad;
				nise_feed_parse(NISE_FEED_JPCERT, buf, n, on_entry, &listed, &bad, NULL, 0);
			}
			free(buf);
		}
		printf("import: %zu JPCERT/CC entries from %zu files in %.2f s\n", stored, nf, now() - t0);
		struct nise_intel_match m;
		size_t hits = 0;
		for (size_t i = 0; i < listed.n; i++) /* warm-up */
			hits += nise_intel_lookup(&m, s, listed.u[i], strlen(listed.u[i])) == NISE_OK;
		for (size_t i = 0; i < listed.n; i++) {
			double a = now();
			nise_intel_lookup(&m, s, listed.u[i], strlen(listed.u[i]));
			t[i] = now() - a;
		}
		printf("listed URLs found: %zu of %zu\n", hits, listed.n);
		if (s->pcache.cur) {
			size_t bytes, n = nise_pset_size(s->pcache.cur, &bytes);
			printf("prefix set in memory: %zu prefixes, %zu KiB\n", n, bytes >> 10);
		}
		report("lookup, listed URL (LMDB, warm)", t, listed.n);
		char u[128];
		for (size_t i = 0; i < NLOOK; i++) {
			int n = snprintf(u, sizeof(u), "https://www.site%zu.example.com/account/login.php?id=%zu", i, i);
			double a = now();
			nise_intel_lookup(&m, s, u, (size_t)n);
			t[i] = now() - a;
		}
		report("lookup, unlisted URL (LMDB, warm)", t, NLOOK);
		nise_store_close(s);
		unlink(path);
		snprintf(path, sizeof(path), "%s/urls.lmdb-lock", dir);
		unlink(path);
	}

	snprintf(path, sizeof(path), "%s/campaigns.lmdb", dir);
	struct nise_store *s;
	if (nise_store_open(&s, path, true, diag, sizeof(diag)) != NISE_OK)
		return 1;
	uint64_t *fps = malloc(NCAMP * sizeof(*fps));
	double t0 = now();
	s->ops->begin(s);
	size_t made = 0;
	for (size_t i = 0; i < NCAMP; i++) {
		struct nise_campaign c;
		fps[i] = rnd();
		if (nise_campaign_add(&c, s, fps[i], "2020-11-17", "Amazon", "subject", "sender.example", NULL, 0) ==
		        NISE_OK &&
		    c.copies == 1)
			made++;
	}
	s->ops->commit(s);
	printf("stored %zu campaigns (%zu distinct) in %.2f s\n", (size_t)NCAMP, made, now() - t0);
	size_t found = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < NMATCH; i++) {
			uint64_t q = i % 2 ? rnd() : fps[rnd() % NCAMP] ^ ((uint64_t)1 << (i % 64)) ^ ((uint64_t)1 << ((i + 17) % 64)) ^
			                                  ((uint64_t)1 << ((i + 40) % 64));
			struct nise_campaign c;
			double a = now();
			nise_rc rc = nise_campaign_find(&c, s, q);
			t[i] = now() - a;
			if (pass == 1 && rc == NISE_OK && i % 2 == 0)
				found++;
		}
	}
	printf("near copies found: %zu of %d\n", found, NMATCH / 2);
	report("campaign match, 100,000 campaigns (LMDB, warm)", t, NMATCH);
	nise_store_close(s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/campaigns.lmdb-lock", dir);
	unlink(path);
	rmdir(dir);
	nise_engine_free(e);
	return 0;
}
