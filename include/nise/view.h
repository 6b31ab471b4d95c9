/* SPDX-License-Identifier: MIT */
/*
 * view.h — a safe rendering of a scanned message, for front ends that show
 * the mail to a person (the web page of `nise serve`).
 *
 * A view is not HTML: it is what the reader sees, as a list of plain-text
 * segments, line breaks and image placeholders, each tied to the link it
 * is part of. Front ends turn it into their own markup and escape every
 * byte of it, so nothing of the mail's markup, scripts, styles or remote
 * images ever reaches a browser. Look-alike characters that the findings
 * name ("ο = U+03BF GREEK SMALL LETTER OMICRON") come as segments of their
 * own, and each link carries the findings that name it.
 *
 * Memory: everything lives in the result's arena and dies with
 * nise_result_free(). Thread-safety: as nise_scan (one result, one thread).
 */
#ifndef NISE_VIEW_H
#define NISE_VIEW_H

#include "nise/nise.h"

#ifdef __cplusplus
extern "C" {
#endif

enum nise_view_kind {
	NISE_VIEW_TEXT = 0, /* text: UTF-8, whitespace collapsed */
	NISE_VIEW_BREAK,    /* a line or block boundary; text NULL */
	NISE_VIEW_IMAGE,    /* an image, never loaded; text is its alt ("" if none) */
};

struct nise_view_seg {
	enum nise_view_kind kind;
	const char *text;
	long link;          /* index into msg->links of the link it belongs to, or -1 */
	const char *glyph;  /* TEXT holding one look-alike character named by a
	                       finding: "U+03BF GREEK SMALL LETTER OMICRON"; else NULL */
	const char *glyph_ja; /* the same letter named in Japanese, with glyph:
	                       "ο（ギリシャ文字の小文字オミクロン、U+03BF）"; else NULL */
};

struct nise_view_text {
	struct nise_view_seg *segs;
	size_t n;
};

struct nise_view_link {
	size_t *findings;   /* indices into result->findings that name this link */
	size_t nfindings;   /* 0: nothing found against it */
};

struct nise_view {
	struct nise_view_text subject;
	struct nise_view_text from_name; /* the first From's display name */
	struct nise_view_text body;      /* the parts shown as the body, in order */
	struct nise_view_link *links;    /* msg->nlinks entries */
};

/* Builds the view of r (made by nise_scan with engine e). Returns
 * NISE_ENOMEM when the result's arena is exhausted; *out is then partial
 * but safe to read (counts match arrays). */
nise_rc nise_view_build(struct nise_view *out, const struct nise_engine *e,
                        const struct nise_result *r);

#ifdef __cplusplus
}
#endif
#endif
