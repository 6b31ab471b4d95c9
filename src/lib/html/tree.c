/* SPDX-License-Identifier: MIT */
/*
 * tree.c — the tree-construction rules of WHATWG HTML §13.2.6 that decide
 * where text ends up, applied to a stack of open elements instead of a
 * tree, and the records for links, forms, images and <meta>/<base>.
 *
 * Followed: implied end tags (<p> closed by block starts, <li>, <dd>/<dt>,
 * headings, options, table sections, rows and cells), the scopes in which
 * end tags look for their element, "special" elements that stop stray end
 * tags, the form element pointer, and the list of active formatting
 * elements with its markers: a formatting element (a, b, font, ...) that
 * an end tag removes is taken out of the middle of the stack (what the
 * adoption agency does to the text that follows), and one that a block's
 * end tag closed is reopened before the next text ("<p><a href=x>a</p>b"
 * makes "b" a second link to x, as in a browser).
 *
 * Simplified: the adoption agency does not move the content already
 * seen (the link keeps the text a browser would split into a clone);
 * Noah's ark compares what attributes do to text, not the attributes,
 * and the list is capped at AFE_MAX; no foster parenting (text misplaced
 * in a table stays where it is, so it may come out in a different order
 * than a browser shows it), only the <table>-in-table and row/cell
 * "clear the stack back to a table context" parts of the table modes; no
 * quirks mode.
 *
 * Cost: every search walks at most STACK_MAX entries, and is skipped when
 * no open element has the name's hash bucket or the same search already
 * failed on an unchanged stack (ver), so hostile nesting stays linear.
 */
#include "html/parser.h"

#include <string.h>

#define is_ws nise_html_is_ws
#define lower nise_html_lower

static const char *const h_names[H_N] = {
	"a", "p", "h1", "dd", "td", "tr", "tbody", "div", "address", "table",
};

void nise_html_tree_init(struct parser *ps)
{
	for (int i = 0; i < H_N; i++)
		ps->h[i] = nise_html_hash(h_names[i], strlen(h_names[i]));
}

/* td, th, caption, applet, object, marquee, template put a marker in the
 * list of active formatting elements. */
static bool is_marker(const struct entry *en)
{
	return (en->tflags & TF_SCOPE) && en->id != TAG_TABLE && en->id != TAG_HTML;
}

static long afe_find_uid(const struct parser *ps, uint32_t uid)
{
	for (size_t i = ps->nafe; i-- > 0;)
		if (!ps->afe[i].marker && ps->afe[i].en.uid == uid)
			return (long)i;
	return -1;
}

static void afe_remove(struct parser *ps, size_t i)
{
	memmove(&ps->afe[i], &ps->afe[i + 1], (ps->nafe - i - 1) * sizeof(ps->afe[0]));
	ps->nafe--;
}

static bool same_element(const struct entry *x, const struct entry *y)
{
	return x->hash == y->hash && x->fz == y->fz && x->vh == y->vh && x->sc == y->sc &&
	       ((x->flags ^ y->flags) & (E_HARD | E_INVIS)) == 0;
}

static void afe_add(struct parser *ps, const struct entry *en, bool marker)
{
	if (!marker) {
		/* Noah's ark (§13.2.4.3): at most three alike after the last
		 * marker; attributes are compared by what they do to text */
		size_t alike = 0, first = 0;
		for (size_t i = ps->nafe; i-- > 0 && !ps->afe[i].marker;)
			if (same_element(&ps->afe[i].en, en)) {
				alike++;
				first = i;
			}
		if (alike >= 3)
			afe_remove(ps, first);
	}
	if (ps->nafe == AFE_MAX) {
		/* drop the oldest formatting element, keep markers */
		size_t i = 0;
		while (i < ps->nafe && ps->afe[i].marker)
			i++;
		if (i == ps->nafe)
			return;
		afe_remove(ps, i);
	}
	struct afe *f = &ps->afe[ps->nafe++];
	f->en = *en;
	f->en.flags &= (uint8_t)~E_ANCHOR;
	f->anchor = -1; /* start_anchor sets it */
	f->marker = marker;
	f->on_stack = true;
}

/* The afe entry for a formatting element named by hash after the last
 * marker, or -1. */
