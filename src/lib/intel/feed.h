/* SPDX-License-Identifier: MIT */
/*
 * feed.h — phishing-URL feed parsers (internal; feed.c, feed_json.c).
 *
 * Each parser reads a whole feed file from memory (untrusted bytes: any
 * content is safe; there is a fuzz target per format) and calls fn once
 * per entry. Malformed rows are counted in *bad and skipped, never fatal.
 */
#ifndef NISE_INTEL_FEED_H
#define NISE_INTEL_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"

enum nise_feed_format {
	NISE_FEED_JPCERT = 0,     /* date,URL,description (JPCERT/CC phishurl-list) */
	NISE_FEED_PHISHTANK_CSV,  /* phish_id,url,...,submission_time,...,target */
	NISE_FEED_PHISHTANK_JSON, /* [{"url":..,"submission_time":..,"target":..}] */
	NISE_FEED_OPENPHISH,      /* one URL a line */
	NISE_FEED_URLS,           /* one URL a line, '#' comments */
	NISE_FEED_DOMAINS,        /* one domain a line (hosts-file lines too) */
	NISE_FEED_NFORMATS
};

struct nise_feed_entry {
	const char *url;   /* URL, or a domain when domain is true */
	const char *date;  /* "YYYY-MM-DD", or "" */
	const char *brand; /* impersonated brand, or "" */
	bool domain;       /* block the whole host (domain lists) */
	size_t line;       /* 1-based line of the entry (0 for JSON) */
};

/* Returns false to stop. */
typedef bool (*nise_feed_fn)(void *ctx, const struct nise_feed_entry *e);

/* Format by name ("jpcert", "phishtank-csv", "phishtank-json",
 * "openphish", "urls", "domains"); -1 when unknown. */
int nise_feed_format_by_name(const char *name);
const char *nise_feed_format_name(enum nise_feed_format f);

/* Parses buf. *bad counts skipped rows. NISE_EPARSE when the file is not
 * of the format at all (wrong CSV header, not JSON) with a reason in diag;
 * NISE_ENOMEM. */
nise_rc nise_feed_parse(enum nise_feed_format f, const char *buf, size_t n, nise_feed_fn fn,
                        void *ctx, size_t *bad, char *diag, size_t dn);

/* feed_json.c */
nise_rc nise_feed_parse_phishtank_json(const char *buf, size_t n, nise_feed_fn fn, void *ctx,
                                       size_t *bad, char *diag, size_t dn);

/* "2021/01/04 09:23:00", "2021-01-04T09:23:00+00:00" → "2021-01-04" in
 * out (11 bytes); "" when s does not start with a date. */
void nise_feed_date(char out[11], const char *s);

#endif
