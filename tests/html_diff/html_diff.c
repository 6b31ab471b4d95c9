/* SPDX-License-Identifier: MIT */
/*
 * html_diff.c — differential test of src/lib/html against gumbo.
 *
 * For each file named on the command line (one UTF-8 HTML part each), it
 * extracts the visible text and the links twice: with nise_html_extract,
 * and by walking the tree gumbo (a full WHATWG tree builder) builds. The
 * tree walk applies the same rendering policy as the extractor (the block
 * and invisible element lists of tags.c, the inline-style rules of
 * style.c, img alt inside links), so a difference means the two disagree
 * about the document's structure, not about policy. Texts are compared
 * after collapsing all ASCII whitespace (line breaks included) to one
 * space; links are compared as ordered (href, text) lists.
 *
 * Output: one line per disagreeing file with the first difference, then
 * "files N text-agree N anchors-agree N both N". -v prints agreeing files
 * too; -q prints the summary only.
 *
 * Build and run: tests/html_diff/run.sh (see there).
 */
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html/html.h"
#include "html/html_int.h"

struct sbuf {
	char *p;
	size_t n, cap;
	int sp;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->n + n + 2)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* appends s with ASCII whitespace collapsed into single spaces */
static void sb_text(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (strchr(" \t\n\r\f", s[i]) && s[i]) {
			b->sp = 1;
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !(strchr(" \t\n\r\f", s[j]) && s[j]))
			j++;
		if (b->sp && b->n)
			sb_put(b, " ", 1);
		b->sp = 0;
		sb_put(b, s + i, j - i);
		i = j;
	}
}

/* Whitespace collapsed; C1 controls (U+0080..U+009F) shown as U+FFFD,
 * which is what gumbo makes of them while we keep them (intentional:
 * they come from a mislabelled charset, the MIME adapter's business). */
