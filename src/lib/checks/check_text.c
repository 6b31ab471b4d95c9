/* SPDX-License-Identifier: MIT */
/*
 * check_text.c — what the words say and how they are written.
 *
 * Homoglyph words are judged one word at a time, never averaged over a
 * part: a word of Latin letters with one Greek or Cyrillic look-alike
 * (Amazοn, Аpple) is flagged when its UTS #39 skeleton is a brand name or
 * a lure word (data/lure-words.txt); Czech, Hungarian or Russian words are
 * left alone because their skeletons are not in that dictionary.
 *
 * Lure language is matched on folded text (text.h): Japanese phrases with
 * all spaces removed, English and Portuguese ones on word boundaries. One
 * lure word is nothing — genuine mail says ログイン and 更新 too — so the
 * findings need co-occurrence: a threat with a deadline, a credential or
 * payment request with a pretext, or two other categories.
 *
 * Unnatural Japanese: simplified-Chinese-only characters (data/
 * simplified-only.txt, generated from the GB2312 and JIS X 0208 charsets)
 * inside text with kana. Measured on the corpus (docs/checks/).
 */
#include <string.h>

#include "checks/check.h"
#include "text/charset.h"
#include "text/text.h"

static inline bool word_char(uint32_t cp)
{
	return (cp < 0x80 && ((cp | 32) - 'a' < 26 || cp - '0' < 10)) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x400 && cp <= 0x52F) ||
	       (cp >= 0x1D400 && cp <= 0x1D7FF) || (cp >= 0xFF10 && cp <= 0xFF19) ||
	       (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
	       (cp >= 0x300 && cp <= 0x36F);
}

/* First letter of w that is not Latin/ASCII, described for the reader. */
/* The first Greek/Cyrillic/styled letter of w, as "ο = U+03BF GREEK SMALL
 * LETTER OMICRON" (en, also the evidence) and, in *ja, as
 * "ο（ギリシャ文字の小文字オミクロン、U+03BF）". */
static const char *odd_letter(struct nise_ctx *c, const char *w, size_t n, const char **ja)
{
	*ja = "";
	for (size_t i = 0; i < n;) {
		size_t len;
		uint32_t cp = nise_utf8_decode(w + i, n - i, &len);
		if ((cp >= 0x370 && cp <= 0x52F) || (cp >= 0x1D400 && cp <= 0x1D7FF)) {
			char name[96], jname[160];
			nise_text_char_name(cp, name, sizeof(name));
			nise_text_char_name_ja(cp, w + i, len, jname, sizeof(jname));
			*ja = nise_arena_strdup(c->a, jname);
			return nise_arena_printf(c->a, "%.*s = U+%04X %s", (int)len, w + i, (unsigned)cp, name);
		}
		i += len;
	}
	return "";
}

struct words {
	const char *mixed[4]; /* distinct mixed-script words with a Latin skeleton */
	size_t nmixed;
	unsigned invisible;   /* letter, invisible character, letter */
	const char *invisible_example;
};

static bool all_ascii_letters(const char *s)
{
	for (; *s; s++)
		if (!((*s | 32) >= 'a' && (*s | 32) <= 'z'))
			return false;
	return true;
}

/* ASCII look-alikes inside a word: capital I for l ("WaIIet", "Iogin"),
 * digit 0 for o and 1 for l ("C0NTA", "paypa1"). The word is judged by
 * what it spells once they are undone. */
static void judge_ascii_word(struct nise_ctx *c, const char *w, size_t n)
{
	if (n < 4 || n > 40)
		return;
	char fixed[48];
	bool changed = false;
	size_t letters = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = w[i];
		bool lower_before = i > 0 && w[i - 1] >= 'a' && w[i - 1] <= 'z';
		if (ch == 'I' && lower_before) {
			ch = 'l';
			changed = true;
		} else if ((ch == '0' || ch == '1') && i > 0 && i + 1 < n &&
		           ((w[i - 1] | 32) >= 'a' && (w[i - 1] | 32) <= 'z') &&
		           (((w[i + 1] | 32) >= 'a' && (w[i + 1] | 32) <= 'z') || w[i + 1] == '0')) {
			ch = ch == '0' ? 'o' : 'l';
			changed = true;
		}
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		letters += ch >= 'a' && ch <= 'z';
		fixed[i] = ch;
	}
	fixed[n] = '\0';
	if (!changed || letters != n || !all_ascii_letters(fixed))
		return;
	const char *sk = nise_text_skeleton(c->d->text, c->a, fixed, n);
	int v;
	if (!sk || !nise_strset_get(&c->d->word_skeleton, sk, strlen(sk), &v))
		return;
	const char *word = nise_arena_strndup(c->a, w, n);
	const char *like = c->d->words[v / 2];
	const char *args[] = {word, like, "I/0/1 in place of l/o"};
	const char *args_ja[] = {word, like, "小文字の l・o の代わりに大文字の I や数字の 0・1"};
	nise_ctx_finding_ja(c, "HOMOGLYPH_WORD", 1.0, nise_arena_printf(c->a, "%s (%s)", word, fixed), args,
	                    args_ja, 3);
}

