/* SPDX-License-Identifier: MIT */
/*
 * test_ac.c — the Aho-Corasick matcher (src/lib/core/ac.c) against a naive
 * search, in both table widths: a small automaton (16-bit entries) and one
 * of more than 32,767 states (32-bit entries), with overlapping patterns,
 * patterns that are suffixes of others, bytes >= 0x80 and early stops.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ac.h"
#include "t.h"

struct hit {
	uint32_t id;
	size_t start, len;
};

struct hits {
	struct hit *h;
	size_t n, cap, stop_after;
};

static bool on_hit(void *ctx, uint32_t id, size_t start, size_t len)
{
	struct hits *hs = ctx;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 64;
		hs->h = realloc(hs->h, hs->cap * sizeof(*hs->h));
	}
	hs->h[hs->n++] = (struct hit){id, start, len};
	return !hs->stop_after || hs->n < hs->stop_after;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	size_t ex = x->start + x->len, ey = y->start + y->len;
	if (ex != ey)
		return ex < ey ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

/* npat random patterns over an alphabet, one text; every match compared.
 * With cache_dir, the table goes through nise_ac_compile_cached and
 * mapped says whether it must come from the cache file. */
static void run_cached(unsigned long long seed, size_t npat, const char *alpha, size_t maxlen, size_t textlen,
                       size_t min_states, bool wide, const char *cache_dir, bool mapped)
{
	rng = seed;
	size_t na = strlen(alpha);
	char **pats = calloc(npat, sizeof(*pats));
	size_t *lens = calloc(npat, sizeof(*lens));
	struct nise_ac *ac;
	T_INT(nise_ac_new(&ac), NISE_OK);
	size_t chars = 0;
	for (size_t i = 0; i < npat; i++) {
		lens[i] = 1 + rnd() % maxlen;
		pats[i] = malloc(lens[i]);
		for (size_t k = 0; k < lens[i]; k++)
			pats[i][k] = alpha[rnd() % na];
		chars += lens[i];
		T_INT(nise_ac_add(ac, pats[i], lens[i], (uint32_t)i), NISE_OK);
	}
	T_CHECK(chars >= min_states, "patterns too short for %zu states", min_states);
	T_INT(cache_dir ? nise_ac_compile_cached(ac, cache_dir) : nise_ac_compile(ac), NISE_OK);
	T_CHECK(nise_ac_mapped(ac) == mapped, "table %s the cache", mapped ? "not from" : "from");
	T_CHECK(wide ? nise_ac_states(ac) > 0x7FFF : nise_ac_states(ac) <= 0x7FFF, "%zu states", nise_ac_states(ac));
	char *text = malloc(textlen);
	for (size_t i = 0; i < textlen; i++)
		text[i] = alpha[rnd() % na];
	/* some patterns planted whole */
	for (size_t i = 0; i < 200 && i < npat; i++) {
		size_t at = rnd() % textlen;
		if (at + lens[i] <= textlen)
			memcpy(text + at, pats[i], lens[i]);
	}
	struct hits got = {0}, want = {0};
	nise_ac_scan(ac, text, textlen, on_hit, &got);
	for (size_t p = 0; p < npat; p++)
		for (size_t i = 0; i + lens[p] <= textlen; i++)
			if (memcmp(text + i, pats[p], lens[p]) == 0)
				on_hit(&want, (uint32_t)p, i, lens[p]);
	qsort(got.h, got.n, sizeof(*got.h), cmp_hit);
	qsort(want.h, want.n, sizeof(*want.h), cmp_hit);
	T_CHECK(want.n > 100, "only %zu matches: the test says little", want.n);
	T_INT(got.n, want.n);
	size_t same = 0;
	for (size_t i = 0; i < got.n && i < want.n; i++)
		same += cmp_hit(&got.h[i], &want.h[i]) == 0;
	T_INT(same, want.n);
	/* a callback that returns false stops the scan at once */
	struct hits stop = {.stop_after = 5};
	nise_ac_scan(ac, text, textlen, on_hit, &stop);
	T_INT(stop.n, 5);
	free(got.h);
	free(want.h);
	free(stop.h);
	free(text);
	for (size_t i = 0; i < npat; i++)
		free(pats[i]);
	free(pats);
	free(lens);
	nise_ac_free(ac);
}

static void run(size_t npat, const char *alpha, size_t maxlen, size_t textlen, size_t min_states, bool wide)
{
	run_cached(88172645463325252ULL + npat, npat, alpha, maxlen, textlen, min_states, wide, NULL, false);
}

