/* SPDX-License-Identifier: MIT */
/*
 * headers.c — header blocks and MIME parameters read in place (headers.h).
 *
 * Everything here is one forward pass over the bytes with no recursion:
 * comments are skipped with a depth counter, RFC 2231 continuations are
 * gathered into a fixed table, and every copy is bounded by the caller's
 * maximum.
 */
#include "mime/headers.h"

#include <string.h>
#include <strings.h>

#include "core/chars.h"
#include "mime/rfc2047.h"
#include "text/charset.h"

static bool is_ctl(unsigned char c)
{
	return c < 32 || c == 127;
}

void nise_hreader_init(struct nise_hreader *r, const char *p, const char *end, bool message)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->end = end;
	r->body = end;
	r->message = message;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl + 1 : end;
}

/* Length of the field name at s (up to the colon, trailing WSP allowed
 * before it), or 0 when the line is not a field. *colon gets the colon. */
static size_t field_name(const char *s, const char *end, const char **colon)
{
	const char *q = s;
	while (q < end && *q != ':' && !is_ctl((unsigned char)*q) && *q != ' ')
		q++;
	size_t n = (size_t)(q - s);
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (n == 0 || q >= end || *q != ':')
		return 0;
	*colon = q;
	return n;
}

static void note_name(struct nise_hreader *r, const char *name, size_t n)
{
	static const char *const msg[] = {"subject", "from", "date", "to", "cc"};
	for (size_t i = 0; i < sizeof(msg) / sizeof(msg[0]); i++)
		if (strlen(msg[i]) == n && strncasecmp(name, msg[i], n) == 0)
			r->seen_msg = true;
	if (n == 12 && strncasecmp(name, "content-type", 12) == 0)
		r->seen_ct = true;
}

bool nise_hreader_next(struct nise_hreader *r, struct nise_hfield *f)
{
	while (r->p < r->end) {
		const char *s = r->p;
		const char *le = line_end(s, r->end);
		size_t len = (size_t)(le - s);
		if (len && s[len - 1] == '\n')
			len--;
		if (len && s[len - 1] == '\r')
			len--;
		if (len == 0) { /* the empty line */
			r->body = le;
			r->p = r->end;
			return false;
		}
		/* the field's lines: this one and its continuations */
		const char *fe = le;
		while (fe < r->end && (*fe == ' ' || *fe == '\t'))
			fe = line_end(fe, r->end);
		const char *colon = NULL;
		size_t nn = (*s == ' ' || *s == '\t') ? 0 : field_name(s, le, &colon);
		if (nn == 0) {
			bool cont = *s == ' ' || *s == '\t';
			if (!cont && ((r->message && r->seen_msg) || (!r->message && r->seen_ct))) {
				r->body = s; /* a mailer forgot the empty line */
				r->p = r->end;
				return false;
			}
			if (!cont && r->message && r->nfields == 0 && !(len >= 5 && memcmp(s, "From ", 5) == 0)) {
				r->error = true;
				r->body = s;
				r->p = r->end;
				return false;
			}
			r->p = fe; /* not a field: dropped */
			continue;
		}
		r->p = fe;
		f->name = s;
		f->nlen = nn;
		f->val = colon + 1;
		const char *ve = fe;
		if (ve > f->val && ve[-1] == '\n')
			ve--;
		if (ve > f->val && ve[-1] == '\r')
			ve--;
		f->vlen = (size_t)(ve - f->val);
		f->start = s;
		f->end = fe;
		r->nfields++;
		note_name(r, s, nn);
		return true;
	}
	r->body = r->end;
	return false;
}

bool nise_hname_is(const struct nise_hfield *f, const char *name)
{
	size_t n = strlen(name);
	return f->nlen == n && strncasecmp(f->name, name, n) == 0;
}

/* ---- RFC 2045 values -------------------------------------------------- */

