/* SPDX-License-Identifier: MIT */
/*
 * pcache.c — the prefix set in memory, so that an unlisted URL costs a
 * dozen memory probes instead of a dozen store reads.
 *
 * A lookup hashes up to ~12 expressions of a URL; nearly every URL a mail
 * carries is unlisted, and asking the store whether each 4-byte prefix is
 * a PREFIX key (an LMDB B-tree walk, or a Redis round trip) was most of
 * its time. So each opened store keeps the set of those keys in memory:
 * an open-addressing hash table of uint32 (linear probing, at most half
 * full, 0 marks an empty slot and a prefix of 0 is a flag of its own).
 * The prefixes are SHA-256 bytes, evenly spread; a multiplicative hash
 * still mixes them so that no feed entry can pick its slot. Only when the
 * prefix is present does the lookup read the full hashes and the record
 * from the store, as before.
 *
 * Freshness. A set is labelled with the store's prefix generation
 * (store.h: prefix_gen), read before its keys are enumerated; every
 * import that adds a PREFIX member changes the generation in the same
 * transaction (LMDB) or after its writes (Redis), and nothing removes
 * members. So a set built after reading generation g holds every key of
 * g (and perhaps newer ones: harmless, the store is asked). A lookup reads
 * the generation first and rebuilds when it differs: an import by another
 * process, or through another handle, is seen by the next lookup.
 *
 * Threads. Sets are immutable once built and reference-counted under
 * `lock` (the cache's own reference is one); a rebuild swaps `cur` and the
 * old set is freed by whichever thread drops its last reference, never
 * while another thread reads it. `build` keeps two threads from building
 * the same set at once; the second one waits and takes the first's.
 */
#include <stdlib.h>
#include <string.h>

#include "intel/pcache.h"
#include "intel/store.h"

struct nise_pset {
	size_t refs;
	uint64_t gen;
	uint32_t *slot; /* mask + 1 slots */
	uint32_t mask;
	unsigned shift; /* 32 - log2(slots) */
	bool zero;      /* the prefix 00000000 is a key */
	size_t n;
};

static uint32_t key_of(const unsigned char p[4])
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t home(const struct nise_pset *set, uint32_t k)
{
	return (uint32_t)(k * 2654435761u) >> set->shift;
}

bool nise_pset_has(const struct nise_pset *set, const unsigned char p[4])
{
	uint32_t k = key_of(p);
	if (k == 0)
		return set->zero;
	for (uint32_t i = home(set, k);; i = (i + 1) & set->mask) {
		uint32_t v = set->slot[i];
		if (v == k)
			return true;
		if (v == 0)
			return false;
	}
}

void nise_pset_prefetch(const struct nise_pset *set, const unsigned char p[4])
{
	__builtin_prefetch(&set->slot[home(set, key_of(p))]);
}

size_t nise_pset_size(const struct nise_pset *set, size_t *bytes)
{
	if (bytes)
		*bytes = sizeof(*set) + ((size_t)set->mask + 1) * sizeof(uint32_t);
	return set->n;
}

static void pset_free(struct nise_pset *set)
{
	if (set) {
		free(set->slot);
		free(set);
	}
}

/* The keys as they come from the store, before they are hashed. */
struct keys {
	uint32_t *k;
	size_t n, cap;
	bool oom;
};

static bool on_key(void *ctx, const void *v, size_t n)
{
	struct keys *x = ctx;
	if (n != 4)
		return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 4096;
		uint32_t *k = realloc(x->k, cap * sizeof(*k));
		if (!k) {
			x->oom = true;
			return false;
		}
		x->k = k;
		x->cap = cap;
	}
	x->k[x->n++] = key_of(v);
	return true;
}

static struct nise_pset *pset_build(struct nise_store *s, uint64_t gen)
{
	struct keys x = {0};
	nise_rc rc = s->ops->keys(s, NISE_T_PREFIX, on_key, &x);
	struct nise_pset *set = NULL;
	if ((rc == NISE_OK || rc == NISE_ENOTFOUND) && !x.oom && x.n < ((size_t)1 << 30))
		set = calloc(1, sizeof(*set));
	if (set) {
		unsigned bits = 4;
		while (((size_t)1 << bits) < 2 * x.n)
			bits++;
		set->mask = (uint32_t)(((size_t)1 << bits) - 1);
		set->shift = 32 - bits;
		set->gen = gen;
		set->refs = 1;
		set->slot = calloc((size_t)set->mask + 1, sizeof(uint32_t));
		if (!set->slot) {
			free(set);
			set = NULL;
		}
	}
	for (size_t j = 0; set && j < x.n; j++) {
		uint32_t k = x.k[j];
		if (k == 0) {
			set->n += !set->zero;
			set->zero = true;
			continue;
		}
		uint32_t i = home(set, k);
		while (set->slot[i] != 0 && set->slot[i] != k)
			i = (i + 1) & set->mask;
		if (set->slot[i] == 0) {
			set->slot[i] = k;
			set->n++;
		}
	}
	free(x.k);
	return set;
}

void nise_pcache_init(struct nise_pcache *c)
{
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->build, NULL);
	c->cur = NULL;
}

void nise_pcache_fini(struct nise_pcache *c)
{
	/* the store is closing: no lookup holds a reference any more */
	pset_free(c->cur);
	c->cur = NULL;
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->build);
}

static struct nise_pset *take(struct nise_pcache *c, uint64_t gen)
{
	pthread_mutex_lock(&c->lock);
	struct nise_pset *set = c->cur;
	if (set && set->gen == gen)
		set->refs++;
	else
		set = NULL;
	pthread_mutex_unlock(&c->lock);
	return set;
}

struct nise_pset *nise_pcache_get(struct nise_store *s, uint64_t gen)
{
	struct nise_pcache *c = &s->pcache;
	struct nise_pset *set = take(c, gen);
	if (set)
		return set;
	pthread_mutex_lock(&c->build);
	set = take(c, gen); /* another thread may just have built it */
	if (!set && (set = pset_build(s, gen)) != NULL) {
		set->refs++; /* the caller's; refs = 1 is the cache's */
		pthread_mutex_lock(&c->lock);
		struct nise_pset *old = c->cur;
		c->cur = set;
		if (old && --old->refs == 0)
			pset_free(old);
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&c->build);
	return set;
}

void nise_pcache_put(struct nise_store *s, struct nise_pset *set)
{
	if (!set)
		return;
	struct nise_pcache *c = &s->pcache;
	pthread_mutex_lock(&c->lock);
	bool last = --set->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (last)
		pset_free(set);
}
