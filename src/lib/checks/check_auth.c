/* SPDX-License-Identifier: MIT */
/*
 * check_auth.c — what the receiving server's Authentication-Results say
 * (RFC 8601), read in detect.c: a brand's own domain that passed DMARC or
 * aligned DKIM is strong evidence the mail is genuine; a brand's domain
 * that failed is strong evidence of spoofing.
 *
 * Mailing lists modify messages and break DKIM, so a failure on a message
 * with a List-Id counts for little (the list, not a forger, is the usual
 * cause).
 */
#include <string.h>

#include "checks/check.h"

static const char *auth_desc(struct nise_ctx *c)
{
	const struct nise_auth_result *r = c->auth_evidence;
	if (!r)
		return "";
	return nise_arena_printf(c->a, "%s=%s by %s", r->method, r->result,
	                         r->authserv_id ? r->authserv_id : "?");
}

void check_auth(struct nise_ctx *c)
{
	if (!c->from_domain)
		return;
	const char *desc = auth_desc(c);
	if (c->from_brand >= 0 && c->from_authenticated && !c->from_freemail) {
		const char *args[] = {c->d->brands[c->from_brand].name, c->from_domain, desc};
		nise_ctx_finding(c, "BRAND_AUTHENTICATED", 1.0, desc, args, 3);
		return;
	}
	if (!c->from_auth_failed)
		return;
	double list_factor = c->bulk ? 0.25 : 1.0;
	if (c->from_brand >= 0) {
		const char *args[] = {c->d->brands[c->from_brand].name, desc};
		nise_ctx_finding(c, "AUTH_BRAND_FAIL", list_factor, desc, args, 2);
	} else {
		const char *args[] = {c->from_domain, desc};
		nise_ctx_finding(c, "AUTH_DMARC_FAIL", list_factor, desc, args, 2);
	}
}
