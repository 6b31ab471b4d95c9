/* SPDX-License-Identifier: MIT */
/*
 * view.c — the safe rendering of a message (include/nise/view.h).
 *
 * HTML parts are read again by the project's own HTML extractor with a
 * hook (html.h) that reports, in document order, the visible text runs,
 * block boundaries and images, each with the index of the anchor it is
 * inside; hidden text never reaches the hook. Anchor k of part p is link
 * (first anchor link of p) + k, the order scan.c adds them in. Plain-text
 * parts are split into lines, and every URL scan.c found in them becomes
 * a link segment where it is written; runs of blank lines become one.
 *
 * Look-alike characters: findings quote them as "X = U+HHHH NAME" (see
 * check_text.c); every such X in the view becomes a segment of its own
 * carrying "U+HHHH NAME". A link is named by a finding of the link
 * families when the finding's evidence holds its host as a whole name
 * (not inside a longer one: amazon.co.jp is not in amazon.co.jp.evil.example).
 *
 * Not done: layout (tables, colours, fonts) — the view is the reading
 * order, which is what a person needs to judge the mail; parts after a
 * size cap (VIEW_TEXT_MAX) are cut.
 */
#include "nise/view.h"

#include <string.h>

#include "core/arena.h"
#include "engine.h"
#include "html/html.h"
#include "text/charset.h"
#include "text/text.h"

#define VIEW_TEXT_MAX ((size_t)512 * 1024) /* bytes of body text rendered */
#define GLYPH_MAX 16

struct glyph {
	char ch[5];
	size_t n;
	const char *note, *note_ja;
};

struct builder {
	struct nise_arena *a;
	const struct nise_message *m;
	struct nise_vec segs;
	struct nise_buf pend;
	long pend_link;
	unsigned part;
	size_t budget;
	struct glyph glyphs[GLYPH_MAX];
	size_t nglyphs;
	long anchor_base; /* link index of anchor 0 of the HTML part, or -1 */
	bool oom;
};

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
}

static struct nise_view_seg *push(struct builder *b, enum nise_view_kind k, const char *text, long link)
{
	struct nise_view_seg *s = nise_vec_push(b->a, &b->segs, sizeof(*s));
	if (!s) {
		b->oom = true;
		return NULL;
	}
	s->kind = k;
	s->text = text;
	s->link = link;
	return s;
}

/* Adds text as segments, a look-alike character as one of its own. */
static void put_text(struct builder *b, const char *p, size_t n, long link)
{
	if (n > b->budget)
		n = b->budget;
	b->budget -= n;
	const char *run = p, *e = p + n;
	while (p < e) {
		size_t k = utf8_len((unsigned char)*p);
		if (k > (size_t)(e - p))
			k = (size_t)(e - p);
		if (*p == '\0') { /* decoded text may hold NULs; strings end at them */
			if (p > run)
				push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, run, (size_t)(p - run)), link);
			run = ++p;
			continue;
		}
		const struct glyph *g = NULL;
		if ((unsigned char)*p >= 0x80)
			for (size_t i = 0; i < b->nglyphs && !g; i++)
				if (b->glyphs[i].n == k && memcmp(b->glyphs[i].ch, p, k) == 0)
					g = &b->glyphs[i];
		if (g) {
			if (p > run)
				push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, run, (size_t)(p - run)), link);
			struct nise_view_seg *s = push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, p, k), link);
			if (s) {
				s->glyph = g->note;
				s->glyph_ja = g->note_ja;
			}
			run = p + k;
		} else if ((unsigned char)*p >= 0x80) {
			/* a bidi or invisible control never reaches the reader: it
			 * becomes a visible mark of its own, "⟨U+202E⟩" */
			size_t dl;
			uint32_t cp = nise_utf8_decode(p, k, &dl);
			if (dl == k && nise_control_kind(cp)) {
				if (p > run)
					push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, run, (size_t)(p - run)), link);
				char mark[32];
				size_t mn = nise_control_mark(mark, sizeof(mark), cp);
				struct nise_view_seg *s = push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, mark, mn), link);
				if (s)
					s->glyph = nise_arena_printf(b->a, "U+%04X %s", (unsigned)cp, nise_control_name(cp));
				run = p + k;
			}
		}
		p += k;
	}
	if (p > run)
		push(b, NISE_VIEW_TEXT, nise_arena_strndup(b->a, run, (size_t)(p - run)), link);
}

