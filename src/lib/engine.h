/* SPDX-License-Identifier: MIT */
/*
 * engine.h — the read-only state shared by every scan (internal).
 */
#ifndef NISE_ENGINE_H
#define NISE_ENGINE_H

#include "nise/nise.h"
#include "core/arena.h"

struct nise_urlctx;
struct nise_detect;

struct nise_engine {
	struct nise_limits limits;
	bool arena_debug;
	bool no_checks;
	struct nise_urlctx *urls;
	struct nise_detect *detect; /* brands, lexicons, weights; NULL: no checks */
};

/* Appends an anomaly (deduplicated by id). */
void nise_scan_anomaly(struct nise_arena *a, struct nise_vec *v, const char *id,
                       const char *detail);

/* Is p a text part with an HTML alternative (multipart/alternative)? Then
 * the reader sees the HTML, not p: one rule for the scan's visible text
 * and the safe view. */
bool nise_part_has_html_alternative(const struct nise_message *m, const struct nise_part *p);

#endif
