/* SPDX-License-Identifier: MIT */
/*
 * sbcanon.c — Safe Browsing canonicalisation, expressions and hashes.
 *
 * Follows developers.google.com/safe-browsing/v4/urls-hashing (the v5
 * page keeps the same rules); its published examples are the table in
 * tests/unit/test_sb.c. The URL is split first (scheme, authority, path,
 * query; the fragment dropped) and each part is unescaped on its own, so
 * that an escaped "%23" in the host stays in the host and comes back as
 * "%23". Unescaping repeats until nothing changes; every pass shortens the
 * string, so it ends.
 *
 * Host: userinfo and port dropped, leading/trailing dots removed, dot runs
 * collapsed, lowercased; a host that inet_aton(3) would read as an IPv4
 * address (1-4 parts, decimal, 0x hex or 0-octal) becomes dotted quad.
 * Path: "/./" and "/../" resolved, "//" runs collapsed, "/" when empty.
 * Query: unescaped and re-escaped only.
 */
#include "intel/sb.h"

/* SHA-256 by Nettle, context on the stack, no provider lookup (OpenSSL's
 * one-shot SHA256() and EVP cost 780 and 180 ns per expression here, a
 * lookup hashes up to 30): the library does not link libcrypto at all. */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "core/chars.h"
#include "url/url.h"

/* Removes tab, CR, LF; trims leading and trailing spaces (<= 0x20). */
static size_t strip(char *d, const char *s, size_t n, size_t cap)
{
	while (n && (unsigned char)*s <= 0x20) {
		s++;
		n--;
	}
	while (n && (unsigned char)s[n - 1] <= 0x20)
		n--;
	size_t w = 0;
	for (size_t i = 0; i < n && w + 1 < cap; i++)
		if (s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			d[w++] = s[i];
	d[w] = '\0';
	return w;
}

/* One pass of %XX decoding in place; returns the new length. */
static size_t unescape_once(char *s, size_t n, bool *changed)
{
	size_t w = 0;
	*changed = false;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = nise_hexval((unsigned char)s[i + 1])) >= 0 && (l = nise_hexval((unsigned char)s[i + 2])) >= 0) {
			s[w++] = (char)(h << 4 | l);
			i += 2;
			*changed = true;
		} else {
			s[w++] = s[i];
		}
	}
	return w;
}

static size_t unescape_all(char *s, size_t n)
{
	bool changed = true;
	while (changed)
		n = unescape_once(s, n, &changed);
	return n;
}

/* Escapes bytes <= 0x20, >= 0x7f, '#' and '%' from s[0..n) into d. */
static bool escape(char *d, size_t cap, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%') {
			if (w + 3 >= cap) {
				d[w] = '\0';
				return false;
			}
			d[w++] = '%';
			d[w++] = hex[c >> 4];
			d[w++] = hex[c & 15];
		} else {
			if (w + 1 >= cap) {
				d[w] = '\0';
				return false;
			}
			d[w++] = (char)c;
		}
	}
	d[w] = '\0';
	return true;
}

/* Rewrites host as a dotted quad when inet_aton would read it as IPv4
 * (the URL parser's reading: one rule for both). */
static bool normalise_ipv4(char *host, size_t cap)
{
	uint32_t v;
	if (nise_url_parse_ipv4(host, strlen(host), &v) != 1)
		return false;
	snprintf(host, cap, "%u.%u.%u.%u", (unsigned)(v >> 24 & 255), (unsigned)(v >> 16 & 255),
	         (unsigned)(v >> 8 & 255), (unsigned)(v & 255));
	return true;
}

static void canon_host(char *h, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (c == '.' && (w == 0 || h[w - 1] == '.'))
			continue;
		h[w++] = (c >= 'A' && c <= 'Z') ? (char)(c | 32) : c;
	}
	while (w && h[w - 1] == '.')
		w--;
	h[w] = '\0';
}

/* Resolves "." and ".." segments and collapses "//" in place; p[0] is
 * '/'. A path that ends in "/", "/." or "/.." keeps a trailing slash. */
static size_t canon_path(char *p, size_t n)
{
	size_t w = 1; /* output so far: p[0..w), always ends with '/' or a segment */
	size_t i = 1;
	bool trailing = false;
	while (i <= n) {
		size_t start = i;
		while (i < n && p[i] != '/')
			i++;
		size_t len = i - start;
		bool last = i >= n;
		i++; /* past the '/' */
		if (len == 0 || (len == 1 && p[start] == '.')) {
			trailing = true;
			continue;
		}
		if (len == 2 && p[start] == '.' && p[start + 1] == '.') {
			/* drop the last output segment */
			if (w > 1) {
				w--; /* the '/' after it */
				while (w > 1 && p[w - 1] != '/')
					w--;
			}
			trailing = true;
			continue;
		}
		memmove(p + w, p + start, len);
		w += len;
		p[w++] = '/';
		trailing = !last;
	}
	/* every segment was written with a '/' after it */
	if (!trailing && w > 1)
		w--;
	p[w] = '\0';
	return w;
}