static long afe_find(const struct parser *ps, uint32_t hash)
{
	for (size_t i = ps->nafe; i-- > 0;) {
		if (ps->afe[i].marker)
			break;
		if (ps->afe[i].en.hash == hash)
			return (long)i;
	}
	return -1;
}

/* ---- the open-element stack --------------------------------------------- */

static bool room(struct parser *ps, const struct nise_vec *v)
{
	if (ps->max_items && v->n >= ps->max_items) {
		ps->truncated = true;
		return false;
	}
	return true;
}

static struct nise_html_anchor *anchor_at(struct parser *ps, long idx)
{
	return (struct nise_html_anchor *)ps->anchors.items + idx;
}

/* Ends the link being recorded and goes back to the one it was nested
 * in, if any (a link inside a table cell inside a link). */
static void anchor_close(struct parser *ps)
{
	if (ps->cur_anchor < 0)
		return;
	anchor_at(ps, ps->cur_anchor)->text =
		nise_arena_strndup(ps->a, nise_buf_cstr(&ps->anc.b), ps->anc.b.n);
	ps->anc.b.n = 0;
	ps->anc.sp = ps->anc.nl = false;
	ps->cur_anchor = -1;
	ps->anchor_uid = 0;
	if (ps->nsusp == 0)
		return;
	const struct susp *s = &ps->susp[--ps->nsusp];
	const char *saved = anchor_at(ps, s->idx)->text;
	ps->cur_anchor = s->idx;
	ps->anchor_uid = s->uid;
	ps->anchor_hidden = s->hidden;
	if (saved)
		nise_buf_append(&ps->anc.b, saved, strlen(saved));
	ps->anc.sp = true;
}

/* Starts recording link idx, whose <a> is the top of the stack. */
static void anchor_open(struct parser *ps, long idx)
{
	if (ps->cur_anchor >= 0) {
		if (ps->nsusp == SUSP_MAX) {
			anchor_close(ps);
		} else {
			anchor_at(ps, ps->cur_anchor)->text =
				nise_arena_strndup(ps->a, nise_buf_cstr(&ps->anc.b), ps->anc.b.n);
			ps->susp[ps->nsusp++] =
				(struct susp){ps->cur_anchor, ps->anchor_uid, ps->anchor_hidden};
		}
	}
	ps->cur_anchor = idx;
	ps->anchor_uid = ps->stack[ps->depth - 1].uid;
	ps->anc.b.n = 0;
	ps->anc.sp = ps->anc.nl = false;
	ps->anchor_hidden = nise_html_hidden(ps);
}

/* A link's <a> left the stack: end its recording, or forget it if it
 * was suspended (its text so far is already saved). */
static void anchor_gone(struct parser *ps, uint32_t uid)
{
	if (uid == ps->anchor_uid) {
		anchor_close(ps);
		return;
	}
	for (size_t i = 0; i < ps->nsusp; i++)
		if (ps->susp[i].uid == uid) {
			memmove(&ps->susp[i], &ps->susp[i + 1], (ps->nsusp - i - 1) * sizeof(ps->susp[0]));
			ps->nsusp--;
			return;
		}
}

static void entry_gone(struct parser *ps, const struct entry *en)
{
	ps->open_count[en->hash & 255]--;
	if (en->flags & E_HARD)
		ps->hard--;
	if (en->flags & E_INVIS)
		ps->invis--;
	if (en->id == TAG_SVG || en->id == TAG_MATH)
		ps->foreign--;
	if (en->flags & E_ANCHOR)
		anchor_gone(ps, en->uid);
	if (en->tflags & TF_BLOCK)
		nise_html_emit_block(ps);
	if (en->tflags & TF_FMT) {
		long i = afe_find_uid(ps, en->uid);
		if (i >= 0)
			ps->afe[i].on_stack = false;
	} else if (is_marker(en) && !(en->flags & E_FOREIGN)) {
		while (ps->nafe && !ps->afe[ps->nafe - 1].marker)
			ps->nafe--;
		if (ps->nafe)
			ps->nafe--;
	}
	ps->ver++;
}

static void pop_to(struct parser *ps, size_t idx)
{
	while (ps->depth > idx) {
		ps->depth--;
		entry_gone(ps, &ps->stack[ps->depth]);
	}
}

