/* SPDX-License-Identifier: MIT */
/*
 * httpmeta.c — ETag / Last-Modified from response headers (RFC 9110
 * 8.8.2, 8.8.3; compared by the server, so kept verbatim) and the state
 * file that remembers them per URL. Untrusted bytes from the network and
 * from a file: bounded copies only, nothing allocated.
 */
#include "httpmeta.h"

#include <string.h>
#include <strings.h>

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
	              (*s)[*n - 1] == '\n'))
		(*n)--;
}

static void keep(char *d, size_t dn, const char *v, size_t n)
{
	if (n == 0 || n >= dn || !printable(v, n)) {
		d[0] = '\0';
		return;
	}
	memcpy(d, v, n);
	d[n] = '\0';
}

void nise_http_meta_line(struct nise_http_meta *m, const char *line, size_t n)
{
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		memset(m, 0, sizeof(*m));
		return;
	}
	const char *colon = memchr(line, ':', n);
	if (!colon)
		return;
	size_t kn = (size_t)(colon - line);
	const char *v = colon + 1;
	size_t vn = n - kn - 1;
	trim(&v, &vn);
	if (kn == 4 && strncasecmp(line, "etag", 4) == 0)
		keep(m->etag, sizeof(m->etag), v, vn);
	else if (kn == 13 && strncasecmp(line, "last-modified", 13) == 0)
		keep(m->modified, sizeof(m->modified), v, vn);
}

void nise_http_state_parse(struct nise_http_state *out, const char *buf, size_t n)
{
	out->n = 0;
	const char *p = buf, *end = buf + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *t1 = memchr(p, '\t', (size_t)(le - p));
		const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
		if (t2 && t1 > p && (size_t)(t1 - p) < sizeof(out->e[0].url) && printable(p, (size_t)(t1 - p))) {
			char url[sizeof(out->e[0].url)];
			memcpy(url, p, (size_t)(t1 - p));
			url[t1 - p] = '\0';
			struct nise_http_meta m;
			keep(m.etag, sizeof(m.etag), t1 + 1, (size_t)(t2 - t1 - 1));
			keep(m.modified, sizeof(m.modified), t2 + 1, (size_t)(le - t2 - 1));
			if (m.etag[0] || m.modified[0])
				nise_http_state_set(out, url, &m);
		}
		p = nl ? nl + 1 : end;
	}
}

const struct nise_http_meta *nise_http_state_get(const struct nise_http_state *s, const char *url)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].url, url) == 0)
			return &s->e[i].m;
	return NULL;
}

bool nise_http_state_set(struct nise_http_state *s, const char *url, const struct nise_http_meta *m)
{
	if (strlen(url) >= sizeof(s->e[0].url) || strpbrk(url, "\t\r\n"))
		return false;
	size_t i = 0;
	while (i < s->n && strcmp(s->e[i].url, url) != 0)
		i++;
	if (i == s->n) {
		if (s->n == NISE_HTTP_STATE_MAX)
			return false;
		s->n++;
		memcpy(s->e[i].url, url, strlen(url) + 1);
	}
	s->e[i].m = *m;
	return true;
}

void nise_http_state_write(const struct nise_http_state *s, FILE *f)
{
	fputs("# nise update: ETag and Last-Modified per URL (a cache; safe to delete)\n", f);
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].m.etag[0] || s->e[i].m.modified[0])
			fprintf(f, "%s\t%s\t%s\n", s->e[i].url, s->e[i].m.etag, s->e[i].m.modified);
}
