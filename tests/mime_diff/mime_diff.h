/* SPDX-License-Identifier: MIT */
/* mime_diff.h — the GMime oracle's entry points (gmime_oracle.c). */
#ifndef NISE_TESTS_MIME_DIFF_H
#define NISE_TESTS_MIME_DIFF_H

#include "nise/nise.h"
#include "core/arena.h"

void nise_gmime_init(void);
nise_rc nise_mime_parse_gmime(struct nise_message *msg, struct nise_arena *a,
                              const struct nise_limits *lim, const char *buf, size_t n,
                              struct nise_vec *anomalies);

#endif
