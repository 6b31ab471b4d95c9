/* SPDX-License-Identifier: MIT */
/*
 * mime.h — the message model from raw bytes (internal API of nise's MIME
 * reader, src/lib/mime/message.c; no MIME library is linked: GMime is
 * only the test oracle in tests/mime_diff).
 */
#ifndef NISE_MIME_MIME_H
#define NISE_MIME_MIME_H

#include <stddef.h>

#include "nise/nise.h"
#include "core/arena.h"

/* Kept for callers; the reader needs no global set-up. */
void nise_mime_global_init(void);

/* Fills msg from buf[0..n): headers, addresses, trace, authentication
 * results, and the MIME tree's leaf parts with decoded UTF-8 text.
 * Links, HTML and text extraction happen later (scan.c). Anomalies are
 * appended to `anomalies` (struct nise_anomaly). Returns NISE_ENOMEM only
 * when the arena is exhausted; malformed mail is never an error. */
nise_rc nise_mime_parse(struct nise_message *msg, struct nise_arena *a,
                        const struct nise_limits *lim, const char *buf, size_t n,
                        struct nise_vec *anomalies);

/* Magic-byte type of a blob ("application/pdf", ...), or NULL. */
const char *nise_sniff_type(const unsigned char *p, size_t n);
/* input.c: the length of buf's leading blank lines (not the last line). */
size_t nise_input_skip_blank(const char *buf, size_t n);

#endif