static bool is_text_link(const struct nise_link *l, unsigned part)
{
	return l->part == part && l->source == NISE_LINK_TEXT && l->href && *l->href;
}

/* Text outside anchors: URLs that scan.c listed for this part become link
 * segments where they are written (earliest, then longest match first). */
static void put_plain(struct builder *b, const char *p, size_t n)
{
	const struct nise_message *m = b->m;
	const char *e = p + n;
	while (p < e) {
		const char *best = NULL;
		size_t bestn = 0;
		long bestl = -1;
		for (size_t i = 0; i < m->nlinks; i++) {
			const struct nise_link *l = &m->links[i];
			if (!is_text_link(l, b->part))
				continue;
			size_t hn = strlen(l->href);
			const char *q = memmem(p, (size_t)(e - p), l->href, hn);
			if (q && (!best || q < best || (q == best && hn > bestn))) {
				best = q;
				bestn = hn;
				bestl = (long)i;
			}
		}
		if (!best) {
			put_text(b, p, (size_t)(e - p), -1);
			return;
		}
		if (best > p)
			put_text(b, p, (size_t)(best - p), -1);
		put_text(b, best, bestn, bestl);
		p = best + bestn;
	}
}

static void flush(struct builder *b)
{
	if (b->pend.n == 0)
		return;
	if (b->pend_link >= 0) {
		/* a link ends at its last letter; the space after it is outside */
		size_t n = b->pend.n;
		while (n && b->pend.p[n - 1] == ' ')
			n--;
		if (n)
			put_text(b, b->pend.p, n, b->pend_link);
		if (n < b->pend.n)
			put_text(b, " ", 1, -1);
	} else
		put_plain(b, b->pend.p, b->pend.n);
	nise_buf_reset(&b->pend);
}

static void put_break(struct builder *b)
{
	flush(b);
	const struct nise_view_seg *segs = b->segs.items;
	if (b->segs.n == 0 || segs[b->segs.n - 1].kind == NISE_VIEW_BREAK)
		return;
	push(b, NISE_VIEW_BREAK, NULL, -1);
}

static long anchor_link(const struct builder *b, long anchor)
{
	if (anchor < 0 || b->anchor_base < 0)
		return -1;
	size_t k = (size_t)b->anchor_base + (size_t)anchor;
	if (k >= b->m->nlinks || b->m->links[k].part != b->part)
		return -1;
	enum nise_link_source s = b->m->links[k].source;
	return s == NISE_LINK_HTML_ANCHOR || s == NISE_LINK_HTML_AREA ? (long)k : -1;
}

/* ---- the HTML hook --------------------------------------------------- */

static void on_text(void *ctx, const char *p, size_t n, long anchor)
{
	struct builder *b = ctx;
	long link = anchor_link(b, anchor);
	if (link != b->pend_link) {
		flush(b);
		b->pend_link = link;
	}
	nise_buf_append(&b->pend, p, n);
}

static void on_space(void *ctx, long anchor)
{
	struct builder *b = ctx;
	/* a space belongs to the link it is in; after a break it is dropped */
	long link = anchor_link(b, anchor);
	if (b->pend.n && link != b->pend_link)
		flush(b);
	if (b->pend.n) {
		nise_buf_putc(&b->pend, ' ');
		return;
	}
	const struct nise_view_seg *segs = b->segs.items;
	if (!b->segs.n || segs[b->segs.n - 1].kind == NISE_VIEW_BREAK)
		return;
	const char *t = segs[b->segs.n - 1].text;
	if (segs[b->segs.n - 1].kind == NISE_VIEW_TEXT && t && *t && t[strlen(t) - 1] == ' ')
		return; /* collapsed already */
	b->pend_link = link;
	nise_buf_putc(&b->pend, ' ');
}

static void on_block(void *ctx)
{
	put_break(ctx);
}

