/* SPDX-License-Identifier: MIT */
/*
 * charref.c — HTML character references (WHATWG HTML §13.2.5.72–80).
 *
 * Named references use the longest-match rule over the full table in
 * entities.c: "&notin;" is ∉, "&notit;" is ¬ followed by "it;". Legacy
 * names (those listed without ';') match without it, except inside an
 * attribute value when the next byte is '=' or alphanumeric. Numeric
 * references follow the spec's remapping: 0, surrogates and values past
 * U+10FFFF become U+FFFD, and 0x80–0x9F are read as windows-1252 (the
 * C1 table below). Parse errors never stop decoding.
 */
#include "html/html_int.h"
#include "core/chars.h"

static const uint16_t c1_map[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static size_t numeric(const char *p, const char *end, uint32_t cp[2])
{
	const char *q = p + 1; /* past '#' */
	bool hex = false;
	if (q < end && (*q | 0x20) == 'x') {
		hex = true;
		q++;
	}
	const char *digits = q;
	uint32_t v = 0;
	bool big = false;
	for (; q < end; q++) {
		int d = hex ? nise_hexval((unsigned char)*q)
		            : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
		if (d < 0)
			break;
		if (v > 0x10FFFF)
			big = true; /* keep consuming digits, value is already bad */
		else
			v = v * (hex ? 16u : 10u) + (uint32_t)d;
	}
	if (q == digits)
		return 0; /* "&#" or "&#x" with no digits: not a reference */
	if (q < end && *q == ';')
		q++;
	if (big || v > 0x10FFFF || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
		v = 0xFFFD;
	else if (v >= 0x80 && v <= 0x9F)
		v = c1_map[v - 0x80];
	cp[0] = v;
	cp[1] = 0;
	return (size_t)(q - p);
}

size_t nise_html_charref(const char *p, const char *end, bool in_attr, uint32_t cp[2])
{
	if (p >= end)
		return 0;
	if (*p == '#')
		return numeric(p, end, cp);
	size_t run = 0;
	/* The longest name is 32 bytes with its ';'. */
	while (run < 32 && p + run < end && is_alnum((unsigned char)p[run]))
		run++;
	if (run == 0)
		return 0;
	if (run < 32 && p + run < end && p[run] == ';' &&
	    nise_html_entity_lookup(p, run + 1, cp))
		return run + 1;
	/* Legacy names are at most 6 bytes; try the longest prefix first. */
	for (size_t k = run < 6 ? run : 6; k >= 2; k--) {
		if (!nise_html_entity_lookup(p, k, cp))
			continue;
		if (in_attr && p + k < end && (p[k] == '=' || is_alnum((unsigned char)p[k])))
			return 0;
		return k;
	}
	return 0;
}
