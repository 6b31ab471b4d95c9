/* SPDX-License-Identifier: MIT */
/* Fuzz target: the `nise filter` rewrite of an incoming mail's header
 * block (src/milter/render.c), output checked to keep every byte of the
 * body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/front/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	size_t n;
};

static bool count(const char *p, size_t n, void *ctx)
{
	(void)p;
	((struct sink *)ctx)->n += n;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *hdrs[] = {"X-Nise-Verdict: clean score=0.0"};
	struct sink s = {0};
	render_filter((const char *)data, size, hdrs, 1, count, &s);
	/* never more than the input plus our field and its line end */
	if (s.n > size + strlen(hdrs[0]) + 2)
		abort();
	return 0;
}