/* Drops ":digits" ports left at the end of a decoded host ("a.:80." →
 * "a"), trimming dots again after each, so that the canonical host has
 * no port a second canonicalisation would strip (fuzz_sb found
 * "x.:8080." giving "x.:8080" and then "x"). IPv6 literals are left. */
static void strip_ports(char *h)
{
	if (h[0] == '[')
		return;
	for (;;) {
		size_t k = strlen(h);
		while (k > 0 && h[k - 1] >= '0' && h[k - 1] <= '9')
			k--;
		if (k == 0 || h[k - 1] != ':')
			return;
		h[k - 1] = '\0';
		canon_host(h, k - 1);
	}
}

/* A host with non-ASCII bytes in its ASCII (punycode) form, the form a
 * link's URL has (nise_url_host_to_ascii): a feed naming the Unicode host
 * and a mail linking to the punycode one, or the reverse, give one
 * expression. Invalid UTF-8 or a host IDNA refuses stays as it is (its
 * bytes are escaped below) unless it cannot be a host at all. */
static bool ascii_host(char *host, size_t cap)
{
	size_t n = strlen(host);
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)host[i] < 0x80;
	if (ascii)
		return true;
	char tmp[NISE_SB_MAX_URL];
	/* a '%' left after unescaping (no hex pair followed it) stays out of
	 * IDNA: punycode moves the non-ASCII bytes away and can join it to the
	 * letters after it ("htt%A\326\2761jp" -> "xn--htt%a1jp-…"), an escape
	 * the next canonicalisation would decode, so the result would not be
	 * canonical (fuzz_sb found it) */
	if (memchr(host, '%', n))
		return true;
	if (nise_url_host_to_ascii(tmp, sizeof(tmp), host, n) && tmp[0]) {
		canon_host(tmp, strlen(tmp));
		if (tmp[0] && strlen(tmp) < cap)
			memcpy(host, tmp, strlen(tmp) + 1);
	}
	return host[0] != '\0';
}

nise_rc nise_sb_canon(struct nise_sb_url *out, const char *s, size_t n)
{
	/* not memset: three 4 KiB buffers per lookup; escape() ends each string */
	memset(out->scheme, 0, sizeof(out->scheme));
	out->host[0] = out->path[0] = out->query[0] = '\0';
	out->has_query = out->host_is_ip = false;
	char buf[NISE_SB_MAX_URL];
	if (n >= sizeof(buf) * 4)
		return NISE_ELIMIT;
	size_t len = strip(buf, s, n, sizeof(buf));
	if (len + 1 >= sizeof(buf))
		return NISE_ELIMIT;
	char *hash = memchr(buf, '#', len);
	if (hash)
		len = (size_t)(hash - buf);
	buf[len] = '\0';

	/* scheme */
	const char *p = buf, *end = buf + len;
	const char *colon = strstr(buf, "://");
	bool has_scheme = false;
	if (colon && colon > buf && colon - buf < (ptrdiff_t)sizeof(out->scheme)) {
		has_scheme = true;
		for (const char *q = buf; q < colon; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			      (q > buf && ((*q >= '0' && *q <= '9') || *q == '+' || *q == '-' || *q == '.'))))
				has_scheme = false;
	}
	if (has_scheme) {
		size_t sl = (size_t)(colon - buf);
		for (size_t i = 0; i < sl; i++)
			out->scheme[i] = (char)(buf[i] | 32);
		p = colon + 3;
	} else {
		memcpy(out->scheme, "http", 5);
	}

	/* authority: up to '/', '?' */
	const char *auth = p;
	while (p < end && *p != '/' && *p != '?')
		p++;
	const char *auth_end = p;
	const char *at = NULL;
	for (const char *q = auth; q < auth_end; q++)
		if (*q == '@')
			at = q;
	if (at)
		auth = at + 1;
	/* port: ":digits" at the end (an IPv6 literal is not normalised) */
	const char *hend = auth_end;
	for (const char *q = auth_end; q > auth; q--) {
		if (q[-1] == ':') {
			hend = q - 1;
			break;
		}
		if (q[-1] < '0' || q[-1] > '9')
			break;
	}
	size_t hl = (size_t)(hend - auth);
	char host[NISE_SB_MAX_URL];
	memcpy(host, auth, hl);
	hl = unescape_all(host, hl);
	host[hl] = '\0';
	hl = strlen(host); /* a NUL ends the host (fuzz_sb: "x.\0" kept its dot) */
	canon_host(host, hl);
	strip_ports(host);
	hl = strlen(host);
	if (hl == 0)
		return NISE_EPARSE;
	if (!ascii_host(host, sizeof(host)))
		return NISE_EPARSE;
	if (normalise_ipv4(host, sizeof(host)))
		out->host_is_ip = true;
	if (!escape(out->host, sizeof(out->host), host, strlen(host)))
		return NISE_ELIMIT;

	/* path and query */
	const char *path = p;
	while (p < end && *p != '?')
		p++;
	char tmp[NISE_SB_MAX_URL + 2];
	size_t pl = (size_t)(p - path);
	tmp[0] = '/';
	memcpy(tmp + 1, path, pl);
	pl = unescape_all(tmp, pl + 1);
	pl = canon_path(tmp, pl);
	if (!escape(out->path, sizeof(out->path), tmp, pl))
		return NISE_ELIMIT;
	if (p < end) {
		out->has_query = true;
		size_t ql = (size_t)(end - p - 1);
		memcpy(tmp, p + 1, ql);
		ql = unescape_all(tmp, ql);
		if (!escape(out->query, sizeof(out->query), tmp, ql))
			return NISE_ELIMIT;
	}
	return NISE_OK;
}

