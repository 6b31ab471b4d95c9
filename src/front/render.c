/* SPDX-License-Identifier: MIT */
/*
 * render.c — X-Nise-Verdict / X-Nise-Findings / X-Nise-Reason, the tagged
 * Subject, and the filter rewrite.
 *
 * The rewrite reads untrusted bytes (any mail on stdin), so it is a tiny
 * line scanner with no allocation: the header block ends at the first
 * empty line (or at the end of input for a mail without a body); a field
 * starts at a line not beginning with white space; continuation lines
 * belong to the field above. A mail whose first line is not a header
 * still passes through unchanged after our fields; an mbox "From " line
 * stays first. Each check id is listed once. Fuzzed by
 * fuzz/fuzz_filter.c.
 */
#include "render.h"

#include "mime/headers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void render_verdict(char *out, size_t n, const struct nise_result *r)
{
	snprintf(out, n, "%s score=%.1f", nise_verdict_name(r->verdict), r->score);
}

bool render_finding_shown(const struct nise_result *r, size_t i)
{
	const char *id = r->findings[i].id;
	if (strncmp(id, "MODEL_", 6) == 0 && !r->model_tipped)
		return false;
	for (size_t j = 0; j < i; j++)
		if (strcmp(r->findings[j].id, id) == 0)
			return false;
	return true;
}

char *render_findings(const struct nise_result *r, const char *fold)
{
	size_t fl = strlen(fold), total = 1, shown = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (render_finding_shown(r, i)) {
			total += strlen(r->findings[i].id) + 1 + fl;
			shown++;
		}
	if (!shown)
		return NULL;
	char *s = malloc(total);
	if (!s)
		return NULL;
	/* ids fill lines of at most 78 columns after "X-Nise-Findings: " */
	size_t w = 0, col = strlen(RENDER_FINDINGS_HDR ": ");
	shown = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		if (!render_finding_shown(r, i))
			continue;
		size_t k = strlen(r->findings[i].id);
		if (shown++) {
			if (col + 1 + k > 78) {
				memcpy(s + w, fold, fl);
				w += fl;
				col = 1;
			} else {
				s[w++] = ' ';
				col++;
			}
		}
		memcpy(s + w, r->findings[i].id, k);
		w += k;
		col += k;
	}
	s[w] = '\0';
	return s;
}

bool render_is_own_header(const char *name, size_t n)
{
	return (n == sizeof(RENDER_VERDICT_HDR) - 1 && strncasecmp(name, RENDER_VERDICT_HDR, n) == 0) ||
	       (n == sizeof(RENDER_FINDINGS_HDR) - 1 && strncasecmp(name, RENDER_FINDINGS_HDR, n) == 0) ||
	       (n == sizeof(RENDER_REASON_HDR) - 1 && strncasecmp(name, RENDER_REASON_HDR, n) == 0);
}

/* The length of the line at p (its end of line included). */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
}

bool render_filter(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                   render_write_fn fn, void *ctx)
{
	return render_filter_subject(msg, n, hdrs, nh, false, fn, ctx);
}

bool render_filter_subject(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                           bool drop_subject, render_write_fn fn, void *ctx)
{
	const char *end = msg + n;
	size_t first = n ? line_len(msg, end) : 0;
	const char *eol = first >= 2 && msg[first - 2] == '\r' ? "\r\n" : "\n";
	const char *p = msg;
	/* an mbox "From " line (procmail passes it) stays first */
	if (n >= 5 && memcmp(msg, "From ", 5) == 0) {
		if (!fn(msg, first, ctx))
			return false;
		p += first;
	}
	for (size_t i = 0; i < nh; i++)
		if (!fn(hdrs[i], strlen(hdrs[i]), ctx) || !fn(eol, strlen(eol), ctx))
			return false;
	/* the header block as the scan reads it (src/lib/mime/headers.c):
	 * every X-Nise-* field it sees goes, wherever it is and however it
	 * is written (folded, space before the colon, after odd lines);
	 * every other byte is copied as it came */
	struct nise_hreader r;
	struct nise_hfield f;
	nise_hreader_init(&r, p, end, true);
	while (nise_hreader_next(&r, &f)) {
		bool subject = drop_subject && f.nlen == 7 && strncasecmp(f.name, "Subject", 7) == 0;
		if (!render_is_own_header(f.name, f.nlen) && !subject)
			continue;
		drop_subject &= !subject;
		if (f.start > p && !fn(p, (size_t)(f.start - p), ctx))
			return false;
		p = f.end;
	}
	return p >= end || fn(p, (size_t)(end - p), ctx);
}

