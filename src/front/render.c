/* SPDX-License-Identifier: MIT */
/*
 * render.c — X-Nise-Verdict / X-Nise-Findings and the filter rewrite.
 *
 * The rewrite reads untrusted bytes (any mail on stdin), so it is a tiny
 * line scanner with no allocation: the header block ends at the first
 * empty line (or at the end of input for a mail without a body); a field
 * starts at a line not beginning with white space; continuation lines
 * belong to the field above. A mail whose first line is not a header
 * still passes through unchanged after our fields; an mbox "From " line
 * stays first. Each check id is listed once. Fuzzed by
 * fuzz/fuzz_filter.c.
 */
#include "render.h"

#include "mime/headers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void render_verdict(char *out, size_t n, const struct nise_result *r)
{
	snprintf(out, n, "%s score=%.1f", nise_verdict_name(r->verdict), r->score);
}

char *render_findings(const struct nise_result *r, const char *fold)
{
	if (!r->nfindings)
		return NULL;
	size_t fl = strlen(fold), total = 1;
	for (size_t i = 0; i < r->nfindings; i++)
		total += strlen(r->findings[i].id) + 1 + fl;
	char *s = malloc(total);
	if (!s)
		return NULL;
	size_t w = 0;
	size_t shown = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(r->findings[j].id, r->findings[i].id) == 0;
		if (dup)
			continue;
		if (shown++) {
			if ((shown - 1) % 4 == 0) {
				memcpy(s + w, fold, fl);
				w += fl;
			} else {
				s[w++] = ' ';
			}
		}
		size_t k = strlen(r->findings[i].id);
		memcpy(s + w, r->findings[i].id, k);
		w += k;
	}
	s[w] = '\0';
	return s;
}

bool render_is_own_header(const char *name, size_t n)
{
	return (n == sizeof(RENDER_VERDICT_HDR) - 1 && strncasecmp(name, RENDER_VERDICT_HDR, n) == 0) ||
	       (n == sizeof(RENDER_FINDINGS_HDR) - 1 && strncasecmp(name, RENDER_FINDINGS_HDR, n) == 0);
}

/* The length of the line at p (its end of line included). */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
}

bool render_filter(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                   render_write_fn fn, void *ctx)
{
	const char *end = msg + n;
	size_t first = n ? line_len(msg, end) : 0;
	const char *eol = first >= 2 && msg[first - 2] == '\r' ? "\r\n" : "\n";
	const char *p = msg;
	/* an mbox "From " line (procmail passes it) stays first */
	if (n >= 5 && memcmp(msg, "From ", 5) == 0) {
		if (!fn(msg, first, ctx))
			return false;
		p += first;
	}
	for (size_t i = 0; i < nh; i++)
		if (!fn(hdrs[i], strlen(hdrs[i]), ctx) || !fn(eol, strlen(eol), ctx))
			return false;
	/* the header block as the scan reads it (src/lib/mime/headers.c):
	 * every X-Nise-* field it sees goes, wherever it is and however it
	 * is written (folded, space before the colon, after odd lines);
	 * every other byte is copied as it came */
	struct nise_hreader r;
	struct nise_hfield f;
	nise_hreader_init(&r, p, end, true);
	while (nise_hreader_next(&r, &f)) {
		if (!render_is_own_header(f.name, f.nlen))
			continue;
		if (f.start > p && !fn(p, (size_t)(f.start - p), ctx))
			return false;
		p = f.end;
	}
	return p >= end || fn(p, (size_t)(end - p), ctx);
}

const char *render_unchecked_limit(const struct nise_result *r)
{
	if (r->verdict != NISE_UNCHECKED)
		return NULL;
	for (size_t i = 0; i < r->msg->nanomalies; i++)
		if (strncmp(r->msg->anomalies[i].id, "LIMIT_", 6) == 0)
			return r->msg->anomalies[i].id;
	return "LIMIT";
}
