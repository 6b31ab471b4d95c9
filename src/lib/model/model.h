/* SPDX-License-Identifier: MIT */
/*
 * model.h — the learned model (internal): hashed features of a message
 * and a linear model over them, loaded by mmap.
 *
 * Feature space: 2^NISE_FEATURE_BITS dimensions; a feature is the FNV-1a
 * hash of its namespace and token ("w" + "verify", "d" + "example.icu").
 * Every feature present has the same value, 1/sqrt(number of features),
 * so long and short mails weigh alike. The extractor's behaviour has a
 * version (NISE_FEATURE_VERSION) written into every model file: a model
 * trained on other features is refused, never silently misread.
 *
 * The model file (little-endian, see model.c) is read-only once loaded
 * and shared by all threads; scoring allocates only in the message arena.
 */
#ifndef NISE_MODEL_MODEL_H
#define NISE_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nise/nise.h"
#include "core/arena.h"

#define NISE_FEATURE_BITS 18u
#define NISE_FEATURE_VERSION 1u

struct nise_ctx;
struct nise_model;

/* One feature occurrence: its index and, for explanations, where its
 * token came from (not copied; valid while the message arena lives). */
struct nise_feat {
	uint32_t idx;
	uint8_t ns;        /* namespace, index into nise_feat_ns_names */
	uint16_t len;
	const char *tok;
};

struct nise_featvec {
	struct nise_feat *v;
	size_t n;
	double value;      /* the value of every present feature */
};

/* Extracts the features of the message in c into out (arena memory).
 * Never fails: on arena exhaustion the vector is shorter. */
void nise_features_extract(struct nise_ctx *c, struct nise_featvec *out);

/* Human name of a feature for explanations ("link domain: x.icu"). */
const char *nise_feat_name(struct nise_arena *a, const struct nise_feat *f);

/* Loads a model file by mmap. NISE_EIO: cannot open/map; NISE_EPARSE:
 * not a model, wrong version or feature space (diag says which). */
nise_rc nise_model_load(struct nise_model **out, const char *path, char *diag, size_t dn);
void nise_model_free(struct nise_model *m);

/* Raw margin (bias + w·x) and its per-feature contributions' top k by
 * absolute value (top may be NULL). */
double nise_model_margin(const struct nise_model *m, const struct nise_featvec *x);
/* Calibrated probability of phishing for a margin (Platt scaling). */
double nise_model_prob(const struct nise_model *m, double margin);
float nise_model_weight(const struct nise_model *m, uint32_t idx);
const char *nise_model_meta(const struct nise_model *m);

#endif
