/* SPDX-License-Identifier: MIT */
/*
 * ac.c — Aho-Corasick as a full DFA over byte classes.
 *
 * Why our own and not Vectorscan/PCRE2: every pattern nise matches in text
 * is a literal (after folding), and a literal-only DFA is one table load
 * per input byte with no dependency. Bytes that occur in no pattern share
 * class 0, so the table is states × (distinct pattern bytes + 1) int32s —
 * a few MB for the whole lexicon and brand registry (half that in 16 bits).
 *
 * Construction: a trie with sparse children, then breadth-first failure
 * links, then the dense DFA (delta(s, c) = goto(s, c) or delta(fail(s), c)),
 * stored in 16 bits per entry when the states allow it.
 * Outputs: each state keeps its own pattern ids and a link to the nearest
 * failure-ancestor that has outputs, so reporting all matches costs only
 * what is reported.
 *
 * nise_ac_add only records a pattern (its bytes, id and length); the trie
 * is built by nise_ac_compile and freed once the table is made, so a
 * process that maps the table from the cache never builds one.
 */
#include "core/ac.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct pat {
	uint32_t id;
	uint32_t len;
	int32_t next; /* next pattern ending in the same state, -1 */
	uint32_t off; /* its bytes in src */
};

/* the trie, while compiling */
struct node {
	int32_t first_child, next_sibling;
	uint8_t byte;
	int32_t fail;
	int32_t out;      /* first pattern index ending here, -1 */
	int32_t out_link; /* nearest fail-ancestor with outputs, -1 */
};

struct nise_ac {
	char *src; /* every pattern's bytes, one after another */
	size_t srclen, srccap;
	struct pat *pats;
	size_t npats, patcap;
	size_t nnodes;
	uint8_t cls[256];
	unsigned nclasses;
	/* nnodes * nclasses next states, 16-bit while the states fit in 15
	 * bits (every automaton nise builds from data/: half the memory and
	 * cache footprint of 32-bit), else 32-bit; the top bit of an entry
	 * marks a state with something to report */
	void *delta;
	unsigned width; /* 2 or 4 bytes per entry */
	int32_t *report;   /* per state: itself if it has outputs, else out_link; -1 none */
	int32_t *out;      /* per state: the first pattern ending there, -1 */
	int32_t *out_link; /* per state: the nearest fail-ancestor with outputs, -1 */
	bool compiled;
	/* delta, report, out and out_link point into a read-only mapping of
	 * a cache file (nise_ac_compile_cached): unmapped, not freed */
	void *map;
	size_t map_len;
};

nise_rc nise_ac_new(struct nise_ac **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? NISE_OK : NISE_ENOMEM;
}

void nise_ac_free(struct nise_ac *ac)
{
	if (!ac)
		return;
	free(ac->src);
	free(ac->pats);
	if (ac->map) {
		munmap(ac->map, ac->map_len);
	} else {
		free(ac->delta);
		free(ac->report);
		free(ac->out);
		free(ac->out_link);
	}
	free(ac);
}

nise_rc nise_ac_add(struct nise_ac *ac, const char *pat, size_t n, uint32_t id)
{
	if (ac->compiled || n == 0 || n > UINT32_MAX || ac->srclen > UINT32_MAX - n ||
	    ac->npats >= INT32_MAX)
		return NISE_EINVAL;
	if (ac->srclen + n > ac->srccap) {
		size_t cap = ac->srccap ? ac->srccap * 2 : 4096;
		while (cap < ac->srclen + n)
			cap *= 2;
		char *b = realloc(ac->src, cap);
		if (!b)
			return NISE_ENOMEM;
		ac->src = b;
		ac->srccap = cap;
	}
	if (ac->npats == ac->patcap) {
		size_t cap = ac->patcap ? ac->patcap * 2 : 64;
		struct pat *p = realloc(ac->pats, cap * sizeof(*p));
		if (!p)
			return NISE_ENOMEM;
		ac->pats = p;
		ac->patcap = cap;
	}
	memcpy(ac->src + ac->srclen, pat, n);
	ac->pats[ac->npats++] = (struct pat){id, (uint32_t)n, -1, (uint32_t)ac->srclen};
	ac->srclen += n;
	return NISE_OK;
}

