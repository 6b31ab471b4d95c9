/* SPDX-License-Identifier: MIT */
/* Fuzz target: the IMAP response scanners of `nise imap`
 * (src/imap/resp.c), each line of the input given to every one of them
 * as the client would; the results are checked for consistency. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/imap/resp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t v;
		if (imap_literal_len(p, n, &v) && v > ((uint64_t)1 << 40))
			abort();
		imap_resp_code(p, n, "UIDVALIDITY", &v);
		imap_resp_code(p, n, "UIDNEXT", &v);
		imap_exists(p, n, &v);
		if (imap_fetch_uid(p, n, &v) && v > 999999999999ULL)
			abort();
		imap_has_cap(p, n, "IDLE");
		char st = imap_tagged(p, n, "n1");
		if (st && st != 'O' && st != 'N' && st != 'B')
			abort();
		/* the line as a mailbox name: quoted, it must round-trip in size */
		char name[128], q[300];
		size_t k = n < sizeof(name) - 1 ? n : sizeof(name) - 1;
		memcpy(name, p, k);
		name[k] = '\0';
		if (imap_quote(q, sizeof(q), name) && (strlen(q) < strlen(name) + 2 || q[0] != '"'))
			abort();
		p += n + (nl ? 1 : 0);
	}
	return 0;
}