/* Skips white space and comments; comments nest, counted, not recursed. */
static const char *skip_cfws(const char *p, const char *e)
{
	while (p < e) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		} else if (*p == '(') {
			size_t depth = 0;
			while (p < e) {
				if (*p == '\\' && p + 1 < e) {
					p += 2;
					continue;
				}
				if (*p == '(')
					depth++;
				else if (*p == ')' && --depth == 0) {
					p++;
					break;
				}
				p++;
			}
		} else {
			break;
		}
	}
	return p;
}

static bool is_tspecial(unsigned char c)
{
	return strchr("()<>@,;:\\\"/[]?=", c) != NULL && c != 0;
}

static const char *token_end(const char *p, const char *e)
{
	while (p < e && !is_ctl((unsigned char)*p) && *p != ' ' && !is_tspecial((unsigned char)*p))
		p++;
	return p;
}

static char *lower_dup(struct nise_arena *a, const char *s, size_t n)
{
	char *d = nise_arena_strndup(a, s, n);
	if (d)
		for (char *q = d; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q + 32);
	return d;
}

bool nise_ctype_parse(struct nise_ctype *ct, struct nise_arena *a, const char *v, size_t n)
{
	memset(ct, 0, sizeof(*ct));
	const char *e = v + n;
	const char *p = skip_cfws(v, e);
	const char *t = p;
	p = token_end(p, e);
	if (p == t)
		return false;
	size_t tn = (size_t)(p - t);
	p = skip_cfws(p, e);
	const char *sub = NULL;
	size_t sn = 0;
	if (p < e && *p == '/') {
		p = skip_cfws(p + 1, e);
		sub = p;
		p = token_end(p, e);
		sn = (size_t)(p - sub);
	}
	if (sn == 0) {
		if (tn == 4 && strncasecmp(t, "text", 4) == 0)
			sub = "plain", sn = 5;
		else if (tn == 9 && strncasecmp(t, "multipart", 9) == 0)
			sub = "mixed", sn = 5;
		else
			return false;
	}
	ct->type = lower_dup(a, t, tn);
	ct->sub = lower_dup(a, sub, sn);
	ct->params = p;
	ct->nparams = (size_t)(e - p);
	return ct->type && ct->sub;
}

bool nise_cdisp_parse(struct nise_ctype *cd, struct nise_arena *a, const char *v, size_t n)
{
	memset(cd, 0, sizeof(*cd));
	const char *e = v + n;
	const char *p = skip_cfws(v, e);
	const char *t = p;
	p = token_end(p, e);
	cd->type = lower_dup(a, t, (size_t)(p - t));
	cd->params = p;
	cd->nparams = (size_t)(e - p);
	return cd->type != NULL;
}

/* ---- parameters (RFC 2045 §5.1, RFC 2231) ----------------------------- */

#define MAX_SEGMENTS 64

struct seg {
	const char *v;
	size_t n;
	bool quoted, encoded, set;
};

/* Reads one value at p: a quoted string or everything up to ';'. */
static const char *read_value(const char *p, const char *e, struct seg *s)
{
	if (p < e && *p == '"') {
		const char *q = ++p;
		while (q < e && *q != '"') {
			if (*q == '\\' && q + 1 < e)
				q++;
			q++;
		}
		s->v = p;
		s->n = (size_t)(q - p);
		s->quoted = true;
		return q < e ? q + 1 : q;
	}
	const char *q = p;
	while (q < e && *q != ';')
		q++;
	const char *t = q;
	while (t > p && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r' || t[-1] == '\n'))
		t--;
	s->v = p;
	s->n = (size_t)(t - p);
	s->quoted = false;
	return q;
}

static void append_unquoted(struct nise_buf *b, const struct seg *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char c = s->v[i];
		if (s->quoted && c == '\\' && i + 1 < s->n)
			c = s->v[++i];
		nise_buf_putc(b, c);
	}
}

static void append_pct(struct nise_buf *b, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (v[i] == '%' && i + 2 < n &&
		    (h = nise_hexval((unsigned char)v[i + 1])) >= 0 &&
		    (l = nise_hexval((unsigned char)v[i + 2])) >= 0) {
			nise_buf_putc(b, (char)(h * 16 + l));
			i += 2;
		} else {
			nise_buf_putc(b, v[i]);
		}
	}
}

