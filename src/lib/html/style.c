/* SPDX-License-Identifier: MIT */
/*
 * style.c — decides from an inline style attribute whether an element's
 * text is hidden from the reader (the trick of hiding words that filters
 * read but people don't).
 *
 * Handled: display:none; visibility:hidden|collapse; opacity:0;
 * font-size:0 (any unit; em/% sizes inherit, so a descendant with an
 * absolute size makes text visible again, which is how responsive mail
 * templates use font-size:0 between inline-block columns); height,
 * max-height, width or max-width of 0 together with overflow:hidden;
 * color equal to the element's own background colour (#rgb, #rrggbb and
 * the names white/black only). Declarations are split on ';' outside
 * quotes and parentheses, CSS comments are removed, simple backslash
 * escapes are undone, "!important" is ignored.
 *
 * Not handled: stylesheets and classes (<style> rules), off-screen
 * positioning, clip, transform:scale(0), text-indent, colours given as
 * rgb()/hsl() or other names, colour against an ancestor's background.
 */
#include "html/html_int.h"

#include <string.h>

#define MAXV 64

struct decl {
	char prop[24];
	char val[MAXV];
	size_t plen, vlen;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Copies s[0..n) lowercased, without comments and escapes, with runs of
 * whitespace collapsed and trimmed; truncates at cap-1 bytes. */
static size_t norm(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	bool sp = false;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		char c = s[i];
		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *e = NULL;
			for (size_t j = i + 2; j + 1 < n; j++)
				if (s[j] == '*' && s[j + 1] == '/') {
					e = s + j;
					break;
				}
			if (!e)
				break;
			i = (size_t)(e - s) + 1;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			/* \HHHHHH escape for ASCII, else the escaped byte itself */
			unsigned v = 0, k = 0;
			size_t j = i + 1;
			while (k < 6 && j < n) {
				char h = (char)(s[j] | 0x20);
				unsigned d = (h >= '0' && h <= '9') ? (unsigned)(h - '0')
				           : (h >= 'a' && h <= 'f') ? (unsigned)(h - 'a' + 10) : 16;
				if (d == 16)
					break;
				v = v * 16 + d;
				j++;
				k++;
			}
			if (k > 0) {
				if (j < n && is_ws(s[j]))
					j++;
				c = (v > 0 && v < 0x80) ? (char)v : '?';
				i = j - 1;
			} else {
				c = s[++i];
			}
		}
		if (is_ws(c)) {
			sp = o > 0;
			continue;
		}
		if (sp) {
			dst[o++] = ' ';
			sp = false;
			if (o + 1 >= cap)
				break;
		}
		dst[o++] = (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
	}
	dst[o] = '\0';
	return o;
}

static bool is_zero_len(const char *v, size_t n)
{
	/* 0, 0.0, .0, -0 with any unit (0px, 0em, 0%) */
	size_t i = 0;
	if (i < n && (v[i] == '-' || v[i] == '+'))
		i++;
	bool digit = false;
	while (i < n && (v[i] == '0' || v[i] == '.')) {
		digit = digit || v[i] == '0';
		i++;
	}
	if (!digit || (i < n && v[i] >= '1' && v[i] <= '9'))
		return false;
	for (; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || v[i] == '%'))
			return false;
	return true;
}

static bool eq(const char *a, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(a, lit, n) == 0;
}

/* Normalises a colour to "#rrggbb"; false when we don't know it. */
static bool color_norm(char out[8], const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (eq(v, n, "white") || eq(v, n, "#fff") || eq(v, n, "#ffffff")) {
		memcpy(out, "#ffffff", 8);
		return true;
	}
	if (eq(v, n, "black")) {
		memcpy(out, "#000000", 8);
		return true;
	}
	if (n != 4 && n != 7)
		return false;
	if (v[0] != '#')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!strchr(hex, v[i]) || v[i] == '\0')
			return false;
	out[0] = '#';
	for (size_t i = 0; i < 6; i++)
		out[i + 1] = n == 7 ? v[i + 1] : v[i / 2 + 1];
	out[7] = '\0';
	return true;
}

static size_t strip_important(const char *v, size_t n)
{
	static const char imp[] = "!important";
	size_t k = sizeof(imp) - 1;
	if (n >= k && memcmp(v + n - k, imp, k) == 0) {
		n -= k;
		while (n && v[n - 1] == ' ')
			n--;
	}
	return n;
}

/* Cheap filter before normalising: plain property names we don't care
 * about (padding, margin, font-family, ...) are skipped; names with
 * escapes or comments always go through norm(). */
