/* SPDX-License-Identifier: MIT */
/*
 * host.c — URL hosts: IP literals, IDNA and the Public Suffix List.
 *
 * This file is the project's only adapter for libidn2 and libpsl; the rest
 * of nise sees a host as two strings (Unicode and punycode) plus a
 * registrable domain.
 *
 * The host pipeline follows the WHATWG URL Standard "host parser":
 * percent-decode, UTS #46 mapping (IDNA2008 non-transitional, then
 * transitional as a fallback, like browsers that accept what IDNA2008
 * alone would reject), forbidden code points, then the IPv4 parser when
 * the last label is a number — so 3232235777, 0xC0A80101, 0300.0250.1.1
 * and 192.168.257 all become the dotted quad a browser would connect to.
 * Differences from the standard, on purpose: trailing dots are removed,
 * and a host libidn2 refuses (emoji, leading hyphens, overlong labels) is
 * still encoded label by label with raw punycode instead of being refused,
 * so that a phishing host is analysed rather than dropped.
 *
 * The registrable domain comes from the PSL including its private section
 * (foo.github.io is its own site). The PSL data is the newest of libpsl's
 * built-in list and the system's /usr/share/publicsuffix (psl_latest()).
 */
#include "core/hash.h"
#include "url/url_int.h"

#include <idn2.h>
#include <libpsl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Read-only after nise_urlctx_new; shared by all threads (libpsl lookups
 * do not modify the context). */
struct nise_urlctx {
	const psl_ctx_t *psl; /* never NULL */
	psl_ctx_t *owned;     /* what psl_latest() returned, freed with the ctx */
	uint64_t id;          /* unique in the process: keys the suffix memo */
};

static _Atomic uint64_t urlctx_ids;

/* ---- the public-suffix memo --------------------------------------------
 *
 * The same hosts come back within a mail (its relays, its links) and from
 * mail to mail; libpsl's walk costs ~2,000 instructions a host (a tenth of
 * a plain-text ham's scan). A small direct-mapped memo per thread keeps
 * the answer of psl_unregistrable_domain as an offset into the host; an
 * entry holds the whole host and the id of the context that answered (a
 * context freed and another made at its address has another id), so a
 * hit is exactly the answer libpsl would give. */
enum { MEMO_SLOTS = 256, MEMO_HOST = 62 };

struct memo_slot {
	uint64_t ctx;  /* 0: empty */
	uint64_t hash;
	uint8_t len;
	int16_t suf;   /* offset of the suffix in the host; -1: NULL */
	char host[MEMO_HOST];
};

static _Thread_local struct memo_slot memo[MEMO_SLOTS];

/* psl_unregistrable_domain(ctx->psl, asc), remembered */
static const char *unregistrable(const struct nise_urlctx *ctx, const char *asc, size_t n)
{
	if (n > MEMO_HOST)
		return psl_unregistrable_domain(ctx->psl, asc);
	uint64_t h = nise_fnv1a(NISE_FNV_OFFSET, asc, n);
	struct memo_slot *m = &memo[h % MEMO_SLOTS];
	if (m->ctx == ctx->id && m->hash == h && m->len == n && memcmp(m->host, asc, n) == 0)
		return m->suf < 0 ? NULL : asc + m->suf;
	const char *suf = psl_unregistrable_domain(ctx->psl, asc);
	if (suf && (suf < asc || suf > asc + n))
		return suf; /* not within the host: not kept */
	m->ctx = ctx->id;
	m->hash = h;
	m->len = (uint8_t)n;
	m->suf = suf ? (int16_t)(suf - asc) : -1;
	memcpy(m->host, asc, n);
	return suf;
}

nise_rc nise_urlctx_new(struct nise_urlctx **out)
{
	*out = NULL;
	struct nise_urlctx *c = calloc(1, sizeof(*c));
	if (!c)
		return NISE_ENOMEM;
	c->owned = psl_latest(NULL);
	c->psl = c->owned ? c->owned : psl_builtin();
	if (!c->psl) {
		free(c);
		return NISE_EIO;
	}
	c->id = atomic_fetch_add(&urlctx_ids, 1) + 1;
	*out = c;
	return NISE_OK;
}

void nise_urlctx_free(struct nise_urlctx *ctx)
{
	if (!ctx)
		return;
	psl_free(ctx->owned); /* a no-op for the built-in list */
	free(ctx);
}

