/* SPDX-License-Identifier: MIT */
/*
 * util.c — byte-level helpers shared by the URL parser and the extractor.
 *
 * Strict UTF-8 decoding (RFC 3629), the spellings of obfuscated schemes and
 * dots that phishing reports and spam use to defeat auto-linking, the
 * "file extension" top-level domains, dot-segment removal (RFC 3986 5.2.4),
 * punycode encoding (RFC 3492 6.3) for hosts libidn2 refuses, and the
 * percent-encoding and display decoding of URL components.
 *
 * Every function takes (pointer, length), reads nothing outside it and
 * does work linear in it (punycode: quadratic in one label, which
 * NISE_URLI_HOST_MAX bounds).
 */
#include "url/url_int.h"

#include <string.h>

size_t nise_urli_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool nise_urli_web_scheme(const char *p, size_t n, struct nise_urli_scheme *m)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i;
	bool obf;
	const char *name;

	memset(m, 0, sizeof(*m));
	if (n < 4)
		return false;
	unsigned char c0 = nise_urli_lower(s[0]), c1 = nise_urli_lower(s[1]),
		      c2 = nise_urli_lower(s[2]), c3 = nise_urli_lower(s[3]);
	if (c0 == 'h' && (c1 == 't' || c1 == 'x' || c1 == '*') &&
	    (c2 == 't' || c2 == 'x' || c2 == '*') && c3 == 'p') {
		obf = !(c1 == 't' && c2 == 't');
		name = "http";
		i = 4;
	} else if (c0 == 't' && c1 == 't' && c2 == 'p') {
		obf = true;
		name = "http";
		i = 3;
	} else if (c0 == 'f' && (c1 == 't' || c1 == 'x') && c2 == 'p') {
		obf = c1 == 'x';
		name = "ftp";
		i = 3;
	} else {
		return false;
	}
	if (name[0] == 'h' && i < n && nise_urli_lower(s[i]) == 's') {
		name = "https";
		i++;
	}
	if (i < n && s[i] == ':') {
		i++;
	} else if (n - i >= 5 && memcmp(s + i, "[://]", 5) == 0) {
		i += 5;
		m->slashes = true;
		obf = true;
	} else if (n - i >= 3 && (memcmp(s + i, "[:]", 3) == 0 || memcmp(s + i, "(:)", 3) == 0)) {
		i += 3;
		obf = true;
	} else {
		return false;
	}
	m->name = name;
	m->len = i;
	m->obfuscated = obf;
	return true;
}

size_t nise_urli_obf_dot(const char *p, size_t n)
{
	if (n < 3)
		return 0;
	char close;
	switch (p[0]) {
	case '[': close = ']'; break;
	case '(': close = ')'; break;
	case '{': close = '}'; break;
	default: return 0;
	}
	if (p[1] == '.' && p[2] == close)
		return 3;
	if (n >= 5 && nise_urli_lower((unsigned char)p[1]) == 'd' &&
	    nise_urli_lower((unsigned char)p[2]) == 'o' &&
	    nise_urli_lower((unsigned char)p[3]) == 't' && p[4] == close)
		return 5;
	return 0;
}

/*
 * ccTLDs and gTLDs that are, in mail text, far more often a file extension
 * than a domain: autoconf (.ac), Illustrator, automake (.am), macOS
 * bundles, Windows cabinets, C++, sendmail.cf, Makefile.in, libtool (.la),
 * Markdown, make, OCaml, e-books (.mobi), QuickTime, OneNote, Perl, Perl
 * modules, PostScript, public keys (id_rsa.pub), Python, Rust, installers
 * (.run), shell, shared objects, Terraform, zip archives. A bare
 * "name.<one of these>" is a domain only after "www." or before '/'.
 */
static const char *const ambiguous_tlds[] = {
	"ac", "ai", "am", "app", "cab", "cc", "cf", "in", "la", "md", "mk", "ml", "mobi",
	"mov", "one", "pl", "pm", "ps", "pub", "py", "rs", "run", "sh", "so", "tf", "zip",
};