size_t nise_ac_states(const struct nise_ac *ac)
{
	return ac->nnodes;
}

static int32_t new_node(struct node **nodes, size_t *nnodes, size_t *cap, uint8_t byte)
{
	if (*nnodes == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct node *n = realloc(*nodes, c * sizeof(*n));
		if (!n)
			return -1;
		*nodes = n;
		*cap = c;
	}
	struct node *n = &(*nodes)[*nnodes];
	n->first_child = n->next_sibling = -1;
	n->byte = byte;
	n->fail = 0;
	n->out = n->out_link = -1;
	return (int32_t)(*nnodes)++;
}

/* The trie of the patterns, in the order added (the order decides the
 * state numbers, and so the table and its cache key's meaning). */
static struct node *build_trie(struct nise_ac *ac, size_t *nnodes)
{
	struct node *nodes = NULL;
	size_t nn = 0, cap = 0;
	if (new_node(&nodes, &nn, &cap, 0) < 0)
		return NULL;
	for (size_t k = 0; k < ac->npats; k++) {
		struct pat *p = &ac->pats[k];
		const uint8_t *b = (const uint8_t *)ac->src + p->off;
		int32_t s = 0;
		for (size_t i = 0; i < p->len; i++) {
			int32_t c = nodes[s].first_child;
			while (c >= 0 && nodes[c].byte != b[i])
				c = nodes[c].next_sibling;
			if (c < 0) {
				c = new_node(&nodes, &nn, &cap, b[i]);
				if (c < 0 || nn > INT32_MAX) {
					free(nodes);
					return NULL;
				}
				nodes[c].next_sibling = nodes[s].first_child;
				nodes[s].first_child = c;
			}
			s = c;
		}
		p->next = nodes[s].out;
		nodes[s].out = (int32_t)k;
	}
	*nnodes = nn;
	return nodes;
}

/* Byte classes: 0 for every byte in no pattern, 1.. for the others. */
static void byte_classes(struct nise_ac *ac)
{
	bool used[256] = {false};
	for (size_t i = 0; i < ac->srclen; i++)
		used[(uint8_t)ac->src[i]] = true;
	ac->nclasses = 1;
	for (int b = 0; b < 256; b++)
		ac->cls[b] = used[b] ? (uint8_t)ac->nclasses++ : 0;
}

static uint32_t dget(const unsigned char *d, unsigned w, size_t i)
{
	if (w == 2) {
		uint16_t v;
		memcpy(&v, d + i * 2, 2);
		return v;
	}
	uint32_t v;
	memcpy(&v, d + i * 4, 4);
	return v;
}

static void dset(unsigned char *d, unsigned w, size_t i, uint32_t v)
{
	if (w == 2) {
		uint16_t x = (uint16_t)v;
		memcpy(d + i * 2, &x, 2);
	} else {
		memcpy(d + i * 4, &v, 4);
	}
}

static nise_rc compile_trie(struct nise_ac *ac, struct node *nodes);

nise_rc nise_ac_compile(struct nise_ac *ac)
{
	if (ac->compiled)
		return NISE_EINVAL;
	byte_classes(ac);
	if (ac->nclasses > 256)
		return NISE_EINVAL;
	size_t nn = 0;
	struct node *nodes = build_trie(ac, &nn);
	if (!nodes)
		return NISE_ENOMEM;
	ac->nnodes = nn;
	nise_rc rc = compile_trie(ac, nodes);
	free(nodes);
	return rc;
}

