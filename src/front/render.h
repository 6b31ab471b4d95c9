/* SPDX-License-Identifier: MIT */
/*
 * render.h — the headers nise adds to a judged mail (X-Nise-Verdict,
 * X-Nise-Findings) and the stdin→stdout rewrite of `nise filter`.
 * Shared by the milter and the filter so both write the same headers.
 */
#ifndef NISE_MILTER_RENDER_H
#define NISE_MILTER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"

#define RENDER_VERDICT_HDR "X-Nise-Verdict"
#define RENDER_FINDINGS_HDR "X-Nise-Findings"

/* "phishing score=22.7" (always fits in 64 bytes). */
void render_verdict(char *out, size_t n, const struct nise_result *r);

/* "ID1 ID2 ..." folded every few ids with fold ("\n\t" for milters,
 * "\r\n\t" or "\n\t" in a file); malloc'd, NULL when there are no
 * findings or no memory. */
char *render_findings(const struct nise_result *r, const char *fold);

/* True for a header name nise writes itself: incoming copies are
 * forgeries and are removed. */
bool render_is_own_header(const char *name, size_t n);

/* The mail could not be judged whole: the first LIMIT_* anomaly of a
 * partial result that is not already phishing ("unchecked reason=..."),
 * else NULL. One rule for the milter and nise filter. */
const char *render_unchecked_limit(const struct nise_result *r);

typedef bool (*render_write_fn)(const char *p, size_t n, void *ctx);

/* Writes msg with hdrs (complete "Name: value" fields, no line end)
 * prepended and every incoming header render_is_own_header() names
 * (with its continuation lines) left out; the rest byte for byte. The
 * line end of the added fields follows the message's first line (CRLF
 * or LF). Returns false when fn does. */
bool render_filter(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                   render_write_fn fn, void *ctx);

#endif
