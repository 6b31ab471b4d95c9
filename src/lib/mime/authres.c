/* SPDX-License-Identifier: MIT */
/*
 * authres.c — RFC 8601 Authentication-Results and RFC 5321 §4.4 Received
 * trace fields.
 *
 * Authentication-Results grammar (RFC 8601 §2.2), comments (CFWS) removed
 * first:
 *   authserv-id [ version ] ( no-result / 1*( ";" resinfo ) )
 *   resinfo = methodspec [ reasonspec ] *propspec
 *   methodspec = method [ "/" version ] "=" result
 *   reasonspec = "reason" "=" value
 *   propspec = ptype "." property "=" pvalue
 * Values may be quoted strings. Unknown tokens are skipped, not fatal:
 * many MTAs write non-conforming variants (e.g. "dkim=pass header.i=@x").
 *
 * Trust is not decided here: which authserv-id to believe is policy, and
 * the checks decide it (a forged header above the receiving MTA's own is
 * a classic trick).
 */
#include "authres.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Copies val without comments, quotes kept. */
static char *strip_comments(struct nise_arena *a, const char *val, size_t n)
{
	char *o = nise_arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	size_t w = 0;
	int depth = 0;
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		char c = val[i];
		if (c == '\\' && i + 1 < n && (quoted || depth)) {
			if (!depth) {
				o[w++] = c;
				o[w++] = val[i + 1];
			}
			i++;
			continue;
		}
		if (!depth && c == '"')
			quoted = !quoted;
		if (!quoted && c == '(') {
			depth++;
			continue;
		}
		if (!quoted && c == ')' && depth) {
			depth--;
			if (!depth)
				o[w++] = ' ';
			continue;
		}
		if (depth)
			continue;
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		o[w++] = c;
	}
	o[w] = '\0';
	return o;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/* Reads one token (up to space, ';', '=' or end; or a quoted string). */
static const char *token(struct nise_arena *a, const char **pp)
{
	const char *p = *pp;
	while (*p == ' ')
		p++;
	const char *s = p;
	if (*p == '"') {
		s = ++p;
		while (*p && *p != '"')
			p++;
		const char *r = nise_arena_strndup(a, s, (size_t)(p - s));
		if (*p == '"')
			p++;
		*pp = p;
		return r;
	}
	while (*p && *p != ' ' && *p != ';' && *p != '=')
		p++;
	*pp = p;
	return nise_arena_strndup(a, s, (size_t)(p - s));
}

bool nise_authres_parse(struct nise_vec *v, struct nise_arena *a, const char *val, size_t n)
{
	/* every field is one block, numbered from the top; a field with no
	 * result ("id; none") still holds its block, so that a lower field
	 * with the same id cannot stand in for it (docs/trust.md) */
	size_t start = v->n;
	size_t block = start ? ((struct nise_auth_result *)v->items)[start - 1].block + 1 : 0;
	char *s = strip_comments(a, val, n);
	if (!s)
		return false;
	const char *p = s;
	const char *authserv = token(a, &p);
	if (!authserv)
		return false;
	const char *q = p;
	while (*q == ' ')
		q++;
	if (*q == '=' || *q == '/') {
		/* "spf=fail …" with no authserv-id (Microsoft 365 writes these):
		 * the id is "", and what was read as one is the first method */
		char *s2 = nise_arena_alloc(a, strlen(s) + 2);
		if (!s2)
			return false;
		s2[0] = ';';
		memcpy(s2 + 1, s, strlen(s) + 1);
		authserv = "";
		p = s2;
	}
	/* skip an optional version and anything else up to the first ';' */
	while (*p && *p != ';')
		p++;
	while (*p == ';') {
		p++;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *method = token(a, &p);
		if (!method)
			return false;
		char *slash = strchr(method, '/');
		if (slash)
			*slash = '\0';
		while (*p == ' ')
			p++;
		if (*p != '=') {
			/* "none" or garbage: skip this resinfo */
			while (*p && *p != ';')
				p++;
			continue;
		}
		p++;
		const char *result = token(a, &p);
		if (!result)
			return false;
		struct nise_auth_result *r = nise_vec_push(a, v, sizeof(*r));
		if (!r)
			return false;
		r->authserv_id = authserv;
		r->block = block;
		lower((char *)(uintptr_t)method);
		lower((char *)(uintptr_t)result);
		r->method = method;
		r->result = result;
		struct nise_vec props = {0};
		while (*p && *p != ';') {
			while (*p == ' ')
				p++;
			if (!*p || *p == ';')
				break;
			const char *key = token(a, &p);
			if (!key)
				return false;
			while (*p == ' ')
				p++;
			if (*p != '=') {
				if (*p && *p != ';' && *key == '\0')
					p++;
				continue;
			}
			p++;
			while (*p == ' ')
				p++;
			const char *value = token(a, &p);
			if (!value)
				return false;
			char *k = (char *)(uintptr_t)key;
			lower(k);
			if (strcmp(k, "reason") == 0) {
				r->reason = value;
				continue;
			}
			char *dot = strchr(k, '.');
			struct nise_auth_prop *pr = nise_vec_push(a, &props, sizeof(*pr));
			if (!pr)
				return false;
			if (dot) {
				*dot = '\0';
				pr->ptype = k;
				pr->property = dot + 1;
			} else {
				pr->ptype = "";
				pr->property = k;
			}
			pr->value = value;
		}
		r->props = props.items;
		r->nprops = props.n;
	}
	if (v->n == start && *authserv) {
		struct nise_auth_result *r = nise_vec_push(a, v, sizeof(*r));
		if (!r)
			return false;
		r->authserv_id = authserv;
		r->block = block;
		r->method = "none";
		r->result = "none";
	}
	return true;
}

