/* SPDX-License-Identifier: MIT */
/*
 * extract.c — finding URLs in running UTF-8 text.
 *
 * One forward pass with a small amount of bounded look-around; no regex,
 * no allocation. Matches are spans of the input, handed to a callback.
 * Three kinds of start are recognised, in this order:
 *
 *   1. a web scheme, plain or obfuscated (http, https, ftp, hxxp, h**p,
 *      ttp, with ":", "[:]" or "[://]") followed by two slashes, after any
 *      byte that is not an ASCII letter or digit;
 *   2. "www." (or "www[.]") at a word start;
 *   3. a bare domain at a word start: ASCII labels joined by '.' or an
 *      obfuscated dot, whose last label is an ICANN public suffix, not
 *      followed by '@' (a mail address) and, for the file-extension TLDs
 *      of util.c (readme.md, setup.py), only when followed by '/'.
 *
 * A word start is the start of text or a position after white space, a
 * control, one of ( < [ { " ' * , ; ! | > ` or any non-ASCII character
 * (Japanese text glues URLs to words without spaces). A '@', '.', '/',
 * '-' or ':' before a name is not a word start: that keeps the domain of
 * user@example.com and the segments of paths from being reported.
 *
 * A URL ends at white space, controls, < > " ` { } | ^, invalid UTF-8,
 * Unicode punctuation and spaces (U+2000..U+206F, U+3000..U+303F such as
 * 「」、。), full-width and half-width forms (U+FF00..U+FFEF, e.g. （）),
 * and — in the path — any East Asian wide character (kana, kanji,
 * hangul). In the host a run of wide characters is kept only when a '.'
 * and another label follow it (例え.jp), or when it is a label between a
 * '.' and one of / ? # : (例え.テスト/). Then trailing . , ; : ! ? * '
 * and unbalanced ) ] } are cut; nothing is cut when the URL is closed by
 * '>' right after a '<' before it (<http://example.com/a.>).
 *
 * Work: every byte is looked at by at most one URL or domain scan plus a
 * constant number of start tests, so time is linear in n.
 */
#include "url/url_int.h"

#include <string.h>

/* Punctuation, spaces and full-width forms: never inside a URL. */
static bool cp_ends_url(uint32_t cp)
{
	return cp <= 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
	       (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE1F) ||
	       (cp >= 0xFE30 && cp <= 0xFE6F) || cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFFFF);
}

