/* SPDX-License-Identifier: MIT */
/*
 * strset.c — open addressing with linear probing, FNV-1a hashes, load
 * factor at most 3/4 (a data load sizes each set once, from its file's row
 * count: growing the 10,000 popular domains from 64 slots wrote twice the
 * final table and was a third of a start-up's page faults). Keys are NUL-terminated copies packed in blocks the
 * set owns (a data load puts ~100,000 keys: one malloc and one free each
 * was a tenth of `nise check`'s start-up); lookups take a span.
 */
#include "core/strset.h"

#include "core/hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
	return nise_fnv1a(NISE_FNV_OFFSET, s, n);
}

static bool resize(struct nise_strset *s, size_t cap)
{
	char **keys = calloc(cap, sizeof(*keys));
	int *vals = calloc(cap, sizeof(*vals));
	unsigned *hashes = calloc(cap, sizeof(*hashes));
	unsigned *lens = calloc(cap, sizeof(*lens));
	if (!keys || !vals || !hashes || !lens) {
		free(keys);
		free(vals);
		free(hashes);
		free(lens);
		return false;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		size_t j = s->hashes[i] & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = s->keys[i];
		vals[j] = s->vals[i];
		hashes[j] = s->hashes[i];
		lens[j] = s->lens[i];
	}
	free(s->keys);
	free(s->vals);
	free(s->hashes);
	free(s->lens);
	s->keys = keys;
	s->vals = vals;
	s->hashes = hashes;
	s->lens = lens;
	s->cap = cap;
	return true;
}

static bool full(size_t n, size_t cap)
{
	return n * 4 > cap * 3;
}

bool nise_strset_reserve(struct nise_strset *s, size_t n)
{
	size_t cap = 64;
	while (full(n, cap)) {
		if (cap > SIZE_MAX / 8)
			return false;
		cap *= 2;
	}
	return cap <= s->cap || resize(s, cap);
}

struct nise_strset_block {
	struct nise_strset_block *next;
	char bytes[];
};

enum { BLOCK_BYTES = 16384 };

/* A NUL-terminated copy of key[0..n) in the set's blocks: a long key gets
 * a block of its own, and the open block stays open. */
static char *copy_key(struct nise_strset *s, const char *key, size_t n)
{
	char *p;
	if (n + 1 <= s->block_left) {
		p = s->block_at;
		s->block_at += n + 1;
		s->block_left -= n + 1;
	} else {
		bool own = n + 1 > BLOCK_BYTES / 4;
		size_t size = own ? n + 1 : BLOCK_BYTES;
		struct nise_strset_block *b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = s->blocks;
		s->blocks = b;
		p = b->bytes;
		if (!own) {
			s->block_at = p + n + 1;
			s->block_left = size - (n + 1);
		}
	}
	memcpy(p, key, n);
	p[n] = '\0';
	return p;
}

bool nise_strset_put(struct nise_strset *s, const char *key, size_t n, int val)
{
	n = strnlen(key, n); /* the key is what its copy holds: up to a NUL */
	if (n > UINT32_MAX)
		return false;
	if (full(s->n + 1, s->cap) && !resize(s, s->cap ? s->cap * 2 : 64))
		return false;
	unsigned h = (unsigned)hash(key, n);
	size_t j = h & (s->cap - 1);
	while (s->keys[j]) {
		if (s->hashes[j] == h && s->lens[j] == n && memcmp(s->keys[j], key, n) == 0) {
			s->vals[j] = val;
			return true;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->keys[j] = copy_key(s, key, n);
	if (!s->keys[j])
		return false;
	s->vals[j] = val;
	s->hashes[j] = h;
	s->lens[j] = (unsigned)n;
	s->n++;
	return true;
}

bool nise_strset_get(const struct nise_strset *s, const char *key, size_t n, int *val)
{
	if (!s->cap)
		return false;
	unsigned h = (unsigned)hash(key, n);
	size_t j = h & (s->cap - 1);
	while (s->keys[j]) {
		/* stored keys hold no NUL: a span holding one never matches */
		if (s->hashes[j] == h && s->lens[j] == n && memcmp(s->keys[j], key, n) == 0) {
			if (val)
				*val = s->vals[j];
			return true;
		}
		j = (j + 1) & (s->cap - 1);
	}
	return false;
}

void nise_strset_fini(struct nise_strset *s)
{
	while (s->blocks) {
		struct nise_strset_block *b = s->blocks;
		s->blocks = b->next;
		free(b);
	}
	free(s->keys);
	free(s->vals);
	free(s->hashes);
	free(s->lens);
	memset(s, 0, sizeof(*s));
}
