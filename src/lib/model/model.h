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

/* Feature namespaces (their names: nise_feat_name). Renumbering them
 * changes every index: bump NISE_FEATURE_VERSION. */
enum {
	NS_WORD, NS_BIGRAM, NS_SUBJ_WORD, NS_SUBJ_BIGRAM, NS_LINK_DOMAIN, NS_LINK_TLD,
	NS_LINK_PATH, NS_LINK_KIND, NS_LINKS, NS_FROM_DOMAIN, NS_FROM_TLD, NS_BRAND,
	NS_CLAIM, NS_PART, NS_ATTACH, NS_FORM, NS_CHECK, NS_SENDER,
};

/* The index of token s[0..n) in namespace ns. */
uint32_t nise_feat_index(unsigned ns, const char *s, size_t n);

/* One feature occurrence: its index and, for explanations, where its
 * token came from (not copied; valid while the message arena lives). */
struct nise_feat {
	const char *tok;
	uint32_t idx;
	uint16_t len;
	uint8_t ns;        /* namespace (NS_*) */
};

struct nise_featvec {
	struct nise_feat *v;
	size_t n;
	double value;      /* the value of every present feature */
};

/* Extracts the features of the message in c into out (arena memory).
 * Never fails: on arena exhaustion the vector is shorter. */
void nise_features_extract(struct nise_ctx *c, struct nise_featvec *out);

/* Human name of a feature for explanations ("link domain: x.icu"), in
 * English and in Japanese (リンク先のドメイン「x.icu」). */
const char *nise_feat_name(struct nise_arena *a, const struct nise_feat *f);
const char *nise_feat_name_ja(struct nise_arena *a, const struct nise_feat *f);

/* Loads a model file by mmap. NISE_EIO: cannot open/map; NISE_EPARSE:
 * not a model, wrong version or feature space (diag says which). */
nise_rc nise_model_load(struct nise_model **out, const char *path, char *diag, size_t dn);
void nise_model_free(struct nise_model *m);

/* Raw margin: bias + w·x. */
double nise_model_margin(const struct nise_model *m, const struct nise_featvec *x);
/* Calibrated probability of phishing for a margin (Platt scaling). */
double nise_model_prob(const struct nise_model *m, double margin);
float nise_model_weight(const struct nise_model *m, uint32_t idx);
const char *nise_model_meta(const struct nise_model *m);

#endif
