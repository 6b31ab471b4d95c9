/* SPDX-License-Identifier: MIT */
/*
 * parse.c — one URL (an href, or a match of nise_url_extract) to a struct
 * nise_url.
 *
 * The aim is to see the URL the way a browser would navigate to it, so
 * the structure follows the WHATWG URL Standard's basic URL parser rather
 * than the stricter RFC 3986 grammar: leading and trailing C0 controls and
 * spaces are cut and tabs/newlines anywhere are dropped; for special
 * schemes (http, https, ftp, ws, wss, file) any run of '/' and '\' after
 * "scheme:" starts the authority, '\' separates path segments, "." and
 * ".." segments (also "%2e") are resolved; the userinfo is everything
 * before the last '@' of the authority; the host goes through host.c.
 *
 * Added for phishing analysis, each recorded in the result: obfuscated
 * spellings (hxxp, h**p, ttp, [:], [.], (dot), {.} ...) are undone with
 * obfuscated = true; a URL without a scheme is accepted as http with
 * had_scheme = false when it is protocol-relative ("//host/x"), starts
 * with "www.", or — only when allow_bare — is a bare domain under the
 * following rule: the last label must be an ICANN public suffix on its own
 * (so "index.html" and "image.png" are not domains), and when that label
 * is one of the file-extension TLDs of util.c ("readme.md", "setup.py",
 * "a.zip") the host must start with "www." or be followed by '/'. A bare
 * form with '@' in its authority is a mail address, never a URL.
 *
 * Serialisation: scheme "://" [userinfo "@"] host_ascii [":" port] path
 * ["?" query] ["#" fragment], with controls, spaces, non-ASCII bytes and
 * the WHATWG percent-encode sets escaped; existing escapes are kept.
 * mailto: takes the domain of its first address as host; other schemes
 * (javascript:, data:, ...) keep their scheme and an opaque path, no host.
 */
#include "url/url_int.h"

#include <stdint.h>
#include <string.h>

enum {
	H_SPECIAL = 1,      /* http(s), ftp, ws(s), file: '\' is '/', host required */
	H_FILE = 2,         /* file: an empty host is allowed */
	H_WWW_OR_BARE = 4,  /* no scheme: host must be www.* or a bare domain */
	H_ALLOW_BARE = 8,
};

static const struct {
	const char *name;
	uint16_t port;
	unsigned flags;
} special_schemes[] = {
	{ "http", 80, H_SPECIAL },  { "https", 443, H_SPECIAL }, { "ftp", 21, H_SPECIAL },
	{ "ws", 80, H_SPECIAL },    { "wss", 443, H_SPECIAL },   { "file", 0, H_SPECIAL | H_FILE },
};

static int find_special(const char *scheme)
{
	for (size_t i = 0; i < sizeof(special_schemes) / sizeof(special_schemes[0]); i++)
		if (strcmp(scheme, special_schemes[i].name) == 0)
			return (int)i;
	return -1;
}

/* Length of an RFC 3986 scheme followed by ':' at the start of w, or 0. */
static size_t scheme_token(const char *w, size_t wn, bool *dotted)
{
	*dotted = false;
	if (wn == 0 || !nise_urli_alpha((unsigned char)w[0]))
		return 0;
	size_t i = 1;
	while (i < wn && (nise_urli_alnum((unsigned char)w[i]) || w[i] == '+' || w[i] == '-' ||
	                  w[i] == '.')) {
		*dotted = *dotted || w[i] == '.';
		i++;
	}
	return i < wn && w[i] == ':' ? i : 0;
}

static const char *memrchr_c(const char *s, size_t n, char c)
{
	while (n > 0)
		if (s[--n] == c)
			return s + n;
	return NULL;
}

static nise_rc finish_buf(const char **dst, struct nise_buf *b)
{
	if (!nise_buf_putc(b, '\0'))
		return NISE_ENOMEM;
	b->n--;
	*dst = b->p;
	return NISE_OK;
}

static nise_rc display(const char **dst, struct nise_arena *a, const char *s, size_t n)
{
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	if (!nise_urli_display(&b, s, n))
		return NISE_ENOMEM;
	return finish_buf(dst, &b);
}

