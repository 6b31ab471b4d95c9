/* SPDX-License-Identifier: MIT */
/*
 * normalize.c — ICU adapter: folding (UAX #15 NFKC_Casefold), scripts
 * (UAX #24), confusable skeletons (UTS #39 §4) and character names.
 *
 * Text is converted UTF-8 → UTF-16 for ICU and back, in chunks on the
 * stack or the arena; the folding pass then removes inserted spaces in one
 * scan over code points. The spoof checker is created once per engine and
 * only read afterwards (ICU documents skeleton computation on a const
 * checker as thread-safe).
 *
 * What it does not do: word segmentation (the checks split on spaces and
 * script boundaries, enough for the words they judge).
 */
#include "text/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "text/charset.h"

struct nise_textctx {
	const UNormalizer2 *nfkc_cf;
	USpoofChecker *spoof;
	/* the skeleton of each ASCII code point, lower-cased, when it is
	 * ASCII itself (len 0xFF: not, that code point goes through ICU) */
	char ask[128][8];
	uint8_t asklen[128];
};

/* UTS #39 §4: skeleton(X) = NFD(the prototypes of NFD(X)'s code points,
 * one after another). For ASCII X the inner NFD is X, and when every
 * prototype is ASCII the outer NFD changes nothing, so the skeleton is the
 * concatenation of per-code-point skeletons (tests/unit/test_fold.c checks
 * this against ICU for every string of one and two ASCII code points). */
static void ascii_skeletons(struct nise_textctx *t)
{
	for (int c = 0; c < 128; c++) {
		char in = (char)c, out[16];
		UErrorCode st = U_ZERO_ERROR;
		int32_t len = uspoof_getSkeletonUTF8(t->spoof, 0, &in, 1, out, sizeof(out), &st);
		bool ok = U_SUCCESS(st) && len > 0 && len < (int32_t)sizeof(t->ask[c]);
		for (int32_t k = 0; ok && k < len; k++)
			ok = (unsigned char)out[k] < 0x80;
		if (!ok) {
			t->asklen[c] = 0xFF;
			continue;
		}
		for (int32_t k = 0; k < len; k++)
			t->ask[c][k] = out[k] >= 'A' && out[k] <= 'Z' ? (char)(out[k] + 32) : out[k];
		t->asklen[c] = (uint8_t)len;
	}
}

nise_rc nise_textctx_new(struct nise_textctx **out)
{
	*out = NULL;
	struct nise_textctx *t = calloc(1, sizeof(*t));
	if (!t)
		return NISE_ENOMEM;
	UErrorCode st = U_ZERO_ERROR;
	t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
	if (U_FAILURE(st)) {
		free(t);
		return NISE_EINVAL;
	}
	st = U_ZERO_ERROR;
	t->spoof = uspoof_open(&st);
	if (U_FAILURE(st)) {
		free(t);
		return NISE_EINVAL;
	}
	ascii_skeletons(t);
	*out = t;
	return NISE_OK;
}

void nise_textctx_free(struct nise_textctx *t)
{
	if (!t)
		return;
	if (t->spoof)
		uspoof_close(t->spoof);
	free(t);
}

/* UTF-8 → UTF-16 in the arena; ill-formed bytes become U+FFFD. */
static UChar *to_utf16(struct nise_arena *a, const char *s, size_t n, int32_t *len)
{
	if (n > INT32_MAX / 2)
		n = INT32_MAX / 2;
	UChar *u = nise_arena_calloc(a, n + 1, sizeof(UChar));
	if (!u)
		return NULL;
	UErrorCode st = U_ZERO_ERROR;
	u_strFromUTF8WithSub(u, (int32_t)n + 1, len, s, (int32_t)n, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		return NULL;
	return u;
}

static inline bool is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) || cp == 0x30FC;
}

static inline bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0 ||
	       cp == 0x0B || cp == 0x0C;
}

/* Cheap pre-tests that keep ICU property lookups off the hot path: no
 * mark or format character below U+0300 but the soft hyphen, and none in
 * the kana/CJK block but the two combining sound marks. */
static inline bool maybe_mark(UChar32 cp)
{
	if (cp < 0x300)
		return cp == 0xAD;
	if (cp >= 0x3040 && cp <= 0x9FFF)
		return cp == 0x3099 || cp == 0x309A;
	return true;
}

static inline bool is_alpha(UChar32 cp)
{
	if (cp < 0x80)
		return ((cp | 32) >= 'a' && (cp | 32) <= 'z');
	if (cp >= 0x3040 && cp <= 0x9FFF)
		return true;
	return u_isalpha(cp);
}

static bool fold_walk(struct nise_buf *out, const UChar *f, int32_t flen, bool nospace);

static inline unsigned char lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* fold_walk on lower-cased ASCII, over the bytes (no UTF-16 copy, one
 * append): the same walk, with what ASCII cannot hold taken out — no
 * ASCII code point is a mark, a format character or CJK. Plain-text ham
 * is folded here (tests/unit/test_fold.c checks it against fold_walk on
 * random ASCII). */