bool nise_urli_icann_tld(const struct nise_urlctx *ctx, const char *label, size_t n)
{
	char buf[64];
	if (!ctx || n == 0 || n >= sizeof(buf))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (label[i] == '\0' || label[i] == '.')
			return false;
		buf[i] = (char)nise_urli_lower((unsigned char)label[i]);
	}
	buf[n] = '\0';
	return psl_is_public_suffix2(ctx->psl, buf, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* ---- IPv4 (WHATWG "IPv4 parser") ------------------------------------ */

#define V4_BIG ((uint64_t)1 << 40)

/* One part in decimal, octal (leading 0) or hex (0x; "0x" alone is 0).
 * Values past 2^40 saturate: they are invalid either way. */
static bool v4_number(const char *s, size_t n, uint64_t *v)
{
	unsigned base = 10;
	if (n >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		s += 2;
		n -= 2;
	} else if (n >= 2 && s[0] == '0') {
		base = 8;
		s++;
		n--;
	}
	uint64_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		int d = nise_hexval((unsigned char)s[i]);
		if (d < 0 || (unsigned)d >= base)
			return false;
		if (acc < V4_BIG)
			acc = acc * base + (unsigned)d;
	}
	*v = acc;
	return true;
}

int nise_url_parse_ipv4(const char *s, size_t n, uint32_t *out)
{
	size_t ls = n;
	while (ls > 0 && s[ls - 1] != '.')
		ls--;
	size_t ln = n - ls;
	bool digits = ln > 0;
	for (size_t i = ls; i < n; i++)
		digits = digits && nise_urli_digit((unsigned char)s[i]);
	uint64_t tmp;
	if (!digits && !(ln >= 2 && s[ls] == '0' && (s[ls + 1] | 0x20) == 'x' &&
	                 v4_number(s + ls, ln, &tmp)))
		return 0;

	uint64_t parts[4];
	size_t np = 0, i = 0;
	for (;;) {
		size_t j = i;
		while (j < n && s[j] != '.')
			j++;
		if (np == 4 || j == i || !v4_number(s + i, j - i, &parts[np]))
			return -1;
		np++;
		if (j >= n)
			break;
		i = j + 1;
	}
	uint64_t v = parts[np - 1];
	if (v >= (uint64_t)1 << (8 * (5 - np)))
		return -1;
	for (size_t k = 0; k + 1 < np; k++) {
		if (parts[k] > 255)
			return -1;
		v += parts[k] << (8 * (3 - k));
	}
	*out = (uint32_t)v;
	return 1;
}

/* ---- IPv6 (WHATWG "IPv6 parser" and "IPv6 serializer") --------------- */

static bool parse_ipv6(const char *s, size_t n, uint16_t a[8])
{
	int piece = 0, compress = -1;
	size_t i = 0;
	memset(a, 0, 8 * sizeof(a[0]));
	if (i < n && s[i] == ':') {
		if (n < 2 || s[1] != ':')
			return false;
		i = 2;
		compress = ++piece;
	}
	while (i < n) {
		if (piece == 8)
			return false;
		if (s[i] == ':') {
			if (compress != -1)
				return false;
			i++;
			compress = ++piece;
			continue;
		}
		unsigned v = 0, len = 0;
		while (len < 4 && i < n && nise_hexval((unsigned char)s[i]) >= 0) {
			v = v * 16 + (unsigned)nise_hexval((unsigned char)s[i]);
			i++;
			len++;
		}
		if (i < n && s[i] == '.') {
			/* embedded IPv4 in the last 32 bits */
			if (len == 0 || piece > 6)
				return false;
			i -= len;
			int seen = 0;
			while (i < n) {
				int val = -1;
				if (seen > 0) {
					if (s[i] != '.' || seen >= 4)
						return false;
					i++;
				}
				if (i >= n || !nise_urli_digit((unsigned char)s[i]))
					return false;
				while (i < n && nise_urli_digit((unsigned char)s[i])) {
					int d = s[i] - '0';
					if (val == 0)
						return false;
					val = val < 0 ? d : val * 10 + d;
					if (val > 255)
						return false;
					i++;
				}
				a[piece] = (uint16_t)(a[piece] * 0x100 + val);
				seen++;
				if (seen == 2 || seen == 4)
					piece++;
			}
			if (seen != 4)
				return false;
			break;
		}
		if (i < n && s[i] == ':') {
			i++;
			if (i >= n)
				return false;
		} else if (i < n) {
			return false;
		}
		a[piece++] = (uint16_t)v;
	}
	if (compress != -1) {
		int swaps = piece - compress;
		piece = 7;
		while (piece != 0 && swaps > 0) {
			uint16_t t = a[piece];
			a[piece] = a[compress + swaps - 1];
			a[compress + swaps - 1] = t;
			piece--;
			swaps--;
		}
	} else if (piece != 8) {
		return false;
	}
	return true;
}

