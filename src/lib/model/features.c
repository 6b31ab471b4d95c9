/* SPDX-License-Identifier: MIT */
/*
 * features.c — what the learned model sees of a message.
 *
 * Namespaces (see ns_names): words of the subject and the visible body
 * (Latin, Greek, Cyrillic... split at anything that is not a letter or
 * digit; runs of digits become '#', so "24" and "48" are one token),
 * character bigrams for Japanese/Chinese/Korean (which have no spaces),
 * every link's registrable domain, public suffix, path words and kind,
 * the sender's domain and suffix, the claimed brand and where it is
 * claimed, part types and attachment kinds, forms, and every check that
 * fired. The texts are the checks' own folded forms (NFKC + case fold,
 * zero-width characters and inserted spaces removed), so the model sees
 * "ＡＭＡＺＯＮ" and "amazon" alike.
 *
 * Deliberately not features — they tell where a corpus was collected,
 * not whether a mail is phishing (corpus/README.md "artefacts"):
 * recipients (phishing_pot rewrote every one to phishing@pot; words
 * equal to a recipient's local part or domain labels are dropped from the
 * text too, as are personalised greetings of real phishing), Received
 * hosts, dates and Message-IDs, mailer names (era, not intent), List-*
 * headers, a leading "[list]" subject tag, the body after a mailing
 * list's "____" footer rule, and links to the list's own domain.
 *
 * Word segmentation is our own rather than ICU's word break iterator:
 * after folding, space-separated scripts split at non-letters the same
 * way, and the scripts without spaces get bigrams either way; the text is
 * already UTF-8, so no UTF-16 copy is made.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "checks/check.h"
#include "model/model.h"

#define TEXT_MAX 6144u    /* body bytes looked at: the lure is at the top */
#define WORD_MAX 24u      /* longer tokens are skipped (hashes, base64) */
#define MAX_FEATS 4096u  /* per message; the dedupe set has twice the slots */

static const char *const ns_names[] = {
	"word", "bigram", "subject word", "subject bigram", "link domain", "link suffix",
	"link path word", "link kind", "links", "sender domain", "sender suffix", "brand",
	"brand claimed in", "part", "attachment", "form", "check", "sender",
};

struct fx {
	struct nise_ctx *c;
	struct nise_feat *v;
	size_t n;
	uint32_t *set;           /* idx + 1; 0 = empty */
	const char *skip[16];    /* recipient tokens */
	size_t skiplen[16];
	size_t nskip;
	size_t cap;              /* features this message can have */
	unsigned set_bits;
};

