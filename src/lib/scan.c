/* SPDX-License-Identifier: MIT */
/*
 * scan.c — the pipeline: bytes → message model → links and visible text →
 * checks → verdict.
 *
 * Order matters for links: HTML parts are read before plain-text parts so
 * that a text/plain alternative repeating an anchor's URL does not add a
 * second, textless copy of the same link. Visible text is what the reader
 * sees: for a multipart/alternative group, the HTML rendering when there is
 * one, else the plain text.
 *
 * A plain-text URL written as "label <url>" (how mail programs render an
 * HTML anchor as text) keeps "label" as its text, so the seed mail's
 * ISO-2022-JP twin shows 「続けるにはこちらをクリック」 → its URL like the
 * HTML original.
 */
#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/detect.h"
#include "core/hash.h"
#include "html/html.h"
#include "mime/mime.h"
#include "text/charset.h"
#include "url/url.h"

nise_rc nise_engine_new(struct nise_engine **out, const struct nise_engine_opts *opts,
                        char *diag, size_t dn)
{
	*out = NULL;
	struct nise_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NISE_ENOMEM;
	if (opts) {
		e->limits = opts->limits;
		e->arena_debug = opts->arena_debug;
		e->no_checks = opts->no_checks;
	} else {
		nise_limits_default(&e->limits);
	}
#ifdef NISE_ARENA_DEBUG_DEFAULT
	e->arena_debug = true;
#endif
	nise_mime_global_init();
	nise_rc rc = nise_urlctx_new(&e->urls);
	if (rc != NISE_OK) {
		if (diag && dn)
			snprintf(diag, dn, "cannot load the public suffix list");
		nise_engine_free(e);
		return rc;
	}
	rc = nise_detect_new(&e->detect, opts, diag, dn);
	if (rc != NISE_OK) {
		nise_engine_free(e);
		return rc;
	}
	nise_detect_set_store(e->detect, opts ? opts->store : NULL);
	*out = e;
	return NISE_OK;
}

const char *nise_engine_model_meta(const struct nise_engine *e)
{
	return e ? nise_detect_model_meta(e->detect) : NULL;
}

void nise_engine_free(struct nise_engine *e)
{
	if (!e)
		return;
	nise_detect_free(e->detect);
	nise_urlctx_free(e->urls);
	free(e);
}

void nise_scan_anomaly(struct nise_arena *a, struct nise_vec *v, const char *id,
                       const char *detail)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(((struct nise_anomaly *)v->items)[i].id, id) == 0)
			return;
	struct nise_anomaly *an = nise_vec_push(a, v, sizeof(*an));
	if (an) {
		an->id = id;
		an->detail = detail ? detail : "";
	}
}

struct extract {
	const struct nise_engine *e;
	struct nise_arena *a;
	struct nise_message *msg;
	struct nise_vec links, forms, images, anomalies;
	struct nise_buf visible, hidden;
	unsigned part;
	const char *text; /* the part's text, for "label <url>" lookups */
	bool html_text;   /* text comes from an HTML part */
	size_t text_len;
	bool links_limited;
	/* normalised URLs of the links so far: index + 1 into links, 0 empty
	 * (open addressing, grown at half load) */
	uint32_t *url_slot;
	size_t url_cap, url_n;
};

static uint64_t url_hash(const char *s)
{
	uint64_t h = nise_fnv1a(NISE_FNV_OFFSET, s, strlen(s));
	return h ^ (h >> 29);
}

/* Is there already a link to this normalised URL? */
static bool url_seen(const struct extract *x, const char *url)
{
	if (!x->url_cap)
		return false;
	const struct nise_link *ls = x->links.items;
	for (size_t i = url_hash(url) & (x->url_cap - 1); x->url_slot[i]; i = (i + 1) & (x->url_cap - 1))
		if (strcmp(ls[x->url_slot[i] - 1].url.url, url) == 0)
			return true;
	return false;
}

static void url_insert(uint32_t *slot, size_t cap, const struct nise_link *ls, uint32_t idx)
{
	size_t i = url_hash(ls[idx].url.url) & (cap - 1);
	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = idx + 1;
}

/* Remembers link idx's URL; on arena exhaustion the set stays as it was
 * (a duplicate text link may then be listed twice, nothing worse). */