/* Port digits (may be empty: no port). */
static bool parse_port(const char *s, size_t n, uint32_t *port)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!nise_urli_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
		if (v > 65535)
			return false;
	}
	*port = v;
	return true;
}

/* A scheme-less host must be www.* or pass the bare-domain rule. */
static bool schemeless_ok(const struct nise_urlctx *ctx, const struct nise_urli_host *h,
                          unsigned flags, bool followed_by_slash)
{
	const char *ha = h->host_ascii;
	if (h->is_ip)
		return false;
	if (strncmp(ha, "www.", 4) == 0 && ha[4] != '\0')
		return true;
	if (!(flags & H_ALLOW_BARE))
		return false;
	const char *dot = strrchr(ha, '.');
	if (!dot || dot == ha)
		return false;
	const char *tld = dot + 1;
	size_t tn = strlen(tld);
	if (!nise_urli_icann_tld(ctx, tld, tn))
		return false;
	return !nise_urli_ambiguous_tld(tld, tn) || followed_by_slash;
}

static nise_rc parse_hier(struct nise_url *out, struct nise_arena *a, const struct nise_urlctx *ctx,
                          const char *w, size_t wn, size_t pos, unsigned flags, uint16_t defport)
{
	bool special = flags & H_SPECIAL;
	/* file: takes exactly two slashes before its (often empty) host */
	size_t maxsl = (flags & H_FILE) ? 2 : SIZE_MAX;
	for (size_t k = 0; k < maxsl && pos < wn && (w[pos] == '/' || (special && w[pos] == '\\')); k++)
		pos++;
	size_t ae = pos;
	while (ae < wn && w[ae] != '/' && w[ae] != '?' && w[ae] != '#' && !(special && w[ae] == '\\'))
		ae++;

	if (ae - pos > NISE_URLI_AUTH_MAX)
		return NISE_EPARSE;

	/* the authority, with obfuscated dots undone */
	struct nise_buf ab;
	nise_buf_init(&ab, a, 0);
	for (size_t i = pos, run = pos; i <= ae;) {
		size_t k = i < ae ? nise_urli_obf_dot(w + i, ae - i) : 0;
		if (i < ae && !k) {
			i++;
			continue;
		}
		if (i > run && !nise_buf_append(&ab, w + run, i - run))
			return NISE_ENOMEM;
		if (!k)
			break;
		if (!nise_buf_putc(&ab, '.'))
			return NISE_ENOMEM;
		out->obfuscated = true;
		i += k;
		run = i;
	}
	const char *auth = ab.p ? ab.p : "";
	size_t an = ab.n;

	const char *at = memrchr_c(auth, an, '@');
	const char *ui = NULL, *hp = auth;
	size_t uin = 0, hpn = an;
	if (at) {
		if (flags & H_WWW_OR_BARE)
			return NISE_EPARSE; /* user@example.com is a mail address */
		ui = auth;
		uin = (size_t)(at - auth);
		hp = at + 1;
		hpn = an - uin - 1;
	}
	size_t hn = hpn;
	uint32_t port = 0;
	const char *colon;
	if (hpn > 0 && hp[0] == '[') {
		const char *close = memchr(hp, ']', hpn);
		if (!close)
			return NISE_EPARSE;
		hn = (size_t)(close - hp) + 1;
		if (hn < hpn && hp[hn] != ':')
			return NISE_EPARSE;
		colon = hn < hpn ? hp + hn : NULL;
	} else {
		colon = memrchr_c(hp, hpn, ':');
		if (colon)
			hn = (size_t)(colon - hp);
	}
	if (colon && !parse_port(colon + 1, hpn - (size_t)(colon + 1 - hp), &port))
		return NISE_EPARSE;

	struct nise_urli_host h;
	memset(&h, 0, sizeof(h));
	if (hn == 0) {
		if (!(flags & H_FILE) || ui || colon)
			return NISE_EPARSE;
	} else {
		nise_rc rc = nise_urli_host(&h, a, ctx, hp, hn);
		if (rc != NISE_OK)
			return rc;
		if ((flags & H_WWW_OR_BARE) &&
		    !schemeless_ok(ctx, &h, flags, ae < wn && (w[ae] == '/' || w[ae] == '\\')))
			return NISE_EPARSE;
	}
	out->host = h.host;
	out->host_ascii = h.host_ascii;
	out->domain = h.domain;
	out->tld = h.tld;
	out->host_is_ip = h.is_ip;
	out->host_is_punycode = h.is_punycode;
	out->port = port == defport ? 0 : (uint16_t)port;

	/* path, query, fragment */
	size_t pe = ae;
	while (pe < wn && w[pe] != '?' && w[pe] != '#')
		pe++;
	size_t qe = pe;
	if (qe < wn && w[qe] == '?')
		while (qe < wn && w[qe] != '#')
			qe++;

	struct nise_buf raw, path, u;
	nise_buf_init(&raw, a, 0);
	nise_buf_init(&path, a, 0);
	nise_buf_init(&u, a, 0);
	if (pe > ae && !nise_buf_append(&raw, w + ae, pe - ae))
		return NISE_ENOMEM;
	for (size_t i = 0; special && i < raw.n; i++)
		if (raw.p[i] == '\\')
			raw.p[i] = '/';
	if (!nise_urli_remove_dots(&path, raw.p, raw.n, special))
		return NISE_ENOMEM;
	if (path.n == 0 && special && !nise_buf_putc(&path, '/'))
		return NISE_ENOMEM;

	if (!nise_buf_append(&u, out->scheme, strlen(out->scheme)) || !nise_buf_append(&u, "://", 3))
		return NISE_ENOMEM;
	if (ui && (!nise_urli_encode(&u, ui, uin, "\"<>`{}/;=@[\\]^|") || !nise_buf_putc(&u, '@')))
		return NISE_ENOMEM;
	if (h.host_ascii && !nise_buf_append(&u, h.host_ascii, strlen(h.host_ascii)))
		return NISE_ENOMEM;
	if (out->port) {
		char pb[8];
		size_t pn = 0;
		for (uint32_t v = out->port; v; v /= 10)
			pb[pn++] = (char)('0' + v % 10);
		if (!nise_buf_putc(&u, ':'))
			return NISE_ENOMEM;
		while (pn)
			if (!nise_buf_putc(&u, pb[--pn]))
				return NISE_ENOMEM;
	}
	size_t path_at = u.n;
	if (!nise_urli_encode(&u, path.p ? path.p : "", path.n, "\"<>`{}"))
		return NISE_ENOMEM;
	if (qe > pe && !nise_urli_encode(&u, w + pe, qe - pe, special ? "\"<>'" : "\"<>"))
		return NISE_ENOMEM;
	if (wn > qe && !nise_urli_encode(&u, w + qe, wn - qe, "\"<>`"))
		return NISE_ENOMEM;
	nise_rc rc = finish_buf(&out->url, &u);
	if (rc == NISE_OK)
		rc = display(&out->path, a, u.p + path_at, u.n - path_at);
	if (rc == NISE_OK && ui)
		rc = display(&out->userinfo, a, ui, uin);
	return rc;
}