static nise_rc compile_trie(struct nise_ac *ac, struct node *nodes)
{
	size_t ncls = ac->nclasses;
	if (ac->nnodes > SIZE_MAX / ncls / sizeof(int32_t))
		return NISE_ENOMEM;
	/* built in its final width: the start-up of every process that
	 * loads the data pays for each byte of it (bench/PROFILE.md) */
	unsigned w = ac->nnodes <= 0x7FFF ? 2 : 4;
	size_t total = ac->nnodes * ncls;
	if (total > SIZE_MAX / w)
		return NISE_ENOMEM;
	unsigned char *delta = malloc(total * w);
	int32_t *queue = malloc(ac->nnodes * sizeof(int32_t));
	if (!delta || !queue) {
		free(delta);
		free(queue);
		return NISE_ENOMEM;
	}
	memset(delta, 0, ncls * w); /* root: missing transitions loop to root */
	/* An entry carries the flag bit of its target (anything to report
	 * there?), known as soon as the target's failure link is: rows copied
	 * from a failure state keep their flags, no pass over the table. */
	uint32_t flag = w == 2 ? 0x8000u : 0x80000000u;
	size_t qh = 0, qt = 0;
	for (int32_t c = nodes[0].first_child; c >= 0; c = nodes[c].next_sibling) {
		struct node *cn = &nodes[c];
		cn->fail = 0;
		cn->out_link = -1; /* the root reports nothing */
		dset(delta, w, ac->cls[cn->byte], (uint32_t)c | (cn->out >= 0 ? flag : 0));
		queue[qt++] = c;
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		struct node *n = &nodes[s];
		int32_t f = n->fail;
		/* inherit the failure state's row, then override with children */
		memcpy(delta + (size_t)s * ncls * w, delta + (size_t)f * ncls * w, ncls * w);
		for (int32_t c = n->first_child; c >= 0; c = nodes[c].next_sibling) {
			struct node *cn = &nodes[c];
			uint8_t k = ac->cls[cn->byte];
			cn->fail = (int32_t)(dget(delta, w, (size_t)f * ncls + k) & ~flag);
			if (cn->fail == c)
				cn->fail = 0;
			/* the failure state is shallower: its own link is set */
			const struct node *fn = &nodes[cn->fail];
			cn->out_link = fn->out >= 0 ? cn->fail : fn->out_link;
			bool rep = cn->out >= 0 || cn->out_link >= 0;
			dset(delta, w, (size_t)s * ncls + k, (uint32_t)c | (rep ? flag : 0));
			queue[qt++] = c;
		}
	}
	free(queue);
	/* one compact array answers "what is there to report here?"; the
	 * two others walk what is there */
	ac->report = malloc(ac->nnodes * sizeof(int32_t));
	ac->out = malloc(ac->nnodes * sizeof(int32_t));
	ac->out_link = malloc(ac->nnodes * sizeof(int32_t));
	if (!ac->report || !ac->out || !ac->out_link) {
		free(delta);
		free(ac->report);
		free(ac->out);
		free(ac->out_link);
		ac->report = ac->out = ac->out_link = NULL;
		return NISE_ENOMEM;
	}
	for (size_t i = 0; i < ac->nnodes; i++) {
		ac->report[i] = nodes[i].out >= 0 ? (int32_t)i : nodes[i].out_link;
		ac->out[i] = nodes[i].out;
		ac->out_link[i] = nodes[i].out_link;
	}
	ac->delta = delta;
	ac->width = w;
	ac->compiled = true;
	return NISE_OK;
}

/* Reports every match ending at state st (flag bit cleared) after byte i;
 * false when fn asked to stop. */
static bool report(const struct nise_ac *ac, uint32_t st, size_t i, nise_ac_fn fn, void *ctx)
{
	for (int32_t o = ac->report[st]; o >= 0; o = ac->out_link[o]) {
		for (int32_t p = ac->out[o]; p >= 0; p = ac->pats[p].next) {
			size_t len = ac->pats[p].len;
			if (!fn(ctx, ac->pats[p].id, i + 1 - len, len))
				return false;
		}
	}
	return true;
}

void nise_ac_scan(const struct nise_ac *ac, const char *s, size_t n, nise_ac_fn fn, void *ctx)
{
	if (!ac || !ac->compiled)
		return;
	const uint8_t *cls = ac->cls;
	size_t ncls = ac->nclasses;
	if (ac->width == 2) {
		const uint16_t *delta = ac->delta;
		uint32_t st = 0;
		for (size_t i = 0; i < n; i++) {
			st = delta[(size_t)st * ncls + cls[(uint8_t)s[i]]];
			if (st & 0x8000) {
				st &= 0x7FFF;
				if (!report(ac, st, i, fn, ctx))
					return;
			}
		}
		return;
	}
	const uint32_t *delta = ac->delta;
	uint32_t st = 0;
	for (size_t i = 0; i < n; i++) {
		st = delta[(size_t)st * ncls + cls[(uint8_t)s[i]]];
		if (st & 0x80000000u) {
			st &= 0x7FFFFFFFu;
			if (!report(ac, st, i, fn, ctx))
				return;
		}
	}
}