static void inherit(struct entry *en, const struct entry *parent)
{
	uint8_t pf = parent ? parent->flags : 0;
	en->flags &= (uint8_t) ~(E_FZ | E_VH | E_SC);
	if (en->fz > 0 || (en->fz < 0 && (pf & E_FZ)))
		en->flags |= E_FZ;
	if (en->vh > 0 || (en->vh < 0 && (pf & E_VH)))
		en->flags |= E_VH;
	if (en->sc > 0 || (en->sc < 0 && (pf & E_SC)))
		en->flags |= E_SC;
}

/* Removes a formatting element from the middle of the stack: what comes
 * after its end tag is no longer inside it, whatever was opened since. */
static void remove_at(struct parser *ps, size_t idx)
{
	struct entry gone = ps->stack[idx];
	long f = afe_find_uid(ps, gone.uid);
	if (f >= 0)
		afe_remove(ps, (size_t)f);
	memmove(&ps->stack[idx], &ps->stack[idx + 1], (ps->depth - idx - 1) * sizeof(gone));
	ps->depth--;
	gone.tflags &= (uint16_t)~(TF_BLOCK | TF_FMT);
	entry_gone(ps, &gone);
	for (size_t i = idx; i < ps->depth; i++)
		inherit(&ps->stack[i], i ? &ps->stack[i - 1] : NULL);
}

static bool bounds(const struct parser *ps, const struct entry *en, int scope)
{
	switch (scope) {
	case SC_DEFAULT:
		return en->tflags & TF_SCOPE;
	case SC_BUTTON:
		return (en->tflags & TF_SCOPE) || en->id == TAG_BUTTON;
	case SC_LIST:
		return (en->tflags & TF_SCOPE) || en->id == TAG_OL || en->id == TAG_UL;
	case SC_TABLE:
		return en->id == TAG_TABLE || en->id == TAG_TEMPLATE || en->id == TAG_HTML;
	case SC_OTHER:
		return en->tflags & TF_SPECIAL;
	case SC_LI: /* special but not address, div, p */
		return (en->tflags & TF_SPECIAL) && en->id != TAG_P &&
		       en->hash != ps->h[H_DIV] && en->hash != ps->h[H_ADDRESS];
	default:
		return false;
	}
}

/* Index of the topmost open element named by hash within scope, or -1. */
static long find(struct parser *ps, uint32_t hash, int scope)
{
	unsigned b = hash & 255;
	if (ps->open_count[b] == 0 ||
	    (ps->fail[scope][b].ver == ps->ver && ps->fail[scope][b].hash == hash))
		return -1;
	for (size_t i = ps->depth; i-- > 0;) {
		const struct entry *en = &ps->stack[i];
		if (en->hash == hash)
			return (long)i;
		if (bounds(ps, en, scope))
			break;
	}
	ps->fail[scope][b].ver = ps->ver;
	ps->fail[scope][b].hash = hash;
	return -1;
}

static bool close_in_scope(struct parser *ps, uint32_t hash, int scope)
{
	long i = find(ps, hash, scope);
	if (i < 0)
		return false;
	pop_to(ps, (size_t)i);
	return true;
}

static void close_p(struct parser *ps)
{
	close_in_scope(ps, ps->h[H_P], SC_BUTTON);
}

/* Names the rules treat as one: any heading ends any heading, and dd/dt,
 * td/th, tbody/thead/tfoot are interchangeable here. */
static uint32_t group_hash(const struct parser *ps, uint16_t id, uint32_t hash)
{
	switch (id) {
	case TAG_H:
		return ps->h[H_H1];
	case TAG_DDT:
		return ps->h[H_DD];
	case TAG_TD:
		return ps->h[H_TD];
	case TAG_TBODY:
		return ps->h[H_TBODY];
	default:
		return hash;
	}
}

/* A view of an attribute's value with references decoded; the scratch
 * buffer backs it when decoding was needed (valid until the next call). */
static const char *attr_view(struct parser *ps, int k, size_t *n)
{
	const struct span *s = &ps->t.at[k];
	if (!memchr(s->p, '&', s->n) && s->n <= ATTR_MAX) {
		*n = s->n;
		return s->p;
	}
	const char *v = nise_html_attr(ps, k, false);
	*n = v ? strlen(v) : 0;
	return v;
}

static const struct entry *top(const struct parser *ps)
{
	return ps->depth ? &ps->stack[ps->depth - 1] : NULL;
}

