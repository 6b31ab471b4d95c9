/* SPDX-License-Identifier: MIT */
/*
 * html_int.h — pieces shared by the files of the HTML adapter, and by the
 * differential test in tests/html_diff (which reuses the style rules so
 * that "hidden" means the same thing on both sides).
 *
 * Nothing here allocates; everything works on (pointer, length) spans.
 */
#ifndef NISE_HTML_INT_H
#define NISE_HTML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* entities.c: exact lookup of a named reference ("amp;", "amp", "notin;").
 * Fills one or two code points (cp[1] == 0 when one). */
bool nise_html_entity_lookup(const char *name, size_t n, uint32_t cp[2]);

/* charref.c: decodes the character reference whose '&' is just before p
 * (WHATWG "character reference state"). Returns the bytes consumed after
 * the '&', or 0 when there is no reference there (the '&' is literal).
 * in_attr applies the attribute rule: a legacy name without ';' followed
 * by '=' or an alphanumeric is not a reference ("?a=1&copy=2"). */
size_t nise_html_charref(const char *p, const char *end, bool in_attr, uint32_t cp[2]);

/* style.c: what an inline style attribute does to the visibility of the
 * element's text. hard: never visible whatever the descendants say
 * (display:none, opacity:0, zero height or width with overflow:hidden).
 * The others are inherited properties a descendant may undo:
 * -1 = not set here, 0 = set to something visible, 1 = set to hide. */
struct nise_html_style {
	bool hard;
	int8_t font_zero;  /* font-size: 0 */
	int8_t vis_hidden; /* visibility: hidden | collapse */
	int8_t same_color; /* color equal to background colour */
};
void nise_html_style_parse(struct nise_html_style *out, const char *s, size_t n);

/* tags.c: what the extractor needs to know about an element. */
enum nise_html_tag_id {
	TAG_OTHER = 0, TAG_A, TAG_AREA, TAG_BASE, TAG_BODY, TAG_BR, TAG_BUTTON,
	TAG_CAPTION, TAG_DDT, TAG_FONT, TAG_FORM, TAG_H, TAG_HEAD, TAG_HTML,
	TAG_IMG, TAG_INPUT, TAG_LI, TAG_MATH, TAG_META, TAG_OL, TAG_OPTGROUP,
	TAG_OPTION, TAG_P, TAG_PLAINTEXT, TAG_SCRIPT, TAG_SELECT, TAG_SVG,
	TAG_TABLE, TAG_TBODY, TAG_TD, TAG_TEMPLATE, TAG_TEXTAREA, TAG_TITLE,
	TAG_TR, TAG_UL, TAG_XMP, TAG_HR,
};

enum {
	TF_VOID = 1 << 0,     /* no content, never on the stack */
	TF_BLOCK = 1 << 1,    /* start and end are line breaks in the text */
	TF_SPECIAL = 1 << 2,  /* the spec's "special" category */
	TF_SCOPE = 1 << 3,    /* bounds the default scope */
	TF_FMT = 1 << 4,      /* formatting element: misnesting removes it */
	TF_CLOSEP = 1 << 5,   /* its start tag closes an open <p> */
	TF_INVIS = 1 << 6,    /* its content is never rendered */
	TF_RAW = 1 << 7,      /* RAWTEXT content (script data for script) */
	TF_RCDATA = 1 << 8,   /* RCDATA content */
	TF_BREAKOUT = 1 << 9, /* its start tag ends svg/math content */
};

struct nise_html_tag {
	uint16_t id;
	uint16_t flags;
};

/* name: lowercase ASCII, n bytes. Unknown names give {TAG_OTHER, 0}. */
struct nise_html_tag nise_html_tag_lookup(const char *name, size_t n);

#endif
