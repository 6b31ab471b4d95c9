/* SPDX-License-Identifier: MIT */
/*
 * authres.h — Authentication-Results (RFC 8601) and Received parsing.
 */
#ifndef NISE_MIME_AUTHRES_H
#define NISE_MIME_AUTHRES_H

#include <stddef.h>

#include "nise/nise.h"
#include "core/arena.h"

/* Parses one Authentication-Results value (unfolded, raw) and appends one
 * nise_auth_result per resinfo to v (elements struct nise_auth_result).
 * Method and result are lowercased; comments are dropped. Returns false
 * only on arena exhaustion. A value with no resinfo ("none") adds nothing. */
bool nise_authres_parse(struct nise_vec *v, struct nise_arena *a, const char *val, size_t n);

/* Parses one Received value into *out (strings in the arena). */
bool nise_received_parse(struct nise_received *out, struct nise_arena *a, const char *val,
                         size_t n);

#endif
