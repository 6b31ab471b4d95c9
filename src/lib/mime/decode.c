/* SPDX-License-Identifier: MIT */
/*
 * decode.c — Content-Transfer-Encoding decoders (base64, quoted-printable,
 * uuencode), one pass over the encoded span, streaming their output in
 * small chunks to a sink: the first `keep` bytes into the arena (what text
 * decoding and type sniffing need), every byte into an optional SHA-256.
 * Nothing of size proportional to the part is allocated beyond `keep`.
 *
 * Quirks follow GMime 3.2 (the test oracle), which follows what mail
 * readers do: base64 ignores bytes outside the alphabet and reads '=' as
 * zero bits, dropping one output byte per trailing '=' (at most two);
 * quoted-printable keeps an invalid "=XY" as written; uuencode starts
 * after a "begin " line and stops at a zero-length line or "end".
 */
#include "mime/decode.h"

#include <string.h>
#include <strings.h>

#include "core/chars.h"

static void sink_flush(struct nise_sink *s)
{
	if (!s->cn)
		return;
	if (s->buf && s->buf->n < s->keep) {
		size_t k = s->keep - s->buf->n;
		if (k > s->cn)
			k = s->cn;
		if (!nise_buf_append(s->buf, (const char *)s->chunk, k))
			s->oom = true;
	}
	if (s->md)
		sha256_update(s->md, s->cn, s->chunk);
	s->total += s->cn;
	s->cn = 0;
}

static inline void put(struct nise_sink *s, unsigned char c)
{
	s->chunk[s->cn++] = c;
	if (s->cn == sizeof(s->chunk))
		sink_flush(s);
}

void nise_sink_write(struct nise_sink *s, const char *p, size_t n)
{
	sink_flush(s);
	if (s->buf && s->buf->n < s->keep) {
		size_t k = s->keep - s->buf->n;
		if (k > n)
			k = n;
		if (!nise_buf_append(s->buf, p, k))
			s->oom = true;
	}
	if (s->md)
		sha256_update(s->md, n, (const uint8_t *)p);
	s->total += n;
}

enum nise_cte nise_cte_parse(const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (n == 6 && strncasecmp(v, "base64", 6) == 0)
		return NISE_CTE_BASE64;
	if (n == 16 && strncasecmp(v, "quoted-printable", 16) == 0)
		return NISE_CTE_QP;
	if ((n == 8 && strncasecmp(v, "uuencode", 8) == 0) ||
	    (n == 10 && strncasecmp(v, "x-uuencode", 10) == 0) ||
	    (n == 5 && strncasecmp(v, "x-uue", 5) == 0))
		return NISE_CTE_UUENCODE;
	return NISE_CTE_IDENTITY;
}

