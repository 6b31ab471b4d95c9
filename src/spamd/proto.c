/* SPDX-License-Identifier: MIT */
/*
 * proto.c — SPAMC/1.x request lines and the verdict-to-score mapping.
 *
 * The parser sees bytes from any client on the socket: it takes one line
 * at a time (at most SPAMD_MAX_LINE bytes, at most SPAMD_MAX_HEADERS
 * header lines), copies nothing it does not bound, and answers every
 * malformed input with a status and a reason instead of guessing.
 * Unknown header names are ignored, as spamd does; Compress is refused
 * (nise does not take zlib-compressed mail). Fuzzed by
 * fuzz/fuzz_spamd.c.
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const method_names[] = {
	[SPAMD_CHECK] = "CHECK",
	[SPAMD_SYMBOLS] = "SYMBOLS",
	[SPAMD_REPORT] = "REPORT",
	[SPAMD_REPORT_IFSPAM] = "REPORT_IFSPAM",
	[SPAMD_PROCESS] = "PROCESS",
	[SPAMD_HEADERS] = "HEADERS",
	[SPAMD_PING] = "PING",
	[SPAMD_SKIP] = "SKIP",
};

const char *spamd_method_name(enum spamd_method m)
{
	return method_names[m];
}

static int fail(char *why, size_t wn, int code, const char *reason)
{
	snprintf(why, wn, "%s", reason);
	return code;
}

/* n without the line end. */
static size_t chomp(const char *line, size_t n)
{
	if (n && line[n - 1] == '\n')
		n--;
	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

/* "1.5" → 1, 5; false on anything else (at most 3 digits each). */
static bool parse_version(const char *p, size_t n, unsigned *maj, unsigned *min)
{
	size_t i = 0;
	unsigned a = 0, b = 0, da = 0, db = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && da < 3)
		a = a * 10 + (unsigned)(p[i++] - '0'), da++;
	if (!da || i >= n || p[i++] != '.')
		return false;
	while (i < n && p[i] >= '0' && p[i] <= '9' && db < 3)
		b = b * 10 + (unsigned)(p[i++] - '0'), db++;
	if (!db || i != n)
		return false;
	*maj = a;
	*min = b;
	return true;
}

static int request_line(struct spamd_req *r, const char *p, size_t n, char *why, size_t wn)
{
	const char *sp = memchr(p, ' ', n);
	if (!sp)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "bad request line (METHOD SPAMC/1.5)");
	size_t ml = (size_t)(sp - p);
	bool found = false;
	for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (strlen(method_names[i]) == ml && memcmp(p, method_names[i], ml) == 0) {
			r->method = (enum spamd_method)i;
			found = true;
		}
	if (!found) {
		if (ml == 4 && memcmp(p, "TELL", 4) == 0)
			return fail(why, wn, SPAMD_EX_USAGE, "TELL is not supported (use nise learn)");
		return fail(why, wn, SPAMD_EX_PROTOCOL, "unknown method");
	}
	const char *v = sp + 1;
	size_t vn = n - ml - 1;
	if (vn < 6 || memcmp(v, "SPAMC/", 6) != 0 || !parse_version(v + 6, vn - 6, &r->vmajor, &r->vminor))
		return fail(why, wn, SPAMD_EX_PROTOCOL, "bad protocol version (SPAMC/1.x)");
	if (r->vmajor != 1)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "unsupported protocol version");
	return SPAMD_EX_OK;
}

/* A printable token of at most cap-1 bytes, copied NUL-terminated. */
static bool copy_token(char *dst, size_t cap, const char *v, size_t vn)
{
	if (!vn || vn >= cap)
		return false;
	for (size_t i = 0; i < vn; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 127)
			return false;
	memcpy(dst, v, vn);
	dst[vn] = '\0';
	return true;
}

static int header_line(struct spamd_req *r, const char *p, size_t n, char *why, size_t wn)
{
	if (++r->nheaders > SPAMD_MAX_HEADERS)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "too many header lines");
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "bad header line");
	size_t nl = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vn = n - nl - 1;
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (nl == 14 && strncasecmp(p, "Content-length", 14) == 0) {
		if (r->content_length >= 0)
			return fail(why, wn, SPAMD_EX_PROTOCOL, "Content-length given twice");
		if (!vn || vn > 12)
			return fail(why, wn, SPAMD_EX_PROTOCOL, "bad Content-length");
		long long x = 0;
		for (size_t i = 0; i < vn; i++) {
			if (v[i] < '0' || v[i] > '9')
				return fail(why, wn, SPAMD_EX_PROTOCOL, "bad Content-length");
			x = x * 10 + (v[i] - '0');
		}
		r->content_length = x;
	} else if (nl == 4 && strncasecmp(p, "User", 4) == 0) {
		if (!copy_token(r->user, sizeof(r->user), v, vn))
			return fail(why, wn, SPAMD_EX_PROTOCOL, "bad User");
	} else if (nl == 4 && strncasecmp(p, "Lang", 4) == 0) {
		if (!(vn == 2 && (memcmp(v, "ja", 2) == 0 || memcmp(v, "en", 2) == 0)))
			return fail(why, wn, SPAMD_EX_PROTOCOL, "bad Lang (ja or en)");
		memcpy(r->lang, v, 2);
		r->lang[2] = '\0';
	} else if (nl == 8 && strncasecmp(p, "Compress", 8) == 0) {
		return fail(why, wn, SPAMD_EX_USAGE, "compression is not supported: send the mail uncompressed");
	}
	return SPAMD_EX_OK;
}

int spamd_req_line(struct spamd_req *r, const char *line, size_t n, char *why, size_t wn)
{
	if (n > SPAMD_MAX_LINE)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "line too long");
	bool first = r->vmajor == 0;
	size_t k = chomp(line, n);
	if (memchr(line, '\0', k))
		return fail(why, wn, SPAMD_EX_PROTOCOL, "NUL in request");
	if (first) {
		r->content_length = -1;
		return request_line(r, line, k, why, wn);
	}
	if (r->done)
		return fail(why, wn, SPAMD_EX_PROTOCOL, "header after the end of the headers");
	if (k == 0) {
		r->done = true;
		return SPAMD_EX_OK;
	}
	return header_line(r, line, k, why, wn);
}

void spamd_map(struct spamd_verdict *out, const struct nise_result *r, const char *limit_id)
{
	memset(out, 0, sizeof(*out));
	if (!r) {
		out->unchecked = "error";
		out->score = 5.0;
		return;
	}
	if (limit_id) {
		out->unchecked = limit_id;
		out->score = 5.0;
		return;
	}
	double s = r->score > 0 ? r->score : 0.0;
	switch (r->verdict) {
	case NISE_UNCHECKED: /* callers pass its LIMIT id; never clean either way */
		out->unchecked = "LIMIT";
		out->score = 5.0;
		break;
	case NISE_PHISHING:
		out->spam = true;
		out->score = SPAMD_THRESHOLD + s;
		break;
	case NISE_SUSPICIOUS:
		out->score = 5.0 + s;
		if (out->score > 9.9)
			out->score = 9.9;
		break;
	default:
		out->score = s > 4.9 ? 4.9 : s;
		break;
	}
}