static void judge_word(struct nise_ctx *c, struct words *ws, const char *w, size_t n)
{
	unsigned sc = nise_text_scripts(w, n);
	if (sc & NISE_SCRIPT_MATH) {
		const char *word = nise_arena_strndup(c->a, w, n);
		const char *args[] = {word};
		nise_ctx_finding(c, "STYLED_LETTERS", 1.0, word, args, 1);
		return;
	}
	unsigned foreign = sc & (NISE_SCRIPT_GREEK | NISE_SCRIPT_CYRILLIC);
	if (!foreign)
		return;
	bool mixed = (sc & NISE_SCRIPT_LATIN) != 0;
	const char *sk = nise_text_skeleton(c->d->text, c->a, w, n);
	int v;
	/* a Latin word with look-alike letters that spells plain Latin */
	if (mixed && sk && all_ascii_letters(sk) && ws->nmixed < 4) {
		bool dup = false;
		for (size_t k = 0; k < ws->nmixed; k++)
			dup |= strlen(ws->mixed[k]) == n && memcmp(ws->mixed[k], w, n) == 0;
		if (!dup)
			ws->mixed[ws->nmixed++] = nise_arena_strndup(c->a, w, n);
	}
	if (!sk || !nise_strset_get(&c->d->word_skeleton, sk, strlen(sk), &v))
		return;
	bool brand_word = v & 1;
	if (!mixed && !brand_word)
		return; /* a whole Greek/Cyrillic word that resembles an English one */
	const char *word = nise_arena_strndup(c->a, w, n);
	const char *like = c->d->words[v / 2];
	const char *odd_ja;
	const char *odd = odd_letter(c, w, n, &odd_ja);
	const char *args[] = {word, like, odd};
	const char *args_ja[] = {word, like, odd_ja && *odd_ja ? odd_ja : odd};
	nise_ctx_finding_ja(c, "HOMOGLYPH_WORD", 1.0, nise_arena_printf(c->a, "%s (%s)", word, odd), args,
	                    args_ja, 3);
}

static inline bool latin_letter(uint32_t cp)
{
	return cp < 0x80 ? ((cp | 32) - 'a' < 26) : (cp >= 0xC0 && cp <= 0x24F);
}

static void scan_words(struct nise_ctx *c, struct words *ws, const char *s, size_t n)
{
	size_t i = 0;
	uint32_t prev = 0;
	while (i < n) {
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		/* (no code point below U+00AD is invisible: no call for ASCII) */
		bool invisible = cp >= 0xAD && nise_text_is_invisible(cp);
		if (invisible && latin_letter(prev) && i + len < n) {
			size_t l2;
			uint32_t next = nise_utf8_decode(s + i + len, n - i - len, &l2);
			if (latin_letter(next) && !(cp >= 0x300 && cp <= 0x36F)) {
				if (!ws->invisible_example) {
					size_t st = i > 12 ? i - 12 : 0;
					while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80)
						st--;
					size_t en = i + len + 12 < n ? i + len + 12 : n;
					while (en < n && ((unsigned char)s[en] & 0xC0) == 0x80)
						en++;
					ws->invisible_example = nise_arena_printf(c->a, "U+%04X in \"%.*s\"", (unsigned)cp,
					                                          (int)(en - st), s + st);
				}
				ws->invisible++;
			}
		}
		if (!word_char(cp)) {
			prev = invisible ? prev : cp;
			i += len;
			continue;
		}
		size_t start = i;
		bool nonascii = false;
		while (i < n) {
			cp = nise_utf8_decode(s + i, n - i, &len);
			if (!word_char(cp))
				break;
			nonascii |= cp >= 0x80;
			prev = cp;
			i += len;
		}
		if (nonascii && i - start >= 3 && i - start < 64)
			judge_word(c, ws, s + start, i - start);
		else if (!nonascii)
			judge_ascii_word(c, s + start, i - start);
	}
}