/* ---- the compiled table, cached in a file ----------------------------
 *
 * Every process that loads data/ used to build the four automata's
 * tables (6.2 MB, written row by row: the largest part of a `nise check`
 * start-up, bench/PROFILE.md), and then the trie alone to find the cache
 * file. The table is a function of the pattern list (bytes, ids, order)
 * and of this file's algorithm, so it is kept in CACHE_DIR/ac-<key>.bin,
 * key = a 64-bit hash of the patterns and the format version: a changed
 * pattern list is another file, never a stale one. A later process maps
 * the file read-only and builds nothing; only the pages a scan touches
 * are ever read. The file is trusted as the user's own files are: it is
 * used only when it and its directory belong to the effective user and
 * are not writable by group or others, and its header and every index in
 * it (states, patterns) must fit the patterns this process added. Any
 * failure (no directory, a short file, a full disk) falls back to
 * building in memory, silently. */

#define CACHE_MAGIC "NISEAC04"

struct cache_hdr {
	char magic[8];
	uint64_t key;
	uint64_t nnodes;
	uint64_t npats;
	uint32_t nclasses;
	uint32_t width;
	uint64_t delta_bytes;
	uint8_t cls[256];
};

/* 64 bits at a time (a multiply and a rotate per word) */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9E3779B97F4A7C15ULL;
	h = (h << 31) | (h >> 33);
	return h * 0xBF58476D1CE4E5B9ULL;
}

/* every pattern's length, id and bytes, in order */
static uint64_t patterns_key(const struct nise_ac *ac)
{
	uint64_t magic;
	memcpy(&magic, CACHE_MAGIC, 8);
	uint64_t h = mix(magic, ac->npats);
	for (size_t k = 0; k < ac->npats; k++) {
		const struct pat *p = &ac->pats[k];
		h = mix(h, (uint64_t)p->len << 32 | p->id);
		const char *b = ac->src + p->off;
		size_t i = 0;
		for (; i + 8 <= p->len; i += 8) {
			uint64_t w;
			memcpy(&w, b + i, 8);
			h = mix(h, w);
		}
		uint64_t w = 0;
		memcpy(&w, b + i, p->len - i);
		h = mix(h, w);
	}
	return h;
}

/* header, table (padded to 4 bytes), then report, out and out_link per
 * state and the next link per pattern, 4 bytes each */
static size_t cache_len(size_t nnodes, size_t npats, size_t delta_bytes)
{
	return sizeof(struct cache_hdr) + ((delta_bytes + 3) & ~(size_t)3) +
	       (3 * nnodes + npats) * sizeof(int32_t);
}

/* A directory or file the effective user owns and nobody else may write. */
static bool own_and_private(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static bool cache_path(char *out, size_t cap, const char *dir, uint64_t key)
{
	int k = snprintf(out, cap, "%s/ac-%016llx.bin", dir, (unsigned long long)key);
	return k > 0 && (size_t)k < cap;
}

static bool in_range(const int32_t *v, size_t n, int32_t limit)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] < -1 || v[i] >= limit)
			return false;
	return true;
}

