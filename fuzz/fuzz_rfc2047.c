/* SPDX-License-Identifier: MIT */
/* Fuzz target: header decoding, address lists, Authentication-Results. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_arena.h"
#include "mime/address.h"
#include "mime/authres.h"
#include "mime/rfc2047.h"
#include "nise/nise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nise_arena *a = fuzz_arena((size_t)64 << 20);
	if (!a)
		return 0;
	const char *s = (const char *)data;
	unsigned flags = 0;
	nise_rfc2047_decode_dup(a, s, size, 16384, &flags);
	struct nise_address *addr = NULL;
	nise_address_parse(&addr, a, s, size, 64);
	struct nise_vec v = {0};
	nise_authres_parse(&v, a, s, size);
	struct nise_received rv;
	nise_received_parse(&rv, a, s, size);
	char id[256];
	nise_authres_authserv_id(id, sizeof(id), s, size);
	return 0;
}