#define LEX_MIN_WEIGHT 1.5

struct lure {
	struct nise_ctx *c;
	bool in_subject;
	const char *subject_strong;
	const char *first[LEX_NCAT];
	unsigned cats;
};

static bool on_lex(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct lure *l = vctx;
	const struct lex_entry *e = &l->c->d->lex[id];
	(void)start;
	(void)len;
	/* single generic words (ロック, locked, login) say nothing alone and
	 * are common in genuine mail: only phrases of weight >= 1.5 count */
	if (e->weight < LEX_MIN_WEIGHT)
		return true;
	if (l->in_subject && e->weight >= 2.0 && e->cat != LEX_ACTION && !l->subject_strong)
		l->subject_strong = e->phrase;
	if (!l->first[e->cat])
		l->first[e->cat] = e->phrase;
	l->cats |= 1u << e->cat;
	return true;
}

/* The words of the mail a space-free phrase matched, with their spaces
 * ("accesshasbeenlimited" → "access has been limited"), looked up in the
 * folded subject, then body. The phrase itself when not found. */
static const char *as_written(struct nise_ctx *c, const char *phrase)
{
	const char *texts[] = {c->subject_f, c->body_f};
	size_t pn = strlen(phrase);
	for (size_t t = 0; t < 2; t++) {
		const char *s = texts[t];
		if (!s)
			continue;
		for (const char *p = s; *p; p++) {
			if (*p != phrase[0])
				continue;
			size_t i = 0;
			const char *q = p;
			while (*q && i < pn) {
				if (*q == ' ') {
					q++;
					continue;
				}
				if (*q != phrase[i])
					break;
				q++;
				i++;
			}
			if (i == pn)
				return nise_arena_strndup(c->a, p, (size_t)(q - p));
		}
	}
	return phrase;
}

static void check_lure(struct nise_ctx *c)
{
	/* Phrases are stored folded without spaces (data/lexicon.tsv), and
	 * matched on the folded body and subject without spaces: this also
	 * catches "ア カ ウ ン ト" and "verify  your\naccount". */
	struct lure l = {.c = c};
	nise_ac_scan(c->d->lexicon, c->body_nospace, c->body_nospace_len, on_lex, &l);
	l.in_subject = true;
	nise_ac_scan(c->d->lexicon, c->subject_nospace, c->subject_nospace_len, on_lex, &l);

	/* Lure words weigh more in a mail whose sender was just shown not to
	 * be who it claims: "pretends to be Amazon AND asks for your card" is
	 * what phishing is; either alone is weaker. */
	for (int k = 0; k < LEX_NCAT; k++)
		if (l.first[k])
			l.first[k] = as_written(c, l.first[k]);
	if (l.subject_strong)
		l.subject_strong = as_written(c, l.subject_strong);
	bool actionable = c->m->nlinks || c->m->nforms || c->brand >= 0;
	double f = (actionable ? 1.0 : 0.5) * (c->impersonation ? 1.4 : 1.0);
	unsigned has = l.cats;
#define HAS(k) (has & (1u << (k)))
	if (HAS(LEX_THREAT) && HAS(LEX_DEADLINE)) {
		const char *args[] = {l.first[LEX_THREAT], l.first[LEX_DEADLINE]};
		nise_ctx_finding(c, "LURE_THREAT_DEADLINE", f,
		                 nise_arena_printf(c->a, "「%s」+「%s」", l.first[LEX_THREAT], l.first[LEX_DEADLINE]),
		                 args, 2);
	}
	const char *ask = HAS(LEX_CREDENTIAL) ? l.first[LEX_CREDENTIAL] : l.first[LEX_PAYMENT];
	const char *pretext = HAS(LEX_SECURITY) ? l.first[LEX_SECURITY]
	                      : HAS(LEX_THREAT) ? l.first[LEX_THREAT]
	                                        : l.first[LEX_ACTION];
	if (ask && pretext) {
		const char *args[] = {ask, pretext};
		nise_ctx_finding(c, "LURE_CREDENTIALS", f, nise_arena_printf(c->a, "「%s」+「%s」", ask, pretext),
		                 args, 2);
		return;
	}
	if (HAS(LEX_THREAT) && HAS(LEX_DEADLINE))
		return;
	unsigned strong = has & ~(1u << LEX_ACTION);
	/* a threat, a prize or a held parcel with a call to act on it
	 * ("will be closed ... click below", "claim your reward ... click here") */
	if ((HAS(LEX_THREAT) || HAS(LEX_PRIZE) || HAS(LEX_DELIVERY)) && HAS(LEX_ACTION))
		strong |= 1u << LEX_ACTION;
	if (__builtin_popcount(strong) < 2 && l.subject_strong) {
		const char *ev = nise_arena_printf(c->a, "「%s」", l.subject_strong);
		const char *args[] = {ev};
		nise_ctx_finding(c, "LURE_LANGUAGE", f, ev, args, 1);
		return;
	}
	if (__builtin_popcount(strong) >= 2) {
		struct nise_buf e;
		nise_buf_init(&e, c->a, 400);
		for (int k = 0; k < LEX_NCAT; k++) {
			if (!l.first[k] || !(strong & (1u << k)))
				continue;
			const char *q = nise_arena_printf(c->a, "%s「%s」", e.n ? "、" : "", l.first[k]);
			if (q)
				nise_buf_append(&e, q, strlen(q));
		}
		const char *ev = nise_buf_cstr(&e);
		const char *args[] = {ev};
		nise_ctx_finding(c, "LURE_LANGUAGE", f, ev, args, 1);
	}
#undef HAS
}