char *render_raw_subject(const char *msg, size_t n, bool *oom)
{
	*oom = false;
	const char *p = msg, *end = msg + n;
	if (n >= 5 && memcmp(msg, "From ", 5) == 0)
		p += line_len(msg, end);
	struct nise_hreader r;
	struct nise_hfield f;
	nise_hreader_init(&r, p, end, true);
	while (nise_hreader_next(&r, &f)) {
		if (f.nlen != 7 || strncasecmp(f.name, "Subject", 7) != 0)
			continue;
		char *s = malloc(f.vlen + 1);
		if (!s) {
			*oom = true;
			return NULL;
		}
		memcpy(s, f.val, f.vlen);
		s[f.vlen] = '\0';
		return s;
	}
	return NULL;
}

const char *render_unchecked_limit(const struct nise_result *r)
{
	if (r->verdict != NISE_UNCHECKED && (!r->partial || r->verdict == NISE_PHISHING))
		return NULL;
	for (size_t i = 0; i < r->msg->nanomalies; i++)
		if (strncmp(r->msg->anomalies[i].id, "LIMIT_", 6) == 0)
			return r->msg->anomalies[i].id;
	return "LIMIT";
}

/* "Name: value" (value malloc'd and freed; NULL: NULL). */
static char *field(const char *name, char *value)
{
	if (!value)
		return NULL;
	size_t k = strlen(name) + 2 + strlen(value) + 1;
	char *s = malloc(k);
	if (s)
		snprintf(s, k, "%s: %s", name, value);
	free(value);
	return s;
}

size_t render_fields(char *out[3], const struct nise_result *r, const char *unchecked, bool reason,
                     enum cli_lang lang, const char *eol)
{
	bool crlf = eol[0] == '\r';
	char v[160];
	size_t n = 0;
	if (!unchecked && r)
		unchecked = render_unchecked_limit(r);
	if (unchecked) {
		snprintf(v, sizeof(v), "unchecked reason=%s", unchecked);
	} else {
		render_verdict(v, sizeof(v), r);
	}
	char *verdict = malloc(strlen(v) + 1);
	if (!verdict)
		return 0;
	memcpy(verdict, v, strlen(v) + 1);
	out[n++] = field(RENDER_VERDICT_HDR, verdict);
	bool oom = !out[0];
	if (!unchecked && r->nfindings) {
		char *f = render_findings(r, crlf ? "\r\n\t" : "\n\t");
		oom |= !(out[n] = field(RENDER_FINDINGS_HDR, f)) && f != NULL;
		n += out[n] != NULL;
	}
	if (reason && r) {
		out[n] = field(RENDER_REASON_HDR, render_reason(r, lang, crlf ? "\r\n " : "\n "));
		oom |= !out[n];
		n += out[n] != NULL;
	}
	if (oom) {
		render_fields_free(out, n);
		return 0;
	}
	return n;
}

void render_fields_free(char *out[3], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(out[i]);
}

/* ---- X-Nise-Reason and the tagged Subject */

const char *render_reason_text(const struct nise_result *r, enum cli_lang lang)
{
	bool ja = lang == LANG_JA;
	if (r->verdict == NISE_UNCHECKED || render_unchecked_limit(r))
		return ja ? "nise はこのメールを最後まで読めなかったため、安全とは判断できません。"
		          : "nise could not read this mail whole, so it is not known to be safe.";
	if (r->verdict == NISE_CLEAN)
		return ja ? "nise はこのメールにフィッシングの兆候を見つけませんでした。"
		          : "nise found no sign of phishing in this mail.";
	const struct nise_finding *top = NULL;
	for (size_t i = 0; i < r->nfindings; i++)
		if (render_finding_shown(r, i) && (!top || r->findings[i].score > top->score))
			top = &r->findings[i];
	const char *t = top ? (ja ? top->explain_ja : top->explain_en) : NULL;
	if (t && *t)
		return nise_result_visible(r, t);
	return ja ? "nise はこのメールをフィッシングの疑いがあると判断しました。"
	          : "nise judged this mail as likely phishing.";
}

struct sb {
	char *p;
	size_t n, cap;
	bool oom;
};

static void sb_add(struct sb *b, const char *p, size_t k)
{
	if (b->oom)
		return;
	if (b->n + k + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + k + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, k);
	b->n += k;
	b->p[b->n] = '\0';
}

static char *sb_done(struct sb *b)
{
	if (b->oom || !b->p) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

static bool plain_ascii(const char *s)
{
	size_t word = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < ' ' || *p >= 0x7f)
			return false;
		if (p[0] == '=' && p[1] == '?')
			return false;
		word = *p == ' ' ? 0 : word + 1;
		if (word > 60)
			return false; /* would not fold */
	}
	return true;
}

