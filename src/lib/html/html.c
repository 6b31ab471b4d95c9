/* SPDX-License-Identifier: MIT */
/*
 * html.c — extracts text, links, forms and images from HTML without
 * building a tree. This file is the tokenizer and the text sinks; the
 * tree rules are in tree.c.
 *
 * A single pass tokenizes the input the way WHATWG HTML §13.2.5 does (tag
 * names and attributes in every quoting style, comments including "<!-->"
 * and "--!>", bogus comments, DOCTYPE, CDATA in svg/math, RAWTEXT, RCDATA,
 * script data, PLAINTEXT, character references) and hands each tag to the
 * tree rules (tree.c), which keep only what extraction needs. Text goes to
 * one of three sinks as it is seen: visible, hidden (style.c), and the
 * text of the link being recorded; ASCII whitespace collapses to one
 * space, block boundaries to one '\n', neither at either end.
 *
 * Input handling: NUL in text is dropped, other C0 controls and DEL
 * become U+FFFD (as gumbo does); C1 controls (U+0080..U+009F, a sign of a
 * mislabelled charset) are kept; invalid UTF-8 is passed through (the
 * MIME adapter has made it UTF-8). A tag cut off by the end of input is
 * dropped, as the spec says. Attribute values are decoded (references,
 * CR LF to LF, NUL to U+FFFD) only for the attributes we use, and are cut
 * at ATTR_MAX bytes.
 *
 * Not done: the script-data escape states ("<!--<script>" inside a
 * script: we end the script at the first "</script"), <pre> whitespace,
 * and everything tree.c lists. tests/html_diff measures the effect
 * against gumbo on the corpus (bench/html/RESULTS.md).
 */
#include "html/parser.h"

#include <string.h>

static const char *const attr_names[A_COUNT] = {
	"href", "title", "style", "hidden", "src", "alt", "action", "method",
	"type", "charset", "http-equiv", "content", "color", "face", "size",
	"xlink:href", "formaction",
};

static const unsigned char ws_tab[256] = {
	['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};
/* bytes that end a plain text run: whitespace, '&', and the C0 controls
 * and DEL, which become U+FFFD as in gumbo (NUL is dropped) */
#define C0 2
static const unsigned char text_stop[256] = {
	['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['&'] = 1, ['\0'] = 1,
	[1] = C0, [2] = C0, [3] = C0, [4] = C0, [5] = C0, [6] = C0, [7] = C0, [8] = C0,
	[11] = C0, [14] = C0, [15] = C0, [16] = C0, [17] = C0, [18] = C0, [19] = C0,
	[20] = C0, [21] = C0, [22] = C0, [23] = C0, [24] = C0, [25] = C0, [26] = C0,
	[27] = C0, [28] = C0, [29] = C0, [30] = C0, [31] = C0, [127] = C0,
};

static bool is_ws(char c)
{
	return ws_tab[(unsigned char)c] != 0;
}

static bool is_alpha(char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

#define lower nise_html_lower

uint32_t nise_html_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)lower(s[i])) * 16777619u;
	return h;
}

/* ---- text sinks ---------------------------------------------------- */

void nise_html_sink_put(struct sink *k, const char *p, size_t n, bool nl_ok)
{
	if (k->b.n > 0 && (k->nl || k->sp))
		nise_buf_putc(&k->b, (k->nl && nl_ok) ? '\n' : ' ');
	k->sp = k->nl = false;
	nise_buf_append(&k->b, p, n);
}

/* Emits a chunk of text without ASCII whitespace. */
static bool afe_stale(const struct parser *ps)
{
	return ps->nafe && !ps->afe[ps->nafe - 1].marker && !ps->afe[ps->nafe - 1].on_stack;
}

static void emit(struct parser *ps, const char *p, size_t n)
{
	if (afe_stale(ps) && !ps->in_raw)
		nise_html_reconstruct(ps);
	if (ps->invis)
		return;
	bool h = nise_html_hidden(ps);
	nise_html_sink_put(h ? &ps->hid : &ps->vis, p, n, true);
	if (ps->hook && !h)
		ps->hook->text(ps->hook->ctx, p, n, ps->cur_anchor);
	if (ps->cur_anchor >= 0 && h == ps->anchor_hidden && ps->anc.b.n < ANCHOR_TEXT_MAX)
		nise_html_sink_put(&ps->anc, p, n, false);
}

static void emit_space(struct parser *ps)
{
	/* whitespace in table context stays in the table: no reconstruction */
	if (afe_stale(ps) && !ps->in_raw && ps->depth) {
		uint16_t id = ps->stack[ps->depth - 1].id;
		if (id != TAG_TABLE && id != TAG_TBODY && id != TAG_TR)
			nise_html_reconstruct(ps);
	}
	if (ps->invis)
		return;
	bool h = nise_html_hidden(ps);
	(h ? &ps->hid : &ps->vis)->sp = true;
	if (ps->hook && !h)
		ps->hook->space(ps->hook->ctx, ps->cur_anchor);
	if (ps->cur_anchor >= 0 && h == ps->anchor_hidden)
		ps->anc.sp = true;
}

void nise_html_emit_block(struct parser *ps)
{
	ps->vis.nl = ps->hid.nl = true;
	ps->anc.sp = true;
	if (ps->hook)
		ps->hook->block(ps->hook->ctx);
}

static void emit_cp(struct parser *ps, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80 && ws_tab[cp]) {
		emit_space(ps);
		return;
	}
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	emit(ps, u, n);
}