/* Finds the first IPv4 or IPv6 literal in [s, e): "[1.2.3.4]", "(1.2.3.4)"
 * or "[IPv6:...]". */
static const char *find_ip(struct nise_arena *a, const char *s, const char *e)
{
	for (const char *p = s; p < e; p++) {
		if (*p != '[')
			continue;
		const char *q = p + 1;
		if (e - q > 5 && strncmp(q, "IPv6:", 5) == 0)
			q += 5;
		const char *r = q;
		while (r < e && (((*r >= '0' && *r <= '9') || *r == '.' || *r == ':' ||
		                  (*r >= 'a' && *r <= 'f') || (*r >= 'A' && *r <= 'F'))))
			r++;
		if (r < e && *r == ']' && r - q >= 3)
			return nise_arena_strndup(a, q, (size_t)(r - q));
	}
	return NULL;
}

static const char *clause(struct nise_arena *a, const char *s, const char *kw)
{
	size_t kn = strlen(kw);
	for (const char *p = s; *p; p++) {
		if ((p == s || p[-1] == ' ') && strncasecmp(p, kw, kn) == 0 && p[kn] == ' ') {
			const char *v = p + kn + 1;
			while (*v == ' ')
				v++;
			const char *e = v;
			while (*e && *e != ' ' && *e != ';')
				e++;
			return nise_arena_strndup(a, v, (size_t)(e - v));
		}
	}
	return NULL;
}

bool nise_received_parse(struct nise_received *out, struct nise_arena *a, const char *val,
                         size_t n)
{
	memset(out, 0, sizeof(*out));
	while (n && (*val == ' ' || *val == '\t' || *val == '\r' || *val == '\n')) {
		val++;
		n--;
	}
	char *s = nise_arena_strndup(a, val, n);
	if (!s)
		return false;
	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	const char *semi = strrchr(s, ';');
	if (semi) {
		const char *d = semi + 1;
		while (*d == ' ')
			d++;
		out->date = nise_arena_strdup(a, d);
	}
	/* the "from" clause runs up to " by " */
	const char *from = NULL, *by = strstr(s, " by ");
	if (strncasecmp(s, "from ", 5) == 0)
		from = s + 5;
	if (from) {
		const char *e = by ? by : (semi ? semi : s + strlen(s));
		while (*from == ' ')
			from++;
		while (e > from && e[-1] == ' ')
			e--;
		out->from = nise_arena_strndup(a, from, (size_t)(e > from ? e - from : 0));
		out->ip = find_ip(a, from, e);
		/* some MTAs write "(1.2.3.4)" or "(host [1.2.3.4])" */
		if (!out->ip) {
			for (const char *p = from; p < e; p++) {
				if (*p == '(' && p[1] >= '0' && p[1] <= '9') {
					const char *r = p + 1;
					while (r < e && ((*r >= '0' && *r <= '9') || *r == '.'))
						r++;
					if (r < e && *r == ')')
						out->ip = nise_arena_strndup(a, p + 1, (size_t)(r - p - 1));
					break;
				}
			}
		}
	}
	out->by = clause(a, s, "by");
	out->with = clause(a, s, "with");
	return true;
}

/* The authserv-id alone, without an arena: the milter asks this of every
 * incoming Authentication-Results header. */
nise_rc nise_authres_authserv_id(char *out, size_t n, const char *value, size_t vn)
{
	if (n)
		out[0] = '\0';
	size_t i = 0;
	int depth = 0;
	/* CFWS before the token: white space and (nested) comments */
	while (i < vn) {
		char c = value[i];
		if (depth && c == '\\') {
			i += 2;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && depth)
			depth--;
		else if (!depth && c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		i++;
	}
	if (i >= vn)
		return NISE_EPARSE;
	size_t w = 0;
	bool quoted = value[i] == '"';
	if (quoted)
		i++;
	for (; i < vn; i++) {
		char c = value[i];
		if (quoted) {
			if (c == '"')
				break;
			if (c == '\\' && i + 1 < vn)
				c = value[++i];
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' ||
		           c == '"') {
			break;
		}
		if (w + 1 >= n) {
			if (n)
				out[0] = '\0';
			return NISE_ELIMIT;
		}
		out[w++] = c;
	}
	if (!w)
		return NISE_EPARSE;
	out[w] = '\0';
	return NISE_OK;
}
