/* SPDX-License-Identifier: MIT */
/*
 * detect.h — the detection stage: data (brands, lexicons, TLD weights)
 * loaded once per engine, and the checks run on each scanned message.
 */
#ifndef NISE_CHECKS_DETECT_H
#define NISE_CHECKS_DETECT_H

#include <stddef.h>

#include "nise/nise.h"

struct nise_detect;
struct nise_urlctx;

/* Loads data files from opts->data_dir (NULL: the compiled-in default
 * path) and the learned model (opts->model_path, else data_dir/model.bin
 * when that file exists; none with opts->no_model). opts may be NULL.
 * Returns NISE_EIO / NISE_EPARSE with a one-line diag naming file and line. */
nise_rc nise_detect_new(struct nise_detect **out, const struct nise_engine_opts *opts, char *diag,
                        size_t dn);
const char *nise_detect_model_meta(const struct nise_detect *d);
void nise_detect_free(struct nise_detect *d);

/* Runs every check on r->msg and fills r->findings, r->score, r->verdict,
 * r->brand. d may be NULL (no checks: verdict clean). */
void nise_detect_run(const struct nise_detect *d, const struct nise_urlctx *u,
                     struct nise_result *r);

/* Attaches the store the intel checks read (check_intel.c); NULL: none. */
struct nise_store;
void nise_detect_set_store(struct nise_detect *d, struct nise_store *s);

#endif
