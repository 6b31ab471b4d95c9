/* SPDX-License-Identifier: MIT */
/* Fuzz target: the safe view of a message (src/lib/render/view.c and the
 * HTML extractor's hook), with its invariants checked: every segment is
 * well formed, every link index and finding index is in range, a marked
 * look-alike is one whole non-ASCII character, no three breaks in a row. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"
#include "nise/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nise_engine *engine;

#define FAIL(why) (fprintf(stderr, "fuzz_view: %s (segment %zu)\n", why, i), abort())

static void check_text(const struct nise_view_text *t, const struct nise_result *r)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct nise_view_seg *s = &t->segs[i];
		if (s->link < -1 || (s->link >= 0 && (size_t)s->link >= r->msg->nlinks))
			FAIL("link out of range");
		switch (s->kind) {
		case NISE_VIEW_BREAK:
			if (s->text || s->glyph ||
			    (i >= 2 && t->segs[i - 1].kind == NISE_VIEW_BREAK && t->segs[i - 2].kind == NISE_VIEW_BREAK))
				FAIL("bad break, or three in a row");
			break;
		case NISE_VIEW_IMAGE:
			if (!s->text || s->glyph)
				FAIL("bad image");
			break;
		case NISE_VIEW_TEXT: {
			if (!s->text || !*s->text)
				FAIL("empty text");
			size_t n = strlen(s->text);
			unsigned char c = (unsigned char)s->text[0];
			size_t want = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
			if (s->glyph && (n != want || n < 2))
				FAIL("glyph is not one character");
			break;
		}
		default:
			FAIL("unknown kind");
		}
	}
	size_t i = t->n;
	if (t->n && t->segs[t->n - 1].kind == NISE_VIEW_BREAK)
		FAIL("trailing break");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!engine) {
		struct nise_engine_opts o = {0};
		nise_limits_default(&o.limits);
		o.limits.max_arena_bytes = (size_t)64 << 20;
		o.arena_debug = true;
		o.data_dir = getenv("NISE_DATA_DIR");
		char diag[256];
		if (nise_engine_new(&engine, &o, diag, sizeof(diag)) != NISE_OK)
			abort();
	}
	struct nise_result *r = NULL;
	if (nise_scan(&r, engine, (const char *)data, size) != NISE_OK)
		return 0;
	struct nise_view v;
	nise_rc rc = nise_view_build(&v, engine, r);
	check_text(&v.subject, r);
	check_text(&v.from_name, r);
	check_text(&v.body, r);
	if (rc == NISE_OK)
		for (size_t i = 0; i < r->msg->nlinks; i++)
			for (size_t k = 0; k < v.links[i].nfindings; k++)
				if (v.links[i].findings[k] >= r->nfindings)
					FAIL("finding out of range");
	nise_result_free(r);
	return 0;
}
