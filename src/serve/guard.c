/* SPDX-License-Identifier: MIT */
/*
 * guard.c — what `nise serve` refuses before a handler runs, and what it
 * never writes raw (docs/api.md "Security", docs/security.md, "nise serve").
 *
 *   Host        must name this server: an IP literal, "localhost", or a
 *               name given with --allow-host, with the port it listens on.
 *               A page on a rebinding name (evil.example resolving to
 *               127.0.0.1) sends "Host: evil.example": refused (421).
 *   cross-site  a request a browser marks cross-origin (Origin not this
 *               server, or Sec-Fetch-Site other than same-origin/none) is
 *               refused on every API route (403). Clients that are not
 *               browsers send neither header.
 *   body form   a route that takes a body wants what no page can send
 *               without a CORS preflight (which this server never grants):
 *               Content-Type message/rfc822 or application/octet-stream,
 *               or the header X-Nise-Request. A <form> (urlencoded,
 *               multipart, text/plain) or fetch(no-cors) is refused (415).
 *   budget      bytes of request bodies held in memory by all connections
 *               together (--max-body-total); past it, 503 + Retry-After.
 *   log         every byte a client chose (path, user agent, MHD's
 *               messages) is escaped: no control byte, no escape
 *               sequence, no invalid UTF-8, no bidi control reaches the log.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

/* ---- Host -------------------------------------------------------------- */

static bool port_ok(const char *p, size_t n, unsigned port)
{
	if (n == 0)
		return port == 80; /* "Host: name" means port 80 */
	if (p[0] != ':' || n < 2 || n > 6)
		return false;
	unsigned v = 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	return v == port;
}

bool guard_host_ok(const struct serve_conf *conf, const char *host)
{
	if (!host || !*host)
		return false;
	size_t n = strlen(host);
	char name[256];
	size_t hl;
	if (host[0] == '[') {
		const char *rb = memchr(host, ']', n);
		if (!rb)
			return false;
		hl = (size_t)(rb - host) + 1;
		if (hl - 2 >= sizeof(name))
			return false;
		memcpy(name, host + 1, hl - 2);
		name[hl - 2] = '\0';
		struct in6_addr a6;
		if (inet_pton(AF_INET6, name, &a6) != 1)
			return false;
		return port_ok(host + hl, n - hl, conf->port);
	}
	const char *colon = memchr(host, ':', n);
	hl = colon ? (size_t)(colon - host) : n;
	if (hl == 0 || hl >= sizeof(name))
		return false;
	memcpy(name, host, hl);
	name[hl] = '\0';
	if (!port_ok(host + hl, n - hl, conf->port))
		return false;
	/* an IP literal cannot be rebound; inet_pton takes dotted quads only */
	struct in_addr a4;
	if (inet_pton(AF_INET, name, &a4) == 1)
		return true;
	if (hl && name[hl - 1] == '.')
		name[--hl] = '\0'; /* "localhost." is "localhost" */
	if (strcasecmp(name, "localhost") == 0)
		return true;
	for (size_t i = 0; i < conf->nallow; i++)
		if (strcasecmp(name, conf->allow_hosts[i]) == 0)
			return true;
	return false;
}

/* ---- cross-site ---------------------------------------------------------- */

const char *guard_cross_site(struct MHD_Connection *conn)
{
	const char *site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return "a cross-site request (Sec-Fetch-Site) is refused";
	const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (!origin)
		return NULL;
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host || strncmp(origin, "http://", 7) != 0 || strcasecmp(origin + 7, host) != 0)
		return "a request from another origin is refused";
	return NULL;
}

/* The media type without parameters, compared case-insensitively. */
static bool type_is(const char *ct, const char *want)
{
	size_t n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	while (n && (*ct == ' ' || *ct == '\t')) {
		ct++;
		n--;
	}
	return n == strlen(want) && strncasecmp(ct, want, n) == 0;
}

bool guard_body_form_ok(struct MHD_Connection *conn)
{
	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Nise-Request"))
		return true;
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	return ct && (type_is(ct, "message/rfc822") || type_is(ct, "application/octet-stream"));
}

/* ---- the body budget ------------------------------------------------------ */

static size_t in_flight; /* bytes reserved by all requests */

bool guard_reserve(size_t budget, size_t n)
{
	size_t cur = __atomic_load_n(&in_flight, __ATOMIC_RELAXED);
	do {
		if (n > budget || cur > budget - n)
			return false;
	} while (!__atomic_compare_exchange_n(&in_flight, &cur, cur + n, true, __ATOMIC_RELAXED,
	                                      __ATOMIC_RELAXED));
	return true;
}

void guard_release(size_t n)
{
	__atomic_fetch_sub(&in_flight, n, __ATOMIC_RELAXED);
}

size_t guard_in_flight(void)
{
	return __atomic_load_n(&in_flight, __ATOMIC_RELAXED);
}

/* ---- escaping for the log ---------------------------------------------------- */

/* Length of a well-formed UTF-8 sequence at s (shortest form, no
 * surrogates) and its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Code points that move or hide text: C1 controls, bidi and invisible
 * formatting, line and paragraph separators. */
static bool hidden_cp(unsigned c)
{
	return (c >= 0x80 && c <= 0x9F) || c == 0xAD || c == 0x061C || (c >= 0x200B && c <= 0x200F) ||
	       (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
	       (c >= 0xFFF9 && c <= 0xFFFB);
}

size_t guard_escape(char *dst, size_t dn, const char *src, size_t sn)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t w = 0;
	if (!dn)
		return 0;
	for (size_t i = 0; i < sn;) {
		unsigned cp = 0;
		size_t len = s[i] >= 0x80 ? utf8_seq(s + i, sn - i, &cp) : 0;
		if (len && !hidden_cp(cp)) {
			if (w + len >= dn)
				break;
			memcpy(dst + w, s + i, len);
			w += len;
			i += len;
			continue;
		}
		size_t esc = len ? len : 1; /* a hidden code point: each of its bytes as \xHH */
		for (size_t k = 0; k < esc; k++, i++) {
			unsigned char b = s[i];
			if (b >= 0x20 && b < 0x7F && b != '\\' && b != '"') {
				if (w + 1 >= dn)
					goto out;
				dst[w++] = (char)b;
			} else {
				if (w + 4 >= dn)
					goto out;
				dst[w++] = '\\';
				dst[w++] = 'x';
				dst[w++] = hex[b >> 4];
				dst[w++] = hex[b & 15];
			}
		}
	}
out:
	dst[w] = '\0';
	return w;
}