static uint32_t fnv_more(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static uint32_t fnv_start(uint8_t ns)
{
	return (2166136261u ^ (uint32_t)(ns + 1)) * 16777619u;
}

static uint32_t fnv_end(uint32_t h)
{
	/* final avalanche: FNV's low bits are weak for short keys */
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h & ((1u << NISE_FEATURE_BITS) - 1);
}

static uint32_t fnv(uint8_t ns, const char *s, size_t n)
{
	return fnv_end(fnv_more(fnv_start(ns), s, n));
}

uint32_t nise_feat_index(unsigned ns, const char *s, size_t n)
{
	return fnv((uint8_t)ns, s, n);
}

/* Adds the feature with index idx, named by s[0..n). */
static void add_idx(struct fx *x, uint8_t ns, uint32_t idx, const char *s, size_t n)
{
	if (x->n >= x->cap || !x->v)
		return;
	uint32_t mask = (1u << x->set_bits) - 1;
	for (uint32_t i = (idx * 2654435761u) >> (32 - x->set_bits);; i = (i + 1) & mask) {
		if (x->set[i] == idx + 1)
			return;
		if (x->set[i] == 0) {
			x->set[i] = idx + 1;
			break;
		}
	}
	x->v[x->n++] = (struct nise_feat){.idx = idx, .ns = ns, .len = (uint16_t)n, .tok = s};
}

static void add(struct fx *x, uint8_t ns, const char *s, size_t n)
{
	add_idx(x, ns, fnv(ns, s, n), s, n);
}

static void add_str(struct fx *x, uint8_t ns, const char *s)
{
	if (s)
		add(x, ns, s, strlen(s));
}

/* Decodes one UTF-8 sequence of folded (valid) text. */
static inline uint32_t next_cp(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = n - *i;
	uint32_t cp = p[0];
	size_t len = 1;
	if (cp >= 0xF0 && left >= 4) {
		cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
		len = 4;
	} else if (cp >= 0xE0 && left >= 3) {
		cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
		len = 3;
	} else if (cp >= 0xC0 && left >= 2) {
		cp = ((cp & 31u) << 6) | (p[1] & 63u);
		len = 2;
	}
	*i += len;
	return cp;
}

static inline bool is_cjk(uint32_t cp)
{
	return (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* Letters of space-separated scripts: ASCII, Latin-1 to Latin Extended,
 * Greek, Cyrillic, Armenian, Hebrew, Arabic, Thai. */
static const uint8_t ascii_word[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
};

static inline bool is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return ascii_word[cp];
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x6FF) ||
	       (cp >= 0xE00 && cp <= 0xE7F) || (cp >= 0x1E00 && cp <= 0x1FFF);
}

static bool skipped(const struct fx *x, const char *s, size_t n)
{
	for (size_t i = 0; i < x->nskip; i++)
		if (x->skiplen[i] == n && memcmp(x->skip[i], s, n) == 0)
			return true;
	return false;
}

/* Words and bigrams of folded text, in one pass: a word's hash is
 * computed as it is read (runs of digits hashed as one '#'), so nothing
 * is copied; a feature's name is the word as written. (Word pairs were
 * tried: no gain in cross-validation, twice the features.) */
static void add_text(struct fx *x, const char *s, size_t n, uint8_t ns_word, uint8_t ns_bigram)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	size_t prev_start = 0, prev_len = 0; /* previous CJK character, for bigrams */
	while (i < n) {
		size_t at = i;
		if (u[i] < 0x80) {
			if (!ascii_word[u[i]]) {
				i++;
				prev_len = 0;
				continue;
			}
		} else {
			uint32_t cp = next_cp(s, n, &i);
			if (!is_word_cp(cp)) {
				if (is_cjk(cp)) {
					if (prev_len && prev_start + prev_len == at)
						add(x, ns_bigram, s + prev_start, prev_len + (i - at));
					prev_start = at;
					prev_len = i - at;
				} else {
					prev_len = 0;
				}
				continue;
			}
			i = at;
		}
		prev_len = 0;
		/* a word, hashed as it is read */
		uint32_t h = fnv_start(ns_word);
		size_t wl = 0;
		bool last_digit = false;
		while (i < n) {
			unsigned char c = u[i];
			if (c < 0x80) {
				if (!ascii_word[c])
					break;
				if (c <= '9') { /* the only word characters below 'A' */
					if (!last_digit) {
						h = (h ^ (uint32_t)'#') * 16777619u;
						wl++;
					}
					last_digit = true;
				} else {
					h = (h ^ c) * 16777619u;
					wl++;
					last_digit = false;
				}
				i++;
				continue;
			}
			size_t k = i;
			if (!is_word_cp(next_cp(s, n, &k)))
				break;
			h = fnv_more(h, s + i, k - i);
			wl += k - i;
			last_digit = false;
			i = k;
		}
		if (wl >= 2 && wl <= WORD_MAX && !skipped(x, s + at, i - at))
			add_idx(x, ns_word, fnv_end(h), s + at, i - at);
	}
}

/* Recipients' local parts and domain labels: the tokens of "Dear
 * john.smith", and phishing_pot's rewritten phishing@pot. */
static void collect_skip(struct fx *x)
{
	const struct nise_message *m = x->c->m;
	for (size_t i = 0; i < m->nto && x->nskip + 4 <= 16; i++) {
		const char *parts[2] = {m->to[i].local, m->to[i].domain};
		for (int k = 0; k < 2; k++) {
			const char *p = parts[k];
			while (p && *p && x->nskip < 16) {
				size_t l = strcspn(p, ".-_+");
				if (l >= 2)
					x->skip[x->nskip] = p, x->skiplen[x->nskip++] = l;
				p += l;
				if (*p)
					p++;
			}
		}
	}
}