static inline bool space_ascii(unsigned char c)
{
	/* is_space's ASCII members: \t \n \v \f \r and ' ' */
	return c <= 0x20 && ((0x100003E00ULL >> c) & 1);
}

static inline bool alpha_ascii(unsigned char c)
{
	return (unsigned)((c | 32) - 'a') < 26;
}

static bool fold_walk_ascii(struct nise_buf *out, const char *s, size_t n, bool nospace)
{
	char *o = nise_arena_alloc_uninit(out->a, n + 1);
	if (!o)
		return false;
	size_t on = 0;
	unsigned char prev = 0; /* last emitted byte */
	bool pending_space = false;
	int single_run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char cp = lower_ascii((unsigned char)s[i]);
		if (space_ascii(cp)) {
			if (prev)
				pending_space = true;
			continue;
		}
		bool alpha = alpha_ascii(cp);
		if (pending_space) {
			bool drop = nospace;
			if (!drop && alpha && alpha_ascii(prev) && single_run >= 2 &&
			    (i + 1 == n || s[i + 1] == '\0' || space_ascii((unsigned char)s[i + 1])))
				drop = true;
			if (!drop)
				o[on++] = ' ';
			pending_space = false;
		}
		if (alpha) {
			bool single = (prev == 0 || !alpha_ascii(prev)) &&
			              (i + 1 == n || s[i + 1] == '\0' || space_ascii((unsigned char)s[i + 1]));
			single_run = single ? single_run + 1 : 0;
		} else {
			single_run = 0;
		}
		o[on++] = (char)cp;
		prev = cp;
	}
	return nise_buf_append(out, o, on) || on == 0;
}

bool nise_text_fold(const struct nise_textctx *t, struct nise_buf *out, const char *s, size_t n,
                    bool nospace)
{
	struct nise_arena *a = out->a;
	/* ASCII: NFKC_Casefold maps A-Z to a-z and leaves every other ASCII
	 * code point alone (tests/unit/test_fold.c checks all 128 against
	 * ICU), so plain-text mail skips the conversion and the normalizer */
	bool ascii = n <= INT32_MAX / 2;
	for (size_t k = 0; k < n && ascii; k++)
		ascii = (unsigned char)s[k] < 0x80;
	UChar *f;
	int32_t flen;
	if (ascii) {
		/* no space: nothing for the walk to drop or collapse (no ASCII
		 * code point is a mark or a format character), so the fold is
		 * the lower-cased bytes: most names and domains */
		size_t sp = 0;
		while (sp < n && !is_space((unsigned char)s[sp]))
			sp++;
		if (sp == n) {
			char *l = nise_arena_alloc(a, n + 1);
			if (!l)
				return false;
			for (size_t k = 0; k < n; k++) {
				unsigned char ch = (unsigned char)s[k];
				l[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
			}
			return nise_buf_append(out, l, n);
		}
		return fold_walk_ascii(out, s, n, nospace);
	}
	int32_t ulen = 0;
	UChar *u = to_utf16(a, s, n, &ulen);
	if (!u)
		return false;
	UErrorCode st = U_ZERO_ERROR;
	int32_t cap = ulen + ulen / 2 + 16;
	f = nise_arena_calloc(a, (size_t)cap, sizeof(UChar));
	if (!f)
		return false;
	flen = unorm2_normalize(t->nfkc_cf, u, ulen, f, cap, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		cap = flen + 1;
		f = nise_arena_calloc(a, (size_t)cap, sizeof(UChar));
		if (!f)
			return false;
		st = U_ZERO_ERROR;
		flen = unorm2_normalize(t->nfkc_cf, u, ulen, f, cap, &st);
	}
	if (U_FAILURE(st))
		return false;
	return fold_walk(out, f, flen, nospace);
}

static bool fold_walk(struct nise_buf *out, const UChar *f, int32_t flen, bool nospace)
{
	/* Walk code points: drop/collapse spaces. A space is dropped when it
	 * sits between two CJK characters, or between two single letters in a
	 * run of spaced-out letters ("v e r i f y"). */
	uint32_t prev = 0;      /* last emitted code point */
	bool pending_space = false;
	int single_run = 0;     /* letters seen as "x " singles in a row */
	int32_t i = 0;
	while (i < flen) {
		UChar32 cp;
		U16_NEXT(f, i, flen, cp);
		if (is_space((uint32_t)cp)) {
			if (prev)
				pending_space = true;
			continue;
		}
		/* marks left after NFKC composition are decoration, or marks
		 * stuffed between letters to break up a word (A\u073Fm\u073Fazon) */
		if (maybe_mark(cp)) {
			int8_t ty = u_charType(cp);
			if (ty == U_NON_SPACING_MARK || ty == U_FORMAT_CHAR)
				continue;
		}
		if (pending_space) {
			bool drop = nospace;
			if (!drop && is_cjk(prev) && is_cjk((uint32_t)cp))
				drop = true;
			/* spaced-out Latin letters: "x y z" with single letters */
			if (!drop && is_alpha((UChar32)prev) && is_alpha(cp) && single_run >= 2) {
				int32_t j = i;
				UChar32 next = 0;
				if (j < flen)
					U16_NEXT(f, j, flen, next);
				if (next == 0 || is_space((uint32_t)next))
					drop = true;
			}
			if (!drop && !nise_buf_putc(out, ' '))
				return false;
			pending_space = false;
		}
		/* track "single letter followed by space" runs */
		if (is_alpha(cp)) {
			int32_t j = i;
			UChar32 next = 0;
			if (j < flen)
				U16_NEXT(f, j, flen, next);
			bool single = (prev == 0 || !is_alpha((UChar32)prev) || pending_space) &&
			              (next == 0 || is_space((uint32_t)next));
			single_run = single ? single_run + 1 : 0;
		} else {
			single_run = 0;
		}
		if (!nise_buf_put_utf8(out, (uint32_t)cp))
			return false;
		prev = (uint32_t)cp;
	}
	return true;
}

const char *nise_text_skeleton(const struct nise_textctx *t, struct nise_arena *a, const char *s,
                               size_t n)
{
	if (n > 4096)
		n = 4096;
	/* ASCII whose code points all have ASCII skeletons: from the table */
	size_t need = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c >= 0x80 || t->asklen[c] == 0xFF) {
			need = SIZE_MAX;
			break;
		}
		need += t->asklen[c];
	}
	if (need != SIZE_MAX) {
		char *o = nise_arena_alloc(a, need + 1);
		if (!o)
			return NULL;
		char *p = o;
		for (size_t k = 0; k < n; k++) {
			unsigned char c = (unsigned char)s[k];
			memcpy(p, t->ask[c], t->asklen[c]);
			p += t->asklen[c];
		}
		*p = '\0';
		return o;
	}
	char stackbuf[512];
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = uspoof_getSkeletonUTF8(t->spoof, 0, s, (int32_t)n, stackbuf, sizeof(stackbuf), &st);
	char *out;
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		out = nise_arena_alloc(a, (size_t)len + 1);
		if (!out)
			return NULL;
		st = U_ZERO_ERROR;
		len = uspoof_getSkeletonUTF8(t->spoof, 0, s, (int32_t)n, out, len + 1, &st);
	} else {
		out = U_SUCCESS(st) ? nise_arena_strndup(a, stackbuf, (size_t)len) : NULL;
	}
	if (U_FAILURE(st) || !out)
		return NULL;
	/* skeletons keep case distinctions of some letters: fold to lower */
	for (int32_t k = 0; k < len; k++)
		if (out[k] >= 'A' && out[k] <= 'Z')
			out[k] = (char)(out[k] + 32);
	return out;
}

