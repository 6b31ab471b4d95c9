/* SPDX-License-Identifier: MIT */
/* Fuzz target: the SPAMC request parser of `nise spamd`
 * (src/spamd/proto.c), fed one line at a time as the server reads them
 * (lines longer than SPAMD_MAX_LINE are cut as the reader cuts them).
 * Checks that a request it accepts is consistent. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/spamd/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spamd_req r;
	memset(&r, 0, sizeof(r));
	const char *p = (const char *)data, *end = p + size;
	char why[160];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		if (n > SPAMD_MAX_LINE + 1)
			n = SPAMD_MAX_LINE + 1;
		int code = spamd_req_line(&r, p, n, why, sizeof(why));
		if (code != SPAMD_EX_OK) {
			if (!why[0] || strlen(why) >= sizeof(why))
				abort();
			return 0;
		}
		if (r.vmajor != 1 || r.nheaders > SPAMD_MAX_HEADERS)
			abort();
		if (r.content_length > 999999999999LL || strlen(r.user) >= sizeof(r.user))
			abort();
		if (r.done)
			break;
		p += n;
	}
	return 0;
}
