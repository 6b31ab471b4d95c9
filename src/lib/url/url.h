/* SPDX-License-Identifier: MIT */
/*
 * url.h — URL extraction, parsing and normalisation (internal API).
 *
 * The only users of libpsl and libidn2 are the files of src/lib/url/.
 * A struct nise_urlctx is built once per engine and is read-only after.
 */
#ifndef NISE_URL_URL_H
#define NISE_URL_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"
#include "core/arena.h"

struct nise_urlctx;

/* Loads the Public Suffix List (the newer of libpsl's built-in copy and
 * the system's). *out is NULL on failure: NISE_ENOMEM, or NISE_EIO when no
 * PSL data is available. _free(NULL) is a no-op. */
nise_rc nise_urlctx_new(struct nise_urlctx **out);
void nise_urlctx_free(struct nise_urlctx *ctx);

/* Parses one URL (an href, or text found by nise_url_extract) into *out;
 * strings live in a. s need not be NUL-terminated; any bytes are safe.
 * Accepts scheme-less "www.x.y/..." and "//host/..." always, and bare
 * domains whose last label is an ICANN suffix only when allow_bare is true
 * (the rule, with its file-extension exceptions, is in parse.c); those get
 * scheme "http" and had_scheme = false. Parse nise_url_extract matches with
 * allow_bare = true. Undoes obfuscation (hxxp, [.], (dot)) and records it.
 * IPv6 hosts keep their brackets ("[::1]"). ctx may be NULL: then domain
 * is the host, tld is NULL and bare domains are refused.
 * Returns NISE_EPARSE when s is not a URL (out is zeroed, out->url NULL),
 * NISE_ENOMEM on arena exhaustion (out zeroed), NISE_EINVAL when a is
 * NULL. Thread-safe for a shared ctx. */
nise_rc nise_url_parse(struct nise_url *out, struct nise_arena *a,
                       const struct nise_urlctx *ctx, const char *s, size_t n,
                       bool allow_bare);

/* Resolves ref against base (WHATWG/RFC 3986 reference resolution). When
 * base is NULL or ref is absolute, returns a trimmed copy of ref; also when
 * base has no authority (mailto:, data:). NULL when ref is NULL or on arena
 * exhaustion. */
const char *nise_url_resolve(struct nise_arena *a, const char *base, const char *ref);

/* Calls fn for each URL-like token in UTF-8 text (with scheme, www., bare
 * domains with a known TLD, hxxp/[.] obfuscations, <angle-bracketed>).
 * fn gets the matched bytes (a span of text, not NUL-terminated, never
 * empty); returning false stops the scan. Mail addresses are not reported.
 * No allocation; linear in n; invalid UTF-8 and NULs end a URL. uc NULL
 * disables bare domains. The rules are in extract.c. */
typedef bool (*nise_url_found_fn)(void *ctx, const char *match, size_t n);
void nise_url_extract(const struct nise_urlctx *uc, const char *text, size_t n,
                      nise_url_found_fn fn, void *ctx);

/* Registrable domain (eTLD+1, PSL incl. private section) of a lowercase
 * host, Unicode in and out; NULL when host is itself a public suffix or
 * not a domain (IP literals included), or on arena exhaustion. */
const char *nise_url_registrable(struct nise_arena *a, const struct nise_urlctx *ctx,
                                 const char *host);

/* host (n bytes of UTF-8) in its ASCII form, the one a link's URL is
 * serialised with: IDNA ToASCII (UTS #46, as links are read), an ASCII
 * host lowercased. False when it is not valid UTF-8, holds a NUL, cannot
 * be converted or does not fit in cap bytes. Feeds and lists store hosts
 * in this form and look them up in it, so "例え.jp" and "xn--r8jz45g.jp"
 * are one host (src/lib/intel). */
bool nise_url_host_to_ascii(char *out, size_t cap, const char *host, size_t n);

/* Lowercases and IDNA-decodes a mail or URL host to its Unicode form.
 * A host that is not a valid host comes back ASCII-lowercased. NULL when
 * host is NULL or on arena exhaustion. */
const char *nise_url_host_unicode(struct nise_arena *a, const char *host);

/* The inet_aton reading of a host (WHATWG IPv4 parser: 1-4 parts, each
 * decimal, 0x hex or 0 octal, the last filling the remaining bytes).
 * 1: an IPv4 address in *out; 0: not one (a domain); -1: the host ends
 * in a number but is not a valid address, which browsers refuse. */
int nise_url_parse_ipv4(const char *s, size_t n, uint32_t *out);

#endif
