/* SPDX-License-Identifier: MIT */
/*
 * fuzz_html.c — libFuzzer target for the HTML extractor. The first byte
 * picks the limits (max_items, max_text, arena cap) so that truncation
 * and arena exhaustion are explored too; the rest is the HTML. Checks the
 * output's invariants: lengths match the strings, every record's strings
 * are non-NULL where the API promises it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_arena.h"
#include "html/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t mode = data[0];
	size_t cap = (mode & 1) ? (size_t)4096 + (size_t)(mode >> 4) * 1024 : (size_t)64 << 20;
	size_t max_items = (mode & 2) ? 3 : 0;
	size_t max_text = (mode & 4) ? 16 : 0;
	struct nise_arena *a = fuzz_arena(cap);
	if (!a)
		return 0;
	struct nise_html_doc d;
	nise_rc rc = nise_html_extract(&d, a, (const char *)data + 1, size - 1, max_items, max_text);
	if (rc == NISE_OK) {
		if (strlen(d.text) != d.text_len || strlen(d.hidden) != d.hidden_len)
			abort();
		if (max_items && (d.nanchors > max_items || d.nforms > max_items || d.nimages > max_items))
			abort();
		if (max_text && (d.text_len > max_text || d.hidden_len > max_text))
			abort();
		for (size_t i = 0; i < d.nanchors; i++)
			if (!d.anchors[i].text || !d.anchors[i].href)
				abort();
		for (size_t i = 0; i < d.nforms; i++)
			if (!d.forms[i].method)
				abort();
		for (size_t i = 0; i < d.nimages; i++)
			if (!d.images[i].src)
				abort();
	}
	return 0;
}