static void on_image(void *ctx, const char *alt, long anchor)
{
	struct builder *b = ctx;
	flush(b);
	push(b, NISE_VIEW_IMAGE, nise_arena_strdup(b->a, alt), anchor_link(b, anchor));
}

/* ---- parts ---------------------------------------------------------- */

static void html_part(struct builder *b, const struct nise_engine *e, const struct nise_part *p)
{
	b->anchor_base = -1;
	for (size_t i = 0; i < b->m->nlinks; i++) {
		const struct nise_link *l = &b->m->links[i];
		if (l->part == b->part &&
		    (l->source == NISE_LINK_HTML_ANCHOR || l->source == NISE_LINK_HTML_AREA)) {
			b->anchor_base = (long)i;
			break;
		}
	}
	struct nise_html_hook hook = {on_text, on_space, on_block, on_image, b};
	struct nise_html_doc d;
	size_t n = p->text_len < b->budget ? p->text_len : b->budget;
	b->pend_link = -1;
	if (nise_html_extract_hooked(&d, b->a, p->text, n, e->limits.max_links,
	                             e->limits.max_text_bytes, &hook) != NISE_OK)
		b->oom = true;
	put_break(b);
}

static void text_part(struct builder *b, const struct nise_part *p)
{
	const char *s = p->text, *end = p->text + (p->text_len < b->budget ? p->text_len : b->budget);
	b->pend_link = -1;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - s);
		if (n && s[n - 1] == '\r')
			n--;
		nise_buf_append(&b->pend, s, n);
		flush(b);
		/* one blank line at most: a break after text, a second for a gap */
		const struct nise_view_seg *segs = b->segs.items;
		size_t k = b->segs.n;
		if (k && !(k >= 2 && segs[k - 1].kind == NISE_VIEW_BREAK && segs[k - 2].kind == NISE_VIEW_BREAK))
			push(b, NISE_VIEW_BREAK, NULL, -1);
		s = nl ? nl + 1 : end;
	}
}

/* ---- findings ------------------------------------------------------- */

/* Collects "X = U+HHHH NAME" from the findings' evidence. */
static void find_glyphs(struct builder *b, const struct nise_result *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const char *ev = r->findings[i].evidence;
		if (!ev)
			continue;
		for (const char *q = strstr(ev, " = U+"); q; q = strstr(q + 5, " = U+")) {
			/* the character just before " = " */
			const char *c = q;
			size_t k = 0;
			while (c > ev && k < 4) {
				c--;
				k++;
				if (((unsigned char)*c & 0xC0) != 0x80)
					break;
			}
			if (k < 2 || utf8_len((unsigned char)*c) != k || b->nglyphs == GLYPH_MAX)
				continue; /* ASCII is never the odd letter out */
			const char *ns = q + 3, *ne = ns;
			while (*ne && *ne != ')' && *ne != ',' && *ne != ';')
				ne++;
			bool dup = false;
			for (size_t j = 0; j < b->nglyphs; j++)
				dup |= b->glyphs[j].n == k && memcmp(b->glyphs[j].ch, c, k) == 0;
			if (dup)
				continue;
			struct glyph *g = &b->glyphs[b->nglyphs++];
			memcpy(g->ch, c, k);
			g->ch[k] = '\0';
			g->n = k;
			g->note = nise_arena_strndup(b->a, ns, (size_t)(ne - ns));
			size_t dl;
			uint32_t cp = nise_utf8_decode(c, k, &dl);
			char ja[256];
			g->note_ja = dl == k ? nise_arena_strdup(b->a, nise_text_char_name_ja(cp, g->ch, k, ja, sizeof(ja)))
			                     : NULL;
		}
	}
}

static const char *const link_checks[] = {
	"LINK_BRAND_MISMATCH", "LINK_TEXT_MISMATCH", "LOOKALIKE_DOMAIN", "BRAND_AS_SUBDOMAIN",
	"TYPOSQUAT_DOMAIN", "HOMOGRAPH_DOMAIN", "PUNYCODE_DOMAIN", "URL_USERINFO", "URL_IP_HOST",
	"URL_SHORTENER", "URL_REDIRECT", "FREE_HOSTING_LINK", "CREDENTIAL_FORM", "RISKY_TLD",
};

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_';
}

