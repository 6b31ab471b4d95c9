/* SPDX-License-Identifier: MIT */
/*
 * html.h — what nise needs from an HTML part (internal API).
 *
 * One adapter (src/lib/html/) turns HTML bytes (already UTF-8) into the
 * text a reader sees and everything clickable or submittable. URLs are
 * returned as written (entities decoded, whitespace trimmed); resolution
 * against <base> is the caller's job (nise_url_resolve).
 */
#ifndef NISE_HTML_HTML_H
#define NISE_HTML_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"
#include "core/arena.h"

/* <a href>, <area href>, and SVG's <a href> / <a xlink:href> */
struct nise_html_anchor {
	const char *text;   /* visible text inside <a>, whitespace collapsed; alt of images inside */
	const char *href;
	const char *title;
	bool is_area;       /* <area href> */
};

struct nise_html_form {
	const char *action; /* NULL when absent */
	const char *method; /* lowercase; "get" when absent */
	bool has_password;
	unsigned ninputs;
};

struct nise_html_image {
	const char *src;
	const char *alt;
};

struct nise_html_doc {
	const char *text;         /* visible text; block boundaries become '\n' */
	size_t text_len;
	const char *hidden;       /* text of hidden elements (display:none, visibility:hidden, hidden attr, font-size:0, ...) */
	size_t hidden_len;
	const char *base_href;    /* first <base href>, or NULL */
	const char *meta_charset; /* <meta charset> or http-equiv content-type charset, or NULL */
	const char *meta_refresh; /* URL of <meta http-equiv=refresh>, or NULL */
	struct nise_html_anchor *anchors;
	size_t nanchors;
	struct nise_html_form *forms;
	size_t nforms;
	struct nise_html_image *images;
	size_t nimages;
	const char **submits;     /* formaction of buttons and inputs, as written */
	size_t nsubmits;
	bool truncated;           /* max_items or max_text reached */
};

/* Extracts from UTF-8 HTML. Never fails on malformed input; returns
 * NISE_ENOMEM only when the arena is exhausted (out is then partial). */
nise_rc nise_html_extract(struct nise_html_doc *out, struct nise_arena *a,
                          const char *html, size_t n, size_t max_items, size_t max_text);

/* What a reader sees, in order, for a renderer (src/lib/render): visible
 * text runs (never hidden text), collapsed whitespace, block boundaries and
 * images. anchor is the index into out->anchors of the link the text or
 * image is inside, or -1. Every string is only valid during the call. */
struct nise_html_hook {
	void (*text)(void *ctx, const char *p, size_t n, long anchor);
	void (*space)(void *ctx, long anchor);
	void (*block)(void *ctx);
	void (*image)(void *ctx, const char *alt, long anchor);
	void *ctx;
};

/* nise_html_extract, calling hook (may be NULL) as the page is read. */
nise_rc nise_html_extract_hooked(struct nise_html_doc *out, struct nise_arena *a,
                                 const char *html, size_t n, size_t max_items, size_t max_text,
                                 const struct nise_html_hook *hook);

#endif