static bool interesting(const char *p, size_t n)
{
	static const char *const props[] = {
		"display", "visibility", "opacity", "font-size", "height", "max-height",
		"width", "max-width", "overflow", "overflow-x", "overflow-y", "color",
		"background-color", "background",
	};
	while (n && is_ws(*p)) {
		p++;
		n--;
	}
	while (n && is_ws(p[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
			return true;
	}
	for (size_t k = 0; k < sizeof(props) / sizeof(props[0]); k++) {
		const char *q = props[k];
		size_t i = 0;
		while (i < n && q[i] && (char)(p[i] | 0x20) == q[i])
			i++;
		if (i == n && q[i] == '\0')
			return true;
	}
	return false;
}

/* bytes the declaration splitter must look at */
static const unsigned char split_stop[256] = {
	[';'] = 1, [':'] = 1, ['"'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1,
};

void nise_html_style_parse(struct nise_html_style *out, const char *s, size_t n)
{
	memset(out, 0, sizeof(*out));
	out->font_zero = out->vis_hidden = out->same_color = -1;
	bool zero_box = false, ovf_hidden = false, has_fg = false, has_bg = false;
	char fg[8] = "", bg[8] = "";
	size_t i = 0;
	/* A long style attribute is ordinary in mail; we look at the first
	 * 64 declarations only, enough for any real template. */
	for (int ndecl = 0; i < n && ndecl < 64; ndecl++) {
		size_t start = i, colon = (size_t)-1;
		int paren = 0;
		char quote = 0;
		for (; i < n; i++) {
			while (i < n && !split_stop[(unsigned char)s[i]])
				i++;
			if (i == n)
				break;
			char c = s[i];
			if (quote) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'') {
				quote = c;
			} else if (c == '(') {
				paren++;
			} else if (c == ')') {
				if (paren)
					paren--;
			} else if (c == ':' && colon == (size_t)-1 && !paren) {
				colon = i;
			} else if (c == ';' && !paren) {
				break;
			}
		}
		size_t stop = i;
		if (i < n)
			i++; /* past ';' */
		if (colon == (size_t)-1)
			continue;
		if (!interesting(s + start, colon - start))
			continue;
		struct decl d;
		d.plen = norm(d.prop, sizeof(d.prop), s + start, colon - start);
		d.vlen = norm(d.val, sizeof(d.val), s + colon + 1, stop - colon - 1);
		d.vlen = strip_important(d.val, d.vlen);
		const char *p = d.prop, *v = d.val;
		size_t pl = d.plen, vl = d.vlen;
		if (eq(p, pl, "display")) {
			if (eq(v, vl, "none"))
				out->hard = true;
		} else if (eq(p, pl, "visibility")) {
			out->vis_hidden = (eq(v, vl, "hidden") || eq(v, vl, "collapse")) ? 1 : 0;
		} else if (eq(p, pl, "opacity")) {
			if (is_zero_len(v, vl))
				out->hard = true;
		} else if (eq(p, pl, "font-size")) {
			if (is_zero_len(v, vl))
				out->font_zero = 1;
			else if (vl && (v[vl - 1] == '%' ||
			                (vl > 2 && (memcmp(v + vl - 2, "em", 2) == 0 ||
			                            memcmp(v + vl - 2, "ex", 2) == 0 ||
			                            memcmp(v + vl - 2, "ch", 2) == 0) &&
			                 !(vl > 3 && memcmp(v + vl - 3, "rem", 3) == 0))))
				out->font_zero = -1; /* relative: inherits zero-ness */
			else if (vl)
				out->font_zero = 0;
		} else if (eq(p, pl, "height") || eq(p, pl, "max-height") ||
		           eq(p, pl, "width") || eq(p, pl, "max-width")) {
			if (is_zero_len(v, vl))
				zero_box = true;
		} else if (eq(p, pl, "overflow") || eq(p, pl, "overflow-x") ||
		           eq(p, pl, "overflow-y")) {
			if (eq(v, vl, "hidden") || eq(v, vl, "clip"))
				ovf_hidden = true;
		} else if (eq(p, pl, "color")) {
			has_fg = color_norm(fg, v, vl);
			if (!has_fg)
				out->same_color = 0; /* some other colour: visible */
		} else if (eq(p, pl, "background-color") || eq(p, pl, "background")) {
			size_t t = 0;
			while (t < vl && v[t] != ' ')
				t++;
			has_bg = color_norm(bg, v, t);
		}
	}
	if (zero_box && ovf_hidden)
		out->hard = true;
	if (has_fg)
		out->same_color = (has_bg && memcmp(fg, bg, 8) == 0) ? 1 : 0;
	else if (has_bg)
		out->same_color = 0; /* a new background: assume contrast */
}
