/* SPDX-License-Identifier: MIT */
/*
 * sign.c — Ed25519 for the data bundle: the only user of libsodium
 * (crypto_sign_*: RFC 8032 Ed25519, detached signatures).
 */
#include "bundle.h"

#include <sodium.h>

static bool ready(void)
{
	return sodium_init() >= 0; /* idempotent, thread-safe */
}

bool nise_ed25519_keypair(unsigned char pk[32], unsigned char sk[64])
{
	return ready() && crypto_sign_keypair(pk, sk) == 0;
}

void nise_ed25519_sign(unsigned char sig[64], const char *msg, size_t n, const unsigned char sk[64])
{
	if (ready())
		crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, sk);
}

bool nise_ed25519_verify(const unsigned char sig[64], const char *msg, size_t n, const unsigned char pk[32])
{
	return ready() && crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, pk) == 0;
}