static void check_japanese(struct nise_ctx *c)
{
	const char *s = c->m->visible_text;
	size_t n = c->m->visible_len;
	size_t kana = 0;
	uint32_t found[5];
	size_t nfound = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		i += len;
		if (nise_text_is_kana(cp)) {
			kana++;
		} else if (cp >= 0x4E00 && cp <= 0x9FFF && c->d->simplified &&
		           (c->d->simplified[(cp - 0x4E00) / 8] & (1u << ((cp - 0x4E00) % 8)))) {
			bool dup = false;
			for (size_t k = 0; k < nfound; k++)
				dup |= found[k] == cp;
			if (!dup && nfound < 5)
				found[nfound++] = cp;
		}
	}
	if (kana < 10 || nfound < 2)
		return;
	struct nise_buf b;
	nise_buf_init(&b, c->a, 64);
	for (size_t k = 0; k < nfound; k++)
		nise_buf_put_utf8(&b, found[k]);
	const char *ev = nise_buf_cstr(&b);
	const char *args[] = {ev};
	nise_ctx_finding(c, "UNNATURAL_JAPANESE", 1.0, ev, args, 1);
}

/* Bidi and invisible format controls (text/controls.c) in what the reader
 * is shown: subject, display name, link texts, body. Marks alone
 * (U+200E/F, U+061C) are named but score nothing: right-to-left text
 * uses them. */
struct controls {
	unsigned n[3];          /* per kind */
	uint32_t first[3];
	const char *where[3], *where_ja[3];
	bool reorders;          /* an embedding, override or isolate */
};

