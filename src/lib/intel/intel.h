/* SPDX-License-Identifier: MIT */
/*
 * intel.h — threat intelligence inside libnise (internal): the pieces
 * check_intel.c and the benchmarks use beyond the public API.
 */
#ifndef NISE_INTEL_INTEL_H
#define NISE_INTEL_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nise/nise.h"
#include "core/arena.h"

struct nise_textctx;

/* Fingerprint (simhash, fingerprint.c) of a message's normalised text and
 * structure; 0 when it has too little text to fingerprint. */
uint64_t nise_fp_message(const struct nise_textctx *t, struct nise_arena *a,
                         const struct nise_message *m);

/* Closest campaign within the threshold for fingerprint fp (campaign.c). */
nise_rc nise_campaign_find(struct nise_campaign *out, struct nise_store *s, uint64_t fp);
/* Adds a campaign copy with fingerprint fp and the given facts; joins the
 * closest campaign or starts one (what nise_intel_record does after
 * judging). date "YYYY-MM-DD". */
nise_rc nise_campaign_add(struct nise_campaign *out, struct nise_store *s, uint64_t fp,
                          const char *date, const char *brand, const char *subject,
                          const char *sender, const char *const *links, size_t nlinks);

/* Records r's mail as a campaign copy whatever its verdict (the
 * operator said it is phishing: nise_learn). */
nise_rc nise_campaign_record_mail(struct nise_campaign *out, bool *recorded, struct nise_store *s,
                                  const struct nise_engine *e, const struct nise_result *r);
nise_rc nise_campaign_delete(struct nise_store *s, uint64_t id);
/* Band index entries under a key prefix (pn <= 5 bytes; "" for
 * campaigns, "A" for fingerprints reported genuine): add the member
 * (id, fp); find the closest member within NISE_FP_THRESHOLD bits. */
nise_rc nise_fp_bands_add(struct nise_store *s, const char *prefix, size_t pn, uint64_t id,
                          uint64_t fp);
nise_rc nise_fp_bands_find(struct nise_store *s, const char *prefix, size_t pn, uint64_t fp,
                           uint64_t *id, uint64_t *member_fp, unsigned *dist);
/* Is there any list entry (lists.c)? One cheap count: a scan skips every
 * list lookup when there is none. */
bool nise_list_any(struct nise_store *s);
/* The allow entry for a fingerprint within the campaign threshold of fp. */
nise_rc nise_list_find_genuine(struct nise_list_entry *out, struct nise_store *s, uint64_t fp,
                               unsigned *dist);
/* "YYYY-MM-DDTHH:MM:SSZ" now. */
void nise_list_now(char out[21]);

/* Fingerprints at most NISE_FP_THRESHOLD bits apart are one campaign;
 * the band index finds every one up to NISE_FP_GUARANTEED bits apart and
 * most beyond (docs/intel.md has the measurements behind both). */
#define NISE_FP_THRESHOLD 10
#define NISE_FP_GUARANTEED 7

#endif
