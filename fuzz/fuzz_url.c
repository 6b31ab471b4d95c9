/* SPDX-License-Identifier: MIT */
/*
 * fuzz_url.c — libFuzzer target for src/lib/url.
 *
 * The input is treated as mail text: every URL nise_url_extract finds is
 * parsed (bare domains allowed, as the text scanner does) and resolved
 * against; the whole input is parsed as one href both ways; the part
 * before the first newline is used as a base for the rest, and as a host
 * for nise_url_registrable and nise_url_host_unicode.
 *
 * Beyond memory safety it checks one property and traps when it fails:
 * a parsed URL's serialisation parses again to the same serialisation
 * (normalisation is idempotent), so what the checks see is stable.
 *
 * The arena (fuzz_arena.h) is kept and reset per input, capped at 64 MiB;
 * under ASan overflows between its objects are visible, and exhaustion is
 * exercised on large inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_arena.h"
#include "url/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nise_urlctx *uc;

struct fuzz_state {
	struct nise_arena *a;
	size_t matches;
};

static void check_idempotent(struct nise_arena *a, const struct nise_url *u)
{
	struct nise_url again;
	if (!u->url)
		return;
	nise_rc rc = nise_url_parse(&again, a, uc, u->url, strlen(u->url), false);
	if (rc == NISE_ENOMEM)
		return;
	if (rc != NISE_OK || strcmp(again.url, u->url) != 0)
		__builtin_trap();
}

static bool on_match(void *ctx, const char *m, size_t n)
{
	struct fuzz_state *st = ctx;
	struct nise_url u;
	if (n == 0)
		__builtin_trap(); /* matches are never empty */
	if (nise_url_parse(&u, st->a, uc, m, n, true) == NISE_OK) {
		check_idempotent(st->a, &u);
		(void)nise_url_resolve(st->a, u.url, "../x/./y?q#f");
		(void)nise_url_registrable(st->a, uc, u.host);
	}
	st->matches++;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!uc && nise_urlctx_new(&uc) != NISE_OK)
		return 0;
	struct nise_arena *a = fuzz_arena((size_t)64 << 20);
	if (!a)
		return 0;
	const char *text = (const char *)data;
	struct fuzz_state st = { a, 0 };
	nise_url_extract(uc, text, size, on_match, &st);

	struct nise_url u;
	if (nise_url_parse(&u, a, uc, text, size, false) == NISE_OK)
		check_idempotent(a, &u);
	if (nise_url_parse(&u, a, uc, text, size, true) == NISE_OK)
		check_idempotent(a, &u);

	/* base "\n" ref, both NUL-terminated (cut at the first NUL) */
	char *copy = malloc(size + 1);
	if (copy) {
		memcpy(copy, data, size);
		copy[size] = '\0';
		char *nl = memchr(copy, '\n', size);
		const char *base = copy, *ref = "";
		if (nl) {
			*nl = '\0';
			ref = nl + 1;
		}
		(void)nise_url_resolve(a, base, ref);
		(void)nise_url_resolve(a, NULL, ref);
		(void)nise_url_registrable(a, uc, base);
		(void)nise_url_host_unicode(a, base);
		free(copy);
	}
	return 0;
}