/* Is host in s as a whole name? */
static bool names_host(const char *s, const char *host)
{
	size_t hn = strlen(host);
	if (!hn)
		return false;
	for (const char *q = strstr(s, host); q; q = strstr(q + 1, host)) {
		bool left = q == s || !name_char(q[-1]);
		/* a trailing dot ends a sentence, not a name */
		bool right = !name_char(q[hn]) || (q[hn] == '.' && !name_char(q[hn + 1]));
		if (left && right)
			return true;
	}
	return false;
}

static void link_findings(struct nise_view *v, struct nise_arena *a, const struct nise_result *r)
{
	const struct nise_message *m = r->msg;
	v->links = nise_arena_calloc(a, m->nlinks ? m->nlinks : 1, sizeof(*v->links));
	if (!v->links)
		return;
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct nise_link *l = &m->links[i];
		const char *host = l->url.host;
		if (!host)
			continue;
		for (size_t f = 0; f < r->nfindings; f++) {
			const struct nise_finding *fi = &r->findings[f];
			bool family = false;
			for (size_t k = 0; k < sizeof(link_checks) / sizeof(link_checks[0]) && !family; k++)
				family = strcmp(fi->id, link_checks[k]) == 0;
			if (!family || !fi->evidence ||
			    !(names_host(fi->evidence, host) ||
			      (l->url.host_ascii && names_host(fi->evidence, l->url.host_ascii))))
				continue;
			struct nise_view_link *vl = &v->links[i];
			size_t *n = nise_arena_alloc(a, (vl->nfindings + 1) * sizeof(*n));
			if (!n)
				return;
			if (vl->nfindings)
				memcpy(n, vl->findings, vl->nfindings * sizeof(*n));
			n[vl->nfindings++] = f;
			vl->findings = n;
		}
	}
}

static struct nise_view_text take(struct builder *b)
{
	flush(b);
	struct nise_view_seg *segs = b->segs.items;
	size_t n = b->segs.n;
	while (n && (segs[n - 1].kind == NISE_VIEW_BREAK ||
	             (segs[n - 1].kind == NISE_VIEW_TEXT && segs[n - 1].link < 0 && segs[n - 1].text &&
	              strcmp(segs[n - 1].text, " ") == 0)))
		n--;
	struct nise_view_text t = {segs, n};
	memset(&b->segs, 0, sizeof(b->segs));
	return t;
}

nise_rc nise_view_build(struct nise_view *out, const struct nise_engine *e,
                        const struct nise_result *r)
{
	memset(out, 0, sizeof(*out));
	struct builder b;
	memset(&b, 0, sizeof(b));
	b.a = r->arena;
	b.m = r->msg;
	b.pend_link = -1;
	b.anchor_base = -1;
	b.budget = VIEW_TEXT_MAX;
	b.part = (unsigned)-1;
	nise_buf_init(&b.pend, b.a, VIEW_TEXT_MAX);
	find_glyphs(&b, r);
	const struct nise_message *m = r->msg;
	if (m->subject)
		put_text(&b, m->subject, strlen(m->subject), -1);
	out->subject = take(&b);
	b.budget = VIEW_TEXT_MAX;
	if (m->nfrom && m->from[0].name)
		put_text(&b, m->from[0].name, strlen(m->from[0].name), -1);
	out->from_name = take(&b);
	b.budget = VIEW_TEXT_MAX;
	for (size_t i = 0; i < m->nparts && b.budget && !b.oom; i++) {
		const struct nise_part *p = &m->parts[i];
		b.part = (unsigned)i;
		if (!p->text)
			continue;
		if (p->kind == NISE_PART_HTML)
			html_part(&b, e, p);
		else if (p->kind == NISE_PART_TEXT && !nise_part_has_html_alternative(m, p))
			text_part(&b, p);
	}
	out->body = take(&b);
	link_findings(out, b.a, r);
	return b.oom || nise_arena_exhausted(b.a) || !out->links ? NISE_ENOMEM : NISE_OK;
}
