/* SPDX-License-Identifier: MIT */
/*
 * address.h — RFC 5322 §3.4 address lists, forgiving as mail readers are.
 */
#ifndef NISE_MIME_ADDRESS_H
#define NISE_MIME_ADDRESS_H

#include <stddef.h>

#include "nise/nise.h"
#include "core/arena.h"

/* Parses a raw (undecoded, possibly folded) address-list header value.
 * Display names are RFC 2047 decoded; domains lowercased. Groups are
 * flattened. Returns the number of addresses stored in *out (an arena
 * array), at most max; 0 when none. */
size_t nise_address_parse(struct nise_address **out, struct nise_arena *a, const char *raw,
                          size_t n, size_t max);

#endif