/* Puts en on the stack; false when the stack is full. */
static bool push_entry(struct parser *ps, struct entry en)
{
	if (ps->depth == STACK_MAX) {
		/* Too deep to track: a hiding element hides the rest of its
		 * parent, never the other way round. */
		struct entry *tp = &ps->stack[STACK_MAX - 1];
		if (en.flags & E_HARD && !(tp->flags & E_HARD)) {
			tp->flags |= E_HARD;
			ps->hard++;
		}
		return false;
	}
	en.uid = ++ps->uid;
	inherit(&en, top(ps));
	ps->stack[ps->depth++] = en;
	ps->open_count[en.hash & 255]++;
	if (en.flags & E_HARD)
		ps->hard++;
	if (en.flags & E_INVIS)
		ps->invis++;
	if (en.id == TAG_SVG || en.id == TAG_MATH)
		ps->foreign++;
	ps->ver++;
	return true;
}

static bool push(struct parser *ps, struct nise_html_tag tg, uint8_t flags)
{
	struct entry en = {group_hash(ps, tg.id, ps->t.hash), 0, tg.id, tg.flags, flags, -1, -1, -1};
	if (ps->foreign || tg.id == TAG_SVG || tg.id == TAG_MATH)
		en.flags |= E_FOREIGN;
	if (ps->t.at[A_HIDDEN].set)
		en.flags |= E_HARD;
	if (ps->t.at[A_STYLE].set) {
		size_t sn;
		const char *st = attr_view(ps, A_STYLE, &sn);
		if (st) {
			struct nise_html_style sty;
			nise_html_style_parse(&sty, st, sn);
			if (sty.hard)
				en.flags |= E_HARD;
			en.fz = sty.font_zero;
			en.vh = sty.vis_hidden;
			en.sc = sty.same_color;
		}
	}
	if (tg.flags & TF_INVIS)
		en.flags |= E_INVIS;
	if (en.flags & E_FOREIGN)
		en.tflags = 0;
	if (!push_entry(ps, en))
		return false;
	const struct entry *pushed = top(ps);
	if (pushed->tflags & TF_FMT)
		afe_add(ps, pushed, false);
	else if (is_marker(pushed))
		afe_add(ps, pushed, true);
	return true;
}

/* Does what the adoption agency does to the text after an end tag of a
 * formatting element: takes the element out of the stack and the list.
 * False when there is no such element (then it's an ordinary end tag). */
static bool adopt(struct parser *ps, uint32_t hash)
{
	long f = afe_find(ps, hash);
	if (f < 0)
		return false;
	if (!ps->afe[f].on_stack) {
		afe_remove(ps, (size_t)f);
		return true;
	}
	uint32_t uid = ps->afe[f].en.uid;
	if (ps->adopt_fail.ver == ps->ver && ps->adopt_fail.hash == uid)
		return true; /* same search, same stack: still out of scope */
	for (size_t i = ps->depth; i-- > 0;) {
		const struct entry *en = &ps->stack[i];
		if (en->uid == uid) {
			remove_at(ps, i);
			return true;
		}
		if (en->tflags & TF_SCOPE) {
			ps->adopt_fail.ver = ps->ver;
			ps->adopt_fail.hash = uid;
			return true; /* not in scope: ignored */
		}
	}
	afe_remove(ps, (size_t)f); /* lost to the stack cap */
	return true;
}

void nise_html_reconstruct(struct parser *ps)
{
	size_t i = ps->nafe;
	if (i == 0 || ps->afe[i - 1].marker || ps->afe[i - 1].on_stack)
		return;
	while (i > 0 && !ps->afe[i - 1].marker && !ps->afe[i - 1].on_stack)
		i--;
	for (; i < ps->nafe; i++) {
		struct afe *f = &ps->afe[i];
		struct entry en = f->en;
		bool link = false;
		if (f->anchor >= 0 && room(ps, &ps->anchors)) {
			const struct nise_html_anchor *src =
				(const struct nise_html_anchor *)ps->anchors.items + f->anchor;
			const char *href = src->href, *title = src->title;
			struct nise_html_anchor *an = nise_vec_push(ps->a, &ps->anchors, sizeof(*an));
			if (an) {
				an->href = href;
				an->text = "";
				an->title = title;
				f->anchor = (long)ps->anchors.n - 1;
				link = true;
			}
		}
		if (link)
			en.flags |= E_ANCHOR;
		f->on_stack = true;
		if (!push_entry(ps, en))
			continue;
		f->en.uid = top(ps)->uid;
		if (link)
			anchor_open(ps, f->anchor);
	}
}

