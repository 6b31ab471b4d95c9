/* SPDX-License-Identifier: MIT */
/*
 * httpmeta.h — what nise update remembers per URL for conditional
 * requests (ETag, Last-Modified) and how it reads them from a response's
 * header lines (httpmeta.c; no libcurl here: fuzz/fuzz_httpmeta.c).
 */
#ifndef NISE_CLI_HTTPMETA_H
#define NISE_CLI_HTTPMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct nise_http_meta {
	char etag[256];     /* as sent, quotes included; "" none */
	char modified[64];  /* Last-Modified as sent; "" none */
};

/* One header line of a response (with or without its CR LF). A status
 * line ("HTTP/...") starts a new response (a redirect's headers are
 * forgotten). Values with bytes outside 0x20-0x7e, or too long, are
 * dropped: they are sent back in a request header. */
void nise_http_meta_line(struct nise_http_meta *m, const char *line, size_t n);

#define NISE_HTTP_STATE_MAX 256

/* The state file: one line per URL, "URL \t ETAG \t LAST-MODIFIED". */
struct nise_http_state {
	size_t n;
	struct {
		char url[1024];
		struct nise_http_meta m;
	} e[NISE_HTTP_STATE_MAX];
};

/* Reads a state file's bytes; a malformed line is skipped (the state is
 * a cache: losing a line costs one full download). */
void nise_http_state_parse(struct nise_http_state *out, const char *buf, size_t n);
/* The entry for url, or NULL. */
const struct nise_http_meta *nise_http_state_get(const struct nise_http_state *s, const char *url);
/* Sets (or adds) url's entry; false when full or the URL is too long. */
bool nise_http_state_set(struct nise_http_state *s, const char *url, const struct nise_http_meta *m);
/* Writes the state to f (the file format above). */
void nise_http_state_write(const struct nise_http_state *s, FILE *f);

#endif
