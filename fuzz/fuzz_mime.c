/* SPDX-License-Identifier: MIT */
/* Fuzz target: nise's MIME reader alone (src/lib/mime: header blocks,
 * Content-Type parameters with RFC 2231, boundaries, nesting, transfer
 * decoding), with small limits so deep and wide inputs reach them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_arena.h"
#include "mime/headers.h"
#include "mime/mime.h"
#include "nise/nise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nise_limits lim;
	nise_limits_default(&lim);
	lim.max_parts = 32;
	lim.max_mime_depth = 8;
	lim.max_headers = 64;
	lim.max_header_bytes = 2048;
	lim.max_text_bytes = 1 << 16;
	lim.max_arena_bytes = (size_t)16 << 20;
	struct nise_arena *a = fuzz_arena(lim.max_arena_bytes);
	if (!a)
		return 0;
	const char *buf = (const char *)data;
	struct nise_message m;
	struct nise_vec an = {0};
	memset(&m, 0, sizeof(m));
	nise_mime_parse(&m, a, &lim, buf, size, &an);
	/* every field as a Content-Type and a Content-Disposition */
	struct nise_hreader r;
	struct nise_hfield f;
	nise_hreader_init(&r, buf, buf + size, true);
	while (nise_hreader_next(&r, &f)) {
		struct nise_ctype ct;
		bool enc;
		if (nise_ctype_parse(&ct, a, f.val, f.vlen)) {
			nise_param_get(a, ct.params, ct.nparams, "boundary", 256, &enc);
			nise_param_get(a, ct.params, ct.nparams, "name", 256, &enc);
		}
		if (nise_cdisp_parse(&ct, a, f.val, f.vlen))
			nise_param_get(a, ct.params, ct.nparams, "filename", 256, &enc);
	}
	return 0;
}