/* Plain words, greedily filled up to 78 columns. */
static void fold_plain(struct sb *b, const char *s, size_t col, const char *fold)
{
	bool first = true;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		size_t k = strcspn(s, " ");
		if (!first && col + 1 + k > 78) {
			sb_add(b, fold, strlen(fold));
			col = 1;
		} else if (!first) {
			sb_add(b, " ", 1);
			col++;
		}
		sb_add(b, s, k);
		col += k;
		s += k;
		first = false;
	}
}

static void b64(struct sb *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
		             i + 2 < n ? tab[v & 63] : '='};
		sb_add(b, q, 4);
	}
}

/* "=?UTF-8?B?...?=" words; the first starts at col, each ends by 78
 * columns (and is at most 75 characters, RFC 2047 section 2). */
static void fold_encoded(struct sb *b, const char *s, size_t col, const char *fold)
{
	const size_t over = strlen("=?UTF-8?B?") + strlen("?=");
	size_t n = strlen(s), at = 0;
	bool first = true;
	while (at < n) {
		size_t room = 78 - (first ? col : 1);
		if (room > 75)
			room = 75;
		size_t bytes = room > over + 4 ? (room - over) / 4 * 3 : 3;
		if (bytes > n - at)
			bytes = n - at;
		/* never split a UTF-8 sequence */
		while (bytes > 1 && at + bytes < n && ((unsigned char)s[at + bytes] & 0xc0) == 0x80)
			bytes--;
		if (!first)
			sb_add(b, fold, strlen(fold));
		sb_add(b, "=?UTF-8?B?", 10);
		b64(b, (const unsigned char *)s + at, bytes);
		sb_add(b, "?=", 2);
		at += bytes;
		first = false;
	}
}

/* text with every control (and DEL) as a space */
static char *no_controls(const char *text)
{
	size_t k = strlen(text);
	char *t = malloc(k + 1);
	if (!t)
		return NULL;
	for (size_t i = 0; i <= k; i++)
		t[i] = i < k && ((unsigned char)text[i] < ' ' || text[i] == 0x7f) ? ' ' : text[i];
	return t;
}

char *render_header_text(const char *text, size_t col, const char *fold)
{
	char *t = no_controls(text);
	if (!t)
		return NULL;
	struct sb b = {0};
	if (plain_ascii(t))
		fold_plain(&b, t, col, fold);
	else
		fold_encoded(&b, t, col, fold);
	sb_add(&b, "", 0);
	free(t);
	return sb_done(&b);
}

char *render_reason(const struct nise_result *r, enum cli_lang lang, const char *fold)
{
	return render_header_text(render_reason_text(r, lang), strlen(RENDER_REASON_HDR ": "), fold);
}

char *render_subject(const char *tag, const char *raw, const char *decoded, const char *fold)
{
	const size_t col = strlen("Subject: ");
	if (!raw)
		raw = "";
	while (*raw == ' ' || *raw == '\t')
		raw++;
	bool raw_ascii = true;
	for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
		raw_ascii &= *p < 0x80;
	bool tag_plain = plain_ascii(tag);
	struct sb b = {0};
	if (!raw_ascii) {
		/* 8-bit in the subject: the whole of it again, encoded */
		size_t k = strlen(tag) + 1 + strlen(decoded ? decoded : "") + 1;
		char *all = malloc(k);
		if (!all)
			return NULL;
		snprintf(all, k, "%s %s", tag, decoded ? decoded : "");
		char *t = no_controls(all);
		free(all);
		if (!t)
			return NULL;
		fold_encoded(&b, t, col, fold);
		free(t);
		sb_add(&b, "", 0);
		return sb_done(&b);
	}
	/* the old subject stays as written, folds included */
	if (tag_plain) {
		sb_add(&b, tag, strlen(tag));
	} else {
		/* white space between two encoded words is not shown: the
		 * space after the tag goes inside it when raw starts with one */
		bool raw_encoded = raw[0] == '=' && raw[1] == '?';
		size_t k = strlen(tag) + 2;
		char *t = malloc(k);
		char *c = t ? (snprintf(t, k, "%s%s", tag, raw_encoded ? " " : ""), no_controls(t)) : NULL;
		free(t);
		if (!c)
			return NULL;
		fold_encoded(&b, c, col, fold);
		free(c);
	}
	if (*raw) {
		/* the column where the tag ends, and the first line of raw */
		size_t at = col + b.n;
		for (size_t i = 0; i < b.n; i++)
			if (b.p[i] == '\n')
				at = b.n - i - 1;
		size_t first = strcspn(raw, "\r\n");
		if (at + 1 + first > 78)
			sb_add(&b, fold, strlen(fold));
		else
			sb_add(&b, " ", 1);
		sb_add(&b, raw, strlen(raw));
	}
	sb_add(&b, "", 0);
	return sb_done(&b);
}