/* ---- elements ------------------------------------------------------------ */

static void start_anchor(struct parser *ps)
{
	/* an open <a> ends here: the spec runs the adoption agency */
	adopt(ps, ps->h[H_A]);
	uint8_t fl = 0;
	long idx = -1;
	if (ps->t.at[A_HREF].set && room(ps, &ps->anchors)) {
		struct nise_html_anchor *an = nise_vec_push(ps->a, &ps->anchors, sizeof(*an));
		if (an) {
			an->href = nise_html_attr(ps, A_HREF, true);
			an->title = nise_html_attr(ps, A_TITLE, false);
			an->text = "";
			fl = E_ANCHOR;
			idx = (long)ps->anchors.n - 1;
		}
	}
	if (push(ps, (struct nise_html_tag){TAG_A, TF_FMT}, fl) && fl) {
		if (ps->nafe && ps->afe[ps->nafe - 1].en.uid == top(ps)->uid)
			ps->afe[ps->nafe - 1].anchor = idx;
		anchor_open(ps, idx);
	}
}

/* SVG's <a> links with href, or xlink:href when href is absent (SVG 2
 * §16.1: href wins); inside foreign content it is not an HTML <a> and
 * has no formatting-element rules, so it is recorded here. */
static void start_foreign_anchor(struct parser *ps)
{
	int k = ps->t.at[A_HREF].set ? A_HREF : A_XLINK_HREF;
	if (!room(ps, &ps->anchors))
		return;
	struct nise_html_anchor *an = nise_vec_push(ps->a, &ps->anchors, sizeof(*an));
	if (!an)
		return;
	an->href = nise_html_attr(ps, k, true);
	an->title = nise_html_attr(ps, A_TITLE, false);
	an->text = "";
	if (ps->t.self_closing)
		return; /* <a href=…/>: a link with no text */
	long idx = (long)ps->anchors.n - 1;
	if (push(ps, (struct nise_html_tag){TAG_A, 0}, E_ANCHOR))
		anchor_open(ps, idx);
}

/* formaction on a submit button or input sends the form elsewhere: it is
 * a destination like the form's action. */
static void add_submit(struct parser *ps)
{
	if (!ps->t.at[A_FORMACTION].set || !room(ps, &ps->submits))
		return;
	const char **u = nise_vec_push(ps->a, &ps->submits, sizeof(*u));
	if (u)
		*u = nise_html_attr(ps, A_FORMACTION, true);
}

static void add_area(struct parser *ps)
{
	if (!ps->t.at[A_HREF].set || !room(ps, &ps->anchors))
		return;
	struct nise_html_anchor *an = nise_vec_push(ps->a, &ps->anchors, sizeof(*an));
	if (!an)
		return;
	an->href = nise_html_attr(ps, A_HREF, true);
	an->title = nise_html_attr(ps, A_TITLE, false);
	an->text = nise_html_attr(ps, A_ALT, false);
	if (!an->text)
		an->text = "";
	an->is_area = true;
}

static void add_image(struct parser *ps)
{
	if (ps->hook && !ps->invis && !nise_html_hidden(ps)) {
		const char *alt = nise_html_attr(ps, A_ALT, false);
		ps->hook->image(ps->hook->ctx, alt ? alt : "", ps->cur_anchor);
	}
	if (ps->cur_anchor >= 0 && ps->t.at[A_ALT].set && !ps->invis &&
	    nise_html_hidden(ps) == ps->anchor_hidden) {
		const char *alt = nise_html_attr(ps, A_ALT, false);
		if (alt && ps->anc.b.n < ANCHOR_TEXT_MAX) {
			ps->anc.sp = true;
			size_t n = strlen(alt);
			const char *p = alt, *e = alt + n;
			/* collapse the alt's own whitespace too */
			while (p < e) {
				while (p < e && is_ws(*p)) {
					ps->anc.sp = true;
					p++;
				}
				const char *q = p;
				while (q < e && !is_ws(*q))
					q++;
				if (q > p)
					nise_html_sink_put(&ps->anc, p, (size_t)(q - p), false);
				p = q;
			}
			ps->anc.sp = true;
		}
	}
	if (!ps->t.at[A_SRC].set || !room(ps, &ps->images))
		return;
	struct nise_html_image *im = nise_vec_push(ps->a, &ps->images, sizeof(*im));
	if (!im)
		return;
	im->src = nise_html_attr(ps, A_SRC, true);
	im->alt = nise_html_attr(ps, A_ALT, false);
}