static void url_remember(struct extract *x, size_t idx)
{
	const struct nise_link *ls = x->links.items;
	if (2 * (x->url_n + 1) > x->url_cap) {
		size_t cap = x->url_cap ? x->url_cap * 2 : 64;
		uint32_t *slot = nise_arena_calloc(x->a, cap, sizeof(*slot));
		if (!slot)
			return;
		for (size_t i = 0; i < x->url_cap; i++)
			if (x->url_slot[i])
				url_insert(slot, cap, ls, x->url_slot[i] - 1);
		x->url_slot = slot;
		x->url_cap = cap;
	}
	url_insert(x->url_slot, x->url_cap, ls, (uint32_t)idx);
	x->url_n++;
}

/* Adds a link unless the same URL already came from an HTML part. */
static struct nise_link *add_link(struct extract *x, enum nise_link_source src, const char *text,
                                  const char *href, const char *title, bool allow_bare)
{
	if (x->links.n >= x->e->limits.max_links) {
		if (!x->links_limited)
			nise_scan_anomaly(x->a, &x->anomalies, "LIMIT_LINKS", "too many links; the rest were not read");
		x->links_limited = true;
		return NULL;
	}
	struct nise_url u;
	memset(&u, 0, sizeof(u));
	if (href && *href)
		nise_url_parse(&u, x->a, x->e->urls, href, strlen(href), allow_bare);
	if (src == NISE_LINK_TEXT && u.url && url_seen(x, u.url))
		return NULL;
	struct nise_link *l = nise_vec_push(x->a, &x->links, sizeof(*l));
	if (!l)
		return NULL;
	l->source = src;
	l->text = text ? text : "";
	l->href = href ? href : "";
	l->title = title;
	l->url = u;
	l->part = x->part;
	if (u.url)
		url_remember(x, x->links.n - 1);
	return l;
}

static bool is_space_byte(char c)
{
	return c == ' ' || c == '\t';
}

/* The label of a plain-text link rendered as "label <url>" / "label [url]":
 * the text before the bracket on the same line. NULL when none. */
static const char *text_label(struct extract *x, const char *match, size_t mn)
{
	const char *t = x->text;
	if (match <= t || match + mn > t + x->text_len)
		return NULL;
	char open = match[-1];
	if (open != '<' && open != '[' && open != '(')
		return NULL;
	const char *end = match - 1;
	while (end > t && is_space_byte(end[-1]))
		end--;
	const char *start = end;
	while (start > t && start[-1] != '\n' && end - start < 240)
		start--;
	while (start < end && is_space_byte(*start))
		start++;
	/* a label ends a line of its own; "see <url>" inside prose has text,
	 * which is just as useful to show */
	if (end <= start || end - start > 200)
		return NULL;
	return nise_arena_strndup(x->a, start, (size_t)(end - start));
}

static bool on_text_url(void *vx, const char *match, size_t n)
{
	struct extract *x = vx;
	const char *href = nise_arena_strndup(x->a, match, n);
	if (!href)
		return false;
	/* A bare domain in prose ("Amazon.co.jpからの連絡") is a mention, not a
	 * link: mail programs make links of URLs with a scheme and of www.
	 * forms only. Mentions are judged where they matter (display names,
	 * link texts), not listed as links. */
	bool www = n > 4 && (match[0] | 32) == 'w' && (match[1] | 32) == 'w' && (match[2] | 32) == 'w' &&
	           match[3] == '.';
	bool scheme = memchr(match, ':', n < 12 ? n : 12) != NULL;
	if (!www && !scheme)
		return true;
	/* in HTML, a URL that is an anchor's own text is that anchor */
	if (x->html_text) {
		const struct nise_link *ls = x->links.items;
		for (size_t i = 0; i < x->links.n; i++)
			if (ls[i].part == x->part && ls[i].text && strstr(ls[i].text, href))
				return true;
	}
	const char *label = text_label(x, match, n);
	add_link(x, NISE_LINK_TEXT, label ? label : href, href, NULL, true);
	return !x->links_limited;
}

static void append_text(struct nise_buf *b, const char *s, size_t n)
{
	if (!n)
		return;
	if (b->n && b->p[b->n - 1] != '\n')
		nise_buf_putc(b, '\n');
	nise_buf_append(b, s, n);
}

