/* SPDX-License-Identifier: MIT */
/*
 * feed.c — the CSV and line-oriented feed formats.
 *
 * CSV is RFC 4180: fields may be quoted, "" inside quotes is a quote,
 * quoted fields may hold commas and line breaks; CRLF or LF ends a row.
 * The first row is the header; columns are found by name so that a feed
 * that adds or reorders columns keeps working. JPCERT/CC's phishurl-list
 * is "date,URL,description" (description: the impersonated brand);
 * PhishTank's is "phish_id,url,phish_detail_url,submission_time,verified,
 * verification_time,online,target".
 *
 * Line formats: OpenPhish and plain URL lists are one URL a line; domain
 * lists one domain a line, or hosts-file lines ("0.0.0.0 evil.example").
 * Blank lines and lines starting with '#' or '!' are comments.
 */
#include "intel/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 16
#define MAX_FIELD 8192

static const char *const names[NISE_FEED_NFORMATS] = {
	"jpcert", "phishtank-csv", "phishtank-json", "openphish", "urls", "domains",
};

int nise_feed_format_by_name(const char *name)
{
	for (int i = 0; i < NISE_FEED_NFORMATS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *nise_feed_format_name(enum nise_feed_format f)
{
	return (unsigned)f < NISE_FEED_NFORMATS ? names[f] : "?";
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void nise_feed_date(char out[11], const char *s)
{
	out[0] = '\0';
	if (strlen(s) < 10 || !digits(s, 4) || (s[4] != '/' && s[4] != '-') || !digits(s + 5, 2) ||
	    s[7] != s[4] || !digits(s + 8, 2))
		return;
	memcpy(out, s, 10);
	out[4] = out[7] = '-';
	out[10] = '\0';
}

struct csv {
	const char *p, *end;
	size_t line;
	char *fields[MAX_FIELDS];
	size_t nf;
	char *store; /* one buffer for the row's fields */
	size_t cap;
	bool overlong;
};

/* Reads one row; false at the end of input. */
static bool csv_row(struct csv *c)
{
	if (c->p >= c->end)
		return false;
	c->nf = 0;
	c->overlong = false;
	size_t w = 0;
	c->fields[c->nf++] = c->store;
	bool quoted = false, at_start = true;
	c->line++;
	while (c->p < c->end) {
		char ch = *c->p++;
		if (quoted) {
			if (ch == '"') {
				if (c->p < c->end && *c->p == '"') {
					c->p++;
				} else {
					quoted = false;
					continue;
				}
			} else if (ch == '\n') {
				c->line++;
			}
		} else if (ch == '"' && at_start) {
			quoted = true;
			at_start = false;
			continue;
		} else if (ch == ',') {
			if (w + 2 >= c->cap) {
				c->overlong = true;
				continue;
			}
			c->store[w++] = '\0';
			if (c->nf < MAX_FIELDS)
				c->fields[c->nf++] = c->store + w;
			else
				c->overlong = true;
			at_start = true;
			continue;
		} else if (ch == '\n') {
			break;
		} else if (ch == '\r' && (c->p >= c->end || *c->p == '\n')) {
			continue;
		}
		at_start = false;
		if (w + 2 < c->cap)
			c->store[w++] = ch;
		else
			c->overlong = true;
	}
	c->store[w] = '\0';
	return true;
}

static int column(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->nf; i++) {
		const char *f = c->fields[i];
		if (i == 0 && (unsigned char)f[0] == 0xef && (unsigned char)f[1] == 0xbb &&
		    (unsigned char)f[2] == 0xbf)
			f += 3; /* byte order mark */
		if (strcasecmp(f, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Length of the white space at s: ASCII blanks, U+00A0 and U+3000 (the
 * ideographic space: Japanese reports pad URLs with it). */
static size_t space_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n >= 1 && (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n'))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (n >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

static void trim(char *s)
{
	size_t n = strlen(s), k = 0, l;
	while (k < n && (l = space_at(s + k, n - k)) > 0)
		k += l;
	for (bool more = true; more && n > k;) {
		more = false;
		for (size_t w = 3; w >= 1; w--)
			if (n - k >= w && space_at(s + n - w, w) == w) {
				n -= w;
				more = true;
				break;
			}
	}
	memmove(s, s + k, n - k);
	s[n - k] = '\0';
}

static nise_rc parse_csv(enum nise_feed_format f, const char *buf, size_t n, nise_feed_fn fn,
                         void *ctx, size_t *bad, char *diag, size_t dn)
{
	/* a row's fields hold at most its bytes: a small feed gets a small
	 * buffer (a fixed 128 KiB per parse was most of the fuzz target's
	 * time under ASan), the same limits as before for a large one */
	size_t cap = n < MAX_FIELD * MAX_FIELDS - 3 ? n + 3 : MAX_FIELD * MAX_FIELDS;
	struct csv c = {.p = buf, .end = buf + n, .cap = cap};
	c.store = malloc(c.cap);
	if (!c.store)
		return NISE_ENOMEM;
	nise_rc rc = NISE_OK;
	const char *want_url = f == NISE_FEED_JPCERT ? "URL" : "url";
	const char *want_date = f == NISE_FEED_JPCERT ? "date" : "submission_time";
	const char *want_brand = f == NISE_FEED_JPCERT ? "description" : "target";
	if (!csv_row(&c)) {
		snprintf(diag, dn, "empty file");
		rc = NISE_EPARSE;
		goto out;
	}
	int cu = column(&c, want_url), cd = column(&c, want_date), cb = column(&c, want_brand);
	if (cu < 0) {
		snprintf(diag, dn, "line 1: no \"%s\" column in the header", want_url);
		rc = NISE_EPARSE;
		goto out;
	}
	while (csv_row(&c)) {
		if (c.nf == 1 && c.fields[0][0] == '\0')
			continue; /* blank line */
		if ((size_t)cu >= c.nf || c.overlong) {
			(*bad)++;
			continue;
		}
		char *url = c.fields[cu];
		trim(url);
		if (!*url) {
			(*bad)++;
			continue;
		}
		char date[11] = "";
		if (cd >= 0 && (size_t)cd < c.nf)
			nise_feed_date(date, c.fields[cd]);
		const char *brand = "";
		if (cb >= 0 && (size_t)cb < c.nf) {
			trim(c.fields[cb]);
			brand = c.fields[cb];
			if (strcmp(brand, "Other") == 0)
				brand = "";
		}
		struct nise_feed_entry e = {url, date, brand, false, c.line};
		if (!fn(ctx, &e))
			break;
	}
out:
	free(c.store);
	return rc;
}

static nise_rc parse_lines(enum nise_feed_format f, const char *buf, size_t n, nise_feed_fn fn,
                           void *ctx, size_t *bad)
{
	const char *p = buf, *end = buf + n;
	size_t line = 0;
	char tok[MAX_FIELD];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		const char *s = p;
		p = nl ? nl + 1 : end;
		while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		const char *e = le;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e || *s == '#' || *s == '!')
			continue;
		if (f == NISE_FEED_DOMAINS) {
			/* "name", "name # comment", or a hosts-file line "0.0.0.0
			 * name": the second token only after an address ('#' is
			 * never part of a host name) */
			const char *hash = memchr(s, '#', (size_t)(e - s));
			if (hash)
				e = hash;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			const char *sp = s;
			bool addr = true;
			while (sp < e && *sp != ' ' && *sp != '\t') {
				addr &= (*sp >= '0' && *sp <= '9') || *sp == '.' || *sp == ':';
				sp++;
			}
			if (sp < e && addr) {
				while (sp < e && (*sp == ' ' || *sp == '\t'))
					sp++;
				s = sp;
			}
			for (const char *q = s; q < e; q++)
				if (*q == ' ' || *q == '\t') {
					e = q;
					break;
				}
			if (s == e) {
				(*bad)++;
				continue;
			}
		} else {
			for (const char *q = s; q < e; q++)
				if (*q == ' ' || *q == '\t') {
					e = q;
					break;
				}
		}
		size_t len = (size_t)(e - s);
		if (len >= sizeof(tok) || memchr(s, '\0', len)) {
			(*bad)++;
			continue;
		}
		memcpy(tok, s, len);
		tok[len] = '\0';
		struct nise_feed_entry en = {tok, "", "", f == NISE_FEED_DOMAINS, line};
		if (!fn(ctx, &en))
			break;
	}
	return NISE_OK;
}

nise_rc nise_feed_parse(enum nise_feed_format f, const char *buf, size_t n, nise_feed_fn fn,
                        void *ctx, size_t *bad, char *diag, size_t dn)
{
	char tmp[8];
	if (!diag || !dn) {
		diag = tmp;
		dn = sizeof(tmp);
	}
	*diag = '\0';
	*bad = 0;
	switch (f) {
	case NISE_FEED_JPCERT:
	case NISE_FEED_PHISHTANK_CSV:
		return parse_csv(f, buf, n, fn, ctx, bad, diag, dn);
	case NISE_FEED_PHISHTANK_JSON:
		return nise_feed_parse_phishtank_json(buf, n, fn, ctx, bad, diag, dn);
	case NISE_FEED_OPENPHISH:
	case NISE_FEED_URLS:
	case NISE_FEED_DOMAINS:
		return parse_lines(f, buf, n, fn, ctx, bad);
	case NISE_FEED_NFORMATS:
		break;
	}
	snprintf(diag, dn, "unknown feed format");
	return NISE_EINVAL;
}
