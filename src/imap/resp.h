/* SPDX-License-Identifier: MIT */
/*
 * resp.h — reading IMAP server responses (RFC 9051 / 3501), only as far
 * as nise imap needs: one line at a time, no recursion, nothing nested is
 * built. Every function takes a line without its CRLF and its length,
 * never reads past it, and is fuzzed by fuzz/fuzz_imap.c.
 */
#ifndef NISE_IMAP_RESP_H
#define NISE_IMAP_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A line ending in a literal "{N}" or "{N+}": N in *len (at most 2^40). */
bool imap_literal_len(const char *line, size_t n, uint64_t *len);

/* The number after "[CODE " (UIDVALIDITY, UIDNEXT, ...) anywhere in the line. */
bool imap_resp_code(const char *line, size_t n, const char *code, uint64_t *out);

/* "* N EXISTS": N. */
bool imap_exists(const char *line, size_t n, uint64_t *out);

/* "* N FETCH (... UID U ...": U (the first "UID " token inside the parens). */
bool imap_fetch_uid(const char *line, size_t n, uint64_t *out);

/* The capability atom cap (case-insensitive) in a "* CAPABILITY" line or an
 * "[CAPABILITY ...]" response code. */
bool imap_has_cap(const char *line, size_t n, const char *cap);

/* The tagged status of line for tag: 'O' (OK), 'N' (NO), 'B' (BAD), or 0
 * when the line is not tagged with tag. */
char imap_tagged(const char *line, size_t n, const char *tag);

/* A mailbox name as an IMAP quoted string into out (cap bytes); false when
 * it does not fit or has a CR, LF or NUL (not expressible quoted). */
bool imap_quote(char *out, size_t cap, const char *s);

#endif
