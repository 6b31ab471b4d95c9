/* SPDX-License-Identifier: MIT */
/*
 * feed_fuzz.h — the body of the feed-parser fuzz targets (fuzz_feed_*.c
 * define FEED_FORMAT and include this): the input is a feed file; every
 * entry must have a non-empty URL and a date that is "" or YYYY-MM-DD.
 */
#include <stdint.h>
#include <string.h>

#include "intel/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool on_entry(void *ctx, const struct nise_feed_entry *e)
{
	(void)ctx;
	size_t dl = strlen(e->date);
	if (!*e->url || (dl != 0 && dl != 10) || strlen(e->brand) > ((size_t)1 << 20))
		__builtin_trap();
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bad = 0;
	char diag[256];
	enum nise_feed_format f = FEED_FORMAT;
#ifdef FEED_FORMAT_FROM_FIRST_BYTE
	/* the line formats share one parser: the first byte picks which */
	if (size == 0)
		return 0;
	f = data[0] % 3 == 0 ? NISE_FEED_OPENPHISH : data[0] % 3 == 1 ? NISE_FEED_URLS : NISE_FEED_DOMAINS;
	data++;
	size--;
#endif
	nise_feed_parse(f, (const char *)data, size, on_entry, NULL, &bad, diag, sizeof(diag));
	return 0;
}
