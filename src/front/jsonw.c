/* SPDX-License-Identifier: MIT */
/*
 * jsonw.c — `nise check --json`'s output written straight into one buffer.
 *
 * The same bytes as json_dumps(cli_json_value(...), JSON_PRESERVE_ORDER |
 * JSON_COMPACT | JSON_REAL_PRECISION(6)) (json.c, kept for the front ends
 * that embed the value), without building a jansson tree of a few hundred
 * objects per mail: that tree and its dump were 12–16 % of the CPU of
 * `nise check --json` over a directory (bench/PROFILE.md). The two are
 * compared on every mail of the corpus and on hostile strings by
 * tests/json_writer (meson suite unit), so the contract of docs/json.md
 * has one meaning.
 *
 * jansson's rules reproduced here: strings that are not well-formed UTF-8
 * (overlongs, surrogates, past U+10FFFF) are not strings to it, so jstr()
 * in json.c replaces each bad byte by U+FFFD; an object key that is not
 * well-formed is refused (the member is left out); a key set twice keeps
 * its first place and its last value; reals are "%.6g" with ".0" added to
 * integral values and the exponent's '+' and leading zeros dropped; NaN
 * and infinities are refused (the member is left out).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

struct jw {
	char *p;
	size_t n, cap;
	bool oom;
	bool first; /* no member written yet in the innermost container */
};

static bool reserve(struct jw *w, size_t extra)
{
	if (w->oom)
		return false;
	if (w->cap - w->n > extra)
		return true;
	size_t cap = w->cap ? w->cap : 4096;
	while (cap - w->n <= extra) {
		if (cap > SIZE_MAX / 2) {
			w->oom = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(w->p, cap);
	if (!p) {
		w->oom = true;
		return false;
	}
	w->p = p;
	w->cap = cap;
	return true;
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->p + w->n, s, n);
	w->n += n;
}

#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 if
 * there is none: the rules of jansson's utf8_check_full. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return 0; /* overlong */
	return len;
}

