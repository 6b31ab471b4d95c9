/* SPDX-License-Identifier: MIT */
/*
 * pcache.h — an in-memory, read-only copy of a store's PREFIX keys
 * (internal; pcache.c has the design).
 */
#ifndef NISE_INTEL_PCACHE_H
#define NISE_INTEL_PCACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct nise_store;
struct nise_pset;

/* One per opened store (embedded in struct nise_store); the backend's open
 * calls init, its close fini. */
struct nise_pcache {
	pthread_mutex_t lock;  /* cur and every set's reference count */
	pthread_mutex_t build; /* one builder at a time */
	struct nise_pset *cur; /* the newest set, or NULL */
};

void nise_pcache_init(struct nise_pcache *c);
void nise_pcache_fini(struct nise_pcache *c);

/* The prefix set of s as of generation gen (s->ops->prefix_gen), built
 * from s->ops->keys when the cached one is of another generation; a
 * reference the caller returns with nise_pcache_put. NULL when it cannot
 * be built (out of memory, store error): the caller probes the store. */
struct nise_pset *nise_pcache_get(struct nise_store *s, uint64_t gen);
void nise_pcache_put(struct nise_store *s, struct nise_pset *p);

/* Whether the 4-byte prefix p is a key of the set. */
bool nise_pset_has(const struct nise_pset *set, const unsigned char p[4]);

/* Starts loading the slot of prefix p into the cache (a hint). */
void nise_pset_prefetch(const struct nise_pset *set, const unsigned char p[4]);

/* Entries and bytes of the set (for the benchmark and docs/intel.md). */
size_t nise_pset_size(const struct nise_pset *set, size_t *bytes);

#endif
