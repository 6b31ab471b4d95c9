/* SPDX-License-Identifier: MIT */
/*
 * bundle.h — nise's signed data bundle (bundle.c: the container, no
 * cryptography; sign.c: Ed25519 through libsodium).
 *
 * The container (docs/update.md):
 *
 *   nise-bundle 1\n
 *   created <Unix seconds>\n
 *   file <name> <size>\n<size bytes>\n        (repeated, names ascending)
 *   end\n
 *   sig <128 hex digits>\n
 *
 * The signature is Ed25519 over every byte before "sig ". A reader checks
 * it before it parses anything else: nise_bundle_split finds the trailer,
 * the caller verifies, and only then nise_bundle_parse walks the files.
 * Names are [A-Za-z0-9._-], 1-64 bytes, not starting with '.'; at most
 * NISE_BUNDLE_MAX_FILES files; names must ascend strictly (no duplicates).
 */
#ifndef NISE_CLI_BUNDLE_H
#define NISE_CLI_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NISE_BUNDLE_MAX_FILES 64
#define NISE_BUNDLE_SIG_BYTES 64
#define NISE_BUNDLE_PK_BYTES 32
#define NISE_BUNDLE_SK_BYTES 64

/* Finds the trailer: *signed_n is the number of leading bytes the
 * signature covers, sig the decoded signature. False, with a reason in
 * why, when the trailer is missing or malformed (a truncated download). */
bool nise_bundle_split(const char *buf, size_t n, size_t *signed_n, unsigned char sig[64], char *why,
                       size_t wn);

/* Called per file; the name is NUL-terminated, data is not. Returns false
 * to stop (nise_bundle_parse then returns false with why = "stopped"). */
typedef bool (*nise_bundle_file_fn)(void *ctx, const char *name, const char *data, size_t n);

/* Walks the signed part buf[0..n): header, files, "end". *created gets the
 * creation time. False with a reason in why on any malformation. */
bool nise_bundle_parse(const char *buf, size_t n, int64_t *created, nise_bundle_file_fn fn, void *ctx,
                       char *why, size_t wn);

/* A valid bundle file name? */
bool nise_bundle_name_ok(const char *name);

/* Hex of n bytes into out (2n + 1); parse hex of exactly 2n digits. */
void nise_hex(char *out, const unsigned char *b, size_t n);
bool nise_unhex(unsigned char *out, size_t n, const char *s, size_t sn);

/* sign.c (libsodium). */
bool nise_ed25519_keypair(unsigned char pk[32], unsigned char sk[64]);
void nise_ed25519_sign(unsigned char sig[64], const char *msg, size_t n, const unsigned char sk[64]);
bool nise_ed25519_verify(const unsigned char sig[64], const char *msg, size_t n, const unsigned char pk[32]);

#endif