static nise_rc parse_opaque(struct nise_url *out, struct nise_arena *a, const char *rest, size_t rn)
{
	struct nise_buf u;
	nise_buf_init(&u, a, 0);
	if (!nise_buf_append(&u, out->scheme, strlen(out->scheme)) || !nise_buf_putc(&u, ':') ||
	    !nise_urli_encode(&u, rest, rn, "\"<>`"))
		return NISE_ENOMEM;
	nise_rc rc = finish_buf(&out->url, &u);
	return rc == NISE_OK ? display(&out->path, a, rest, rn) : rc;
}

static nise_rc parse_mailto(struct nise_url *out, struct nise_arena *a,
                            const struct nise_urlctx *ctx, const char *rest, size_t rn)
{
	nise_rc rc = parse_opaque(out, a, rest, rn);
	if (rc != NISE_OK)
		return rc;
	size_t ae = 0;
	while (ae < rn && rest[ae] != ',' && rest[ae] != '?' && rest[ae] != ';')
		ae++;
	const char *at = memrchr_c(rest, ae, '@');
	if (!at)
		return NISE_OK;
	size_t off = (size_t)(at + 1 - rest);
	struct nise_urli_host h;
	rc = nise_urli_host(&h, a, ctx, at + 1, ae - off);
	if (rc == NISE_ENOMEM)
		return rc;
	if (rc == NISE_OK) {
		out->host = h.host;
		out->host_ascii = h.host_ascii;
		out->domain = h.domain;
		out->tld = h.tld;
		out->host_is_ip = h.is_ip;
		out->host_is_punycode = h.is_punycode;
	}
	return NISE_OK;
}