static bool utf8_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(u + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

/* A JSON string; ill-formed bytes become U+FFFD one by one (jstr). */
/* Do the eight bytes at p need no escape (ASCII, no control character,
 * no '"' or '\\')? The classic bit tests for a zero byte and for a byte
 * below n: exact as booleans once no byte has its top bit set. */
static inline bool word_plain(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;
	uint64_t v;
	memcpy(&v, p, 8);
	uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
	uint64_t bad = (v & tops) | ((v - ones * 0x20) & ~v & tops) | ((q - ones) & ~q & tops) |
	               ((b - ones) & ~b & tops);
	return bad == 0;
}

static void str(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	if (!reserve(w, n + 2))
		return;
	w->p[w->n++] = '"';
	size_t i = 0;
	while (i < n) {
		/* a run that needs no escape in one copy, found eight bytes at a
		 * time (the JSON of a pot mail is ~8 KB: byte by byte, this scan
		 * was 6 % of `nise check --json`) */
		size_t j = i;
		for (;;) {
			while (j + 8 <= n && word_plain(u + j))
				j += 8;
			while (j < n && u[j] >= 0x20 && u[j] < 0x80 && u[j] != '"' && u[j] != '\\')
				j++;
			/* well-formed UTF-8 is copied as it is: in the same run
			 * (Japanese text was one copy per character) */
			size_t l = j < n && u[j] >= 0x80 ? utf8_len(u + j, n - j) : 0;
			if (!l)
				break;
			j += l;
		}
		if (j > i) {
			put(w, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = u[i];
		if (c >= 0x80) {
			size_t l = utf8_len(u + i, n - i);
			if (l) {
				put(w, s + i, l);
				i += l;
			} else {
				PUTS(w, "\xEF\xBF\xBD");
				i++;
			}
			continue;
		}
		switch (c) {
		case '"': PUTS(w, "\\\""); break;
		case '\\': PUTS(w, "\\\\"); break;
		case '\b': PUTS(w, "\\b"); break;
		case '\f': PUTS(w, "\\f"); break;
		case '\n': PUTS(w, "\\n"); break;
		case '\r': PUTS(w, "\\r"); break;
		case '\t': PUTS(w, "\\t"); break;
		default: {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			put(w, e, 6);
		}
		}
		i++;
	}
	PUTS(w, "\"");
}

static void sep(struct jw *w)
{
	if (!w->first)
		PUTS(w, ",");
	w->first = false;
}

/* "key": — keys here are fixed ASCII words */
static void key(struct jw *w, const char *k)
{
	sep(w);
	str(w, k);
	PUTS(w, ":");
}

static void open(struct jw *w, char c)
{
	put(w, &c, 1);
	w->first = true;
}

static void close_(struct jw *w, char c)
{
	put(w, &c, 1);
	w->first = false;
}

static void kstr(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	str(w, v);
}

static void kstr_or_null(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		str(w, v);
	else
		PUTS(w, "null");
}

static void kbool(struct jw *w, const char *k, bool v)
{
	key(w, k);
	if (v)
		PUTS(w, "true");
	else
		PUTS(w, "false");
}

static void kint(struct jw *w, const char *k, long long v)
{
	char b[32];
	int len = snprintf(b, sizeof(b), "%lld", v);
	key(w, k);
	put(w, b, (size_t)len);
}

/* jansson's jsonp_dtostr with precision 6; NaN and infinities are not
 * JSON values to jansson, so the member is left out. */
static void kreal(struct jw *w, const char *k, double v)
{
	if (!isfinite(v))
		return;
	char b[48];
	int len = snprintf(b, sizeof(b), "%.6g", v);
	if (len < 0 || (size_t)len >= sizeof(b) - 3)
		return;
	size_t n = (size_t)len;
	if (!strchr(b, '.') && !strchr(b, 'e')) {
		b[n++] = '.';
		b[n++] = '0';
		b[n] = '\0';
	}
	char *e = strchr(b, 'e');
	if (e) {
		char *start = e + 1, *end = e + 2;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, n - (size_t)(end - b) + 1);
			n -= (size_t)(end - start);
		}
	}
	key(w, k);
	put(w, b, n);
}

static double round_to(double v, double scale)
{
	return (double)((long long)(v * scale + (v < 0 ? -0.5 : 0.5))) / scale;
}

static void address(struct jw *w, const char *k, const struct nise_address *a)
{
	if (k)
		key(w, k);
	else
		sep(w);
	if (!a) {
		PUTS(w, "null");
		return;
	}
	open(w, '{');
	kstr(w, "name", a->name ? a->name : "");
	kstr(w, "address", a->address ? a->address : "");
	kstr(w, "domain", a->domain ? a->domain : "");
	close_(w, '}');
}

static void addresses(struct jw *w, const char *k, const struct nise_address *a, size_t n)
{
	key(w, k);
	open(w, '[');
	for (size_t i = 0; i < n; i++)
		address(w, NULL, &a[i]);
	close_(w, ']');
}

/* The JSON name of a link's source, for both writers (json.c, jsonw.c). */
const char *cli_link_source_name(enum nise_link_source s)
{
	switch (s) {
	case NISE_LINK_HTML_ANCHOR: return "html";
	case NISE_LINK_HTML_AREA: return "html-area";
	case NISE_LINK_TEXT: return "text";
	case NISE_LINK_FORM: return "form";
	case NISE_LINK_META_REFRESH: return "meta-refresh";
	case NISE_LINK_IMAGE: return "image";
	case NISE_LINK_ATTACHMENT: return "attachment";
	case NISE_LINK_HEADER: return "header";
	}
	return "text";
}

static void link_obj(struct jw *w, const struct nise_link *l)
{
	sep(w);
	open(w, '{');
	kstr(w, "text", l->text ? l->text : "");
	kstr(w, "href", l->href ? l->href : "");
	kstr_or_null(w, "url", l->url.url);
	kstr_or_null(w, "host", l->url.host);
	kstr_or_null(w, "host_ascii", l->url.host_ascii);
	kstr_or_null(w, "domain", l->url.domain);
	kstr(w, "source", cli_link_source_name(l->source));
	if (l->title)
		kstr(w, "title", l->title);
	if (l->url.userinfo)
		kstr(w, "userinfo", l->url.userinfo);
	if (l->url.host_is_ip)
		kbool(w, "ip_host", true);
	if (l->url.host_is_punycode)
		kbool(w, "punycode", true);
	if (l->url.obfuscated)
		kbool(w, "obfuscated", true);
	close_(w, '}');
}

static void prop_key(char *key, size_t n, const struct nise_auth_prop *p)
{
	snprintf(key, n, "%s%s%s", p->ptype, *p->ptype ? "." : "", p->property);
}

static void auth_obj(struct jw *w, const struct nise_auth_result *r)
{
	sep(w);
	open(w, '{');
	kstr_or_null(w, "authserv_id", r->authserv_id);
	kstr_or_null(w, "method", r->method);
	kstr_or_null(w, "result", r->result);
	kbool(w, "trusted", r->trusted);
	if (r->reason)
		kstr(w, "reason", r->reason);
	key(w, "properties");
	open(w, '{');
	for (size_t i = 0; i < r->nprops; i++) {
		char k[128], k2[128];
		prop_key(k, sizeof(k), &r->props[i]);
		if (!utf8_ok(k))
			continue; /* jansson refuses the key */
		bool seen = false;
		size_t last = i;
		for (size_t j = 0; j < r->nprops && !seen; j++) {
			if (j == i)
				continue;
			prop_key(k2, sizeof(k2), &r->props[j]);
			if (strcmp(k, k2) != 0)
				continue;
			if (j < i)
				seen = true; /* written in its first place already */
			else
				last = j;
		}
		if (!seen)
			kstr_or_null(w, k, r->props[last].value);
	}
	close_(w, '}');
	close_(w, '}');
}

static const char *part_kind(enum nise_part_kind k)
{
	return k == NISE_PART_HTML ? "html" : k == NISE_PART_TEXT ? "text" : "attachment";
}

char *cli_json_result(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang)
{
	const struct nise_message *msg = r->msg;
	struct jw w0 = {0}, *w = &w0;
	open(w, '{');
	kint(w, "schema", NISE_JSON_SCHEMA_VERSION);
	kstr(w, "source", m->source);
	if (m->in_mbox)
		kint(w, "index", (long long)m->index);
	kstr(w, "verdict", nise_verdict_name(r->verdict));
	kreal(w, "score", round_to(r->score, 100));
	kstr_or_null(w, "brand", r->brand);
	kstr(w, "subject", msg->subject ? msg->subject : "");
	address(w, "from", msg->nfrom ? &msg->from[0] : NULL);
	address(w, "sender", msg->sender);
	addresses(w, "reply_to", msg->reply_to, msg->nreply_to);
	address(w, "return_path", msg->return_path);
	addresses(w, "to", msg->to, msg->nto);
	kstr_or_null(w, "date", msg->date);
	kstr_or_null(w, "message_id", msg->message_id);

	key(w, "links");
	open(w, '[');
	for (size_t i = 0; i < msg->nlinks; i++)
		link_obj(w, &msg->links[i]);
	close_(w, ']');

	key(w, "findings");
	open(w, '[');
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct nise_finding *f = &r->findings[i];
		sep(w);
		open(w, '{');
		kstr(w, "id", f->id);
		kreal(w, "score", f->score);
		kstr(w, "evidence", f->evidence ? f->evidence : "");
		kstr(w, "explain", lang == LANG_JA ? f->explain_ja : f->explain_en);
		kstr(w, "explain_en", f->explain_en ? f->explain_en : "");
		kstr(w, "explain_ja", f->explain_ja ? f->explain_ja : "");
		close_(w, '}');
	}
	close_(w, ']');
	key(w, "checks");
	open(w, '{');
	kstr(w, "verdict", nise_verdict_name(r->check_verdict));
	kreal(w, "score", round_to(r->check_score, 100));
	close_(w, '}');
	key(w, "model");
	if (r->model_p >= 0) {
		open(w, '{');
		kreal(w, "p", round_to(r->model_p, 10000));
		kbool(w, "tipped", r->model_tipped);
		key(w, "top");
		open(w, '[');
		for (size_t i = 0; i < r->nmodel_top; i++) {
			const char *name = r->model_top[i].name;
			if (!name || !utf8_ok(name) || !isfinite(r->model_top[i].weight))
				continue; /* json_pack fails: jansson appends nothing */
			sep(w);
			open(w, '{');
			kstr(w, "feature", name);
			kreal(w, "weight", r->model_top[i].weight);
			close_(w, '}');
		}
		close_(w, ']');
		close_(w, '}');
	} else {
		PUTS(w, "null");
	}

	key(w, "forms");
	open(w, '[');
	for (size_t i = 0; i < msg->nforms; i++) {
		sep(w);
		open(w, '{');
		kstr_or_null(w, "action", msg->forms[i].action);
		kstr_or_null(w, "method", msg->forms[i].method);
		kbool(w, "password", msg->forms[i].has_password);
		kint(w, "inputs", (long long)msg->forms[i].ninputs);
		close_(w, '}');
	}
	close_(w, ']');

	key(w, "images");
	open(w, '[');
	for (size_t i = 0; i < msg->nimages; i++) {
		sep(w);
		open(w, '{');
		kstr_or_null(w, "src", msg->images[i].src);
		kstr_or_null(w, "alt", msg->images[i].alt);
		close_(w, '}');
	}
	close_(w, ']');

	key(w, "attachments");
	open(w, '[');
	for (size_t i = 0; i < msg->nparts; i++) {
		const struct nise_part *p = &msg->parts[i];
		if (p->kind != NISE_PART_ATTACHMENT)
			continue;
		sep(w);
		open(w, '{');
		kstr_or_null(w, "filename", p->filename);
		kstr_or_null(w, "content_type", p->content_type);
		kstr_or_null(w, "sniffed_type", p->sniffed_type);
		kint(w, "size", (long long)p->size);
		kstr(w, "sha256", p->sha256);
		close_(w, '}');
	}
	close_(w, ']');
	key(w, "parts");
	open(w, '[');
	for (size_t i = 0; i < msg->nparts; i++) {
		const struct nise_part *p = &msg->parts[i];
		sep(w);
		open(w, '{');
		kstr(w, "kind", part_kind(p->kind));
		kstr_or_null(w, "content_type", p->content_type);
		kstr_or_null(w, "declared_charset", p->declared_charset);
		kstr_or_null(w, "charset", p->charset);
		kint(w, "size", (long long)p->size);
		kint(w, "depth", (long long)p->depth);
		close_(w, '}');
	}
	close_(w, ']');

	key(w, "authentication_results");
	open(w, '[');
	for (size_t i = 0; i < msg->nauth; i++)
		auth_obj(w, &msg->auth[i]);
	close_(w, ']');

	key(w, "received");
	open(w, '[');
	for (size_t i = 0; i < msg->nreceived; i++) {
		const struct nise_received *rv = &msg->received[i];
		sep(w);
		open(w, '{');
		kstr_or_null(w, "from", rv->from);
		kstr_or_null(w, "by", rv->by);
		kstr_or_null(w, "with", rv->with);
		kstr_or_null(w, "ip", rv->ip);
		kstr_or_null(w, "date", rv->date);
		close_(w, '}');
	}
	close_(w, ']');
	kstr_or_null(w, "list_id", msg->list_id);
	kstr_or_null(w, "list_unsubscribe", msg->list_unsubscribe);

	key(w, "anomalies");
	open(w, '[');
	for (size_t i = 0; i < msg->nanomalies; i++) {
		sep(w);
		open(w, '{');
		kstr(w, "id", msg->anomalies[i].id);
		kstr(w, "detail", msg->anomalies[i].detail ? msg->anomalies[i].detail : "");
		close_(w, '}');
	}
	close_(w, ']');
	kbool(w, "partial", r->partial);
	key(w, "limits");
	open(w, '[');
	for (size_t i = 0; i < msg->nanomalies; i++) {
		if (strncmp(msg->anomalies[i].id, "LIMIT_", 6) == 0) {
			sep(w);
			str(w, msg->anomalies[i].id);
		}
	}
	close_(w, ']');
	close_(w, '}');
	if (!reserve(w, 1)) {
		free(w->p);
		return NULL;
	}
	w->p[w->n] = '\0';
	return w->p;
}
