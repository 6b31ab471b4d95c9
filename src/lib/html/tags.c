/* SPDX-License-Identifier: MIT */
/*
 * tags.c — the HTML element names the extractor treats specially, with
 * the categories of WHATWG HTML §13.2.4.2 ("special", scope boundaries,
 * formatting elements) and our own rendering notes (block, invisible).
 * Names not listed are ordinary inline elements (span, custom tags).
 * The table is sorted by name for binary search.
 */
#include "html/html_int.h"


#define B TF_BLOCK
#define S TF_SPECIAL
#define C TF_SCOPE
#define F TF_FMT
#define P TF_CLOSEP
#define I TF_INVIS
#define R TF_RAW
#define D TF_RCDATA
#define V TF_VOID
#define O TF_BREAKOUT

static const struct {
	const char *name;
	struct nise_html_tag tag;
} tags[] = {
	{"a", {TAG_A, F}},
	{"address", {TAG_OTHER, B | S | P}},
	{"applet", {TAG_OTHER, S | C}},
	{"area", {TAG_AREA, V | S}},
	{"article", {TAG_OTHER, B | S | P}},
	{"aside", {TAG_OTHER, B | S | P}},
	{"b", {TAG_OTHER, F | O}},
	{"base", {TAG_BASE, V | S}},
	{"basefont", {TAG_OTHER, V | S}},
	{"bgsound", {TAG_OTHER, V | S}},
	{"big", {TAG_OTHER, F | O}},
	{"blockquote", {TAG_OTHER, B | S | P | O}},
	{"body", {TAG_BODY, S | O}},
	{"br", {TAG_BR, V | B | S | O}},
	{"button", {TAG_BUTTON, S}},
	{"caption", {TAG_CAPTION, B | S | C}},
	{"center", {TAG_OTHER, B | S | P | O}},
	{"code", {TAG_OTHER, F | O}},
	{"col", {TAG_OTHER, V | S}},
	{"colgroup", {TAG_OTHER, S}},
	{"dd", {TAG_DDT, B | S | O}},
	{"details", {TAG_OTHER, B | S | P}},
	{"dialog", {TAG_OTHER, B | P}},
	{"dir", {TAG_OTHER, B | S | P}},
	{"div", {TAG_OTHER, B | S | P | O}},
	{"dl", {TAG_OTHER, B | S | P | O}},
	{"dt", {TAG_DDT, B | S | O}},
	{"em", {TAG_OTHER, F | O}},
	{"embed", {TAG_OTHER, V | S | O}},
	{"fieldset", {TAG_OTHER, B | S | P}},
	{"figcaption", {TAG_OTHER, B | S | P}},
	{"figure", {TAG_OTHER, B | S | P}},
	{"font", {TAG_FONT, F}},
	{"footer", {TAG_OTHER, B | S | P}},
	{"form", {TAG_FORM, B | S | P}},
	{"frame", {TAG_OTHER, V | S}},
	{"frameset", {TAG_OTHER, S | I}},
	{"h1", {TAG_H, B | S | P | O}},
	{"h2", {TAG_H, B | S | P | O}},
	{"h3", {TAG_H, B | S | P | O}},
	{"h4", {TAG_H, B | S | P | O}},
	{"h5", {TAG_H, B | S | P | O}},
	{"h6", {TAG_H, B | S | P | O}},
	{"head", {TAG_HEAD, S | O}},
	{"header", {TAG_OTHER, B | S | P}},
	{"hgroup", {TAG_OTHER, B | S | P}},
	{"hr", {TAG_HR, V | B | S | P | O}},
	{"html", {TAG_HTML, S | C}},
	{"i", {TAG_OTHER, F | O}},
	{"iframe", {TAG_OTHER, S | R | I}},
	{"image", {TAG_IMG, V | S | O}},
	{"img", {TAG_IMG, V | S | O}},
	{"input", {TAG_INPUT, V | S}},
	{"keygen", {TAG_OTHER, V | S}},
	{"li", {TAG_LI, B | S | O}},
	{"link", {TAG_OTHER, V | S}},
	{"listing", {TAG_OTHER, B | S | P | O}},
	{"main", {TAG_OTHER, B | S | P}},
	{"marquee", {TAG_OTHER, S | C}},
	{"math", {TAG_MATH, 0}},
	{"menu", {TAG_OTHER, B | S | P | O}},
	{"meta", {TAG_META, V | S | O}},
	{"nav", {TAG_OTHER, B | S | P}},
	{"nobr", {TAG_OTHER, F | O}},
	{"noembed", {TAG_OTHER, S | R | I}},
	{"noframes", {TAG_OTHER, S | R | I}},
	{"noscript", {TAG_OTHER, S}},
	{"object", {TAG_OTHER, S | C}},
	{"ol", {TAG_OL, B | S | P | O}},
	{"optgroup", {TAG_OPTGROUP, B}},
	{"option", {TAG_OPTION, B}},
	{"p", {TAG_P, B | S | P | O}},
	{"param", {TAG_OTHER, V | S}},
	{"plaintext", {TAG_PLAINTEXT, B | S | P}},
	{"pre", {TAG_OTHER, B | S | P | O}},
	{"ruby", {TAG_OTHER, O}},
	{"s", {TAG_OTHER, F | O}},
	{"script", {TAG_SCRIPT, S | R | I}},
	{"search", {TAG_OTHER, B | S | P}},
	{"section", {TAG_OTHER, B | S | P}},
	{"select", {TAG_SELECT, S}},
	{"small", {TAG_OTHER, F | O}},
	{"source", {TAG_OTHER, V | S}},
	{"span", {TAG_OTHER, O}},
	{"strike", {TAG_OTHER, F | O}},
	{"strong", {TAG_OTHER, F | O}},
	{"style", {TAG_OTHER, S | R | I}},
	{"sub", {TAG_OTHER, O}},
	{"summary", {TAG_OTHER, B | S | P}},
	{"sup", {TAG_OTHER, O}},
	{"svg", {TAG_SVG, 0}},
	{"table", {TAG_TABLE, B | S | C | P | O}},
	{"tbody", {TAG_TBODY, B | S}},
	{"td", {TAG_TD, B | S | C}},
	{"template", {TAG_TEMPLATE, S | C | I}},
	{"textarea", {TAG_TEXTAREA, S | D}},
	{"tfoot", {TAG_TBODY, B | S}},
	{"th", {TAG_TD, B | S | C}},
	{"thead", {TAG_TBODY, B | S}},
	{"title", {TAG_TITLE, S | D | I}},
	{"tr", {TAG_TR, B | S}},
	{"track", {TAG_OTHER, V | S}},
	{"tt", {TAG_OTHER, F | O}},
	{"u", {TAG_OTHER, F | O}},
	{"ul", {TAG_UL, B | S | P | O}},
	{"var", {TAG_OTHER, O}},
	{"wbr", {TAG_OTHER, V | S}},
	{"xmp", {TAG_XMP, B | S | P | R}},
};

struct nise_html_tag nise_html_tag_lookup(const char *name, size_t n)
{
	struct nise_html_tag none = {TAG_OTHER, 0};
	size_t lo = 0, hi = sizeof(tags) / sizeof(tags[0]);
	if (n == 0 || n > 10)
		return none;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = tags[mid].name;
		int c = 0;
		size_t i = 0;
		for (; i < n && t[i]; i++)
			if (name[i] != t[i]) {
				c = (unsigned char)name[i] < (unsigned char)t[i] ? -1 : 1;
				break;
			}
		if (c == 0 && i == n)
			c = t[n] ? -1 : 0;
		else if (c == 0)
			c = 1; /* t is a proper prefix of name */
		if (c == 0)
			return tags[mid].tag;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return none;
}