static char *ipv6_string(struct nise_arena *a, const uint16_t v[8])
{
	static const char hex[] = "0123456789abcdef";
	int best = -1, bestlen = 1;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && v[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	char buf[48];
	size_t n = 0;
	buf[n++] = '[';
	bool skip0 = false;
	for (int i = 0; i < 8; i++) {
		if (skip0 && v[i] == 0)
			continue;
		skip0 = false;
		if (i == best) {
			buf[n++] = ':';
			if (i == 0)
				buf[n++] = ':';
			skip0 = true;
			continue;
		}
		bool lead = true;
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned d = (v[i] >> sh) & 15;
			if (lead && d == 0 && sh)
				continue;
			lead = false;
			buf[n++] = hex[d];
		}
		if (i != 7)
			buf[n++] = ':';
	}
	buf[n++] = ']';
	return nise_arena_strndup(a, buf, n);
}

/* ---- IDNA ------------------------------------------------------------ */

static bool is_dot_cp(uint32_t cp)
{
	return cp == '.' || cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61;
}

/* Label-by-label fallback for a host libidn2 refuses: ASCII lowercased,
 * ideographic full stops as dots, raw punycode for non-ASCII labels. */
static nise_rc ascii_fallback(struct nise_buf *out, struct nise_arena *a, const char *s, size_t n)
{
	uint32_t *cps = nise_arena_calloc(a, n + 1, sizeof(*cps));
	if (!cps)
		return NISE_ENOMEM;
	size_t i = 0;
	while (i <= n) {
		size_t k = 0;
		bool ascii = true;
		uint32_t cp = 0;
		size_t len = 0;
		while (i < n && (len = nise_urli_utf8((const unsigned char *)s + i, n - i, &cp)) &&
		       !is_dot_cp(cp)) {
			cps[k++] = cp < 0x80 ? nise_urli_lower((unsigned char)cp) : cp;
			ascii = ascii && cp < 0x80;
			i += len;
		}
		if (i < n && len == 0)
			return NISE_EPARSE; /* the caller validated; defensive */
		if (!ascii && !nise_buf_append(out, "xn--", 4))
			return NISE_ENOMEM;
		for (size_t x = 0; ascii && x < k; x++)
			if (!nise_buf_putc(out, (char)cps[x]))
				return NISE_ENOMEM;
		if (!ascii && !nise_urli_punycode(out, cps, k))
			return out->a && nise_arena_exhausted(out->a) ? NISE_ENOMEM : NISE_EPARSE;
		if (i >= n)
			break;
		if (!nise_buf_putc(out, '.'))
			return NISE_ENOMEM;
		i += len;
	}
	return NISE_OK;
}