static const signed char b64rank[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
	['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15,
	['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29,
	['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
	['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49, ['x'] = 50,
	['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
	['='] = 1, /* '=' reads as zero bits (value 1 - 1) */
};

static void b64(struct nise_sink *s, const unsigned char *p, size_t n)
{
	/* output length first, so trailing '=' can be honoured while streaming */
	size_t valid = 0;
	for (size_t i = 0; i < n; i++)
		valid += b64rank[p[i]] != 0;
	size_t out = valid / 4 * 3;
	/* a trailing '=' drops an output byte of a complete quartet, or
	 * shortens a pending partial one (which is never written) */
	size_t drop = 0, pending = valid % 4;
	for (size_t i = n, seen = 0; i > 0 && seen < 2; i--) {
		if (b64rank[p[i - 1]]) {
			seen++;
			if (p[i - 1] == '=' && drop < out) {
				if (pending == 0)
					drop++;
				else if (pending < 2)
					pending = 0;
				else
					pending--;
			}
		}
	}
	size_t emit = out - drop, done = 0;
	unsigned acc = 0;
	int k = 0;
	for (size_t i = 0; i < n && done < emit; i++) {
		/* the common case: whole quartets of alphabet characters, a
		 * line of them at a time, straight into the sink's chunk */
		while (k == 0 && i + 4 <= n && emit - done >= 3) {
			int a0 = b64rank[p[i]], a1 = b64rank[p[i + 1]], a2 = b64rank[p[i + 2]],
			    a3 = b64rank[p[i + 3]];
			if (!a0 || !a1 || !a2 || !a3)
				break;
			unsigned q = (unsigned)(a0 - 1) << 18 | (unsigned)(a1 - 1) << 12 |
			             (unsigned)(a2 - 1) << 6 | (unsigned)(a3 - 1);
			if (s->cn > sizeof(s->chunk) - 3)
				sink_flush(s);
			unsigned char *o = s->chunk + s->cn;
			o[0] = (unsigned char)(q >> 16);
			o[1] = (unsigned char)(q >> 8);
			o[2] = (unsigned char)q;
			s->cn += 3;
			done += 3;
			i += 4;
		}
		if (i >= n || done >= emit)
			break;
		int v = b64rank[p[i]];
		if (!v)
			continue;
		acc = (acc << 6) | (unsigned)(v - 1);
		if (++k == 4) {
			unsigned char o[3] = {(unsigned char)(acc >> 16), (unsigned char)(acc >> 8), (unsigned char)acc};
			for (int j = 0; j < 3 && done < emit; j++, done++)
				put(s, o[j]);
			k = 0;
			acc = 0;
		}
	}
}

static void qp(struct nise_sink *s, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const unsigned char *eq = memchr(p + i, '=', n - i);
		size_t run = eq ? (size_t)(eq - (p + i)) : n - i;
		if (run) {
			sink_flush(s);
			nise_sink_write(s, (const char *)p + i, run);
			i += run;
		}
		if (!eq)
			break;
		i++; /* '=' */
		if (i >= n)
			break;
		unsigned char c1 = p[i++];
		if (c1 == '\n')
			continue; /* soft line break */
		if (i >= n)
			break;
		unsigned char c2 = p[i++];
		int h = nise_hexval(c1), l = nise_hexval(c2);
		if (h >= 0 && l >= 0) {
			put(s, (unsigned char)(h * 16 + l));
		} else if (c1 == '\r' && c2 == '\n') {
			/* soft line break */
		} else {
			put(s, '=');
			put(s, c1);
			put(s, c2);
		}
	}
}

static void uu(struct nise_sink *s, const unsigned char *p, size_t n)
{
	size_t i = 0;
	bool begun = false;
	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		size_t le = nl ? (size_t)(nl - p) : n;
		const unsigned char *l = p + i;
		size_t ln = le - i;
		if (ln && l[ln - 1] == '\r')
			ln--;
		i = nl ? le + 1 : n;
		if (!begun) {
			begun = ln >= 6 && memcmp(l, "begin ", 6) == 0;
			continue;
		}
		if (ln == 0)
			continue;
		if (ln >= 3 && memcmp(l, "end", 3) == 0)
			break;
		size_t len = (size_t)((l[0] - 32) & 63);
		if (len == 0)
			break;
		size_t j = 1, done = 0;
		while (done < len && j + 3 < ln + 1) {
			unsigned v[4];
			for (int k = 0; k < 4; k++)
				v[k] = j + (size_t)k < ln ? (unsigned)((l[j + (size_t)k] - 32) & 63) : 0;
			unsigned char o[3] = {(unsigned char)(v[0] << 2 | v[1] >> 4),
			                      (unsigned char)(v[1] << 4 | v[2] >> 2), (unsigned char)(v[2] << 6 | v[3])};
			for (int k = 0; k < 3 && done < len; k++, done++)
				put(s, o[k]);
			j += 4;
		}
	}
}

void nise_cte_decode(struct nise_sink *s, enum nise_cte cte, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	switch (cte) {
	case NISE_CTE_BASE64: b64(s, u, n); break;
	case NISE_CTE_QP: qp(s, u, n); break;
	case NISE_CTE_UUENCODE: uu(s, u, n); break;
	default: nise_sink_write(s, p, n); break;
	}
	sink_flush(s);
}