static void find_controls(struct controls *k, const char *s, size_t n, const char *where,
                          const char *where_ja)
{
	for (size_t i = 0; s && i < n;) {
		/* every control is at U+061C or above: its UTF-8 lead byte is
		 * 0xD8 or more; ASCII, continuation bytes and the leads of
		 * U+0080..U+05FF are skipped without decoding (an ill-formed
		 * sequence decodes one byte at a time, so the result is the same) */
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			i += nise_ascii_span(s + i, n - i);
			continue;
		}
		/* and only the leads, with the second byte, that begin one:
		 * U+061C D8 9C; U+115F, U+1160, U+180E E1 85, E1 A0; U+200E..
		 * U+2069 E2 80, E2 81; U+3164 E3 85; U+FFA0, U+FFF9.. EF BE,
		 * EF BF; U+E0000..U+E007F F3 A0. Kana and kanji (E3 81..,
		 * E4..E9) are passed over a byte at a time like the rest. */
		unsigned char b2 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		bool maybe;
		switch (b) {
		case 0xD8: maybe = b2 == 0x9C; break;
		case 0xE1: maybe = b2 == 0x85 || b2 == 0xA0; break;
		case 0xE2: maybe = b2 == 0x80 || b2 == 0x81; break;
		case 0xE3: maybe = b2 == 0x85; break;
		case 0xEF: maybe = b2 == 0xBE || b2 == 0xBF; break;
		case 0xF3: maybe = b2 == 0xA0; break;
		default: maybe = false; break;
		}
		if (!maybe) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		i += len ? len : 1;
		int kind = nise_control_kind(cp);
		if (!kind)
			continue;
		if (!k->n[kind]++) {
			k->first[kind] = cp;
			k->where[kind] = where;
			k->where_ja[kind] = where_ja;
		}
		if (kind == NISE_CONTROL_BIDI && cp != 0x200E && cp != 0x200F && cp != 0x061C)
			k->reorders = true;
	}
}

static void check_controls(struct nise_ctx *c)
{
	const struct nise_message *m = c->m;
	struct controls k;
	memset(&k, 0, sizeof(k));
	find_controls(&k, m->subject, strlen(m->subject), "subject", "件名");
	if (m->nfrom)
		find_controls(&k, m->from[0].name, strlen(m->from[0].name), "display name", "差出人名");
	for (size_t i = 0; i < m->nlinks; i++)
		if (m->links[i].text)
			find_controls(&k, m->links[i].text, strlen(m->links[i].text), "link text", "リンクの文字");
	size_t n = m->visible_len < ((size_t)64 << 10) ? m->visible_len : ((size_t)64 << 10);
	find_controls(&k, m->visible_text, n, "body", "本文");
	static const char *const ids[3] = {NULL, "BIDI_CONTROL", "INVISIBLE_CONTROL"};
	for (int kind = NISE_CONTROL_BIDI; kind <= NISE_CONTROL_INVISIBLE; kind++) {
		if (!k.n[kind])
			continue;
		const char *ev = nise_arena_printf(c->a, "U+%04X %s in the %s%s", (unsigned)k.first[kind],
		                                   nise_control_name(k.first[kind]), k.where[kind],
		                                   k.n[kind] > 1 ? nise_arena_printf(c->a, ", %u in all", k.n[kind]) : "");
		const char *ja = nise_arena_printf(c->a, "%sに U+%04X%s", k.where_ja[kind], (unsigned)k.first[kind],
		                                   k.n[kind] > 1 ? nise_arena_printf(c->a, "、全部で%u個", k.n[kind]) : "");
		const char *args[] = {ev};
		const char *args_ja[] = {ja};
		double f = kind == NISE_CONTROL_BIDI && !k.reorders ? 0.0 : 1.0;
		nise_ctx_finding_ja(c, ids[kind], f, ev, args, args_ja, 1);
	}
}

void check_text(struct nise_ctx *c)
{
	const struct nise_message *m = c->m;
	struct words ws;
	memset(&ws, 0, sizeof(ws));
	scan_words(c, &ws, m->subject, strlen(m->subject));
	if (m->nfrom)
		scan_words(c, &ws, m->from[0].name, strlen(m->from[0].name));
	size_t n = m->visible_len < ((size_t)64 << 10) ? m->visible_len : ((size_t)64 << 10);
	scan_words(c, &ws, m->visible_text, n);
	if (ws.nmixed >= 2) {
		const char *list = ws.nmixed == 2 ? nise_arena_printf(c->a, "%s, %s", ws.mixed[0], ws.mixed[1])
		                                   : nise_arena_printf(c->a, "%s, %s, %s", ws.mixed[0], ws.mixed[1], ws.mixed[2]);
		const char *args[] = {list};
		nise_ctx_finding(c, "MIXED_SCRIPT_WORDS", 1.0, list, args, 1);
	}
	if (ws.invisible >= 3) {
		const char *args[] = {ws.invisible_example};
		nise_ctx_finding(c, "INVISIBLE_CHARACTERS", 1.0,
		                 nise_arena_printf(c->a, "%u times, e.g. %s", ws.invisible, ws.invisible_example), args, 1);
	}
	check_lure(c);
	check_japanese(c);
	check_controls(c);
}
