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
};

struct node {
	int32_t first_child, next_sibling;
	uint8_t byte;
	int32_t fail;
	int32_t out;      /* first pattern index ending here, -1 */
	int32_t out_link; /* nearest fail-ancestor with outputs, -1 */
};

struct nise_ac {
	struct node *nodes;
	size_t nnodes, cap;
	struct pat *pats;
	size_t npats, patcap;
	uint8_t cls[256];
	unsigned nclasses;
	/* nnodes * nclasses next states, 16-bit while the states fit in 15
	 * bits (every automaton nise builds from data/: half the memory and
	 * cache footprint of 32-bit), else 32-bit; the top bit of an entry
	 * marks a state with something to report */
	void *delta;
	unsigned width; /* 2 or 4 bytes per entry */
	int32_t *report; /* per state: itself if it has outputs, else out_link; -1 none */
	bool compiled;
	/* delta and report point into a read-only mapping of a cache file
	 * (nise_ac_compile_cached): unmapped, not freed */
	void *map;
	size_t map_len;
};

static int32_t new_node(struct nise_ac *ac, uint8_t byte)
{
	if (ac->nnodes == ac->cap) {
		size_t cap = ac->cap ? ac->cap * 2 : 256;
		struct node *n = realloc(ac->nodes, cap * sizeof(*n));
		if (!n)
			return -1;
		ac->nodes = n;
		ac->cap = cap;
	}
	struct node *n = &ac->nodes[ac->nnodes];
	n->first_child = n->next_sibling = -1;
	n->byte = byte;
	n->fail = 0;
	n->out = n->out_link = -1;
	return (int32_t)ac->nnodes++;
}

nise_rc nise_ac_new(struct nise_ac **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return NISE_ENOMEM;
	if (new_node(*out, 0) < 0) {
		free(*out);
		*out = NULL;
		return NISE_ENOMEM;
	}
	return NISE_OK;
}

void nise_ac_free(struct nise_ac *ac)
{
	if (!ac)
		return;
	free(ac->nodes);
	free(ac->pats);
	if (ac->map) {
		munmap(ac->map, ac->map_len);
	} else {
		free(ac->delta);
		free(ac->report);
	}
	free(ac);
}

static int32_t child(const struct nise_ac *ac, int32_t s, uint8_t b)
{
	for (int32_t c = ac->nodes[s].first_child; c >= 0; c = ac->nodes[c].next_sibling)
		if (ac->nodes[c].byte == b)
			return c;
	return -1;
}

nise_rc nise_ac_add(struct nise_ac *ac, const char *pat, size_t n, uint32_t id)
{
	if (ac->compiled || n == 0 || n > UINT32_MAX)
		return NISE_EINVAL;
	int32_t s = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)pat[i];
		int32_t c = child(ac, s, b);
		if (c < 0) {
			c = new_node(ac, b);
			if (c < 0)
				return NISE_ENOMEM;
			ac->nodes[c].next_sibling = ac->nodes[s].first_child;
			ac->nodes[s].first_child = c;
		}
		s = c;
	}
	if (ac->npats == ac->patcap) {
		size_t cap = ac->patcap ? ac->patcap * 2 : 64;
		struct pat *p = realloc(ac->pats, cap * sizeof(*p));
		if (!p)
			return NISE_ENOMEM;
		ac->pats = p;
		ac->patcap = cap;
	}
	struct pat *p = &ac->pats[ac->npats];
	p->id = id;
	p->len = (uint32_t)n;
	p->next = ac->nodes[s].out;
	ac->nodes[s].out = (int32_t)ac->npats++;
	return NISE_OK;
}