/* Text between markup: collapses whitespace, drops NUL, decodes
 * references when refs is set (data and RCDATA, not RAWTEXT). */
static void text_run(struct parser *ps, const char *p, const char *e, bool refs)
{
	if (ps->invis)
		return;
	while (p < e) {
		unsigned char c = (unsigned char)*p;
		if (!text_stop[c]) {
			const char *q = p + 1;
			while (q < e && !text_stop[(unsigned char)*q])
				q++;
			emit(ps, p, (size_t)(q - p));
			p = q;
		} else if (ws_tab[c]) {
			emit_space(ps);
			while (p < e && ws_tab[(unsigned char)*p])
				p++;
		} else if (c == '&') {
			uint32_t cp[2];
			size_t k = refs ? nise_html_charref(p + 1, e, false, cp) : 0;
			if (k == 0) {
				emit(ps, "&", 1);
				p++;
			} else {
				emit_cp(ps, cp[0]);
				if (cp[1])
					emit_cp(ps, cp[1]);
				p += 1 + k;
			}
		} else {
			if (text_stop[c] == C0)
				emit(ps, "\xEF\xBF\xBD", 3);
			p++; /* NUL is dropped in body text */
		}
	}
}

/* ---- attributes ------------------------------------------------------ */

char *nise_html_attr(struct parser *ps, int k, bool trim)
{
	const struct span *s = &ps->t.at[k];
	if (!s->set)
		return NULL;
	const char *p = s->p, *e = s->p + s->n;
	if (trim) {
		while (p < e && is_ws(*p))
			p++;
		while (e > p && is_ws(e[-1]))
			e--;
	}
	if ((size_t)(e - p) > ATTR_MAX) {
		e = p + ATTR_MAX;
		while (e > p && ((unsigned char)*e & 0xC0) == 0x80)
			e--;
	}
	if (!memchr(p, '&', (size_t)(e - p)) && !memchr(p, '\0', (size_t)(e - p)) &&
	    !memchr(p, '\r', (size_t)(e - p)))
		return nise_arena_strndup(ps->a, p, (size_t)(e - p));
	struct nise_buf *b = &ps->scratch;
	b->n = 0;
	b->truncated = false;
	while (p < e) {
		const char *q = p;
		while (q < e && *q != '&' && *q != '\0' && *q != '\r')
			q++;
		nise_buf_append(b, p, (size_t)(q - p));
		if (q == e)
			break;
		if (*q == '\r') {
			/* input preprocessing: CR LF and lone CR are LF */
			nise_buf_putc(b, '\n');
			p = q + 1 < e && q[1] == '\n' ? q + 2 : q + 1;
			continue;
		}
		if (*q == '\0') {
			nise_buf_put_utf8(b, 0xFFFD);
			p = q + 1;
			continue;
		}
		uint32_t cp[2];
		size_t n = nise_html_charref(q + 1, e, true, cp);
		if (n == 0) {
			nise_buf_putc(b, '&');
			p = q + 1;
		} else {
			nise_buf_put_utf8(b, cp[0]);
			if (cp[1])
				nise_buf_put_utf8(b, cp[1]);
			p = q + 1 + n;
		}
	}
	return nise_arena_strndup(ps->a, nise_buf_cstr(b), b->n);
}

