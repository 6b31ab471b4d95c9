/* SPDX-License-Identifier: MIT */
/*
 * charset.h — bytes in any charset mail uses, to UTF-8.
 *
 * Labels are mapped to the superset browsers and mail readers really use
 * (Shift_JIS → CP932, GB2312 → GB18030, ISO-8859-1 → windows-1252, ...).
 * When the label is missing, unknown, or the bytes do not decode under it,
 * the charset is guessed from the bytes (see charset.c for the rule).
 */
#ifndef NISE_TEXT_CHARSET_H
#define NISE_TEXT_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* Appends the UTF-8 form of in[0..n) to out. declared may be NULL.
 * Returns the canonical name of the charset used (static string);
 * *guessed is set when that is not the declared one. Undecodable bytes
 * become U+FFFD. Never fails except on arena exhaustion (returns NULL). */
const char *nise_charset_to_utf8(struct nise_buf *out, const char *in, size_t n,
                                 const char *declared, bool *guessed);

/* in[0..n) converted under one charset (an iconv name, as the labels map
 * to: "CP1252", "ISO-2022-JP-3", ...) and appended to out as UTF-8, each
 * undecodable byte as U+FFFD. Returns how many there were; -1 for an
 * unknown charset or arena exhaustion. Single-byte charsets go through a
 * table made from iconv (charset.c), the others through iconv. */
long nise_charset_convert(struct nise_buf *out, const char *in, size_t n, const char *cs);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool nise_utf8_valid(const char *s, size_t n);

/* Appends s with every ill-formed sequence replaced by U+FFFD. */
bool nise_utf8_sanitize(struct nise_buf *out, const char *s, size_t n);

/* The length of the leading run of ASCII bytes (< 0x80) of s[0..n): eight
 * bytes at a time, so the loops that only care about non-ASCII characters
 * (validation, control characters, 8-bit detection) skip plain text in a
 * few instructions per word instead of a decode per byte. */
size_t nise_ascii_span(const char *s, size_t n);

/* Decodes one code point at s (n > 0); *len gets its byte length (>= 1).
 * Returns 0xFFFD for ill-formed input. ASCII is decoded inline (most
 * bytes of most mail), the rest by nise_utf8_decode_mb. */
unsigned nise_utf8_decode_mb(const char *s, size_t n, size_t *len);
static inline unsigned nise_utf8_decode(const char *s, size_t n, size_t *len)
{
	if ((unsigned char)s[0] < 0x80) {
		*len = 1;
		return (unsigned char)s[0];
	}
	return nise_utf8_decode_mb(s, n, len);
}

#endif