static struct nise_html_form *cur_form(struct parser *ps)
{
	if (ps->cur_form < 0)
		return NULL;
	return (struct nise_html_form *)ps->forms.items + ps->cur_form;
}

static void add_input(struct parser *ps, uint16_t id)
{
	struct nise_html_form *f = cur_form(ps);
	if (!f)
		return;
	if (id == TAG_INPUT && ps->t.at[A_TYPE].set) {
		const struct span *s = &ps->t.at[A_TYPE];
		const char *p = s->p, *e = s->p + s->n;
		while (p < e && is_ws(*p))
			p++;
		while (e > p && is_ws(e[-1]))
			e--;
		size_t n = (size_t)(e - p);
		if (nise_html_ieq(p, n, "password"))
			f->has_password = true;
		if (nise_html_ieq(p, n, "hidden") || nise_html_ieq(p, n, "submit") || nise_html_ieq(p, n, "reset") ||
		    nise_html_ieq(p, n, "button") || nise_html_ieq(p, n, "image"))
			return;
	}
	f->ninputs++;
}

static void start_form(struct parser *ps, struct nise_html_tag tg)
{
	if (ps->cur_form >= 0)
		return; /* nested <form> is ignored */
	close_p(ps);
	nise_html_emit_block(ps);
	if (room(ps, &ps->forms)) {
		struct nise_html_form *f = nise_vec_push(ps->a, &ps->forms, sizeof(*f));
		if (f) {
			f->action = nise_html_attr(ps, A_ACTION, true);
			char *m = nise_html_attr(ps, A_METHOD, true);
			for (char *c = m; c && *c; c++)
				*c = lower(*c);
			if (!m || (strcmp(m, "post") != 0 && strcmp(m, "dialog") != 0))
				m = "get";
			f->method = m;
			ps->cur_form = (long)ps->forms.n - 1;
		}
	}
	push(ps, tg, 0);
}

/* s starts with lit (lowercase), ignoring ASCII case; stops at s's NUL. */
static bool ci_prefix(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (lower(*s) != *lit)
			return false;
	return true;
}

/* "charset=" inside a Content-Type value (HTML §2.7.2 meta extraction). */
static const char *content_charset(struct parser *ps, const char *c)
{
	for (const char *p = c; *p; p++) {
		if (!ci_prefix(p, "charset"))
			continue;
		const char *q = p + 7;
		while (is_ws(*q))
			q++;
		if (*q != '=')
			continue;
		q++;
		while (is_ws(*q))
			q++;
		char quote = (*q == '"' || *q == '\'') ? *q++ : 0;
		const char *v = q;
		while (*q && (quote ? *q != quote : (!is_ws(*q) && *q != ';')))
			q++;
		if (quote && !*q)
			return NULL;
		return q > v ? nise_arena_strndup(ps->a, v, (size_t)(q - v)) : NULL;
	}
	return NULL;
}

/* URL of a refresh "content" (HTML §4.2.5.3 shared declarative refresh). */
static const char *refresh_url(struct parser *ps, const char *c)
{
	const char *p = c;
	while (is_ws(*p))
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	while (is_ws(*p))
		p++;
	if (*p == ';' || *p == ',')
		p++;
	while (is_ws(*p))
		p++;
	if (ci_prefix(p, "url")) {
		const char *q = p + 3;
		while (is_ws(*q))
			q++;
		if (*q == '=') {
			q++;
			while (is_ws(*q))
				q++;
			p = q;
		}
	}
	char quote = (*p == '"' || *p == '\'') ? *p++ : 0;
	const char *e = p + strlen(p);
	if (quote) {
		const char *q = strchr(p, quote);
		if (q)
			e = q;
	}
	while (e > p && is_ws(e[-1]))
		e--;
	return e > p ? nise_arena_strndup(ps->a, p, (size_t)(e - p)) : NULL;
}

