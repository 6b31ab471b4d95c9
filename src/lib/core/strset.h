/* SPDX-License-Identifier: MIT */
/*
 * strset.h — a string → int map with open addressing, for read-only
 * engine data (domain lists). Built once, then only looked up.
 */
#ifndef NISE_CORE_STRSET_H
#define NISE_CORE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct nise_strset {
	char **keys;
	int *vals;
	unsigned *hashes; /* each key's hash and length: probes and growth */
	unsigned *lens;   /* compare these before the bytes, never rehash */
	size_t cap, n;
	/* the keys' bytes, packed in blocks the set owns (one malloc per
	 * block, not per key; freed together) */
	struct nise_strset_block *blocks;
	char *block_at; /* the next free byte of blocks, block_left of them */
	size_t block_left;
};

/* Makes room for n keys in all, so that as many puts do not grow the
 * table. false on malloc failure (the set is unchanged). */
bool nise_strset_reserve(struct nise_strset *s, size_t n);
/* Inserts or replaces key → val (key copied). false on malloc failure. */
bool nise_strset_put(struct nise_strset *s, const char *key, size_t n, int val);
/* Looks key[0..n) up; returns true and sets *val when present. */
bool nise_strset_get(const struct nise_strset *s, const char *key, size_t n, int *val);
void nise_strset_fini(struct nise_strset *s);

#endif