bool nise_urli_ambiguous_tld(const char *label, size_t n)
{
	for (size_t i = 0; i < sizeof(ambiguous_tlds) / sizeof(ambiguous_tlds[0]); i++) {
		const char *t = ambiguous_tlds[i];
		size_t tn = strlen(t);
		if (tn != n)
			continue;
		size_t j = 0;
		while (j < n && nise_urli_lower((unsigned char)label[j]) == (unsigned char)t[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

/* 0: an ordinary segment; 1: "."; 2: "..". */
static int dot_segment(const char *s, size_t n, bool pct)
{
	int dots = 0;
	size_t i = 0;
	while (i < n) {
		if (s[i] == '.') {
			i++;
		} else if (pct && n - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
		           nise_urli_lower((unsigned char)s[i + 2]) == 'e') {
			i += 3;
		} else {
			return 0;
		}
		if (++dots > 2)
			return 0;
	}
	return dots;
}

bool nise_urli_remove_dots(struct nise_buf *out, const char *p, size_t n, bool pct)
{
	size_t floor = out->n;
	size_t i = (n > 0 && p[0] == '/') ? 1 : 0;
	if (n == 0)
		return true;
	for (;;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		bool last = j >= n;
		int kind = dot_segment(p + i, j - i, pct);
		if (kind == 2) {
			while (out->n > floor && out->p[out->n - 1] != '/')
				out->n--;
			if (out->n > floor)
				out->n--;
		}
		if (kind == 0) {
			if (!nise_buf_putc(out, '/') || (j > i && !nise_buf_append(out, p + i, j - i)))
				return false;
		} else if (last && !nise_buf_putc(out, '/')) {
			return false;
		}
		if (last)
			break;
		i = j + 1;
	}
	if (out->p)
		out->p[out->n] = '\0';
	return true;
}

/* RFC 3492 section 5 parameters. */
enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700 };

static uint32_t pc_adapt(uint32_t delta, uint32_t npoints, bool first)
{
	uint32_t k = 0;
	delta = first ? delta / PC_DAMP : delta / 2;
	delta += delta / npoints;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static char pc_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

bool nise_urli_punycode(struct nise_buf *out, const uint32_t *cps, size_t n)
{
	uint32_t nn = 128, delta = 0, bias = 72, h, b = 0;
	if (n > UINT32_MAX / 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (cps[i] < 0x80) {
			if (!nise_buf_putc(out, (char)cps[i]))
				return false;
			b++;
		}
	}
	h = b;
	if (b > 0 && b < n && !nise_buf_putc(out, '-'))
		return false;
	while (h < n) {
		uint32_t m = UINT32_MAX;
		for (size_t i = 0; i < n; i++)
			if (cps[i] >= nn && cps[i] < m)
				m = cps[i];
		if ((m - nn) > (UINT32_MAX - delta) / (h + 1))
			return false;
		delta += (m - nn) * (h + 1);
		nn = m;
		for (size_t i = 0; i < n; i++) {
			if (cps[i] < nn && ++delta == 0)
				return false;
			if (cps[i] != nn)
				continue;
			uint32_t q = delta;
			for (uint32_t k = PC_BASE;; k += PC_BASE) {
				uint32_t t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
				if (q < t)
					break;
				if (!nise_buf_putc(out, pc_digit(t + (q - t) % (PC_BASE - t))))
					return false;
				q = (q - t) / (PC_BASE - t);
			}
			if (!nise_buf_putc(out, pc_digit(q)))
				return false;
			bias = pc_adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++;
		nn++;
	}
	return true;
}

bool nise_urli_display(struct nise_buf *out, const char *s, size_t n)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	unsigned char dec[4];
	size_t i = 0;
	/* Decode lazily: at most 4 decoded bytes are needed to validate one
	 * UTF-8 sequence, so no copy of the whole input is made. */
	while (i < n) {
		size_t plain = i;
		while (plain < n && (unsigned char)s[plain] >= 0x20 && (unsigned char)s[plain] < 0x7F &&
		       s[plain] != '%')
			plain++;
		if (plain > i) {
			if (!nise_buf_append(out, s + i, plain - i))
				return false;
			i = plain;
			continue;
		}
		size_t used[4], k = 0, j = i;
		while (k < 4 && j < n) {
			unsigned char c = (unsigned char)s[j];
			size_t w = 1;
			if (c == '%' && n - j >= 3 && nise_hexval((unsigned char)s[j + 1]) >= 0 &&
			    nise_hexval((unsigned char)s[j + 2]) >= 0) {
				c = (unsigned char)(nise_hexval((unsigned char)s[j + 1]) * 16 +
				                    nise_hexval((unsigned char)s[j + 2]));
				w = 3;
			}
			dec[k] = c;
			used[k++] = w;
			j += w;
			if (k == 1 && c < 0x80)
				break;
		}
		uint32_t cp;
		size_t len = nise_urli_utf8(dec, k, &cp);
		bool ok;
		if (len == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			ok = nise_buf_append(out, fffd, 3);
			len = 1;
		} else {
			ok = nise_buf_append(out, (const char *)dec, len);
		}
		if (!ok)
			return false;
		for (size_t x = 0; x < len; x++)
			i += used[x];
	}
	return true;
}

bool nise_urli_encode(struct nise_buf *out, const char *s, size_t n, const char *extra)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0; /* start of the pending run of bytes copied as-is */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7F && !strchr(extra, c))
			continue;
		if (i > run && !nise_buf_append(out, s + run, i - run))
			return false;
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };
		if (!nise_buf_append(out, e, 3))
			return false;
		run = i + 1;
	}
	if (n > run && !nise_buf_append(out, s + run, n - run))
		return false;
	return true;
}

static bool trim_cp(uint32_t cp)
{
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
	       cp == 0xFEFF || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}

static bool trim_ascii(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || c == '"' || c == '\'';
}

void nise_urli_trim(const char *s, size_t *b, size_t *e)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*b < *e) {
		uint32_t cp;
		size_t len;
		if (trim_ascii(u[*b]))
			(*b)++;
		else if (u[*b] >= 0x80 && (len = nise_urli_utf8(u + *b, *e - *b, &cp)) && trim_cp(cp))
			*b += len;
		else
			break;
	}
	while (*e > *b) {
		if (trim_ascii(u[*e - 1])) {
			(*e)--;
			continue;
		}
		if (u[*e - 1] < 0x80)
			break;
		size_t st = *e - 1, back = 0;
		while (st > *b && back < 3 && (u[st] & 0xC0) == 0x80) {
			st--;
			back++;
		}
		uint32_t cp;
		size_t len = nise_urli_utf8(u + st, *e - st, &cp);
		if (len != *e - st || !trim_cp(cp))
			break;
		*e = st;
	}
}