bool nise_sb_format(const struct nise_sb_url *u, char *buf, size_t bn)
{
	int w = snprintf(buf, bn, "%s://%s%s%s%s", u->scheme, u->host, u->path, u->has_query ? "?" : "",
	                 u->query);
	return w > 0 && (size_t)w < bn;
}

bool nise_sb_exact(const struct nise_sb_url *u, char *buf, size_t bn)
{
	int w = snprintf(buf, bn, "%s%s%s%s", u->host, u->path, u->has_query ? "?" : "", u->query);
	return w > 0 && (size_t)w < bn;
}

#define MAX_EXPR_BYTES (3 * NISE_SB_MAX_URL + 2)

/* a + b [+ "?" + q] into e (cap bytes); 0 when it does not fit. Not
 * snprintf: a lookup builds a dozen of these. */
static size_t join(char *e, size_t cap, const char *a, const char *b, const char *q)
{
	size_t al = strlen(a), bl = strlen(b), ql = q ? strlen(q) + 1 : 0;
	if (al + bl + ql >= cap)
		return 0;
	memcpy(e, a, al);
	memcpy(e + al, b, bl);
	if (q) {
		e[al + bl] = '?';
		memcpy(e + al + bl + 1, q, ql - 1);
	}
	e[al + bl + ql] = '\0';
	return al + bl + ql;
}

size_t nise_sb_expressions(const struct nise_sb_url *u, nise_sb_expr_fn fn, void *ctx)
{
	/* hosts: exact, then suffixes of the last five labels, down to two */
	const char *hosts[5];
	size_t nh = 0;
	hosts[nh++] = u->host;
	if (!u->host_is_ip) {
		/* the last five dots, found from the end: a host of any length
		 * yields its own trailing suffixes (dots[k - 1] is the k-th dot
		 * from the right; the suffix with k labels starts after it) */
		const char *dots[5];
		size_t nd = 0;
		for (const char *q = u->host + strlen(u->host); q > u->host && nd < 5;)
			if (*--q == '.')
				dots[nd++] = q;
		size_t kmax = nd < 5 ? nd : 5;
		for (size_t k = kmax; k >= 2; k--)
			hosts[nh++] = dots[k - 1] + 1;
	}
	/* paths: with query, without, then "/", "/a/", "/a/b/", "/a/b/c/" */
	char prefixes[4][NISE_SB_MAX_URL];
	size_t npre = 0;
	const char *pa = u->path;
	size_t plen = strlen(pa);
	for (size_t i = 0; i < plen && npre < 4; i++) {
		if (pa[i] != '/')
			continue;
		memcpy(prefixes[npre], pa, i + 1);
		prefixes[npre][i + 1] = '\0';
		npre++;
	}
	char e[MAX_EXPR_BYTES];
	size_t count = 0;
	for (size_t h = 0; h < nh; h++) {
		const char *paths[6];
		size_t np = 0;
		if (u->has_query)
			paths[np++] = NULL; /* path + query */
		paths[np++] = pa;
		for (size_t i = 0; i < npre; i++)
			if (strcmp(prefixes[i], pa) != 0)
				paths[np++] = prefixes[i];
		for (size_t i = 0; i < np; i++) {
			size_t w = paths[i] ? join(e, sizeof(e), hosts[h], paths[i], NULL)
			                    : join(e, sizeof(e), hosts[h], pa, u->query);
			if (w == 0)
				continue;
			count++;
			if (!fn(ctx, e, w))
				return count;
		}
	}
	return count;
}

void nise_sb_hash(unsigned char out[32], const char *s, size_t n)
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, n, (const uint8_t *)s);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}
