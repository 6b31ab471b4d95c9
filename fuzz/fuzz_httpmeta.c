/* SPDX-License-Identifier: MIT */
/*
 * fuzz_httpmeta.c — libFuzzer target for nise update's HTTP metadata
 * (src/cli/httpmeta.c): the input is both a series of response header
 * lines (as a server sends them) and a state file. What is kept must be
 * printable ASCII (it is sent back in a request header), and a state
 * written and read again must be the same state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/httpmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct nise_http_meta m = {{0}, {0}};
	const char *p = buf, *end = buf + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		nise_http_meta_line(&m, p, n);
		p += n;
	}
	printable(m.etag);
	printable(m.modified);
	struct nise_http_state *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	if (!a || !b)
		goto out;
	nise_http_state_parse(a, buf, size);
	char *w = NULL;
	size_t wn = 0;
	FILE *f = open_memstream(&w, &wn);
	if (!f)
		goto out;
	nise_http_state_write(a, f);
	fclose(f);
	nise_http_state_parse(b, w, wn);
	if (a->n != b->n)
		__builtin_trap();
	for (size_t i = 0; i < a->n; i++) {
		printable(a->e[i].m.etag);
		printable(a->e[i].m.modified);
		if (strcmp(a->e[i].url, b->e[i].url) != 0 || strcmp(a->e[i].m.etag, b->e[i].m.etag) != 0 ||
		    strcmp(a->e[i].m.modified, b->e[i].m.modified) != 0)
			__builtin_trap();
	}
	free(w);
out:
	free(a);
	free(b);
	return 0;
}