static bool cache_load(struct nise_ac *ac, const char *dir, uint64_t key)
{
	char path[4096];
	struct stat st;
	if (!cache_path(path, sizeof(path), dir, key) || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    !own_and_private(&st))
		return false;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	void *map = MAP_FAILED;
	size_t len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && own_and_private(&st) &&
	    (size_t)st.st_size >= sizeof(struct cache_hdr)) {
		len = (size_t)st.st_size;
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	if (map == MAP_FAILED)
		return false;
	const struct cache_hdr *h = map;
	size_t w = h->width;
	uint64_t nn = h->nnodes;
	if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->key != key || h->npats != ac->npats ||
	    h->nclasses != ac->nclasses || memcmp(h->cls, ac->cls, sizeof(ac->cls)) != 0 ||
	    nn < 1 || nn > INT32_MAX || (w != 2 && w != 4) || (w == 2) != (nn <= 0x7FFF) ||
	    nn > (len - sizeof(*h)) / h->nclasses / w || h->delta_bytes != nn * h->nclasses * w ||
	    len != cache_len(nn, ac->npats, h->delta_bytes)) {
		munmap(map, len);
		return false;
	}
	const unsigned char *base = (const unsigned char *)map + sizeof(*h);
	const int32_t *report = (const int32_t *)(const void *)(base + ((h->delta_bytes + 3) & ~(uint64_t)3));
	const int32_t *out = report + nn, *out_link = out + nn, *next = out_link + nn;
	/* a pattern's next one in its state was added before it */
	bool ok = in_range(report, nn, (int32_t)nn) && in_range(out, nn, (int32_t)ac->npats) &&
	          in_range(out_link, nn, (int32_t)nn);
	for (size_t k = 0; ok && k < ac->npats; k++)
		ok = next[k] >= -1 && next[k] < (int32_t)k;
	if (!ok) {
		munmap(map, len);
		return false;
	}
	for (size_t k = 0; k < ac->npats; k++)
		ac->pats[k].next = next[k];
	ac->nnodes = nn;
	ac->map = map;
	ac->map_len = len;
	ac->delta = (void *)(uintptr_t)base;
	ac->report = (int32_t *)(uintptr_t)report;
	ac->out = (int32_t *)(uintptr_t)out;
	ac->out_link = (int32_t *)(uintptr_t)out_link;
	ac->width = (unsigned)w;
	ac->compiled = true;
	return true;
}

static bool write_all(int fd, const void *p, size_t n)
{
	const char *b = p;
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (size_t)k;
	}
	return true;
}

static void cache_store(const struct nise_ac *ac, const char *dir, uint64_t key)
{
	struct stat st;
	/* the directory and any missing parent (~/.cache), 0700 */
	char mk[4096];
	size_t dl = strlen(dir);
	if (dl >= sizeof(mk))
		return;
	memcpy(mk, dir, dl + 1);
	for (size_t i = 1; i <= dl; i++) {
		if (mk[i] != '/' && mk[i] != '\0')
			continue;
		char c = mk[i];
		mk[i] = '\0';
		if (mkdir(mk, 0700) != 0 && errno != EEXIST)
			return;
		mk[i] = c;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !own_and_private(&st))
		return;
	char path[4096], tmp[4096 + 16];
	if (!cache_path(path, sizeof(path), dir, key))
		return;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return;
	struct cache_hdr h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.key = key;
	h.nnodes = ac->nnodes;
	h.npats = ac->npats;
	h.nclasses = ac->nclasses;
	h.width = ac->width;
	h.delta_bytes = (uint64_t)ac->nnodes * ac->nclasses * ac->width;
	memcpy(h.cls, ac->cls, sizeof(h.cls));
	static const char pad[4];
	size_t padn = ((h.delta_bytes + 3) & ~(uint64_t)3) - h.delta_bytes;
	size_t sb = ac->nnodes * sizeof(int32_t);
	bool ok = write_all(fd, &h, sizeof(h)) && write_all(fd, ac->delta, h.delta_bytes) &&
	          write_all(fd, pad, padn) && write_all(fd, ac->report, sb) && write_all(fd, ac->out, sb) &&
	          write_all(fd, ac->out_link, sb);
	for (size_t k = 0; ok && k < ac->npats; k++)
		ok = write_all(fd, &ac->pats[k].next, sizeof(int32_t));
	if (close(fd) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
}

bool nise_ac_mapped(const struct nise_ac *ac)
{
	return ac->map != NULL;
}

nise_rc nise_ac_compile_cached(struct nise_ac *ac, const char *cache_dir)
{
	if (!cache_dir || !*cache_dir || ac->compiled)
		return nise_ac_compile(ac);
	/* byte classes first: part of the header check */
	byte_classes(ac);
	if (ac->nclasses > 256)
		return NISE_EINVAL;
	uint64_t key = patterns_key(ac);
	if (cache_load(ac, cache_dir, key))
		return NISE_OK;
	nise_rc rc = nise_ac_compile(ac);
	if (rc == NISE_OK)
		cache_store(ac, cache_dir, key);
	return rc;
}
