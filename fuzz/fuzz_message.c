/* SPDX-License-Identifier: MIT */
/* Fuzz target: the whole pipeline (MIME, charsets, HTML, URLs, checks). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "nise/nise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nise_engine *engine;

static nise_rc count(const char *buf, size_t n, size_t index, void *ctx)
{
	(void)buf;
	(void)index;
	*(size_t *)ctx += n;
	return NISE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!engine) {
		struct nise_engine_opts o = {0};
		nise_limits_default(&o.limits);
		o.limits.max_arena_bytes = (size_t)64 << 20;
		/* a normal arena, kept and reset between inputs as in nise serve; under
		 * ASan its objects are poisoned apart (core/arena.c), so overflows
		 * between them are still caught without one malloc per object */
		o.arena_debug = false;
		o.data_dir = getenv("NISE_DATA_DIR");
		char diag[256];
		if (nise_engine_new(&engine, &o, diag, sizeof(diag)) != NISE_OK)
			abort();
	}
	struct nise_result *r = NULL;
	if (nise_scan(&r, engine, (const char *)data, size) == NISE_OK)
		nise_result_free(r);
	if (nise_is_mbox((const char *)data, size)) {
		/* the splitter alone */
		size_t total = 0;
		nise_mbox_split((const char *)data, size, count, &total);
	}
	return 0;
}
