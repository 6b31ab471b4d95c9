/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sb.c — libFuzzer target for the Safe Browsing canonicaliser
 * (src/lib/intel/sbcanon.c): any bytes are canonicalised, their lookup
 * expressions generated and hashed.
 *
 * Property checked (traps when it fails): canonicalisation is idempotent —
 * the canonical URL canonicalises to itself — so a feed entry and a link
 * canonicalised at different times meet at the same expression. And no
 * URL yields more than NISE_SB_MAX_EXPR expressions.
 *
 * Idempotence cannot hold when unescaping put a URL delimiter where the
 * specification does not escape it again: an "@", "/", "?" or ":" in the
 * host ("%2540" → "@", found by this target) or a "?" in the path. Such
 * URLs are still canonicalised and hashed, only not re-checked; both
 * sides of a match go through the same function, so they still meet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/sb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool on_expr(void *ctx, const char *e, size_t n)
{
	unsigned char h[32];
	size_t *count = ctx;
	nise_sb_hash(h, e, n);
	(*count)++;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* allocated once, each its own heap block (ASan's redzones around each
	 * still catch an overflow): four 12 KiB mallocs per input, with ASan's
	 * fill and fresh quarantined pages, were most of the target's time */
	static struct nise_sb_url *u, *again;
	static char *buf, *buf2;
	if (!u) {
		u = malloc(sizeof(*u));
		again = malloc(sizeof(*again));
		buf = malloc(3 * NISE_SB_MAX_URL + 32);
		buf2 = malloc(3 * NISE_SB_MAX_URL + 32);
	}
	if (!u || !again || !buf || !buf2)
		return 0;
	if (nise_sb_canon(u, (const char *)data, size) != NISE_OK)
		goto out;
	size_t count = 0;
	if (nise_sb_expressions(u, on_expr, &count) > NISE_SB_MAX_EXPR || count > NISE_SB_MAX_EXPR)
		__builtin_trap();
	if (!nise_sb_format(u, buf, 3 * NISE_SB_MAX_URL + 32))
		goto out;
	if (strpbrk(u->host, "@/?:\\") || strchr(u->path, '?'))
		goto out;
	if (nise_sb_canon(again, buf, strlen(buf)) != NISE_OK)
		goto out; /* grew past a limit when escaped */
	if (!nise_sb_format(again, buf2, 3 * NISE_SB_MAX_URL + 32) || strcmp(buf, buf2) != 0)
		__builtin_trap();
out:
	return 0;
}