/* s is NUL-terminated, n bytes, no NUL inside. */
static nise_rc to_ascii(char **out, struct nise_arena *a, const char *s, size_t n, bool ascii)
{
	if (ascii) {
		char *p = nise_arena_strndup(a, s, n);
		if (!p)
			return NISE_ENOMEM;
		for (size_t i = 0; i < n; i++)
			p[i] = (char)nise_urli_lower((unsigned char)p[i]);
		*out = p;
		return NISE_OK;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = nise_urli_utf8((const unsigned char *)s + i, n - i, &cp);
		if (!len)
			return NISE_EPARSE;
		i += len;
	}
	char *o = NULL;
	int rc = idn2_to_ascii_8z(s, &o, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		idn2_free(o);
		o = NULL;
		rc = idn2_to_ascii_8z(s, &o, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
	}
	if (rc == IDN2_OK && o) {
		nise_rc r = to_ascii(out, a, o, strlen(o), true);
		idn2_free(o);
		return r;
	}
	idn2_free(o);
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	nise_rc r = ascii_fallback(&b, a, s, n);
	if (r != NISE_OK)
		return r;
	if (!nise_buf_putc(&b, '\0'))
		return NISE_ENOMEM;
	*out = b.p;
	return NISE_OK;
}

/* Invisible or direction-changing code points: a label holding one stays
 * in punycode in the Unicode host, so that nothing downstream displays a
 * host that reads differently from what it is. */
static bool invisible_cp(uint32_t cp)
{
	return cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

/* A decoded label is used only if it cannot change how the host splits
 * or reads: no dots of any kind, no ASCII outside LDH-ish bytes, nothing
 * invisible. */
static bool safe_unicode_label(const char *u)
{
	size_t n = strlen(u);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = nise_urli_utf8((const unsigned char *)u + i, n - i, &cp);
		if (!len || is_dot_cp(cp) || (cp >= 0x80 && cp < 0xA0) || invisible_cp(cp))
			return false;
		if (cp < 0x80 && !nise_urli_alnum((unsigned char)cp) && cp != '-' && cp != '_')
			return false;
		i += len;
	}
	return true;
}

static nise_rc to_unicode(const char **out, bool *puny, struct nise_arena *a, const char *s, size_t n)
{
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	*puny = false;
	for (size_t i = 0; i <= n;) {
		size_t j = i;
		while (j < n && s[j] != '.')
			j++;
		const char *lab = s + i;
		size_t ln = j - i;
		bool done = false;
		if (ln > 4 && memcmp(lab, "xn--", 4) == 0) {
			*puny = true;
			char *tmp = nise_arena_strndup(a, lab, ln);
			char *u = NULL;
			if (!tmp)
				return NISE_ENOMEM;
			if (idn2_to_unicode_8z8z(tmp, &u, 0) == IDN2_OK && u && safe_unicode_label(u)) {
				done = true;
				if (!nise_buf_append(&b, u, strlen(u))) {
					idn2_free(u);
					return NISE_ENOMEM;
				}
			}
			idn2_free(u);
		}
		if (!done && ln && !nise_buf_append(&b, lab, ln))
			return NISE_ENOMEM;
		if (j >= n)
			break;
		if (!nise_buf_putc(&b, '.'))
			return NISE_ENOMEM;
		i = j + 1;
	}
	if (!nise_buf_putc(&b, '\0'))
		return NISE_ENOMEM;
	*out = b.p;
	return NISE_OK;
}

/* ---- the host pipeline ----------------------------------------------- */

/* WHATWG's forbidden host code points, plus the quotes: a quote ends a
 * URL in mail text, so a host holding one could not survive being
 * written out and read back (found by fuzz_url's idempotence check). */
static bool forbidden_host_byte(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || (c < 0x80 && strchr("#%/:<>?@[\\]^|\"'", c) != NULL);
}

static size_t count_labels(const char *s)
{
	size_t k = 1;
	for (; *s; s++)
		k += *s == '.';
	return k;
}

/* The last k labels of s. */
static const char *last_labels(const char *s, size_t k)
{
	size_t n = strlen(s), seen = 0;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '.' && ++seen == k)
			return s + i;
	return s;
}

static void set_ip(struct nise_urli_host *out, const char *ip)
{
	out->host = out->host_ascii = out->domain = ip;
	out->is_ip = true;
}