static void start_meta(struct parser *ps)
{
	struct nise_html_doc *d = ps->out;
	if (!d->meta_charset && ps->t.at[A_CHARSET].set)
		d->meta_charset = nise_html_attr(ps, A_CHARSET, true);
	if (!ps->t.at[A_HTTP_EQUIV].set || !ps->t.at[A_CONTENT].set)
		return;
	const char *he = nise_html_attr(ps, A_HTTP_EQUIV, true);
	if (!he)
		return;
	if (!d->meta_charset && nise_html_ieq(he, strlen(he), "content-type")) {
		const char *c = nise_html_attr(ps, A_CONTENT, false);
		if (c)
			d->meta_charset = content_charset(ps, c);
	} else if (!d->meta_refresh && nise_html_ieq(he, strlen(he), "refresh")) {
		const char *c = nise_html_attr(ps, A_CONTENT, false);
		if (c)
			d->meta_refresh = refresh_url(ps, c);
	}
}

/* Start tags that don't reopen formatting elements before them: blocks,
 * list items, tables and head-ish elements. */
static bool no_reconstruct(struct nise_html_tag tg)
{
	if (tg.flags & (TF_CLOSEP | TF_RAW | TF_RCDATA))
		return tg.id != TAG_XMP;
	switch (tg.id) {
	case TAG_LI:
	case TAG_DDT:
	case TAG_HTML:
	case TAG_BODY:
	case TAG_HEAD:
	case TAG_BASE:
	case TAG_META:
	case TAG_TD:
	case TAG_TR:
	case TAG_TBODY:
	case TAG_CAPTION:
	case TAG_TEMPLATE:
		return true;
	default:
		return false;
	}
}

/* "Clear the stack back to a table (body, row) context": elements a
 * browser foster-parented out of the table (an <a> between <tr> and
 * <td>) end when the next row or cell starts. */
static void clear_to_table_context(struct parser *ps)
{
	for (size_t i = ps->depth; i-- > 0;) {
		uint16_t id = ps->stack[i].id;
		if (id == TAG_TD || id == TAG_CAPTION || id == TAG_TEMPLATE)
			return;
		if (id == TAG_TABLE || id == TAG_TBODY || id == TAG_TR) {
			pop_to(ps, i + 1);
			return;
		}
	}
}