static nise_rc parse_clean(struct nise_url *out, struct nise_arena *a,
                           const struct nise_urlctx *ctx, const char *w, size_t wn,
                           bool allow_bare)
{
	struct nise_urli_scheme ws;
	if (nise_urli_web_scheme(w, wn, &ws)) {
		out->scheme = ws.name;
		out->obfuscated = ws.obfuscated;
		out->had_scheme = true;
		int k = find_special(ws.name);
		return parse_hier(out, a, ctx, w, wn, ws.len, H_SPECIAL, special_schemes[k].port);
	}

	bool dotted;
	size_t sl = scheme_token(w, wn, &dotted);
	char *scheme = NULL;
	if (sl) {
		scheme = nise_arena_strndup(a, w, sl);
		if (!scheme)
			return NISE_ENOMEM;
		for (size_t i = 0; i < sl; i++)
			scheme[i] = (char)nise_urli_lower((unsigned char)scheme[i]);
	}
	/* "www.example.com:8080/x" has the syntax of a scheme; a dotted
	 * token is taken as a host first. */
	if (sl && !dotted) {
		out->scheme = scheme;
		out->had_scheme = true;
		int k = find_special(scheme);
		if (k >= 0)
			return parse_hier(out, a, ctx, w, wn, sl + 1, special_schemes[k].flags,
			                  special_schemes[k].port);
		if (strcmp(scheme, "mailto") == 0)
			return parse_mailto(out, a, ctx, w + sl + 1, wn - sl - 1);
		if (wn - sl - 1 >= 2 && w[sl + 1] == '/' && w[sl + 2] == '/') {
			struct nise_url tmp = *out;
			nise_rc rc = parse_hier(&tmp, a, ctx, w, wn, sl + 1, 0, 0);
			if (rc != NISE_EPARSE) {
				*out = tmp;
				return rc;
			}
		}
		return parse_opaque(out, a, w + sl + 1, wn - sl - 1);
	}

	out->scheme = "http";
	out->had_scheme = false;
	unsigned flags = H_SPECIAL;
	bool slash0 = wn >= 1 && (w[0] == '/' || w[0] == '\\');
	bool slash1 = wn >= 2 && (w[1] == '/' || w[1] == '\\');
	if (slash0 && !slash1)
		return NISE_EPARSE; /* a path-only reference has no host */
	if (!slash0)
		flags |= H_WWW_OR_BARE | (allow_bare ? H_ALLOW_BARE : 0);
	nise_rc rc = parse_hier(out, a, ctx, w, wn, 0, flags, 80);
	if (rc == NISE_EPARSE && sl) {
		memset(out, 0, sizeof(*out));
		out->scheme = scheme;
		out->had_scheme = true;
		return parse_opaque(out, a, w + sl + 1, wn - sl - 1);
	}
	return rc;
}

nise_rc nise_url_parse(struct nise_url *out, struct nise_arena *a,
                       const struct nise_urlctx *ctx, const char *s, size_t n,
                       bool allow_bare)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		return NISE_EINVAL;
	if (!s)
		return NISE_EPARSE;
	size_t b = 0, e = n;
	nise_urli_trim(s, &b, &e);
	if (e - b >= 2 && s[b] == '<' && s[e - 1] == '>') {
		b++;
		e--;
		nise_urli_trim(s, &b, &e);
	}
	if (e == b)
		return NISE_EPARSE;
	char *w = nise_arena_alloc(a, e - b + 1);
	if (!w)
		return NISE_ENOMEM;
	size_t wn = 0;
	for (size_t i = b; i < e; i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			w[wn++] = s[i];
	w[wn] = '\0';

	nise_rc rc = parse_clean(out, a, ctx, w, wn, allow_bare);
	if (rc != NISE_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}