/* East Asian Wide letters (UAX #11), roughly. */
static bool cp_is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x2FFF) ||
	       (cp >= 0x3040 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	       (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

static bool in_set(unsigned char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static bool word_start(const unsigned char *t, size_t i)
{
	if (i == 0)
		return true;
	unsigned char p = t[i - 1];
	return p >= 0x80 || p <= 0x20 || p == 0x7F || in_set(p, "(<[{\"'*,;!|>`");
}

/* Non-ASCII character at t[i] that may continue a host or path: its
 * length, or 0. */
static size_t url_cp(const unsigned char *t, size_t n, size_t i, bool *wide)
{
	uint32_t cp;
	size_t len = nise_urli_utf8(t + i, n - i, &cp);
	if (!len || cp_ends_url(cp))
		return 0;
	*wide = cp_is_wide(cp);
	return len;
}

static size_t scan_authority(const unsigned char *t, size_t n, size_t i)
{
	size_t start = i;
	while (i < n) {
		unsigned char c = t[i];
		if (c < 0x80) {
			if (nise_urli_alnum(c) || in_set(c, "-._~%!$&'*+,;=:@")) {
				i++;
				continue;
			}
			size_t k = nise_urli_obf_dot((const char *)t + i, n - i);
			if (k) {
				i += k;
				continue;
			}
			if (c == '[' && (i == start || t[i - 1] == '@')) {
				/* an IPv6 literal */
				size_t j = i + 1;
				while (j < n && j - i < 64 &&
				       (nise_hexval(t[j]) >= 0 || t[j] == ':' || t[j] == '.'))
					j++;
				if (j < n && t[j] == ']') {
					i = j + 1;
					continue;
				}
			}
			break;
		}
		bool wide = false;
		size_t len = url_cp(t, n, i, &wide);
		if (!len)
			break;
		if (wide) {
			/* keep a wide run only when it is a label: 例え.jp */
			size_t j = i;
			while (j < n) {
				if (t[j] < 0x80) {
					if (!nise_urli_alnum(t[j]) && t[j] != '-')
						break;
					j++;
				} else {
					bool w2;
					size_t l2 = url_cp(t, n, j, &w2);
					if (!l2)
						break;
					j += l2;
				}
			}
			if (j + 1 < n && t[j] == '.' && (nise_urli_alnum(t[j + 1]) || t[j + 1] >= 0x80)) {
				i = j;
				continue;
			}
			/* or a last label before the path or port: 例え.テスト/ */
			if (i > start && t[i - 1] == '.' && j < n && in_set(t[j], "/?#:")) {
				i = j;
				continue;
			}
			break;
		}
		i += len;
	}
	return i;
}

static size_t scan_path(const unsigned char *t, size_t n, size_t i)
{
	while (i < n) {
		unsigned char c = t[i];
		if (c < 0x80) {
			if (c <= 0x20 || c == 0x7F || in_set(c, "<>\"`{}|^"))
				break;
			i++;
			continue;
		}
		bool wide = false;
		size_t len = url_cp(t, n, i, &wide);
		if (!len || wide)
			break;
		i += len;
	}
	return i;
}

/* Cuts trailing punctuation and unbalanced closing brackets from [s, e),
 * never below min. */
static size_t trim_end(const unsigned char *t, size_t s, size_t e, size_t min)
{
	size_t open[3] = { 0, 0, 0 }, close[3] = { 0, 0, 0 };
	static const char opens[] = "([{", closes[] = ")]}";
	for (size_t i = s; i < e; i++) {
		for (int k = 0; k < 3; k++) {
			open[k] += t[i] == (unsigned char)opens[k];
			close[k] += t[i] == (unsigned char)closes[k];
		}
	}
	while (e > min) {
		unsigned char c = t[e - 1];
		if (in_set(c, ".,;:!?*'")) {
			e--;
			continue;
		}
		const char *cp = in_set(c, closes) ? strchr(closes, c) : NULL;
		if (cp) {
			int k = (int)(cp - closes);
			if (close[k] > open[k]) {
				close[k]--;
				e--;
				continue;
			}
		}
		break;
	}
	return e;
}

/* Ends a match that starts at s with its host at host and its authority
 * ending at ae: adds the path, cuts the tail, checks the host. 0 when
 * there is no usable host. */
static size_t finish(const unsigned char *t, size_t n, size_t s, size_t host, size_t ae)
{
	size_t e = ae;
	if (ae < n && in_set(t[ae], "/?#\\"))
		e = scan_path(t, n, ae);
	if (!(s > 0 && t[s - 1] == '<' && e < n && t[e] == '>'))
		e = trim_end(t, s, e, host);
	for (size_t k = host; k < e && k < ae; k++)
		if (nise_urli_alnum(t[k]) || t[k] >= 0x80)
			return e;
	return 0;
}

static size_t try_scheme(const unsigned char *t, size_t n, size_t i)
{
	unsigned char c = nise_urli_lower(t[i]);
	if (c != 'h' && c != 't' && c != 'f')
		return 0;
	struct nise_urli_scheme m;
	if (!nise_urli_web_scheme((const char *)t + i, n - i < 16 ? n - i : 16, &m))
		return 0;
	size_t j = i + m.len;
	if (!m.slashes) {
		size_t k = 0;
		while (j < n && k < 2 && (t[j] == '/' || t[j] == '\\')) {
			j++;
			k++;
		}
		if (k < 2)
			return 0;
	}
	return finish(t, n, i, j, scan_authority(t, n, j));
}

static size_t try_www(const unsigned char *t, size_t n, size_t i)
{
	if (n - i < 5 || nise_urli_lower(t[i]) != 'w' || nise_urli_lower(t[i + 1]) != 'w' ||
	    nise_urli_lower(t[i + 2]) != 'w')
		return 0;
	size_t j = i + 3;
	size_t k = t[j] == '.' ? 1 : nise_urli_obf_dot((const char *)t + j, n - j);
	if (!k)
		return 0;
	j += k;
	if (j >= n || !(nise_urli_alnum(t[j]) || t[j] >= 0x80))
		return 0;
	size_t ae = scan_authority(t, n, i);
	bool dot = false;
	for (size_t x = j; x < ae; x++) {
		if (t[x] == '@')
			return 0; /* www.x@y: not a URL the parser would take */
		dot = dot || t[x] == '.' || nise_urli_obf_dot((const char *)t + x, ae - x);
	}
	if (!dot)
		return 0;
	size_t e = finish(t, n, i, j, ae);
	/* the cut may have eaten the last label: "www.example." */
	return e > j ? e : 0;
}

static bool label_byte(unsigned char c)
{
	return nise_urli_alnum(c) || c == '-' || c == '_';
}

/* A bare domain at i: the end of the match, or 0 and *skip set to where
 * the scan should resume (past the first label at least). */
static size_t try_bare(const struct nise_urlctx *uc, const unsigned char *t, size_t n, size_t i,
                       size_t *skip)
{
	size_t j = i, labels = 0, last_s = i, last_e = i;
	*skip = i + 1;
	for (;;) {
		size_t ls = j;
		while (j < n && label_byte(t[j]))
			j++;
		if (j == ls)
			break;
		if (++labels == 1)
			*skip = j;
		last_s = ls;
		last_e = j;
		if (j >= n)
			break;
		size_t k = t[j] == '.' ? 1 : nise_urli_obf_dot((const char *)t + j, n - j);
		if (!k || j + k >= n || !label_byte(t[j + k]))
			break;
		j += k;
	}
	if (labels < 2)
		return 0;
	if (last_e < n && t[last_e] == '@') {
		*skip = last_e; /* the local part of a mail address */
		return 0;
	}
	if (!nise_urli_icann_tld(uc, (const char *)t + last_s, last_e - last_s))
		return 0;
	size_t ae = last_e;
	if (ae < n && t[ae] == ':') {
		size_t p = ae + 1;
		while (p < n && p - ae <= 5 && nise_urli_digit(t[p]))
			p++;
		if (p > ae + 1 && (p >= n || !nise_urli_alnum(t[p])))
			ae = p;
	}
	bool slash = ae < n && t[ae] == '/';
	if (nise_urli_ambiguous_tld((const char *)t + last_s, last_e - last_s) && !slash)
		return 0;
	size_t e = ae;
	if (slash) {
		e = scan_path(t, n, ae);
		e = trim_end(t, i, e, ae);
	}
	return e;
}

void nise_url_extract(const struct nise_urlctx *uc, const char *text, size_t n,
                      nise_url_found_fn fn, void *ctx)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0;
	if (!text || !fn)
		return;
	while (i < n) {
		if (!nise_urli_alnum(t[i]) || (i > 0 && nise_urli_alnum(t[i - 1]))) {
			i++;
			continue;
		}
		size_t e = try_scheme(t, n, i);
		bool ws = word_start(t, i);
		if (!e && (ws || t[i - 1] == ':'))
			e = try_www(t, n, i);
		size_t skip = i + 1;
		if (!e && ws && uc)
			e = try_bare(uc, t, n, i, &skip);
		if (e) {
			if (!fn(ctx, text + i, e - i))
				return;
			i = e;
		} else {
			i = skip > i ? skip : i + 1;
		}
	}
}
