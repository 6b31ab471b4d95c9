/* SPDX-License-Identifier: MIT */
/*
 * sb.h — Safe Browsing URL canonicalisation and lookup expressions
 * (internal; sbcanon.c).
 *
 * Implements the canonicalisation of the Safe Browsing v4 "URLs and
 * hashing" page (kept unchanged in v5): tab/CR/LF removed, fragment
 * dropped, repeated percent-unescaping of host, path and query, host dots
 * and IPv4 forms normalised, path "." and ".." resolved and "//" runs
 * collapsed, port and userinfo dropped, then bytes <= 0x20, >= 0x7f, '#'
 * and '%' escaped. Then the host-suffix x path-prefix expressions a client
 * looks up, and their SHA-256.
 *
 * Beyond that page: a Unicode host becomes its IDNA ASCII form (UTS #46,
 * nise_url_host_to_ascii) before escaping, so feeds and links written in
 * Unicode or in punycode match each other both ways. A host IDNA refuses
 * (or invalid UTF-8) is matched by its escaped bytes.
 */
#ifndef NISE_INTEL_SB_H
#define NISE_INTEL_SB_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"

#define NISE_SB_MAX_URL 4096
#define NISE_SB_MAX_EXPR 30 /* 5 hosts x 6 paths */

struct nise_sb_url {
	char scheme[16];
	char host[NISE_SB_MAX_URL];
	char path[NISE_SB_MAX_URL];  /* starts with '/' */
	char query[NISE_SB_MAX_URL]; /* without '?' */
	bool has_query;              /* a '?' was present, even with nothing after it */
	bool host_is_ip;
};

/* Canonicalises s (n bytes, any bytes) into *out. NISE_EPARSE when there
 * is no host, NISE_ELIMIT when a component outgrows NISE_SB_MAX_URL. */
nise_rc nise_sb_canon(struct nise_sb_url *out, const char *s, size_t n);

/* "scheme://host/path?query" of a canonical URL into buf; false when it
 * does not fit. */
bool nise_sb_format(const struct nise_sb_url *u, char *buf, size_t bn);

/* The exact expression "host/path[?query]" (what a feed entry stores). */
bool nise_sb_exact(const struct nise_sb_url *u, char *buf, size_t bn);

/* Calls fn with each lookup expression of u ("host/path[?query]"), most
 * specific first, without duplicates: the exact host and up to four
 * suffixes of its last five labels (not for IP hosts), times the path
 * with and without its query and up to four prefixes from "/". Returns
 * the number of expressions (<= NISE_SB_MAX_EXPR); fn returning false
 * stops early. */
typedef bool (*nise_sb_expr_fn)(void *ctx, const char *expr, size_t n);
size_t nise_sb_expressions(const struct nise_sb_url *u, nise_sb_expr_fn fn, void *ctx);

/* SHA-256 of s. */
void nise_sb_hash(unsigned char out[32], const char *s, size_t n);

#endif
