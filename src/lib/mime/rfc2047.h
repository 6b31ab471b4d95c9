/* SPDX-License-Identifier: MIT */
/*
 * rfc2047.h — header value decoding: unfolding, RFC 2047 encoded-words,
 * raw 8-bit text in any charset, to UTF-8.
 */
#ifndef NISE_MIME_RFC2047_H
#define NISE_MIME_RFC2047_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

enum {
	NISE_HDR_BAD_ENCODING = 1u << 0, /* invalid base64 / QP inside an encoded-word */
	NISE_HDR_UNKNOWN_CHARSET = 1u << 1,
	NISE_HDR_RAW_8BIT = 1u << 2,     /* unencoded 8-bit bytes (charset guessed) */
	NISE_HDR_CHARSET_GUESSED = 1u << 3,
};

/* Appends the decoded, unfolded UTF-8 value of raw[0..n) to out. Control
 * characters (CR, LF, TAB, ...) become single spaces; leading and trailing
 * whitespace is trimmed. *flags (may be NULL) gets NISE_HDR_* bits.
 * Returns false only on arena exhaustion. */
bool nise_rfc2047_decode(struct nise_buf *out, const char *raw, size_t n, unsigned *flags);

/* Convenience: decoded copy in the arena ("" for empty input). */
const char *nise_rfc2047_decode_dup(struct nise_arena *a, const char *raw, size_t n,
                                    size_t max, unsigned *flags);

#endif