unsigned nise_text_scripts(const char *s, size_t n)
{
	unsigned mask = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		i += len;
		if (cp < 0x80) {
			if ((cp | 32) >= 'a' && (cp | 32) <= 'z')
				mask |= NISE_SCRIPT_LATIN;
			continue;
		}
		if (cp >= 0x1D400 && cp <= 0x1D7FF) {
			mask |= NISE_SCRIPT_MATH;
			continue;
		}
		if (cp >= 0xFF21 && cp <= 0xFF5A) {
			mask |= NISE_SCRIPT_FULLWIDTH;
			continue;
		}
		UErrorCode st = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript((UChar32)cp, &st);
		if (U_FAILURE(st))
			continue;
		switch (sc) {
		case USCRIPT_COMMON:
		case USCRIPT_INHERITED:
			break;
		case USCRIPT_LATIN: mask |= NISE_SCRIPT_LATIN; break;
		case USCRIPT_GREEK: mask |= NISE_SCRIPT_GREEK; break;
		case USCRIPT_CYRILLIC: mask |= NISE_SCRIPT_CYRILLIC; break;
		case USCRIPT_HAN: mask |= NISE_SCRIPT_HAN; break;
		case USCRIPT_HIRAGANA:
		case USCRIPT_KATAKANA: mask |= NISE_SCRIPT_KANA; break;
		case USCRIPT_HANGUL: mask |= NISE_SCRIPT_HANGUL; break;
		default: mask |= NISE_SCRIPT_OTHER; break;
		}
	}
	return mask;
}

const char *nise_text_char_name(uint32_t cp, char *buf, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, buf, (int32_t)n, &st);
	if (U_FAILURE(st) || len <= 0) {
		snprintf(buf, n, "U+%04X", (unsigned)cp);
	}
	return buf;
}

bool nise_text_is_invisible(uint32_t cp)
{
	if (cp < 0xAD)
		return false;
	int8_t t = u_charType((UChar32)cp);
	return t == U_NON_SPACING_MARK || t == U_FORMAT_CHAR || cp == 0x115F || cp == 0x1160 ||
	       cp == 0x3164 || cp == 0xFFA0;
}

bool nise_text_is_kana(uint32_t cp)
{
	return (cp >= 0x3041 && cp <= 0x309F) || (cp >= 0x30A0 && cp <= 0x30FF);
}
