/* SPDX-License-Identifier: MIT */
/*
 * text.h — Unicode work for the checks (the ICU adapter).
 *
 * Folding makes text comparable the way a reader perceives it: NFKC with
 * case folding (full-width ＡＭＡＺＯＮ = amazon, ㈱ = (株)), default-ignorable
 * characters removed (zero-width spaces and joiners, soft hyphens), runs
 * of whitespace collapsed, and spaces inserted between CJK characters or
 * between single letters ("ア カ ウ ン ト", "v e r i f y") removed.
 */
#ifndef NISE_TEXT_TEXT_H
#define NISE_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nise/nise.h"
#include "core/arena.h"

struct nise_textctx;

/* Format characters that reorder text (bidi embeddings, overrides,
 * isolates, marks) or hide it (word joiner, invisible operators, tags,
 * fillers) — controls.c. */
enum { NISE_CONTROL_BIDI = 1, NISE_CONTROL_INVISIBLE = 2 };
int nise_control_kind(uint32_t cp);          /* 0 when cp is neither */
const char *nise_control_name(uint32_t cp);  /* "RIGHT-TO-LEFT OVERRIDE" */
size_t nise_control_mark(char *out, size_t n, uint32_t cp); /* "⟨U+202E⟩", its length */
/* s with every such control replaced by its mark; s itself when none. */
const char *nise_show_controls(struct nise_arena *a, const char *s, size_t n);

nise_rc nise_textctx_new(struct nise_textctx **out);
void nise_textctx_free(struct nise_textctx *t);

/* Appends the folded form of s to out (see the file comment). When
 * nospace is true, all whitespace is dropped (for Japanese phrase
 * matching). Returns false on arena exhaustion. */
bool nise_text_fold(const struct nise_textctx *t, struct nise_buf *out, const char *s, size_t n,
                    bool nospace);

/* UTS #39 confusable skeleton of the folded s, in the arena; NULL on error. */
const char *nise_text_skeleton(const struct nise_textctx *t, struct nise_arena *a, const char *s,
                               size_t n);

enum {
	NISE_SCRIPT_LATIN = 1u << 0,
	NISE_SCRIPT_GREEK = 1u << 1,
	NISE_SCRIPT_CYRILLIC = 1u << 2,
	NISE_SCRIPT_HAN = 1u << 3,
	NISE_SCRIPT_KANA = 1u << 4,
	NISE_SCRIPT_HANGUL = 1u << 5,
	NISE_SCRIPT_MATH = 1u << 6,  /* Mathematical Alphanumeric Symbols */
	NISE_SCRIPT_OTHER = 1u << 7, /* any other non-common script */
	NISE_SCRIPT_FULLWIDTH = 1u << 8, /* full-width Latin letters */
};

/* RFC 3676 format=flowed text (in, n) reassembled into out (at least n
 * bytes; out == in is allowed): soft line breaks joined, space-stuffing
 * removed, with delsp the space before each soft break deleted (flowed.c).
 * Returns the output length, <= n. */
size_t nise_text_unflow(char *out, const char *in, size_t n, bool delsp);

/* Bitmask of the scripts of the letters in s (Common/Inherited ignored). */
unsigned nise_text_scripts(const char *s, size_t n);

/* Unicode name of cp ("GREEK SMALL LETTER OMICRON") into buf. */
const char *nise_text_char_name(uint32_t cp, char *buf, size_t n);
/* The letter ch (chlen bytes, code point cp) named in Japanese for an
 * explanation: "ο（ギリシャ文字の小文字オミクロン、U+03BF）"; letters of an
 * unknown script get the code point only (charname_ja.c). Writes buf. */
const char *nise_text_char_name_ja(uint32_t cp, const char *ch, size_t chlen, char *buf, size_t n);

/* True for a character that shows nothing between letters: zero-width
 * and format characters, soft hyphens, and non-spacing marks. */
bool nise_text_is_invisible(uint32_t cp);

/* True for a code point that is a letter in Hiragana/Katakana. */
bool nise_text_is_kana(uint32_t cp);

#endif