static void read_html(struct extract *x, struct nise_part *p, bool shown, enum nise_link_source asrc)
{
	struct nise_html_doc d;
	memset(&d, 0, sizeof(d));
	nise_html_extract(&d, x->a, p->text, p->text_len, x->e->limits.max_links,
	                  x->e->limits.max_text_bytes);
	if (d.truncated)
		nise_scan_anomaly(x->a, &x->anomalies, "LIMIT_HTML", "an HTML part was cut to the limits");
	const char *base = d.base_href;
	for (size_t i = 0; i < d.nanchors; i++) {
		const struct nise_html_anchor *an = &d.anchors[i];
		const char *href = nise_url_resolve(x->a, base, an->href);
		enum nise_link_source s = asrc;
		if (asrc == NISE_LINK_HTML_ANCHOR && an->is_area)
			s = NISE_LINK_HTML_AREA;
		add_link(x, s, an->text, href, an->title, false);
	}
	for (size_t i = 0; i < d.nforms; i++) {
		struct nise_form *f = nise_vec_push(x->a, &x->forms, sizeof(*f));
		if (!f)
			break;
		f->action = d.forms[i].action ? nise_url_resolve(x->a, base, d.forms[i].action) : NULL;
		f->method = d.forms[i].method;
		f->has_password = d.forms[i].has_password;
		f->ninputs = d.forms[i].ninputs;
		f->part = x->part;
		if (f->action)
			add_link(x, NISE_LINK_FORM, "", f->action, NULL, false);
	}
	for (size_t i = 0; i < d.nsubmits; i++)
		if (d.submits[i])
			add_link(x, NISE_LINK_FORM, "", nise_url_resolve(x->a, base, d.submits[i]), NULL,
			         false);
	for (size_t i = 0; i < d.nimages; i++) {
		struct nise_image *im = nise_vec_push(x->a, &x->images, sizeof(*im));
		if (!im)
			break;
		im->src = nise_url_resolve(x->a, base, d.images[i].src);
		im->alt = d.images[i].alt;
		im->part = x->part;
	}
	if (d.meta_refresh)
		add_link(x, NISE_LINK_META_REFRESH, "", nise_url_resolve(x->a, base, d.meta_refresh),
		         NULL, false);
	if (shown) {
		append_text(&x->visible, d.text, d.text_len);
		append_text(&x->hidden, d.hidden, d.hidden_len);
		/* URLs written as text in the page, not linked */
		x->text = d.text;
		x->text_len = d.text_len;
		x->html_text = true;
		nise_url_extract(x->e->urls, d.text, d.text_len, on_text_url, x);
		x->html_text = false;
	}
}

bool nise_part_has_html_alternative(const struct nise_message *m, const struct nise_part *p)
{
	if (!p->alt_group)
		return false;
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].alt_group == p->alt_group && m->parts[i].kind == NISE_PART_HTML)
			return true;
	return false;
}

static void extract(struct extract *x)
{
	struct nise_message *m = x->msg;
	/* HTML first (see the file comment) */
	for (size_t i = 0; i < m->nparts; i++) {
		struct nise_part *p = &m->parts[i];
		x->part = (unsigned)i;
		if (p->kind == NISE_PART_HTML && p->text)
			read_html(x, p, true, NISE_LINK_HTML_ANCHOR);
		else if (p->kind == NISE_PART_ATTACHMENT && p->text &&
		         ((p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0) ||
		          strcmp(p->content_type, "text/html") == 0))
			read_html(x, p, false, NISE_LINK_ATTACHMENT);
	}
	for (size_t i = 0; i < m->nparts; i++) {
		struct nise_part *p = &m->parts[i];
		x->part = (unsigned)i;
		if (p->kind != NISE_PART_TEXT || !p->text)
			continue;
		bool shown = !nise_part_has_html_alternative(m, p);
		if (shown)
			append_text(&x->visible, p->text, p->text_len);
		x->text = p->text;
		x->text_len = p->text_len;
		nise_url_extract(x->e->urls, p->text, p->text_len, on_text_url, x);
	}
	m->links = x->links.items;
	m->nlinks = x->links.n;
	m->forms = x->forms.items;
	m->nforms = x->forms.n;
	m->images = x->images.items;
	m->nimages = x->images.n;
	m->visible_text = nise_buf_cstr(&x->visible);
	m->visible_len = x->visible.n;
	m->hidden_text = nise_buf_cstr(&x->hidden);
	m->hidden_len = x->hidden.n;
}

/* One arena per thread is kept between scans (reset, not freed), so a
 * scan takes its memory from chunks the last one used instead of from
 * the system. Debug arenas (sanitizer builds) are never kept. */
static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void arena_key_free(void *a)
{
	nise_arena_free(a);
}

static void arena_key_init(void)
{
	if (pthread_key_create(&arena_key, arena_key_free) != 0)
		abort();
}