enum content nise_html_start_tag(struct parser *ps)
{
	struct tag *t = &ps->t;
	struct nise_html_tag tg = nise_html_tag_lookup(t->name, t->nlen);
	if (t->nlen > sizeof(t->name))
		tg = (struct nise_html_tag){TAG_OTHER, 0};
	if (ps->foreign) {
		bool out = (tg.flags & TF_BREAKOUT) ||
		           (tg.id == TAG_FONT && (t->at[A_COLOR].set || t->at[A_FACE].set ||
		                                  t->at[A_SIZE].set));
		if (!out) {
			if (tg.id == TAG_A && (t->at[A_HREF].set || t->at[A_XLINK_HREF].set))
				start_foreign_anchor(ps);
			else if (!t->self_closing)
				push(ps, (struct nise_html_tag){tg.id, 0}, 0);
			return C_MARKUP;
		}
		while (ps->foreign)
			pop_to(ps, ps->depth - 1);
	}
	if (tg.flags & TF_CLOSEP)
		close_p(ps);
	if (tg.flags & TF_BLOCK)
		nise_html_emit_block(ps);
	if (!no_reconstruct(tg))
		nise_html_reconstruct(ps);
	switch (tg.id) {
	case TAG_HTML:
	case TAG_BODY:
	case TAG_HEAD:
		return C_MARKUP;
	case TAG_A:
		start_anchor(ps);
		return C_MARKUP;
	case TAG_AREA:
		add_area(ps);
		return C_MARKUP;
	case TAG_BASE:
		if (!ps->out->base_href && t->at[A_HREF].set)
			ps->out->base_href = nise_html_attr(ps, A_HREF, true);
		return C_MARKUP;
	case TAG_META:
		start_meta(ps);
		return C_MARKUP;
	case TAG_IMG:
		add_image(ps);
		return C_MARKUP;
	case TAG_INPUT:
		add_input(ps, tg.id);
		add_submit(ps);
		return C_MARKUP;
	case TAG_BUTTON:
		add_submit(ps);
		break;
	case TAG_SELECT:
		add_input(ps, tg.id);
		break;
	case TAG_TEXTAREA:
		add_input(ps, tg.id);
		return C_RCDATA_SHOW;
	case TAG_FORM:
		start_form(ps, tg);
		return C_MARKUP;
	case TAG_BR:
		nise_html_emit_block(ps);
		return C_MARKUP;
	case TAG_LI:
	case TAG_DDT:
		close_in_scope(ps, group_hash(ps, tg.id, t->hash), SC_LI);
		close_p(ps);
		break;
	case TAG_H:
		if (top(ps) && top(ps)->id == TAG_H)
			pop_to(ps, ps->depth - 1);
		break;
	case TAG_OPTION:
	case TAG_OPTGROUP:
		if (top(ps) && top(ps)->id == TAG_OPTION)
			pop_to(ps, ps->depth - 1);
		break;
	case TAG_TD:
	case TAG_TR:
	case TAG_TBODY:
		close_in_scope(ps, ps->h[H_TD], SC_TABLE);
		if (tg.id != TAG_TD)
			close_in_scope(ps, ps->h[H_TR], SC_TABLE);
		if (tg.id == TAG_TBODY)
			close_in_scope(ps, ps->h[H_TBODY], SC_TABLE);
		clear_to_table_context(ps);
		break;
	case TAG_TABLE:
		/* <table> in a table but outside any cell closes that table */
		for (size_t i = ps->depth; i-- > 0;) {
			uint16_t id = ps->stack[i].id;
			if (id == TAG_TD || id == TAG_CAPTION || id == TAG_TEMPLATE)
				break;
			if (id == TAG_TABLE || id == TAG_TBODY || id == TAG_TR) {
				close_in_scope(ps, ps->h[H_TABLE], SC_TABLE);
				break;
			}
		}
		break;
	case TAG_SVG:
	case TAG_MATH:
		if (t->self_closing)
			return C_MARKUP;
		break;
	case TAG_PLAINTEXT:
		return C_PLAINTEXT;
	case TAG_XMP:
		return C_RAW_SHOW;
	default:
		break;
	}
	if (tg.flags & TF_RCDATA)
		return C_RCDATA; /* title */
	if (tg.flags & TF_RAW)
		return C_RAW; /* script, style, iframe, noembed, noframes */
	if (!(tg.flags & TF_VOID))
		push(ps, tg, 0);
	return C_MARKUP;
}

void nise_html_end_tag(struct parser *ps)
{
	struct tag *t = &ps->t;
	struct nise_html_tag tg = nise_html_tag_lookup(t->name, t->nlen);
	if (t->nlen > sizeof(t->name))
		tg = (struct nise_html_tag){TAG_OTHER, 0};
	uint32_t h = group_hash(ps, tg.id, t->hash);
	if (ps->foreign) {
		for (size_t i = ps->depth; i-- > 0 && (ps->stack[i].flags & E_FOREIGN);) {
			if (ps->stack[i].hash == h) {
				pop_to(ps, i);
				return;
			}
		}
	}
	switch (tg.id) {
	case TAG_HTML:
	case TAG_BODY:
	case TAG_HEAD:
		return;
	case TAG_BR:
		nise_html_emit_block(ps);
		return;
	case TAG_P:
		if (!close_in_scope(ps, h, SC_BUTTON))
			nise_html_emit_block(ps);
		return;
	case TAG_FORM: {
		ps->cur_form = -1;
		long i = find(ps, h, SC_DEFAULT);
		if (i >= 0) {
			remove_at(ps, (size_t)i);
			nise_html_emit_block(ps);
		}
		return;
	}
	case TAG_LI:
		close_in_scope(ps, h, SC_LIST);
		return;
	case TAG_TD:
	case TAG_TR:
	case TAG_TBODY:
	case TAG_TABLE:
		close_in_scope(ps, h, SC_TABLE);
		return;
	default:
		break;
	}
	if ((tg.flags & TF_FMT) && adopt(ps, h))
		return;
	if (tg.flags & TF_SPECIAL)
		close_in_scope(ps, h, SC_DEFAULT);
	else
		close_in_scope(ps, h, SC_OTHER);
}

void nise_html_tree_finish(struct parser *ps)
{
	ps->nafe = 0;
	pop_to(ps, 0);
	while (ps->cur_anchor >= 0)
		anchor_close(ps);
}
