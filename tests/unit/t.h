/* SPDX-License-Identifier: MIT */
/*
 * t.h — the smallest table-driven test harness that says what failed.
 * Each test binary ends with T_DONE(), which prints "NAME: N passed, N
 * failed" and returns non-zero on any failure.
 */
#ifndef NISE_T_H
#define NISE_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_CHECK(cond, ...)                                                 \
	do {                                                               \
		if (cond) {                                                \
			t_pass++;                                          \
		} else {                                                   \
			t_fail++;                                          \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

#define T_STR(got, want)                                                   \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		T_CHECK((g_ == NULL && w_ == NULL) ||                      \
		        (g_ && w_ && strcmp(g_, w_) == 0),                 \
		        "%s: got \"%s\", want \"%s\"", #got, g_ ? g_ : "(null)", \
		        w_ ? w_ : "(null)");                               \
	} while (0)

#define T_INT(got, want)                                                   \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		T_CHECK(g_ == w_, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

#define T_DONE(name)                                                       \
	do {                                                               \
		printf("%s: %d passed, %d failed\n", name, t_pass, t_fail); \
		return t_fail ? 1 : 0;                                     \
	} while (0)

#endif