static const char *norm(const char *s, size_t n)
{
	struct sbuf b = {0}, c = {0};
	sb_text(&b, s, n);
	if (!b.p)
		sb_put(&b, "", 0);
	for (size_t i = 0; i < b.n; i++) {
		unsigned char x = (unsigned char)b.p[i];
		if (x == 0xC2 && i + 1 < b.n && (unsigned char)b.p[i + 1] >= 0x80 &&
		    (unsigned char)b.p[i + 1] <= 0x9F) {
			sb_put(&c, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			sb_put(&c, b.p + i, 1);
		}
	}
	if (!c.p)
		sb_put(&c, "", 0);
	free(b.p);
	return c.p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Same words, in any order: tells foster-parented text (moved before its
 * table by the tree builder, left in place by us) from real losses. */
static int same_words(const char *a, const char *b)
{
	char *x = strdup(a), *y = strdup(b);
	size_t nx = 0, ny = 0, cap = strlen(a) + strlen(b) + 2;
	char **wx = calloc(cap, sizeof(char *)), **wy = calloc(cap, sizeof(char *));
	for (char *p = x; *p;) {
		wx[nx++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	for (char *p = y; *p;) {
		wy[ny++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	int same = nx == ny;
	if (same) {
		qsort(wx, nx, sizeof(char *), cmp_str);
		qsort(wy, ny, sizeof(char *), cmp_str);
		for (size_t i = 0; same && i < nx; i++)
			same = strcmp(wx[i], wy[i]) == 0;
	}
	free(x);
	free(y);
	free(wx);
	free(wy);
	return same;
}

struct anchor {
	char *href;
	struct sbuf text;
};

struct walk {
	struct sbuf text;
	struct anchor *an;
	size_t nan, capan;
	long cur;
	int anchor_hidden;
};

struct st {
	int hard, fz, vh, sc, invis;
};

static int hidden(const struct st *s)
{
	return s->hard || s->fz || s->vh || s->sc;
}

static void walk(struct walk *w, GumboNode *node, struct st s)
{
	if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
	    node->type == GUMBO_NODE_CDATA) {
		if (s.invis)
			return;
		const char *t = node->v.text.text;
		if (!hidden(&s))
			sb_text(&w->text, t, strlen(t));
		if (w->cur >= 0 && hidden(&s) == w->anchor_hidden)
			sb_text(&w->an[w->cur].text, t, strlen(t));
		return;
	}
	if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
	    node->type != GUMBO_NODE_DOCUMENT)
		return;
	GumboVector *kids;
	long saved = w->cur;
	int saved_ah = w->anchor_hidden;
	uint16_t flags = 0;
	if (node->type == GUMBO_NODE_DOCUMENT) {
		kids = &node->v.document.children;
	} else {
		GumboElement *el = &node->v.element;
		kids = &el->children;
		char name[32];
		GumboStringPiece tn = el->original_tag;
		const char *nm = gumbo_normalized_tagname(el->tag);
		size_t nl = strlen(nm);
		if (el->tag == GUMBO_TAG_UNKNOWN) {
			gumbo_tag_from_original_text(&tn);
			nl = tn.length < sizeof(name) ? tn.length : sizeof(name) - 1;
			for (size_t i = 0; i < nl; i++)
				name[i] = (char)(tn.data[i] >= 'A' && tn.data[i] <= 'Z' ? tn.data[i] | 0x20 : tn.data[i]);
			nm = name;
		}
		struct nise_html_tag tg = nise_html_tag_lookup(nm, nl);
		if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
			tg.flags = 0;
		flags = tg.flags;
		if (el->tag == GUMBO_TAG_HEAD)
			s.invis = 1; /* only metadata stays in head */
		if (tg.flags & TF_INVIS)
			s.invis = 1;
		GumboAttribute *hid = gumbo_get_attribute(&el->attributes, "hidden");
		GumboAttribute *sty = gumbo_get_attribute(&el->attributes, "style");
		if (hid)
			s.hard = 1;
		if (sty) {
			struct nise_html_style ns;
			nise_html_style_parse(&ns, sty->value, strlen(sty->value));
			if (ns.hard)
				s.hard = 1;
			if (ns.font_zero >= 0)
				s.fz = ns.font_zero;
			if (ns.vis_hidden >= 0)
				s.vh = ns.vis_hidden;
			if (ns.same_color >= 0)
				s.sc = ns.same_color;
		}
		if (flags & TF_BLOCK) {
			w->text.sp = 1;
			if (w->cur >= 0)
				w->an[w->cur].text.sp = 1;
		}
		GumboAttribute *href = gumbo_get_attribute(&el->attributes, "href");
		if (el->tag_namespace == GUMBO_NAMESPACE_HTML && el->tag == GUMBO_TAG_A && href) {
			if (w->nan == w->capan) {
				w->capan = w->capan ? w->capan * 2 : 16;
				w->an = realloc(w->an, w->capan * sizeof(*w->an));
				if (!w->an)
					abort();
			}
			struct anchor *a = &w->an[w->nan];
			memset(a, 0, sizeof(*a));
			/* trim like the extractor */
			const char *v = href->value, *e = v + strlen(v);
			while (v < e && strchr(" \t\n\r\f", *v))
				v++;
			while (e > v && strchr(" \t\n\r\f", e[-1]))
				e--;
			a->href = strndup(v, (size_t)(e - v));
			w->cur = (long)w->nan++;
			w->anchor_hidden = hidden(&s);
		}
		if (el->tag == GUMBO_TAG_AREA && href) {
			/* recorded in document order like the extractor */
			if (w->nan == w->capan) {
				w->capan = w->capan ? w->capan * 2 : 16;
				w->an = realloc(w->an, w->capan * sizeof(*w->an));
				if (!w->an)
					abort();
			}
			struct anchor *a = &w->an[w->nan++];
			memset(a, 0, sizeof(*a));
			const char *v = href->value, *e = v + strlen(v);
			while (v < e && strchr(" \t\n\r\f", *v))
				v++;
			while (e > v && strchr(" \t\n\r\f", e[-1]))
				e--;
			a->href = strndup(v, (size_t)(e - v));
			GumboAttribute *alt = gumbo_get_attribute(&el->attributes, "alt");
			if (alt)
				sb_text(&a->text, alt->value, strlen(alt->value));
		}
		if (el->tag == GUMBO_TAG_IMG && w->cur >= 0 && !s.invis &&
		    hidden(&s) == w->anchor_hidden) {
			GumboAttribute *alt = gumbo_get_attribute(&el->attributes, "alt");
			if (alt) {
				w->an[w->cur].text.sp = 1;
				sb_text(&w->an[w->cur].text, alt->value, strlen(alt->value));
				w->an[w->cur].text.sp = 1;
			}
		}
	}
	for (unsigned i = 0; i < kids->length; i++)
		walk(w, kids->data[i], s);
	if (flags & TF_BLOCK) {
		w->text.sp = 1;
		if (w->cur >= 0)
			w->an[w->cur].text.sp = 1;
	}
	if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_A &&
	    gumbo_get_attribute(&node->v.element.attributes, "href")) {
		w->cur = saved;
		w->anchor_hidden = saved_ah;
	}
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	if (!p || fread(p, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	*n = (size_t)len;
	return p;
}

/* Split-insensitive comparison: for every distinct href, the words of all
 * its links' texts as a sorted bag. The adoption agency splits one link
 * into a link and a clone where we keep one; the words and hrefs stay. */
static int same_links(const struct nise_html_doc *d, const struct walk *w)
{
	struct sbuf a = {0}, b = {0};
	for (size_t i = 0; i < d->nanchors; i++) {
		sb_put(&a, " ", 1);
		for (const char *t = d->anchors[i].text; *t; t++) {
			if (strchr(" \t\n\r\f", *t)) {
				sb_put(&a, " ", 1);
				continue;
			}
			if (t == d->anchors[i].text || strchr(" \t\n\r\f", t[-1])) {
				sb_put(&a, d->anchors[i].href, strlen(d->anchors[i].href));
				sb_put(&a, "\x01", 1);
			}
			sb_put(&a, t, 1);
		}
		sb_put(&a, " ", 1);
		sb_put(&a, d->anchors[i].href, strlen(d->anchors[i].href));
		sb_put(&a, "\x02", 1);
	}
	for (size_t i = 0; i < w->nan; i++) {
		sb_put(&b, " ", 1);
		const char *tx = w->an[i].text.p ? w->an[i].text.p : "";
		for (const char *t = tx; *t; t++) {
			if (*t == ' ') {
				sb_put(&b, " ", 1);
				continue;
			}
			if (t == tx || t[-1] == ' ') {
				sb_put(&b, w->an[i].href, strlen(w->an[i].href));
				sb_put(&b, "\x01", 1);
			}
			sb_put(&b, t, 1);
		}
		sb_put(&b, " ", 1);
		sb_put(&b, w->an[i].href, strlen(w->an[i].href));
		sb_put(&b, "\x02", 1);
	}
	/* hrefs with spaces would confuse the word split: rare, ignored */
	const char *x = norm(a.p ? a.p : "", a.n), *y = norm(b.p ? b.p : "", b.n);
	/* a link with no text seen in both: its "href\x02" marker may repeat
	 * a different number of times when a clone is empty; drop them */
	struct sbuf fx = {0}, fy = {0};
	const char *srcs[2] = {x, y};
	struct sbuf *dst[2] = {&fx, &fy};
	for (int k = 0; k < 2; k++) {
		const char *p = srcs[k];
		while (*p) {
			const char *sp = strchr(p, ' ');
			size_t n = sp ? (size_t)(sp - p) : strlen(p);
			if (!(n && p[n - 1] == '\x02')) {
				sb_put(dst[k], " ", 1);
				sb_put(dst[k], p, n);
			}
			p += n;
			while (*p == ' ')
				p++;
		}
		if (!dst[k]->p)
			sb_put(dst[k], "", 0);
	}
	int same = same_words(fx.p[0] == ' ' ? fx.p + 1 : fx.p, fy.p[0] == ' ' ? fy.p + 1 : fy.p);
	/* and the same set of hrefs */
	if (same) {
		for (size_t i = 0; same && i < d->nanchors; i++) {
			int found = 0;
			for (size_t j = 0; !found && j < w->nan; j++)
				found = strcmp(d->anchors[i].href, w->an[j].href) == 0;
			same = found;
		}
		for (size_t j = 0; same && j < w->nan; j++) {
			int found = 0;
			for (size_t i = 0; !found && i < d->nanchors; i++)
				found = strcmp(d->anchors[i].href, w->an[j].href) == 0;
			same = found;
		}
	}
	free((void *)x);
	free((void *)y);
	free(a.p);
	free(b.p);
	free(fx.p);
	free(fy.p);
	return same;
}

static void show_diff(const char *what, const char *path, const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	size_t from = i > 40 ? i - 40 : 0;
	printf("%s %s @%zu\n  nise : %.100s\n  gumbo: %.100s\n", what, path, i, a + from, b + from);
}

int main(int argc, char **argv)
{
	int verbose = 0, quiet = 0;
	size_t files = 0, text_ok = 0, words_ok = 0, an_ok = 0, links_ok = 0, both = 0, nan_nise = 0, nan_gumbo = 0;
	for (int ai = 1; ai < argc; ai++) {
		if (!strcmp(argv[ai], "-v")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(argv[ai], "-q")) {
			quiet = 1;
			continue;
		}
		size_t n;
		char *html = slurp(argv[ai], &n);
		if (!html)
			continue;
		files++;
		struct nise_arena *a = nise_arena_new(0, false);
		struct nise_html_doc d;
		nise_html_extract(&d, a, html, n, 0, 0);
		GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, n);
		struct walk w = {0};
		w.cur = -1;
		walk(&w, g->document, (struct st){0});
		const char *t1 = norm(d.text, d.text_len);
		const char *t2 = w.text.p ? w.text.p : "";
		int tok = strcmp(t1, t2) == 0;
		int wok = tok || same_words(t1, t2);
		int aok = d.nanchors == w.nan;
		size_t k = 0;
		for (; aok && k < w.nan; k++) {
			const char *x = norm(d.anchors[k].text, strlen(d.anchors[k].text));
			const char *y = w.an[k].text.p ? w.an[k].text.p : "";
			if (strcmp(d.anchors[k].href, w.an[k].href) || strcmp(x, y)) {
				aok = 0;
				if (!quiet)
					printf("ANCHOR %s #%zu\n  nise : [%s] %.80s\n  gumbo: [%s] %.80s\n", argv[ai], k, x,
					       d.anchors[k].href, y, w.an[k].href);
			}
			free((void *)x);
		}
		int lok = aok || same_links(&d, &w);
		links_ok += (size_t)lok;
		if (!aok && !quiet)
			printf("%s %s\n", lok ? "LINKS-SPLIT" : "LINKS-DIFFER", argv[ai]);
		if (!aok && d.nanchors != w.nan && !quiet) {
			printf("ANCHORS %s count nise %zu gumbo %zu\n", argv[ai], d.nanchors, w.nan);
			for (size_t j = 0; j < d.nanchors || j < w.nan; j++) {
				printf("  %zu nise [%.60s] %.60s | gumbo [%.60s] %.60s\n", j,
				       j < d.nanchors ? d.anchors[j].text : "", j < d.nanchors ? d.anchors[j].href : "",
				       j < w.nan && w.an[j].text.p ? w.an[j].text.p : "", j < w.nan ? w.an[j].href : "");
				if (j > 30)
					break;
			}
		}
		if (getenv("HTML_DIFF_DUMP") && !tok) {
			FILE *f1 = fopen("/tmp/html_diff.nise", "w"), *f2 = fopen("/tmp/html_diff.gumbo", "w");
			if (f1 && f2) {
				fputs(t1, f1);
				fputs(t2, f2);
			}
			if (f1)
				fclose(f1);
			if (f2)
				fclose(f2);
		}
		if (!tok && !quiet)
			show_diff(wok ? "ORDER" : "TEXT", argv[ai], t1, t2);
		if (verbose && tok && aok)
			printf("OK %s\n", argv[ai]);
		text_ok += (size_t)tok;
		words_ok += (size_t)wok;
		an_ok += (size_t)aok;
		both += (size_t)(tok && aok);
		nan_nise += d.nanchors;
		nan_gumbo += w.nan;
		free((void *)t1);
		for (size_t j = 0; j < w.nan; j++) {
			free(w.an[j].href);
			free(w.an[j].text.p);
		}
		free(w.an);
		free(w.text.p);
		gumbo_destroy_output(&kGumboDefaultOptions, g);
		nise_arena_free(a);
		free(html);
	}
	printf("files %zu text-agree %zu same-words %zu anchors-agree %zu same-links %zu "
	       "text+anchors %zu (anchors: nise %zu gumbo %zu)\n",
	       files, text_ok, words_ok, an_ok, links_ok, both, nan_nise, nan_gumbo);
	return both == files ? 0 : 1;
}
