/* SPDX-License-Identifier: MIT */
/*
 * test_arena_poison.c — under AddressSanitizer a normal (non-debug) arena
 * keeps its objects apart with poisoned redzones and poisons what a reset
 * gives back (src/lib/core/arena.c): the message fuzz target relies on it.
 * Built only in sanitizer builds (tests/meson.build).
 */
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "core/arena.h"
#include "t.h"

int main(void)
{
	struct nise_arena *a = nise_arena_new(0, false);
	char *p = nise_arena_alloc(a, 10);
	char *q = nise_arena_alloc(a, 100);
	T_CHECK(p && q, "allocations");
	T_INT(__asan_address_is_poisoned(p), 0);
	T_INT(__asan_address_is_poisoned(p + 9), 0);
	T_INT(__asan_address_is_poisoned(p + 10), 1);  /* past the object */
	T_INT(__asan_address_is_poisoned(p + 16), 1);  /* the redzone */
	T_INT(__asan_address_is_poisoned(q - 1), 1);   /* just before the next */
	T_INT(__asan_address_is_poisoned(q + 99), 0);
	T_INT(__asan_address_is_poisoned(q + 100), 1);
	/* a buffer's growth keeps only the new block open */
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	for (int i = 0; i < 300; i++)
		T_CHECK(nise_buf_putc(&b, 'x'), "putc");
	T_INT(__asan_address_is_poisoned(b.p + b.cap - 1), 0);
	T_INT(__asan_address_is_poisoned(b.p + b.cap), 1);
	/* a big one-off block, then a reset: everything given back is poisoned */
	char *big = nise_arena_alloc(a, (size_t)200 * 1024);
	T_INT(__asan_address_is_poisoned(big + 200 * 1024 - 1), 0);
	T_INT(__asan_address_is_poisoned(big + 200 * 1024), 1);
	nise_arena_reset(a, 0);
	T_INT(__asan_address_is_poisoned(p), 1);
	T_INT(__asan_address_is_poisoned(q + 50), 1);
	/* the arena counts the same bytes as without ASan: limits unchanged */
	char *r = nise_arena_alloc(a, 10);
	T_CHECK(r != NULL, "allocation after reset");
	T_INT(nise_arena_used(a), 16);
	T_INT(__asan_address_is_poisoned(r + 9), 0);
	nise_arena_free(a);
	T_DONE("arena_poison");
}