size_t nise_ac_states(const struct nise_ac *ac)
{
	return ac->nnodes;
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

nise_rc nise_ac_compile(struct nise_ac *ac)
{
	/* byte classes */
	bool used[256] = {false};
	for (size_t i = 1; i < ac->nnodes; i++)
		used[ac->nodes[i].byte] = true;
	ac->nclasses = 1;
	for (int b = 0; b < 256; b++)
		ac->cls[b] = used[b] ? (uint8_t)ac->nclasses++ : 0;
	if (ac->nclasses > 256)
		return NISE_EINVAL;
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
	for (int32_t c = ac->nodes[0].first_child; c >= 0; c = ac->nodes[c].next_sibling) {
		struct node *cn = &ac->nodes[c];
		cn->fail = 0;
		cn->out_link = -1; /* the root reports nothing */
		dset(delta, w, ac->cls[cn->byte], (uint32_t)c | (cn->out >= 0 ? flag : 0));
		queue[qt++] = c;
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		struct node *n = &ac->nodes[s];
		int32_t f = n->fail;
		/* inherit the failure state's row, then override with children */
		memcpy(delta + (size_t)s * ncls * w, delta + (size_t)f * ncls * w, ncls * w);
		for (int32_t c = n->first_child; c >= 0; c = ac->nodes[c].next_sibling) {
			struct node *cn = &ac->nodes[c];
			uint8_t k = ac->cls[cn->byte];
			cn->fail = (int32_t)(dget(delta, w, (size_t)f * ncls + k) & ~flag);
			if (cn->fail == c)
				cn->fail = 0;
			/* the failure state is shallower: its own link is set */
			const struct node *fn = &ac->nodes[cn->fail];
			cn->out_link = fn->out >= 0 ? cn->fail : fn->out_link;
			bool rep = cn->out >= 0 || cn->out_link >= 0;
			dset(delta, w, (size_t)s * ncls + k, (uint32_t)c | (rep ? flag : 0));
			queue[qt++] = c;
		}
	}
	free(queue);
	/* one compact array answers "what is there to report here?" */
	ac->report = malloc(ac->nnodes * sizeof(int32_t));
	if (!ac->report) {
		free(delta);
		return NISE_ENOMEM;
	}
	for (size_t i = 0; i < ac->nnodes; i++)
		ac->report[i] = ac->nodes[i].out >= 0 ? (int32_t)i : ac->nodes[i].out_link;
	ac->delta = delta;
	ac->width = w;
	ac->compiled = true;
	return NISE_OK;
}

/* Reports every match ending at state st (flag bit cleared) after byte i;
 * false when fn asked to stop. */
static bool report(const struct nise_ac *ac, uint32_t st, size_t i, nise_ac_fn fn, void *ctx)
{
	for (int32_t o = ac->report[st]; o >= 0; o = ac->nodes[o].out_link) {
		for (int32_t p = ac->nodes[o].out; p >= 0; p = ac->pats[p].next) {
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
 * start-up, bench/PROFILE.md). The table is a function of the trie alone,
 * so it is kept in CACHE_DIR/ac-<key>.bin, key = a 64-bit hash of the
 * trie (every node's byte, links and outputs) and the format version: a
 * changed pattern list is another file, never a stale one. A later
 * process maps the file read-only; only the pages a scan touches are ever
 * read. The file is trusted as the user's own files are: it is used only
 * when it and its directory belong to the effective user and are not
 * writable by group or others, and its header must match the trie. Any
 * failure (no directory, a short file, a full disk) falls back to
 * building in memory, silently. */

#define CACHE_MAGIC "NISEAC03"

struct cache_hdr {
	char magic[8];
	uint64_t key;
	uint64_t nnodes;
	uint32_t nclasses;
	uint32_t width;
	uint64_t delta_bytes;
	uint8_t cls[256];
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* 64 bits at a time (a multiply and a rotate per word), every field of
 * every node: the trie decides the table */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9E3779B97F4A7C15ULL;
	h = (h << 31) | (h >> 33);
	return h * 0xBF58476D1CE4E5B9ULL;
}

static uint64_t trie_key(const struct nise_ac *ac)
{
	uint64_t h = fnv(1469598103934665603ULL, CACHE_MAGIC, 8);
	h = mix(h, ac->nnodes);
	for (size_t i = 0; i < ac->nnodes; i++) {
		const struct node *n = &ac->nodes[i];
		h = mix(h, (uint64_t)(uint32_t)n->first_child << 32 | (uint32_t)n->next_sibling);
		h = mix(h, (uint64_t)(uint32_t)n->out << 8 | n->byte);
	}
	return h;
}

static size_t cache_len(size_t nnodes, size_t delta_bytes)
{
	/* header, table, report, out_link: all 4-byte aligned */
	return sizeof(struct cache_hdr) + ((delta_bytes + 3) & ~(size_t)3) + 2 * nnodes * sizeof(int32_t);
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
	if (memcmp(h->magic, CACHE_MAGIC, 8) != 0 || h->key != key || h->nnodes != ac->nnodes ||
	    h->nclasses != ac->nclasses || (w != 2 && w != 4) || (w == 2) != (ac->nnodes <= 0x7FFF) ||
	    h->delta_bytes != (uint64_t)ac->nnodes * ac->nclasses * w ||
	    memcmp(h->cls, ac->cls, sizeof(ac->cls)) != 0 || len != cache_len(ac->nnodes, h->delta_bytes)) {
		munmap(map, len);
		return false;
	}
	const unsigned char *base = (const unsigned char *)map + sizeof(*h);
	const int32_t *report = (const int32_t *)(const void *)(base + ((h->delta_bytes + 3) & ~(uint64_t)3));
	const int32_t *out_link = report + ac->nnodes;
	for (size_t i = 0; i < ac->nnodes; i++) {
		if (out_link[i] < -1 || out_link[i] >= (int32_t)ac->nnodes || report[i] < -1 ||
		    report[i] >= (int32_t)ac->nnodes) {
			munmap(map, len);
			return false;
		}
	}
	for (size_t i = 0; i < ac->nnodes; i++)
		ac->nodes[i].out_link = out_link[i];
	ac->map = map;
	ac->map_len = len;
	ac->delta = (void *)(uintptr_t)base;
	ac->report = (int32_t *)(uintptr_t)report;
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
	h.nclasses = ac->nclasses;
	h.width = ac->width;
	h.delta_bytes = (uint64_t)ac->nnodes * ac->nclasses * ac->width;
	memcpy(h.cls, ac->cls, sizeof(h.cls));
	static const char pad[4];
	size_t padn = ((h.delta_bytes + 3) & ~(uint64_t)3) - h.delta_bytes;
	bool ok = write_all(fd, &h, sizeof(h)) && write_all(fd, ac->delta, h.delta_bytes) &&
	          write_all(fd, pad, padn) && write_all(fd, ac->report, ac->nnodes * sizeof(int32_t));
	for (size_t i = 0; ok && i < ac->nnodes; i++)
		ok = write_all(fd, &ac->nodes[i].out_link, sizeof(int32_t));
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
	/* byte classes first: part of the key check */
	bool used[256] = {false};
	for (size_t i = 1; i < ac->nnodes; i++)
		used[ac->nodes[i].byte] = true;
	unsigned ncls = 1;
	for (int b = 0; b < 256; b++)
		ac->cls[b] = used[b] ? (uint8_t)ncls++ : 0;
	if (ncls > 256)
		return NISE_EINVAL;
	ac->nclasses = ncls;
	uint64_t key = trie_key(ac);
	if (cache_load(ac, cache_dir, key))
		return NISE_OK;
	nise_rc rc = nise_ac_compile(ac);
	if (rc == NISE_OK)
		cache_store(ac, cache_dir, key);
	return rc;
}
