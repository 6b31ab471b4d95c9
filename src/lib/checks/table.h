/* SPDX-License-Identifier: MIT */
/*
 * table.h — the check table (table.c) and the explanation formatter.
 */
#ifndef NISE_CHECKS_TABLE_H
#define NISE_CHECKS_TABLE_H

#include <stddef.h>

#include "core/arena.h"

struct nise_check {
	const char *id;
	double weight;
	const char *purpose;
	const char *explain; /* English message id, %N$s arguments */
};

extern const struct nise_check nise_checks[];
extern const size_t nise_ncheck;

const struct nise_check *nise_check_find(const char *id);

/* Expands %1$s..%9$s and %% in tmpl; anything else is copied. */
const char *nise_format(struct nise_arena *a, const char *tmpl, const char *const *args,
                        size_t nargs);

#endif
