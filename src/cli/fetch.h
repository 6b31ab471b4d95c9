/* SPDX-License-Identifier: MIT */
/*
 * fetch.h — one HTTPS GET for nise update (fetch.c: the only libcurl user).
 */
#ifndef NISE_CLI_FETCH_H
#define NISE_CLI_FETCH_H

#include <stddef.h>

#include "httpmeta.h"

struct cli_fetch_opts {
	long timeout;        /* seconds for the whole transfer */
	size_t max_bytes;    /* a larger body (after decompression) is an error */
	const char *ca_file; /* CA certificates (PEM) instead of the system's; NULL */
};

enum cli_fetch_status { FETCH_OK, FETCH_NOT_MODIFIED, FETCH_FAILED };

struct cli_fetch {
	char *body; /* malloc'd, NUL-terminated (not counted in n) */
	size_t n;
	struct nise_http_meta meta; /* of the final response */
	long http;                  /* its status code, 0 none */
	char err[320];              /* FETCH_FAILED: one line, the reason */
};

/* GETs url (https only, redirects to https only, at most 5), sending
 * If-None-Match / If-Modified-Since from cond (may be NULL). FETCH_OK:
 * a 200 and its whole body; FETCH_NOT_MODIFIED: a 304; FETCH_FAILED:
 * anything else (status >= 300, timeout, refused connection, a body cut
 * short or over max_bytes), reason in err. Call cli_fetch_fini after. */
enum cli_fetch_status cli_fetch(struct cli_fetch *out, const char *url, const struct nise_http_meta *cond,
                                const struct cli_fetch_opts *o);
void cli_fetch_fini(struct cli_fetch *f);

/* Once per process, before the first cli_fetch. */
void cli_fetch_global_init(void);

#endif
