/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bundle.c — libFuzzer target for the data bundle container
 * (src/cli/bundle.c): the input is a downloaded bundle. The signature is
 * not checked here (random bytes never carry a valid one); the parser
 * runs on the signed part as if it had been. Every file handed out must
 * lie inside the input, have a valid name, and the names must ascend.
 */
#include <stdint.h>
#include <string.h>

#include "../src/front/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const char *p;
	size_t n;
	char prev[72];
	int files;
};

static bool on_file(void *ctx, const char *name, const char *d, size_t n)
{
	struct span *s = ctx;
	if (d < s->p || n > s->n || d + n > s->p + s->n || !nise_bundle_name_ok(name) ||
	    strcmp(name, s->prev) <= 0 || ++s->files > NISE_BUNDLE_MAX_FILES)
		__builtin_trap();
	memcpy(s->prev, name, strlen(name) + 1);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t sn = size;
	unsigned char sig[64];
	char why[160];
	if (!nise_bundle_split(buf, size, &sn, sig, why, sizeof(why)))
		sn = size; /* parse the whole input anyway: more coverage */
	else if (sn > size)
		__builtin_trap();
	struct span s = {.p = buf, .n = sn};
	int64_t created;
	nise_bundle_parse(buf, sn, &created, on_file, &s, why, sizeof(why));
	return 0;
}
