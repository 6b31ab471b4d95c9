/* SPDX-License-Identifier: MIT */
/*
 * resolve.c — reference resolution (RFC 3986 section 5.2).
 *
 * Both strings are split with the grammar of RFC 3986 Appendix B, then the
 * target is built by 5.2.2 (strict: a reference with a scheme is used as
 * is), merged by 5.2.3, cleaned by 5.2.4 and recomposed by 5.3. All
 * examples of 5.4.1 and 5.4.2 hold.
 *
 * Two browser behaviours are added because phishing mail relies on them:
 * references are trimmed (spaces, controls, quotes at the ends; tabs and
 * newlines anywhere), and when the base has a special scheme (http,
 * https, ftp, ws, wss, file) a '\' in the reference's path counts as '/',
 * so "\\evil.example" is the protocol-relative "//evil.example", and
 * "%2e" segments count as dots.
 *
 * Not done: resolution against a base without an authority (mailto:,
 * data:, ...) — the trimmed reference is returned unchanged, as a browser
 * would fail there too.
 */
#include "url/url_int.h"

#include <string.h>

struct parts {
	const char *scheme, *auth, *path, *query, *frag;
	size_t sn, an, pn, qn, fn;
	bool has_auth, has_query, has_frag;
};

static void split(const char *s, size_t n, struct parts *p)
{
	size_t i = 0, j = 0;
	memset(p, 0, sizeof(*p));
	if (n > 0 && nise_urli_alpha((unsigned char)s[0])) {
		while (j < n && (nise_urli_alnum((unsigned char)s[j]) || s[j] == '+' || s[j] == '-' ||
		                 s[j] == '.'))
			j++;
		if (j < n && s[j] == ':') {
			p->scheme = s;
			p->sn = j;
			i = j + 1;
		}
	}
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		p->has_auth = true;
		p->auth = s + i;
		while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
			i++;
		p->an = (size_t)(s + i - p->auth);
	}
	p->path = s + i;
	while (i < n && s[i] != '?' && s[i] != '#')
		i++;
	p->pn = (size_t)(s + i - p->path);
	if (i < n && s[i] == '?') {
		p->has_query = true;
		p->query = s + ++i;
		while (i < n && s[i] != '#')
			i++;
		p->qn = (size_t)(s + i - p->query);
	}
	if (i < n && s[i] == '#') {
		p->has_frag = true;
		p->frag = s + i + 1;
		p->fn = n - i - 1;
	}
}

/* A trimmed copy without tabs and newlines; NULL on exhaustion. */
static char *clean(struct nise_arena *a, const char *s, size_t *len)
{
	size_t n = strlen(s), b = 0, e = n, k = 0;
	nise_urli_trim(s, &b, &e);
	char *w = nise_arena_alloc(a, e - b + 1);
	if (!w)
		return NULL;
	for (size_t i = b; i < e; i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			w[k++] = s[i];
	w[k] = '\0';
	*len = k;
	return w;
}

static bool special_scheme(const char *s, size_t n)
{
	static const char *const names[] = { "http", "https", "ftp", "ws", "wss", "file" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) != n)
			continue;
		size_t j = 0;
		while (j < n && nise_urli_lower((unsigned char)s[j]) == (unsigned char)names[i][j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

const char *nise_url_resolve(struct nise_arena *a, const char *base, const char *ref)
{
	size_t rn, bn;
	if (!a || !ref)
		return NULL;
	char *r = clean(a, ref, &rn);
	if (!r || !base)
		return r;
	struct parts R, B;
	split(r, rn, &R);
	if (R.scheme)
		return r;
	const char *bs = clean(a, base, &bn);
	if (!bs)
		return NULL;
	split(bs, bn, &B);
	if (!B.scheme || !B.has_auth)
		return r;
	bool special = special_scheme(B.scheme, B.sn);
	if (special) {
		for (size_t i = 0; i < rn && r[i] != '?' && r[i] != '#'; i++)
			if (r[i] == '\\')
				r[i] = '/';
		split(r, rn, &R);
	}

	struct nise_buf t, m;
	nise_buf_init(&t, a, 0);
	nise_buf_init(&m, a, 0);
	bool ok = nise_buf_append(&t, B.scheme, B.sn) && nise_buf_append(&t, "://", 3);
	const struct parts *q = &R;
	if (R.has_auth) {
		ok = ok && nise_buf_append(&t, R.auth, R.an) &&
		     nise_urli_remove_dots(&t, R.path, R.pn, special);
	} else {
		ok = ok && nise_buf_append(&t, B.auth, B.an);
		if (R.pn == 0) {
			ok = ok && nise_buf_append(&t, B.path, B.pn);
			if (!R.has_query)
				q = &B;
		} else if (R.path[0] == '/') {
			ok = ok && nise_urli_remove_dots(&t, R.path, R.pn, special);
		} else {
			/* 5.2.3 merge: the base path up to its last '/' */
			size_t keep = B.pn;
			while (keep > 0 && B.path[keep - 1] != '/')
				keep--;
			ok = ok && (keep ? nise_buf_append(&m, B.path, keep) : nise_buf_putc(&m, '/')) &&
			     nise_buf_append(&m, R.path, R.pn) &&
			     nise_urli_remove_dots(&t, m.p, m.n, special);
		}
	}
	if (q->has_query)
		ok = ok && nise_buf_putc(&t, '?') && nise_buf_append(&t, q->query, q->qn);
	if (R.has_frag)
		ok = ok && nise_buf_putc(&t, '#') && nise_buf_append(&t, R.frag, R.fn);
	ok = ok && nise_buf_putc(&t, '\0');
	return ok ? t.p : NULL;
}