nise_rc nise_urli_host(struct nise_urli_host *out, struct nise_arena *a,
                       const struct nise_urlctx *ctx, const char *s, size_t n)
{
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > NISE_URLI_HOST_MAX)
		return NISE_EPARSE;
	if (s[0] == '[') {
		uint16_t v6[8];
		if (n < 2 || s[n - 1] != ']' || !parse_ipv6(s + 1, n - 2, v6))
			return NISE_EPARSE;
		char *h = ipv6_string(a, v6);
		if (!h)
			return NISE_ENOMEM;
		set_ip(out, h);
		return NISE_OK;
	}

	char *d = nise_arena_alloc(a, n + 1);
	if (!d)
		return NISE_ENOMEM;
	size_t dn = 0;
	bool ascii = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && n - i >= 3 && nise_hexval((unsigned char)s[i + 1]) >= 0 &&
		    nise_hexval((unsigned char)s[i + 2]) >= 0) {
			c = (unsigned char)(nise_hexval((unsigned char)s[i + 1]) * 16 +
			                    nise_hexval((unsigned char)s[i + 2]));
			i += 2;
		}
		if (c == '\0')
			return NISE_EPARSE;
		ascii = ascii && c < 0x80;
		d[dn++] = (char)c;
	}
	d[dn] = '\0';

	char *asc;
	nise_rc rc = to_ascii(&asc, a, d, dn, ascii);
	if (rc != NISE_OK)
		return rc;
	size_t an = strlen(asc);
	while (an > 0 && asc[an - 1] == '.')
		an--;
	asc[an] = '\0';
	if (an == 0)
		return NISE_EPARSE;
	for (size_t i = 0; i < an; i++)
		if (forbidden_host_byte((unsigned char)asc[i]))
			return NISE_EPARSE;

	uint32_t v4;
	int r4 = nise_url_parse_ipv4(asc, an, &v4);
	if (r4 < 0)
		return NISE_EPARSE;
	if (r4 > 0) {
		char *ip = nise_arena_printf(a, "%u.%u.%u.%u", (unsigned)(v4 >> 24),
		                             (unsigned)(v4 >> 16) & 255, (unsigned)(v4 >> 8) & 255,
		                             (unsigned)v4 & 255);
		if (!ip)
			return NISE_ENOMEM;
		set_ip(out, ip);
		return NISE_OK;
	}

	out->host_ascii = asc;
	rc = to_unicode(&out->host, &out->is_punycode, a, asc, an);
	if (rc != NISE_OK)
		return rc;
	out->domain = out->host;
	if (ctx) {
		/* One walk of the list, not two: libpsl's registrable domain is
		 * the label before the longest public suffix (both functions
		 * test the same suffixes from the left), so it is found from
		 * psl_unregistrable_domain's answer (a third of a mail's CPU on
		 * plain-text ham went to the two walks). */
		const char *suf = unregistrable(ctx, asc, an);
		const char *reg = NULL;
		if (suf && suf > asc && *asc != '.') {
			reg = asc;
			for (const char *p = suf - 1; p > asc; p--)
				if (p[-1] == '.') {
					reg = p;
					break;
				}
		}
		if (reg) {
			out->domain = last_labels(out->host, count_labels(reg));
			out->has_registrable = true;
		}
		if (suf && *suf)
			out->tld = last_labels(out->host, count_labels(suf));
	}
	return NISE_OK;
}

bool nise_url_host_to_ascii(char *out, size_t cap, const char *host, size_t n)
{
	bool ascii = true;
	for (size_t i = 0; i < n; i++) {
		if (host[i] == '\0')
			return false;
		ascii = ascii && (unsigned char)host[i] < 0x80;
	}
	if (ascii) {
		if (n >= cap)
			return false;
		for (size_t i = 0; i < n; i++)
			out[i] = (char)nise_urli_lower((unsigned char)host[i]);
		out[n] = '\0';
		return true;
	}
	struct nise_arena *a = nise_arena_new(16 * n + 4096, false);
	if (!a)
		return false;
	char *s = nise_arena_strndup(a, host, n), *o = NULL;
	bool ok = s && to_ascii(&o, a, s, n, false) == NISE_OK && o && strlen(o) < cap;
	if (ok)
		memcpy(out, o, strlen(o) + 1);
	nise_arena_free(a);
	return ok;
}

const char *nise_url_host_unicode(struct nise_arena *a, const char *host)
{
	if (!host)
		return NULL;
	size_t n = strlen(host);
	struct nise_urli_host h;
	nise_rc rc = nise_urli_host(&h, a, NULL, host, n);
	if (rc == NISE_OK)
		return h.host;
	if (rc == NISE_ENOMEM)
		return NULL;
	char *p = nise_arena_strndup(a, host, n);
	for (size_t i = 0; p && i < n; i++)
		p[i] = (char)nise_urli_lower((unsigned char)p[i]);
	return p;
}

const char *nise_url_registrable(struct nise_arena *a, const struct nise_urlctx *ctx,
                                 const char *host)
{
	struct nise_urli_host h;
	if (!host || !ctx)
		return NULL;
	if (nise_urli_host(&h, a, ctx, host, strlen(host)) != NISE_OK || h.is_ip ||
	    !h.has_registrable)
		return NULL;
	return h.domain;
}
