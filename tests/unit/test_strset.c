/* SPDX-License-Identifier: MIT */
/*
 * test_strset.c — src/lib/core/strset.c: keys copied into the set's blocks
 * (short ones packed, a long one in a block of its own), replaced values,
 * growth, spans that are not NUL-terminated, a span holding a NUL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strset.h"
#include "t.h"

int main(void)
{
	struct nise_strset s = {0};
	int v = -1;
	T_CHECK(!nise_strset_get(&s, "x", 1, &v), "empty set");

	/* 20,000 keys: several blocks and several growths */
	char k[32];
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(k, sizeof(k), "host%d.example", i);
		T_CHECK(nise_strset_put(&s, k, (size_t)n, i), "put %s", k);
	}
	T_INT((int)s.n, 20000);
	int found = 0;
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(k, sizeof(k), "host%d.example", i);
		found += nise_strset_get(&s, k, (size_t)n, &v) && v == i;
	}
	T_INT(found, 20000);

	/* the copy is the set's: the caller's buffer may change */
	char buf[] = "paypal.com and more";
	T_CHECK(nise_strset_put(&s, buf, 10, 7), "put a span");
	memset(buf, 'x', sizeof(buf) - 1);
	T_CHECK(nise_strset_get(&s, "paypal.com", 10, &v) && v == 7, "span copied");
	T_CHECK(!nise_strset_get(&s, "paypal.co", 9, NULL), "a prefix is another key");
	T_CHECK(!nise_strset_get(&s, "paypal.com ", 11, NULL), "a longer span is another key");

	/* replacing keeps one key */
	T_CHECK(nise_strset_put(&s, "paypal.com", 10, 8), "replace");
	T_CHECK(nise_strset_get(&s, "paypal.com", 10, &v) && v == 8, "replaced value");
	T_INT((int)s.n, 20001);

	/* a key is what its copy holds: up to a NUL */
	T_CHECK(nise_strset_put(&s, "abc\0def", 7, 3), "put with a NUL");
	T_CHECK(nise_strset_get(&s, "abc", 3, &v) && v == 3, "stored up to the NUL");
	T_CHECK(!nise_strset_get(&s, "abc\0def", 7, NULL), "a span holding a NUL never matches");

	/* long keys, between short ones: each its own block, the open one stays */
	for (size_t len = 4000; len <= 40000; len += 9000) {
		char *big = malloc(len);
		T_CHECK(big != NULL, "malloc");
		memset(big, 'a' + (int)(len % 26), len);
		T_CHECK(nise_strset_put(&s, big, len, (int)len), "put %zu bytes", len);
		T_CHECK(nise_strset_put(&s, "short-after-long", 16, 1), "short after long");
		T_CHECK(nise_strset_get(&s, big, len, &v) && v == (int)len, "get %zu bytes", len);
		free(big);
	}
	T_CHECK(nise_strset_get(&s, "short-after-long", 16, &v) && v == 1, "short key kept");
	found = 0;
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(k, sizeof(k), "host%d.example", i);
		found += nise_strset_get(&s, k, (size_t)n, &v) && v == i;
	}
	T_INT(found, 20000);
	T_CHECK(nise_strset_put(&s, "", 0, 5) && nise_strset_get(&s, "", 0, &v) && v == 5, "the empty key");

	nise_strset_fini(&s);
	T_INT((int)s.n, 0);
	T_CHECK(!nise_strset_get(&s, "paypal.com", 10, NULL), "empty after fini");
	T_DONE("strset");
}
