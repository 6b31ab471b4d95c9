/* SPDX-License-Identifier: MIT */
/* Arena: caps, vectors, buffers, destructors — in both modes. */
#include <string.h>

#include "core/arena.h"
#include "t.h"

static int dtor_calls;
static void dtor(void *p)
{
	(void)p;
	dtor_calls++;
}

int main(void)
{
	for (int debug = 0; debug < 2; debug++) {
		struct nise_arena *a = nise_arena_new(1000, debug);
		char *s = nise_arena_strdup(a, "hello");
		T_STR(s, "hello");
		T_CHECK(nise_arena_alloc(a, 2000) == NULL, "cap refuses a too-large block");
		T_CHECK(nise_arena_exhausted(a), "exhausted after refusal");
		T_CHECK(nise_arena_alloc(a, 1) == NULL, "stays exhausted");
		nise_arena_free(a);

		a = nise_arena_new(0, debug);
		struct nise_vec v = {0};
		for (int i = 0; i < 1000; i++) {
			int *p = nise_vec_push(a, &v, sizeof(int));
			*p = i;
		}
		T_INT(v.n, 1000);
		T_INT(((int *)v.items)[999], 999);
		struct nise_buf b;
		nise_buf_init(&b, a, 8);
		nise_buf_append(&b, "abcdef", 6);
		nise_buf_append(&b, "\xe3\x81\x82\xe3\x81\x84", 6); /* あい: cut at a character boundary */
		T_STR(nise_buf_cstr(&b), "abcdef");
		T_CHECK(b.truncated, "truncated flag");
		nise_buf_init(&b, a, 0);
		nise_buf_put_utf8(&b, 0x3042);
		nise_buf_put_utf8(&b, 0x1F600);
		nise_buf_put_utf8(&b, 0xD800);
		T_STR(nise_buf_cstr(&b), "あ\xf0\x9f\x98\x80\xef\xbf\xbd");
		T_STR(nise_arena_printf(a, "%d-%s", 42, "x"), "42-x");
		dtor_calls = 0;
		nise_arena_defer(a, dtor, NULL);
		nise_arena_defer(a, dtor, NULL);
		void *big = nise_arena_alloc(a, 1 << 20);
		T_CHECK(big != NULL, "large block");
		nise_arena_free(a);
		T_INT(dtor_calls, 2);
	}
	/* reset: destructors run, memory is reused, the new cap applies */
	for (int debug = 0; debug < 2; debug++) {
		struct nise_arena *a = nise_arena_new(0, debug);
		dtor_calls = 0;
		nise_arena_defer(a, dtor, NULL);
		char *s = nise_arena_strdup(a, "first message");
		T_CHECK(s != NULL, "allocation before reset");
		T_CHECK(nise_arena_alloc(a, 300000) != NULL, "big block before reset");
		nise_arena_reset(a, 1000);
		T_INT(dtor_calls, 1);
		T_INT((long)nise_arena_used(a), 0);
		T_CHECK(!nise_arena_exhausted(a), "not exhausted after reset");
		T_STR(nise_arena_strdup(a, "second"), "second");
		T_CHECK(nise_arena_alloc(a, 2000) == NULL, "the new cap applies");
		nise_arena_reset(a, 0);
		T_CHECK(nise_arena_alloc(a, 2000) != NULL, "no cap after reset(0)");
		T_INT(nise_arena_is_debug(a), debug);
		nise_arena_free(a);
		T_INT(dtor_calls, 1);
	}
	T_DONE("arena");
}