const char *nise_param_get(struct nise_arena *a, const char *params, size_t n, const char *name,
                           size_t max, bool *decoded)
{
	const char *p = params, *e = params + n;
	size_t nl = strlen(name);
	struct seg plain = {0};
	struct seg ext = {0};
	struct seg segs[MAX_SEGMENTS];
	memset(segs, 0, sizeof(segs));
	bool any_seg = false;
	*decoded = false;
	while (p < e) {
		p = skip_cfws(p, e);
		if (p < e && *p == ';') {
			p++;
			continue;
		}
		const char *at = p;
		while (p < e && *p != '=' && *p != ';' && *p != ' ' && *p != '\t' && !is_ctl((unsigned char)*p))
			p++;
		const char *ae = p;
		p = skip_cfws(p, e);
		if (p >= e || *p != '=') {
			while (p < e && *p != ';')
				p++;
			continue;
		}
		p = skip_cfws(p + 1, e);
		struct seg s = {0};
		p = read_value(p, e, &s);
		s.set = true;
		size_t an = (size_t)(ae - at);
		if (an < nl || strncasecmp(at, name, nl) != 0)
			continue;
		const char *rest = at + nl;
		size_t rn = an - nl;
		if (rn == 0) {
			if (!plain.set)
				plain = s;
		} else if (rn == 1 && *rest == '*') {
			if (!ext.set) {
				ext = s;
				ext.encoded = true;
			}
		} else if (*rest == '*') {
			unsigned idx = 0;
			size_t i = 1;
			bool digits = false;
			while (i < rn && rest[i] >= '0' && rest[i] <= '9' && idx < 1000) {
				idx = idx * 10 + (unsigned)(rest[i] - '0');
				i++;
				digits = true;
			}
			bool enc = i < rn && rest[i] == '*';
			if (enc)
				i++;
			if (!digits || i != rn || idx >= MAX_SEGMENTS || segs[idx].set)
				continue;
			s.encoded = enc;
			segs[idx] = s;
			any_seg = true;
		}
	}
	struct nise_buf raw;
	nise_buf_init(&raw, a, max);
	const char *charset = NULL;
	char csbuf[48];
	if (ext.set || any_seg) {
		size_t count = 0;
		struct seg one[1];
		const struct seg *list = segs;
		if (ext.set) {
			one[0] = ext;
			list = one;
			count = 1;
		} else {
			while (count < MAX_SEGMENTS && segs[count].set)
				count++;
		}
		for (size_t i = 0; i < count; i++) {
			struct seg s = list[i];
			if (s.encoded && i == 0) {
				/* charset'language'value */
				const char *q1 = memchr(s.v, '\'', s.n);
				const char *q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(s.v + s.n - q1 - 1)) : NULL;
				if (q1 && q2) {
					size_t cn = (size_t)(q1 - s.v);
					if (cn && cn < sizeof(csbuf)) {
						memcpy(csbuf, s.v, cn);
						csbuf[cn] = '\0';
						charset = csbuf;
					}
					s.n -= (size_t)(q2 + 1 - s.v);
					s.v = q2 + 1;
				}
			}
			if (s.encoded)
				append_pct(&raw, s.v, s.n);
			else
				append_unquoted(&raw, &s);
		}
		struct nise_buf out;
		nise_buf_init(&out, a, max);
		bool guessed = false;
		if (!nise_charset_to_utf8(&out, raw.p ? raw.p : "", raw.n, charset, &guessed))
			return NULL;
		return nise_buf_cstr(&out);
	}
	if (!plain.set)
		return NULL;
	append_unquoted(&raw, &plain);
	const char *v = nise_buf_cstr(&raw);
	for (size_t i = 0; i < raw.n; i++)
		if ((unsigned char)v[i] >= 0x80 || (v[i] == '=' && i + 1 < raw.n && v[i + 1] == '?'))
			*decoded = true;
	return v;
}
