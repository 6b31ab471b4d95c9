/* SPDX-License-Identifier: MIT */
/*
 * hash.h — FNV-1a, 64-bit: the one non-cryptographic hash the library's
 * tables and memos use (string sets, the public-suffix memo, the link
 * set of a scan, the learned mails' file names).
 */
#ifndef NISE_CORE_HASH_H
#define NISE_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NISE_FNV_OFFSET 1469598103934665603ULL

/* FNV-1a of p[0..n), continuing from h (NISE_FNV_OFFSET to start). */
static inline uint64_t nise_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

#endif
