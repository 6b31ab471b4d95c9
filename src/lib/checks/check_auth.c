/* SPDX-License-Identifier: MIT */
/*
 * check_auth.c — what the receiving server's Authentication-Results say
 * (RFC 8601): a brand's own domain that passed DMARC or aligned DKIM is
 * strong evidence the mail is genuine; a brand's domain that failed is
 * strong evidence of spoofing.
 *
 * Whom to believe (docs/trust.md): anyone can write an
 * Authentication-Results field into a mail, so only the topmost field of
 * each authserv-id the engine was told to trust counts (the field that
 * server added when it received the mail; a lower one with the same id
 * was there before and may be the sender's). Within what counts, a fail
 * beats a pass. With nothing trusted, no result counts: they are shown as
 * "not verified by this server" and score nothing. ARC-Authentication-
 * Results are never read: nise does not verify ARC seals.
 *
 * Mailing lists modify messages and break DKIM, so a failure on a message
 * with a List-Id counts for little (the list, not a forger, is the usual
 * cause).
 */
#include <string.h>
#include <strings.h>

#include "checks/check.h"

static const char *auth_prop(const struct nise_auth_result *r, const char *property)
{
	for (size_t i = 0; i < r->nprops; i++)
		if (strcmp(r->props[i].property, property) == 0)
			return r->props[i].value;
	return NULL;
}

/* The domain of an identity like "@amazon.co.jp", "user@x.y" or "x.y". */
static const char *identity_domain(struct nise_ctx *c, const char *v)
{
	if (!v)
		return NULL;
	const char *at = strrchr(v, '@');
	return nise_ctx_registrable(c, at ? at + 1 : v);
}

/* A trusted id names an authserv-id; "-" names the field without one
 * (Microsoft 365 and Outlook.com write "spf=… ; dkim=…" with no id). */
static bool same_id(const char *id, const char *trusted)
{
	if (!id)
		return false;
	if (strcmp(trusted, "-") == 0)
		return *id == '\0';
	return *id && strcasecmp(id, trusted) == 0;
}

/* Marks the results in the topmost field of every trusted authserv-id. */
static void mark_trusted(const struct nise_detect *d, struct nise_message *m)
{
	for (size_t t = 0; t < d->ntrusted; t++) {
		size_t top = (size_t)-1;
		for (size_t i = 0; i < m->nauth; i++) {
			const struct nise_auth_result *r = &m->auth[i];
			if (same_id(r->authserv_id, d->trusted[t]) &&
			    r->block < top)
				top = r->block;
		}
		for (size_t i = 0; i < m->nauth; i++) {
			struct nise_auth_result *r = &m->auth[i];
			if (same_id(r->authserv_id, d->trusted[t]) &&
			    r->block == top)
				r->trusted = true;
		}
	}
}

void nise_ctx_read_auth(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	for (size_t i = 0; i < m->nauth; i++)
		m->auth[i].trusted = false;
	mark_trusted(c->d, m);
	if (!c->from_domain)
		return;
	const struct nise_auth_result *pass = NULL, *dkim = NULL, *fail = NULL, *spf = NULL;
	for (size_t i = 0; i < m->nauth; i++) {
		const struct nise_auth_result *r = &m->auth[i];
		if (!r->trusted)
			continue;
		if (strcmp(r->method, "dmarc") == 0) {
			const char *hf = identity_domain(c, auth_prop(r, "from"));
			if (hf && strcmp(hf, c->from_domain) != 0)
				continue;
			if (strcmp(r->result, "pass") == 0 && !pass)
				pass = r;
			else if (strcmp(r->result, "fail") == 0 && !fail)
				fail = r;
		} else if (strcmp(r->method, "dkim") == 0 && strcmp(r->result, "pass") == 0) {
			const char *dd = identity_domain(c, auth_prop(r, "d"));
			if (!dd)
				dd = identity_domain(c, auth_prop(r, "i"));
			if (dd && strcmp(dd, c->from_domain) == 0 && !dkim)
				dkim = r;
		} else if (strcmp(r->method, "spf") == 0 &&
		           (strcmp(r->result, "fail") == 0 || strcmp(r->result, "softfail") == 0)) {
			const char *mf = identity_domain(c, auth_prop(r, "mailfrom"));
			if (mf && strcmp(mf, c->from_domain) == 0 && !spf)
				spf = r;
		}
	}
	/* a DMARC fail beats any pass; an SPF fail counts when nothing passed */
	if (!pass)
		pass = dkim;
	if (fail) {
		c->from_auth_failed = true;
		c->auth_evidence = fail;
	} else if (pass) {
		c->from_authenticated = true;
		c->auth_evidence = pass;
	} else if (spf) {
		c->from_auth_failed = true;
		c->auth_evidence = spf;
	}
}

static const char *auth_desc(struct nise_ctx *c)
{
	const struct nise_auth_result *r = c->auth_evidence;
	if (!r)
		return "";
	return nise_arena_printf(c->a, "%s=%s by %s", r->method, r->result,
	                         r->authserv_id ? r->authserv_id : "?");
}

/* The same in a Japanese sentence: 「mx.example.jp による DMARC 検査で合格」
 * (method names are acronyms; results in Japanese where they have one). */
static const char *auth_desc_ja(struct nise_ctx *c)
{
	const struct nise_auth_result *r = c->auth_evidence;
	if (!r)
		return "";
	const char *res = r->result;
	if (strcmp(res, "pass") == 0)
		res = "合格";
	else if (strcmp(res, "fail") == 0 || strcmp(res, "softfail") == 0)
		res = "不合格";
	char m[16];
	size_t i = 0;
	for (; r->method[i] && i + 1 < sizeof(m); i++)
		m[i] = (char)(r->method[i] >= 'a' && r->method[i] <= 'z' ? r->method[i] - 32 : r->method[i]);
	m[i] = '\0';
	return nise_arena_printf(c->a, "%s による %s 検査で%s", r->authserv_id ? r->authserv_id : "?", m, res);
}

void check_auth(struct nise_ctx *c)
{
	if (!c->from_domain)
		return;
	const char *desc = auth_desc(c), *desc_ja = auth_desc_ja(c);
	if (c->from_brand >= 0 && c->from_authenticated && !c->from_freemail) {
		const char *args[] = {c->d->brands[c->from_brand].name, c->from_domain, desc};
		const char *args_ja[] = {c->d->brands[c->from_brand].name, c->from_domain, desc_ja};
		nise_ctx_finding_ja(c, "BRAND_AUTHENTICATED", 1.0, desc, args, args_ja, 3);
		return;
	}
	if (!c->from_auth_failed)
		return;
	double list_factor = c->bulk ? 0.25 : 1.0;
	if (c->from_brand >= 0) {
		const char *args[] = {c->d->brands[c->from_brand].name, desc};
		const char *args_ja[] = {c->d->brands[c->from_brand].name, desc_ja};
		nise_ctx_finding_ja(c, "AUTH_BRAND_FAIL", list_factor, desc, args, args_ja, 2);
	} else {
		const char *args[] = {c->from_domain, desc};
		const char *args_ja[] = {c->from_domain, desc_ja};
		nise_ctx_finding_ja(c, "AUTH_DMARC_FAIL", list_factor, desc, args, args_ja, 2);
	}
}