bool nise_html_ieq(const char *s, size_t n, const char *lit)
{
	for (size_t i = 0; i < n; i++)
		if (lit[i] == '\0' || lower(s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

static void note_attr(struct tag *t, const char *np, size_t nn, const char *vp, size_t vn)
{
	static const uint8_t attr_len[A_COUNT] = {4, 5, 5, 6, 3, 3, 6, 6, 4, 7, 10, 7, 5, 4, 4, 10, 10};
	if (nn < 3 || nn > 10)
		return;
	char c0 = lower(np[0]);
	for (int k = 0; k < A_COUNT; k++) {
		if (attr_len[k] != nn || attr_names[k][0] != c0)
			continue;
		if (!t->at[k].set && nise_html_ieq(np, nn, attr_names[k])) {
			t->at[k] = (struct span){vp, vn, true};
			return;
		}
	}
}

/* Tokenizes a start or end tag whose name starts at p. Returns the byte
 * after '>' or NULL when the input ends inside the tag (the tag is then
 * dropped, as the spec does). */
static const char *parse_tag(struct parser *ps, const char *p)
{
	const char *e = ps->end;
	struct tag *t = &ps->t;
	const char *ns = p;
	while (p < e && !is_ws(*p) && *p != '/' && *p != '>')
		p++;
	if (p >= e)
		return NULL;
	t->nlen = (size_t)(p - ns);
	for (size_t i = 0; i < t->nlen && i < sizeof(t->name); i++)
		t->name[i] = lower(ns[i]);
	t->hash = nise_html_hash(ns, t->nlen);
	t->self_closing = false;
	memset(t->at, 0, sizeof(t->at));
	for (;;) {
		while (p < e && is_ws(*p))
			p++;
		if (p >= e)
			return NULL;
		if (*p == '>')
			return p + 1;
		if (*p == '/') {
			p++;
			if (p < e && *p == '>') {
				t->self_closing = true;
				return p + 1;
			}
			continue;
		}
		const char *an = p++;
		while (p < e && !is_ws(*p) && *p != '/' && *p != '>' && *p != '=')
			p++;
		size_t anl = (size_t)(p - an);
		while (p < e && is_ws(*p))
			p++;
		if (p >= e)
			return NULL;
		if (*p != '=') {
			note_attr(t, an, anl, p, 0);
			continue;
		}
		p++;
		while (p < e && is_ws(*p))
			p++;
		if (p >= e)
			return NULL;
		if (*p == '"' || *p == '\'') {
			const char *q = memchr(p + 1, *p, (size_t)(e - p - 1));
			if (!q)
				return NULL;
			note_attr(t, an, anl, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else if (*p == '>') {
			note_attr(t, an, anl, p, 0);
		} else {
			const char *v = p;
			while (p < e && !is_ws(*p) && *p != '>')
				p++;
			note_attr(t, an, anl, v, (size_t)(p - v));
		}
	}
}

/* ---- raw text and markup ------------------------------------------- */

/* Skips RAWTEXT/RCDATA/script content up to "</name" + [ws / >] and the
 * end tag itself; emits the content as text when show is set. */
static const char *raw_content(struct parser *ps, const char *p, bool show, bool refs)
{
	const char *e = ps->end;
	char name[16];
	size_t nl = ps->t.nlen;
	memcpy(name, ps->t.name, nl);
	const char *q = p;
	ps->in_raw = true;
	for (;;) {
		const char *lt = memchr(q, '<', (size_t)(e - q));
		if (!lt) {
			if (show)
				text_run(ps, p, e, refs);
			return e;
		}
		q = lt + 1;
		if ((size_t)(e - lt) < nl + 3 || lt[1] != '/')
			continue;
		bool match = true;
		for (size_t i = 0; i < nl && match; i++)
			match = lower(lt[2 + i]) == name[i];
		if (!match)
			continue;
		char c = lt[2 + nl];
		if (!is_ws(c) && c != '/' && c != '>')
			continue;
		if (show)
			text_run(ps, p, lt, refs);
		ps->in_raw = false;
		const char *after = parse_tag(ps, lt + 2);
		return after ? after : e;
	}
}

/* ---- the tokenizer loop ---------------------------------------------- */

static const char *skip_to_gt(const char *p, const char *e)
{
	const char *q = memchr(p, '>', (size_t)(e - p));
	return q ? q + 1 : e;
}

static const char *comment(const char *p, const char *e)
{
	/* p is just past "<!--" */
	if (p < e && *p == '>')
		return p + 1;
	if (e - p >= 2 && p[0] == '-' && p[1] == '>')
		return p + 2;
	for (const char *q = p; q < e;) {
		const char *d = memchr(q, '-', (size_t)(e - q));
		if (!d || e - d < 3)
			return e;
		if (d[1] == '-') {
			if (d[2] == '>')
				return d + 3;
			if (d[2] == '!' && e - d >= 4 && d[3] == '>')
				return d + 4;
		}
		q = d + 1;
	}
	return e;
}

static const char *markup(struct parser *ps, const char *p)
{
	const char *e = ps->end;
	/* p points at '<' */
	if (e - p < 2) {
		emit(ps, "<", 1);
		return e;
	}
	char c = p[1];
	if (is_alpha(c)) {
		const char *q = parse_tag(ps, p + 1);
		if (!q)
			return e;
		switch (nise_html_start_tag(ps)) {
		case C_RAW:
			return raw_content(ps, q, false, false);
		case C_RAW_SHOW:
			return raw_content(ps, q, true, false);
		case C_RCDATA:
			return raw_content(ps, q, false, true);
		case C_RCDATA_SHOW:
			return raw_content(ps, q, true, true);
		case C_PLAINTEXT:
			ps->in_raw = true;
			text_run(ps, q, e, false);
			return e;
		default:
			return q;
		}
	}
	if (c == '/') {
		if (e - p < 3) {
			emit(ps, "</", 2);
			return e;
		}
		if (is_alpha(p[2])) {
			const char *q = parse_tag(ps, p + 2);
			if (q)
				nise_html_end_tag(ps);
			return q ? q : e;
		}
		if (p[2] == '>')
			return p + 3;
		return skip_to_gt(p + 2, e);
	}
	if (c == '!') {
		const char *q = p + 2;
		if (e - q >= 2 && q[0] == '-' && q[1] == '-')
			return comment(q + 2, e);
		if (e - q >= 7 && ps->foreign && memcmp(q, "[CDATA[", 7) == 0) {
			const char *s = q + 7;
			for (const char *r = s; r < e; r++) {
				r = memchr(r, ']', (size_t)(e - r));
				if (!r)
					break;
				if (e - r >= 3 && r[1] == ']' && r[2] == '>') {
					text_run(ps, s, r, false);
					return r + 3;
				}
			}
			text_run(ps, s, e, false);
			return e;
		}
		return skip_to_gt(q, e); /* DOCTYPE or bogus comment */
	}
	if (c == '?')
		return skip_to_gt(p + 2, e);
	emit(ps, "<", 1);
	return p + 1;
}

nise_rc nise_html_extract(struct nise_html_doc *out, struct nise_arena *a,
                          const char *html, size_t n, size_t max_items, size_t max_text)
{
	return nise_html_extract_hooked(out, a, html, n, max_items, max_text, NULL);
}

nise_rc nise_html_extract_hooked(struct nise_html_doc *out, struct nise_arena *a,
                                 const char *html, size_t n, size_t max_items, size_t max_text,
                                 const struct nise_html_hook *hook)
{
	memset(out, 0, sizeof(*out));
	struct parser *ps = nise_arena_alloc(a, sizeof(*ps));
	if (!ps)
		return NISE_ENOMEM;
	ps->a = a;
	ps->out = out;
	ps->end = html + n;
	ps->max_items = max_items;
	ps->cur_anchor = ps->cur_form = -1;
	ps->hook = hook;
	nise_html_tree_init(ps);
	nise_buf_init(&ps->vis.b, a, max_text);
	nise_buf_init(&ps->hid.b, a, max_text);
	nise_buf_init(&ps->anc.b, a, ANCHOR_TEXT_MAX + 64);
	nise_buf_init(&ps->scratch, a, ATTR_MAX * 2);
	const char *p = html, *e = html + n;
	while (p < e && !nise_arena_exhausted(a)) {
		const char *lt = memchr(p, '<', (size_t)(e - p));
		if (!lt) {
			text_run(ps, p, e, true);
			break;
		}
		text_run(ps, p, lt, true);
		p = markup(ps, lt);
	}
	nise_html_tree_finish(ps);
	out->text = nise_buf_cstr(&ps->vis.b);
	out->text_len = ps->vis.b.n;
	out->hidden = nise_buf_cstr(&ps->hid.b);
	out->hidden_len = ps->hid.b.n;
	out->anchors = ps->anchors.items;
	out->nanchors = ps->anchors.n;
	out->forms = ps->forms.items;
	out->nforms = ps->forms.n;
	out->images = ps->images.items;
	out->nimages = ps->images.n;
	out->submits = ps->submits.items;
	out->nsubmits = ps->submits.n;
	out->truncated = ps->truncated || ps->vis.b.truncated || ps->hid.b.truncated;
	return nise_arena_exhausted(a) ? NISE_ENOMEM : NISE_OK;
}