static struct nise_arena *arena_take(size_t cap, bool debug)
{
	pthread_once(&arena_once, arena_key_init);
	struct nise_arena *a = debug ? NULL : pthread_getspecific(arena_key);
	if (a) {
		pthread_setspecific(arena_key, NULL);
		nise_arena_reset(a, cap);
		return a;
	}
	return nise_arena_new(cap, debug);
}

static void arena_give(struct nise_arena *a)
{
	pthread_once(&arena_once, arena_key_init);
	if (nise_arena_is_debug(a) || pthread_getspecific(arena_key) ||
	    pthread_setspecific(arena_key, a) != 0) {
		nise_arena_free(a);
		return;
	}
	nise_arena_reset(a, 0); /* destructors run now; memory kept */
}

nise_rc nise_scan(struct nise_result **out, const struct nise_engine *e, const char *buf,
                  size_t n)
{
	*out = NULL;
	struct nise_arena *a = arena_take(e->limits.max_arena_bytes, e->arena_debug);
	if (!a)
		return NISE_ENOMEM;
	struct nise_result *r = nise_arena_alloc(a, sizeof(*r));
	struct nise_message *m = nise_arena_alloc(a, sizeof(*m));
	if (!r || !m) {
		arena_give(a);
		return NISE_ENOMEM;
	}
	r->arena = a;
	r->msg = m;
	struct extract x;
	memset(&x, 0, sizeof(x));
	x.e = e;
	x.a = a;
	x.msg = m;
	if (n > e->limits.max_message_bytes) {
		n = e->limits.max_message_bytes;
		nise_scan_anomaly(a, &x.anomalies, "LIMIT_MESSAGE_BYTES", "the message was cut to the size limit");
	}
	const char *itype = NULL;
	r->input = nise_input_classify(buf, n, &itype);
	if (r->input == NISE_INPUT_MAIL) {
		size_t skip = nise_input_skip_blank(buf, n); /* a pasted source's leading blank lines */
		buf += skip;
		n -= skip;
	} else if (r->input == NISE_INPUT_TEXT) {
		/* the body of a mail without a header: what a person copies from
		 * the mail's window. Judged as such, and said to be (TEXT_ONLY). */
		char *w = nise_arena_printf(a, "Content-Type: %s; charset=utf-8\r\n"
		                               "Content-Transfer-Encoding: 8bit\r\n\r\n", itype);
		size_t hn = w ? strlen(w) : 0;
		char *t = w ? nise_arena_alloc(a, hn + n + 1) : NULL;
		if (t) {
			memcpy(t, w, hn);
			memcpy(t + hn, buf, n);
			t[hn + n] = '\0';
			buf = t;
			n += hn;
		}
		nise_scan_anomaly(a, &x.anomalies, "TEXT_ONLY", "no header: judged as the text of a mail; the sender could not be checked");
	} else if (n > 0) {
		nise_scan_anomaly(a, &x.anomalies, "NOT_A_MESSAGE", itype);
	}
	nise_rc rc = nise_mime_parse(m, a, &e->limits, buf, n, &x.anomalies);
	if (rc == NISE_OK) {
		nise_buf_init(&x.visible, a, e->limits.max_text_bytes);
		nise_buf_init(&x.hidden, a, e->limits.max_text_bytes);
		extract(&x);
	}
	if (nise_arena_exhausted(a))
		nise_scan_anomaly(a, &x.anomalies, "LIMIT_ARENA", "the message needed more memory than allowed");
	m->anomalies = x.anomalies.items;
	m->nanomalies = x.anomalies.n;
	for (size_t i = 0; i < m->nanomalies; i++)
		if (strncmp(m->anomalies[i].id, "LIMIT_", 6) == 0)
			r->partial = true;
	if (!m->subject)
		m->subject = "";
	if (!m->visible_text)
		m->visible_text = "";
	if (!m->hidden_text)
		m->hidden_text = "";
	r->model_p = -1;
	if (!e->no_checks)
		nise_detect_run(e->detect, e->urls, r);
	/* a mail read only in part, or a file that is no mail (an image, a
	 * PDF), is never called clean */
	if ((r->partial || r->input == NISE_INPUT_OTHER) && r->verdict == NISE_CLEAN)
		r->verdict = NISE_UNCHECKED;
	*out = r;
	return NISE_OK;
}

void nise_result_free(struct nise_result *r)
{
	if (r)
		arena_give(r->arena);
}