static size_t count_files(const char *dir, char *first, size_t cap)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (e->d_name[0] != '.') {
			if (!n)
				snprintf(first, cap, "%s/%s", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/* The table cache: written by the first build, mapped by the next with
 * the same patterns, ignored when it is damaged or others may write it,
 * and the matches are the same every time. */
static void test_cache(void)
{
	char dir[] = "/tmp/nise-ac-cache-XXXXXX";
	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	char sub[256], file[512] = "";
	snprintf(sub, sizeof(sub), "%s/a/b", dir); /* missing parents are made */
	const unsigned long long seed = 4242;
	run_cached(seed, 60, "ab\xe3\x81\x82" "c", 6, 20000, 100, false, sub, false);
	T_INT(count_files(sub, file, sizeof(file)), 1);
	struct stat st;
	T_CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700, "cache directory is 0700");
	T_CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600, "cache file is 0600");
	run_cached(seed, 60, "ab\xe3\x81\x82" "c", 6, 20000, 100, false, sub, true);
	/* other patterns: another file, never the first one's table */
	run_cached(seed + 1, 60, "ab\xe3\x81\x82" "c", 6, 20000, 100, false, sub, false);
	T_INT(count_files(sub, file, sizeof(file)), 2);
	/* 32-bit tables too */
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, false);
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, true);
	/* a cut file is not used; the build in memory rewrites it */
	char big[512] = "";
	DIR *d = opendir(sub);
	off_t biggest = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", sub, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && st.st_size > biggest) {
			biggest = st.st_size;
			snprintf(big, sizeof(big), "%s", p);
		}
	}
	if (d)
		closedir(d);
	T_CHECK(truncate(big, biggest - 4) == 0, "truncate");
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, false);
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, true);
	/* a file others may write is not trusted */
	T_CHECK(chmod(big, 0620) == 0, "chmod");
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, false);
	T_CHECK(chmod(big, 0600) == 0, "chmod");
	/* nor a directory others may write */
	T_CHECK(chmod(sub, 0770) == 0, "chmod");
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, false);
	T_CHECK(chmod(sub, 0700) == 0, "chmod");
	run_cached(seed, 4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true, sub, true);
	/* the ids are part of the key: same words, other ids, another file */
	char ids[512];
	snprintf(ids, sizeof(ids), "%s/ids", dir);
	const char *w[] = {"he", "she", "his", "hers"};
	for (int round = 0; round < 4; round++) {
		struct nise_ac *ac;
		T_INT(nise_ac_new(&ac), NISE_OK);
		for (uint32_t i = 0; i < 4; i++)
			T_INT(nise_ac_add(ac, w[i], strlen(w[i]), round >= 2 ? i + 10 : i), NISE_OK);
		T_INT(nise_ac_compile_cached(ac, ids), NISE_OK);
		T_CHECK(nise_ac_mapped(ac) == (round == 1 || round == 3), "ids round %d: mapped %d", round,
		        nise_ac_mapped(ac));
		struct hits h = {0};
		nise_ac_scan(ac, "ushers", 6, on_hit, &h);
		T_INT(h.n, 3);
		if (h.n == 3)
			T_INT((int)h.h[2].id, round >= 2 ? 13 : 3);
		free(h.h);
		nise_ac_free(ac);
	}
	T_INT(count_files(ids, file, sizeof(file)), 2);
	/* an index out of range (the last pattern's next link) is not used */
	T_CHECK(stat(file, &st) == 0, "stat");
	FILE *f = fopen(file, "r+b");
	T_CHECK(f != NULL, "open the cache file");
	if (f) {
		int32_t bad = 4;
		fseek(f, (long)st.st_size - 4, SEEK_SET);
		fwrite(&bad, 4, 1, f);
		fclose(f);
	}
	/* one of the two files was damaged (readdir's order): the other is
	 * mapped, the damaged one is built in memory, both answer alike */
	int mapped = 0;
	for (int round = 0; round < 2; round++) {
		struct nise_ac *ac;
		T_INT(nise_ac_new(&ac), NISE_OK);
		for (uint32_t i = 0; i < 4; i++)
			T_INT(nise_ac_add(ac, w[i], strlen(w[i]), round ? i + 10 : i), NISE_OK);
		T_INT(nise_ac_compile_cached(ac, ids), NISE_OK);
		mapped += nise_ac_mapped(ac);
		struct hits h = {0};
		nise_ac_scan(ac, "ushers", 6, on_hit, &h);
		T_INT(h.n, 3);
		free(h.h);
		nise_ac_free(ac);
	}
	T_INT(mapped, 1);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	T_INT(system(cmd), 0);
}

int main(void)
{
	/* 16-bit table: a few hundred states, high bytes in the alphabet */
	run(60, "ab\xe3\x81\x82" "c", 6, 20000, 100, false);
	/* 32-bit table: patterns long and varied enough for > 32,767 states */
	run(4000, "abcdefghijklmnopqrstuvwxyz", 24, 50000, 40000, true);
	test_cache();
	/* the exact words of a small lexicon, overlapping */
	struct nise_ac *ac;
	T_INT(nise_ac_new(&ac), NISE_OK);
	const char *w[] = {"he", "she", "his", "hers"};
	for (uint32_t i = 0; i < 4; i++)
		T_INT(nise_ac_add(ac, w[i], strlen(w[i]), i), NISE_OK);
	T_INT(nise_ac_compile(ac), NISE_OK);
	struct hits h = {0};
	nise_ac_scan(ac, "ushers", 6, on_hit, &h);
	T_INT(h.n, 3);
	if (h.n == 3) {
		/* in order of end position: she and he end together, then hers */
		T_INT(h.h[0].start + h.h[0].len, 4);
		T_INT(h.h[1].start + h.h[1].len, 4);
		T_INT(h.h[2].id, 3);
		T_INT(h.h[2].start, 2);
	}
	free(h.h);
	nise_ac_free(ac);
	T_DONE("ac");
}
