/* SPDX-License-Identifier: MIT */
/*
 * url_int.h — what the files of src/lib/url/ share, and nobody else sees.
 *
 * The module is split by concern: util.c (byte-level helpers shared by the
 * parser and the extractor: UTF-8, obfuscated schemes and dots, dot-segment
 * removal, punycode), host.c (the libidn2 and libpsl adapter: IP literals,
 * IDNA, registrable domains), parse.c (one URL to a struct nise_url),
 * resolve.c (RFC 3986 section 5) and extract.c (URLs in running text).
 *
 * Everything here works on (pointer, length) spans that are never assumed
 * to be NUL-terminated, and does bounded, linear work on arbitrary bytes.
 */
#ifndef NISE_URL_URL_INT_H
#define NISE_URL_URL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "url/url.h"
#include "core/chars.h"

/* Raw hosts longer than this are refused (NISE_EPARSE): DNS allows 253
 * octets, and the limit bounds IDNA and punycode work. */
#define NISE_URLI_HOST_MAX 1024
/* A longer authority (userinfo included) is refused: no browser sends it
 * and it spares work on a multi-megabyte "URL". */
#define NISE_URLI_AUTH_MAX 8192

/* ---- util.c ---------------------------------------------------------- */

static inline bool nise_urli_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline bool nise_urli_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool nise_urli_alnum(unsigned char c)
{
	return nise_urli_alpha(c) || nise_urli_digit(c);
}

static inline unsigned char nise_urli_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}


/* Decodes one strict UTF-8 sequence (no overlongs, surrogates or values
 * past U+10FFFF). Returns its length, or 0 when p does not start a valid
 * sequence (n == 0 included). */
size_t nise_urli_utf8(const unsigned char *p, size_t n, uint32_t *cp);

/* A web scheme at the start of p, in its plain or obfuscated spellings:
 * http, https, ftp, hxxp(s), h**p(s), hXXp(s), ttp(s) (the "h" dropped so
 * that mail clients do not link it), fxp; followed by ":", "[:]" or
 * "[://]". Case-insensitive. */
struct nise_urli_scheme {
	const char *name;  /* canonical: "http", "https" or "ftp" */
	size_t len;        /* bytes consumed, through the ':' token */
	bool obfuscated;
	bool slashes;      /* the token was "[://]": slashes already consumed */
};
bool nise_urli_web_scheme(const char *p, size_t n, struct nise_urli_scheme *m);

/* Length of an obfuscated dot at p ("[.]", "(.)", "{.}", "[dot]",
 * "(dot)", "{dot}", case-insensitive), or 0. */
size_t nise_urli_obf_dot(const char *p, size_t n);

/* A top-level domain that is also a common file extension (readme.md,
 * setup.py, foo.zip): bare "name.ext" is not taken as a domain. */
bool nise_urli_ambiguous_tld(const char *label, size_t n);


/* Appends to out the absolute path p with "." and ".." segments removed
 * (RFC 3986 5.2.4, in the segment form of the WHATWG URL standard). When
 * pct is true, "%2e" counts as a dot. An empty path stays empty. */
bool nise_urli_remove_dots(struct nise_buf *out, const char *p, size_t n, bool pct);

/* Appends the RFC 3492 punycode of cps[0..n) (without "xn--"). False when
 * the delta arithmetic would overflow or the arena is exhausted. */
bool nise_urli_punycode(struct nise_buf *out, const uint32_t *cps, size_t n);

/* Appends s, percent-decoded, as valid UTF-8: invalid sequences and C0/DEL
 * controls become U+FFFD. For display only. */
bool nise_urli_display(struct nise_buf *out, const char *s, size_t n);

/* Appends s, percent-encoding bytes that are controls, space, non-ASCII or
 * in the extra set; existing %XX escapes are kept. */
bool nise_urli_encode(struct nise_buf *out, const char *s, size_t n, const char *extra);

/* Leading and trailing spaces, controls, quotes and Unicode white space
 * (NBSP, U+2000..U+200B, U+3000, BOM, ...) are cut from [*b, *e). */
void nise_urli_trim(const char *s, size_t *b, size_t *e);

/* ---- host.c ---------------------------------------------------------- */

/* True when the (any case) label is an ICANN public suffix on its own
 * (no wildcard rule). False when ctx is NULL. */
bool nise_urli_icann_tld(const struct nise_urlctx *ctx, const char *label, size_t n);

struct nise_urli_host {
	const char *host;       /* Unicode, lowercase; "[v6]" for IPv6 */
	const char *host_ascii; /* punycode */
	const char *domain;     /* registrable domain, Unicode; host if none */
	const char *tld;        /* public suffix, Unicode; NULL for IPs */
	bool is_ip;
	bool is_punycode;
	bool has_registrable;   /* PSL found an eTLD+1 */
};

/* Normalises a raw host (may be percent-encoded, any case, Unicode or
 * punycode, IPv4 in any notation, "[IPv6]"). NISE_EPARSE when the host is
 * empty, too long, not valid UTF-8, or holds a forbidden code point;
 * NISE_ENOMEM on arena exhaustion. ctx may be NULL (no domain/tld). */
nise_rc nise_urli_host(struct nise_urli_host *out, struct nise_arena *a,
                       const struct nise_urlctx *ctx, const char *s, size_t n);

#endif
