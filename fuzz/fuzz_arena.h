/* SPDX-License-Identifier: MIT */
/*
 * fuzz_arena.h — the arena a fuzz target works in: one normal arena kept
 * for the whole run and reset before each input (as nise serve does
 * between requests), with cap as the input's limit.
 *
 * Under ASan a normal arena poisons its chunks and leaves a poisoned
 * redzone after every object (src/lib/core/arena.c), so an overflow from
 * one object into the next, or a use of memory from an earlier input, is
 * reported as it would be with one malloc per object — without a malloc,
 * a 0xbe fill and fresh quarantined pages for each of them: the parser
 * targets spent more time in ASan's allocator and page faults than in
 * nise (bench/PROFILE.md). Debug arenas stay covered by the unit tests'
 * ASan build.
 */
#ifndef NISE_FUZZ_ARENA_H
#define NISE_FUZZ_ARENA_H

#include <stddef.h>

#include "core/arena.h"

static inline struct nise_arena *fuzz_arena(size_t cap)
{
	static struct nise_arena *a;
	if (!a)
		a = nise_arena_new(cap, false);
	else
		nise_arena_reset(a, cap);
	return a;
}

#endif
