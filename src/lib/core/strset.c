/* SPDX-License-Identifier: MIT */
/*
 * strset.c — open addressing with linear probing, FNV-1a hashes, load
 * factor at most 1/2. Keys are NUL-terminated copies; lookups take a span.
 */
#include "core/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static bool grow(struct nise_strset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	char **keys = calloc(cap, sizeof(*keys));
	int *vals = calloc(cap, sizeof(*vals));
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return false;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->keys[i])
			continue;
		size_t j = hash(s->keys[i], strlen(s->keys[i])) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = s->keys[i];
		vals[j] = s->vals[i];
	}
	free(s->keys);
	free(s->vals);
	s->keys = keys;
	s->vals = vals;
	s->cap = cap;
	return true;
}

bool nise_strset_put(struct nise_strset *s, const char *key, size_t n, int val)
{
	if ((s->n + 1) * 2 > s->cap && !grow(s))
		return false;
	size_t j = hash(key, n) & (s->cap - 1);
	while (s->keys[j]) {
		if (strlen(s->keys[j]) == n && memcmp(s->keys[j], key, n) == 0) {
			s->vals[j] = val;
			return true;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->keys[j] = strndup(key, n);
	if (!s->keys[j])
		return false;
	s->vals[j] = val;
	s->n++;
	return true;
}

bool nise_strset_get(const struct nise_strset *s, const char *key, size_t n, int *val)
{
	if (!s->cap)
		return false;
	size_t j = hash(key, n) & (s->cap - 1);
	while (s->keys[j]) {
		if (strncmp(s->keys[j], key, n) == 0 && s->keys[j][n] == '\0') {
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
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}