/* The body a mailing list did not add: up to a footer rule of 30 or
 * more underscores in the last half. */
static size_t body_end(const char *s, size_t n)
{
	static const char rule[] = "______________________________";
	if (n > TEXT_MAX)
		n = TEXT_MAX;
	const char *p = memmem(s + n / 2, n - n / 2, rule, sizeof(rule) - 1);
	return p ? (size_t)(p - s) : n;
}

static const char *subject_start(const char *s)
{
	while (*s == ' ')
		s++;
	if (*s == '[') {
		const char *e = strchr(s, ']');
		if (e && e - s < 40)
			s = e + 1;
	}
	while (*s == ' ')
		s++;
	return s;
}

static const char *bucket(size_t n)
{
	return n == 0 ? "0" : n == 1 ? "1" : n <= 3 ? "2-3" : n <= 7 ? "4-7" : n <= 20 ? "8-20" : "21+";
}

static void add_path_words(struct fx *x, const char *p)
{
	if (!p)
		return;
	size_t n = strlen(p);
	if (n > 256)
		n = 256;
	for (size_t i = 0; i < n;) {
		while (i < n && !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
			i++;
		size_t s = i;
		while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
			i++;
		if (i - s >= 3 && i - s <= 16) {
			char *t = nise_arena_strndup(x->c->a, p + s, i - s);
			if (!t)
				return;
			for (char *q = t; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q + 32);
			add(x, NS_LINK_PATH, t, i - s);
		}
	}
}

static const char *const link_kinds[] = {
	"anchor", "area", "text", "form", "meta refresh", "image", "attachment", "header",
};

/* The host of List-Id (<v9fs-developer.lists.sourceforge.net>), or NULL. */
static const char *list_host(struct fx *x, size_t *n)
{
	const char *id = x->c->m->list_id;
	if (!id)
		return NULL;
	const char *lt = strrchr(id, '<');
	const char *s = lt ? lt + 1 : id;
	*n = strcspn(s, ">");
	return *n ? s : NULL;
}

/* Is domain the list host or one of its parents (sourceforge.net for
 * lists.sourceforge.net)? A registrable domain is never a bare suffix,
 * so no PSL lookup is needed. */
static bool of_list(const char *host, size_t hn, const char *domain)
{
	size_t dn = strlen(domain);
	if (dn > hn || strncasecmp(host + hn - dn, domain, dn) != 0)
		return false;
	return dn == hn || host[hn - dn - 1] == '.';
}

static void add_links(struct fx *x)
{
	const struct nise_message *m = x->c->m;
	size_t counted = 0;
	size_t list_n = 0;
	const char *list = list_host(x, &list_n);
	for (size_t i = 0; i < m->nlinks && i < 256; i++) {
		const struct nise_link *l = &m->links[i];
		/* List-Unsubscribe and friends: the list's, not the mail's */
		if (l->source == NISE_LINK_HEADER || !l->url.url)
			continue;
		/* the list's footer links: its archive, its listinfo page */
		if (list && l->url.domain && of_list(list, list_n, l->url.domain))
			continue;
		counted++;
		add_str(x, NS_LINK_KIND, link_kinds[l->source]);
		if (l->url.host_is_ip) {
			add_str(x, NS_LINK_DOMAIN, "(ip address)");
			continue;
		}
		add_str(x, NS_LINK_DOMAIN, l->url.domain);
		add_str(x, NS_LINK_TLD, l->url.tld);
		add_path_words(x, l->url.path);
	}
	add_str(x, NS_LINKS, bucket(counted));
}

static const char *const claim_names[] = {"none", "body", "subject", "local part", "display name"};

void nise_features_extract(struct nise_ctx *c, struct nise_featvec *out)
{
	struct fx x = {.c = c};
	out->v = NULL;
	out->n = 0;
	out->value = 0;
	/* what this message can yield: a word or bigram per three bytes of
	 * text (two letters and a separator; a CJK character is three bytes), a dozen per link, one per part, form and finding, and a few
	 * about the sender; the arena zeroes what it gives, so no more */
	size_t text = strlen(c->subject_f ? c->subject_f : "") +
	              (c->body_f_len < TEXT_MAX ? c->body_f_len : TEXT_MAX);
	size_t nl = c->m->nlinks < 256 ? c->m->nlinks : 256;
	x.cap = text / 3 + nl * 12 + c->m->nparts + c->m->nforms + c->findings.n + 32;
	if (x.cap > MAX_FEATS)
		x.cap = MAX_FEATS;
	x.set_bits = 6;
	while (((size_t)1 << x.set_bits) < 2 * x.cap)
		x.set_bits++;
	x.v = nise_arena_alloc(c->a, x.cap * sizeof(*x.v));
	x.set = nise_arena_calloc(c->a, (size_t)1 << x.set_bits, sizeof(uint32_t));
	if (!x.v || !x.set)
		return;
	collect_skip(&x);
	const char *subj = subject_start(c->subject_f ? c->subject_f : "");
	add_text(&x, subj, strlen(subj), NS_SUBJ_WORD, NS_SUBJ_BIGRAM);
	if (c->body_f)
		add_text(&x, c->body_f, body_end(c->body_f, c->body_f_len), NS_WORD, NS_BIGRAM);
	add_links(&x);

	const struct nise_message *m = c->m;
	if (c->from_domain) {
		add_str(&x, NS_FROM_DOMAIN, c->from_domain);
		const char *dot = strrchr(c->from_domain, '.');
		add_str(&x, NS_FROM_TLD, dot ? dot + 1 : c->from_domain);
	} else {
		add_str(&x, NS_SENDER, "no domain");
	}
	if (c->from_freemail)
		add_str(&x, NS_SENDER, "mailbox provider");
	if (c->from_brand >= 0)
		add_str(&x, NS_SENDER, "brand domain");
	if (c->brand >= 0) {
		add_str(&x, NS_BRAND, c->d->brands[c->brand].id);
		add_str(&x, NS_CLAIM, claim_names[c->where]);
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct nise_part *p = &m->parts[i];
		add_str(&x, NS_PART, p->content_type);
		if (p->kind == NISE_PART_ATTACHMENT && p->sniffed_type)
			add_str(&x, NS_ATTACH, p->sniffed_type);
	}
	for (size_t i = 0; i < m->nforms; i++)
		add_str(&x, NS_FORM, m->forms[i].has_password ? "password" : "form");
	const struct nise_finding *fs = c->findings.items;
	for (size_t i = 0; i < c->findings.n; i++)
		add_str(&x, NS_CHECK, fs[i].id);

	out->v = x.v;
	out->n = x.n;
	out->value = 0;
	if (x.n) {
		out->value = 1.0 / sqrt((double)x.n);
	}
}

static const char *const ns_names_ja[] = {
	"単語", "文字の並び", "件名の単語", "件名の文字の並び", "リンク先のドメイン", "リンク先のトップレベル",
	"リンクのパスの単語", "リンクの種類", "リンクの数", "送信元ドメイン", "送信元のトップレベル", "ブランド",
	"ブランドを名乗る場所", "パート", "添付", "フォーム", "チェック", "送信者",
};

/* prefix + token + suffix in the arena, without printf */
static const char *join3(struct nise_arena *a, const char *p, const char *t, size_t tn, const char *q)
{
	size_t pn = strlen(p), qn = strlen(q);
	char *o = nise_arena_alloc(a, pn + tn + qn + 1);
	if (!o)
		return "";
	memcpy(o, p, pn);
	memcpy(o + pn, t, tn);
	memcpy(o + pn + tn, q, qn);
	o[pn + tn + qn] = '\0';
	return o;
}

const char *nise_feat_name(struct nise_arena *a, const struct nise_feat *f)
{
	char p[64];
	size_t n = strlen(ns_names[f->ns]);
	memcpy(p, ns_names[f->ns], n);
	memcpy(p + n, ": ", 3);
	return join3(a, p, f->tok, f->len, "");
}

const char *nise_feat_name_ja(struct nise_arena *a, const struct nise_feat *f)
{
	char p[64];
	size_t n = strlen(ns_names_ja[f->ns]);
	memcpy(p, ns_names_ja[f->ns], n);
	memcpy(p + n, "「", sizeof("「"));
	return join3(a, p, f->tok, f->len, "」");
}
