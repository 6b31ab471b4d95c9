/* SPDX-License-Identifier: MIT */
/*
 * controls.c — format characters that reorder or hide text (docs/checks/
 * BIDI_CONTROL.md, INVISIBLE_CONTROL.md): found by check_text.c, and
 * shown as a visible mark "⟨U+202E⟩" wherever nise prints what the mail
 * wrote (nise_result_visible; the safe view, view.c), so a right-to-left
 * override can never reorder what a reader is shown (attack row 7).
 *
 * Zero-width spaces and joiners (U+200B–U+200D, U+FEFF) are left to
 * INVISIBLE_CHARACTERS: they do not reorder, and newsletters pad with them.
 */
#include "text/text.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "text/charset.h"

int nise_control_kind(uint32_t cp)
{
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	    cp == 0x200F || cp == 0x061C)
		return NISE_CONTROL_BIDI;
	if ((cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xE0000 && cp <= 0xE007F) || cp == 0x180E ||
	    (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0)
		return NISE_CONTROL_INVISIBLE;
	return 0;
}

const char *nise_control_name(uint32_t cp)
{
	switch (cp) {
	case 0x202A: return "LEFT-TO-RIGHT EMBEDDING";
	case 0x202B: return "RIGHT-TO-LEFT EMBEDDING";
	case 0x202C: return "POP DIRECTIONAL FORMATTING";
	case 0x202D: return "LEFT-TO-RIGHT OVERRIDE";
	case 0x202E: return "RIGHT-TO-LEFT OVERRIDE";
	case 0x2066: return "LEFT-TO-RIGHT ISOLATE";
	case 0x2067: return "RIGHT-TO-LEFT ISOLATE";
	case 0x2068: return "FIRST STRONG ISOLATE";
	case 0x2069: return "POP DIRECTIONAL ISOLATE";
	case 0x200E: return "LEFT-TO-RIGHT MARK";
	case 0x200F: return "RIGHT-TO-LEFT MARK";
	case 0x061C: return "ARABIC LETTER MARK";
	case 0x2060: return "WORD JOINER";
	case 0x2061: return "FUNCTION APPLICATION";
	case 0x2062: return "INVISIBLE TIMES";
	case 0x2063: return "INVISIBLE SEPARATOR";
	case 0x2064: return "INVISIBLE PLUS";
	case 0x180E: return "MONGOLIAN VOWEL SEPARATOR";
	case 0x115F: return "HANGUL CHOSEONG FILLER";
	case 0x1160: return "HANGUL JUNGSEONG FILLER";
	case 0x3164: return "HANGUL FILLER";
	case 0xFFA0: return "HALFWIDTH HANGUL FILLER";
	}
	if (cp >= 0xFFF9 && cp <= 0xFFFB)
		return "INTERLINEAR ANNOTATION";
	if (cp >= 0xE0000 && cp <= 0xE007F)
		return "TAG";
	return "FORMAT CONTROL";
}

size_t nise_control_mark(char *out, size_t n, uint32_t cp)
{
	int k = snprintf(out, n, "\xe2\x9f\xa8U+%04X\xe2\x9f\xa9", (unsigned)cp); /* ⟨U+202E⟩ */
	return k < 0 || (size_t)k >= n ? 0 : (size_t)k;
}

const char *nise_show_controls(struct nise_arena *a, const char *s, size_t n)
{
	if (!s)
		return s;
	size_t i = 0;
	for (; i < n;) {
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		if (nise_control_kind(cp))
			break;
		i += len ? len : 1;
	}
	if (i >= n)
		return s;
	struct nise_buf b;
	nise_buf_init(&b, a, n * 4 + 16);
	nise_buf_append(&b, s, i);
	while (i < n) {
		size_t len;
		uint32_t cp = nise_utf8_decode(s + i, n - i, &len);
		if (!len)
			len = 1;
		if (nise_control_kind(cp)) {
			char mark[32];
			size_t k = nise_control_mark(mark, sizeof(mark), cp);
			nise_buf_append(&b, mark, k);
		} else {
			nise_buf_append(&b, s + i, len);
		}
		i += len;
	}
	const char *r = nise_buf_cstr(&b);
	return r ? r : "";
}

const char *nise_result_visible(const struct nise_result *r, const char *s)
{
	return s ? nise_show_controls(r->arena, s, strlen(s)) : s;
}
