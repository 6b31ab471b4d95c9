/* SPDX-License-Identifier: MIT */
/*
 * decode.h — transfer decoding streamed to a sink (decode.c).
 */
#ifndef NISE_MIME_DECODE_H
#define NISE_MIME_DECODE_H

#include <nettle/sha2.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

enum nise_cte {
	NISE_CTE_IDENTITY = 0, /* 7bit, 8bit, binary, absent or unknown */
	NISE_CTE_BASE64,
	NISE_CTE_QP,
	NISE_CTE_UUENCODE,
};

/* Where decoded bytes go: the first `keep` into buf (may be NULL, created
 * with no maximum), all of them into md (may be NULL); total counts them. */
struct nise_sink {
	struct nise_buf *buf;
	size_t keep;
	struct sha256_ctx *md;
	size_t total;
	bool oom;
	size_t cn;
	unsigned char chunk[4096];
};

enum nise_cte nise_cte_parse(const char *v, size_t n);
void nise_cte_decode(struct nise_sink *s, enum nise_cte cte, const char *p, size_t n);
void nise_sink_write(struct nise_sink *s, const char *p, size_t n);

#endif
