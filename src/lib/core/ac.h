/* SPDX-License-Identifier: MIT */
/*
 * ac.h — Aho-Corasick multi-pattern matching over bytes.
 *
 * Built once per engine (brand names, lexicon phrases), read-only after
 * nise_ac_compile, shared by all threads.
 */
#ifndef NISE_CORE_AC_H
#define NISE_CORE_AC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nise/nise.h"

struct nise_ac;

nise_rc nise_ac_new(struct nise_ac **out);
void nise_ac_free(struct nise_ac *ac);
/* Adds a pattern (n > 0) with a caller-chosen id. Before compile only. */
nise_rc nise_ac_add(struct nise_ac *ac, const char *pat, size_t n, uint32_t id);
nise_rc nise_ac_compile(struct nise_ac *ac);
/* As nise_ac_compile, with the table kept in cache_dir (created 0700 if
 * missing; NULL or "": none): a later process with the same patterns maps
 * it instead of building it. Falls back to building silently. */
nise_rc nise_ac_compile_cached(struct nise_ac *ac, const char *cache_dir);
/* True when the compiled table was mapped from a cache file. */
bool nise_ac_mapped(const struct nise_ac *ac);
/* States of the automaton (more than 32,767: a table of 32-bit entries). */
size_t nise_ac_states(const struct nise_ac *ac);

/* Calls fn(ctx, id, start, len) for every occurrence of every pattern, in
 * order of end position; fn returns false to stop. */
typedef bool (*nise_ac_fn)(void *ctx, uint32_t id, size_t start, size_t len);
void nise_ac_scan(const struct nise_ac *ac, const char *s, size_t n, nise_ac_fn fn, void *ctx);

#endif
