/* SPDX-License-Identifier: MIT */
/*
 * learn.c — an operator's report turned into store entries (nise learn,
 * POST /v1/feedback), and the URL entries listed and removed one by one
 * (nise intel list|remove).
 *
 * Phishing: the campaign (whatever nise's verdict was), each link URL as
 * its exact Safe Browsing expression, the sender address and the sender
 * domain, all with source "learned". Never learned as phishing, because
 * one forged mail would then block the real sender: a link or sender at a
 * brand's own domain (a forged From: at amazon.co.jp is not amazon.co.jp
 * sending phishing), a sender domain of a mailbox provider or shared
 * platform (data/freemail.tsv, data/shared-senders.tsv), and a whole
 * shortener, shared or free host (a link to its root).
 *
 * Genuine: an allow entry for the fingerprint (copies of this text judge
 * clean, REPORTED_GENUINE), and, only when the From domain passed
 * authentication the engine trusts and is not a shared platform, for the
 * sender domain with the brand it speaks for. An unauthenticated From at
 * a brand's domain is never allowed by a report: only its text is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/table.h"
#include "core/hash.h"
#include "engine.h"
#include "intel/intel.h"
#include "intel/sb.h"
#include "intel/store.h"

#define LEARN_MAX_URLS 64

static bool brand_domain(const struct nise_engine *e, const char *domain)
{
	return e->detect && domain &&
	       nise_strset_get(&e->detect->domain_brand, domain, strlen(domain), NULL);
}

static bool platform_host(const struct nise_engine *e, const char *host)
{
	if (!e->detect || !host)
		return false;
	const struct nise_detect *d = e->detect;
	const char *h = strncmp(host, "www.", 4) == 0 ? host + 4 : host;
	size_t n = strlen(h);
	return nise_strset_get(&d->shorteners, h, n, NULL) || nise_strset_get(&d->shared, h, n, NULL) ||
	       nise_strset_get(&d->free_hosting, h, n, NULL);
}

static void base_entry(struct nise_list_entry *x, enum nise_list_kind k, bool block, const char *who,
                       const char *note, const struct nise_result *r)
{
	memset(x, 0, sizeof(*x));
	x->kind = k;
	x->block = block;
	snprintf(x->source, sizeof(x->source), "learned");
	snprintf(x->who, sizeof(x->who), "%s", who && *who ? who : "operator");
	nise_list_now(x->when);
	snprintf(x->note, sizeof(x->note), "%s", note ? note : "");
	snprintf(x->brand, sizeof(x->brand), "%s", r->brand ? r->brand : "");
}

static void skipped(struct nise_learned *out, const char *why)
{
	size_t n = strlen(out->skipped);
	snprintf(out->skipped + n, sizeof(out->skipped) - n, "%s%s", n ? "; " : "", why);
}

static nise_rc learn_urls(struct nise_learned *out, struct nise_store *s, const struct nise_engine *e,
                          const struct nise_result *r, struct nise_list_entry *x)
{
	const struct nise_message *m = r->msg;
	char(*seen)[512] = calloc(LEARN_MAX_URLS, 512);
	if (!seen)
		return NISE_ENOMEM;
	size_t nseen = 0;
	nise_rc rc = NISE_OK;
	bool brand_links = false;
	for (size_t i = 0; rc == NISE_OK && i < m->nlinks && nseen < LEARN_MAX_URLS; i++) {
		const struct nise_link *l = &m->links[i];
		if (!l->url.url || !l->url.scheme ||
		    (strcmp(l->url.scheme, "http") != 0 && strcmp(l->url.scheme, "https") != 0))
			continue;
		if (brand_domain(e, l->url.domain)) {
			brand_links = true;
			continue;
		}
		char expr[512];
		if (nise_list_normalise(NISE_LIST_URL, l->url.url, expr, sizeof(expr)) != NISE_OK)
			continue;
		const char *slash = strchr(expr, '/');
		if (slash && strcmp(slash, "/") == 0 && platform_host(e, l->url.host))
			continue;
		bool dup = false;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = strcmp(seen[j], expr) == 0;
		if (dup)
			continue;
		memcpy(seen[nseen++], expr, sizeof(expr));
		snprintf(x->value, sizeof(x->value), "%s", expr);
		rc = nise_list_add(s, x);
		if (rc == NISE_OK)
			out->urls++;
	}
	if (brand_links)
		skipped(out, "links at a brand's own domain");
	free(seen);
	return rc;
}

static nise_rc learn_phishing(struct nise_learned *out, struct nise_store *s, const struct nise_engine *e,
                              const struct nise_result *r, struct nise_list_entry *x)
{
	nise_rc rc = NISE_OK;
	if (out->fingerprint) {
		struct nise_campaign *c = malloc(sizeof(*c));
		bool recorded = false;
		rc = c ? nise_campaign_record_mail(c, &recorded, s, e, r) : NISE_ENOMEM;
		x->kind = NISE_LIST_CAMPAIGN;
		snprintf(x->value, sizeof(x->value), "%016llx", (unsigned long long)out->fingerprint);
		if (rc == NISE_OK && recorded) {
			snprintf(x->campaign, sizeof(x->campaign), "%016llx", (unsigned long long)c->id);
			rc = nise_list_add(s, x);
			out->campaign = rc == NISE_OK;
		}
		x->campaign[0] = '\0';
		free(c);
	} else {
		skipped(out, "too little text for campaign memory");
	}
	x->kind = NISE_LIST_URL;
	if (rc == NISE_OK)
		rc = learn_urls(out, s, e, r, x);
	const struct nise_message *m = r->msg;
	const char *addr = m->nfrom && m->from[0].address ? m->from[0].address : NULL;
	if (rc == NISE_OK && addr && r->from_domain && r->from_brand)
		skipped(out, "the sender is at a brand's own domain (forged, or the brand's own mail)");
	else if (rc == NISE_OK && addr && r->from_domain) {
		x->kind = NISE_LIST_SENDER;
		if (nise_list_normalise(NISE_LIST_SENDER, addr, x->value, sizeof(x->value)) == NISE_OK) {
			rc = nise_list_add(s, x);
			out->sender = rc == NISE_OK;
		}
		if (rc == NISE_OK && r->from_shared)
			skipped(out, "the sender domain is a mailbox provider or shared platform");
		else if (rc == NISE_OK) {
			x->kind = NISE_LIST_SENDER_DOMAIN;
			if (nise_list_normalise(NISE_LIST_SENDER_DOMAIN, r->from_domain, x->value, sizeof(x->value)) ==
			    NISE_OK) {
				rc = nise_list_add(s, x);
				out->sender_domain = rc == NISE_OK;
			}
		}
	}
	return rc;
}

static nise_rc learn_genuine(struct nise_learned *out, struct nise_store *s, const struct nise_result *r,
                             struct nise_list_entry *x)
{
	nise_rc rc = NISE_OK;
	if (out->fingerprint) {
		x->kind = NISE_LIST_CAMPAIGN;
		snprintf(x->value, sizeof(x->value), "%016llx", (unsigned long long)out->fingerprint);
		rc = nise_list_add(s, x);
		out->campaign = rc == NISE_OK;
	} else {
		skipped(out, "too little text for campaign memory");
	}
	if (rc != NISE_OK || !r->from_domain)
		return rc;
	if (!r->from_authenticated) {
		skipped(out, "the sender domain did not pass trusted authentication: only the text is allowed");
		return rc;
	}
	if (r->from_shared) {
		skipped(out, "the sender domain is a mailbox provider or shared platform");
		return rc;
	}
	x->kind = NISE_LIST_SENDER_DOMAIN;
	if (nise_list_normalise(NISE_LIST_SENDER_DOMAIN, r->from_domain, x->value, sizeof(x->value)) == NISE_OK) {
		rc = nise_list_add(s, x);
		out->sender_domain = rc == NISE_OK;
	}
	return rc;
}

nise_rc nise_learn(struct nise_learned *out, struct nise_store *s, const struct nise_engine *e,
                   const struct nise_result *r, bool phishing, const char *who, const char *note)
{
	memset(out, 0, sizeof(*out));
	if (!s || !e || !r || !r->msg)
		return NISE_EINVAL;
	out->fingerprint = nise_intel_fingerprint(e, r);
	struct nise_list_entry *x = malloc(sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	base_entry(x, NISE_LIST_CAMPAIGN, phishing, who, note, r);
	nise_rc rc = phishing ? learn_phishing(out, s, e, r, x) : learn_genuine(out, s, r, x);
	free(x);
	return rc;
}

/* ---- URL entries one by one ------------------------------------------ */

static void field(char *d, size_t dn, const char **p, const char *end)
{
	const char *tab = memchr(*p, '\t', (size_t)(end - *p));
	const char *fe = tab ? tab : end;
	size_t len = (size_t)(fe - *p);
	if (len >= dn)
		len = dn - 1;
	memcpy(d, *p, len);
	d[len] = '\0';
	*p = tab ? tab + 1 : end;
}

struct each_ctx {
	nise_intel_entry_fn fn;
	void *ctx;
	struct nise_intel_match m;
};

static bool on_url(void *vctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct each_ctx *x = vctx;
	(void)k;
	(void)kn;
	const char *p = v, *end = p + vn;
	memset(&x->m, 0, sizeof(x->m));
	field(x->m.feed, sizeof(x->m.feed), &p, end);
	field(x->m.date, sizeof(x->m.date), &p, end);
	field(x->m.brand, sizeof(x->m.brand), &p, end);
	field(x->m.expr, sizeof(x->m.expr), &p, end);
	return x->fn(x->ctx, &x->m);
}

nise_rc nise_intel_each(struct nise_store *s, nise_intel_entry_fn fn, void *ctx)
{
	struct each_ctx *x = malloc(sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	x->fn = fn;
	x->ctx = ctx;
	nise_rc rc = s->ops->scan(s, NISE_T_URL, on_url, x);
	free(x);
	return rc;
}

nise_rc nise_intel_remove(struct nise_store *s, const char *url, char *expr_out, size_t en)
{
	char expr[512];
	nise_rc rc = nise_list_normalise(NISE_LIST_URL, url, expr, sizeof(expr));
	if (rc != NISE_OK)
		return NISE_EPARSE;
	if (expr_out && en)
		snprintf(expr_out, en, "%s", expr);
	unsigned char h[32];
	nise_sb_hash(h, expr, strlen(expr));
	rc = s->ops->del(s, NISE_T_URL, h, 32);
	/* the list entry that put it there, if any, goes with it */
	char key[600];
	int kn = snprintf(key, sizeof(key), "url:%s", expr);
	if (kn > 0 && (size_t)kn < sizeof(key))
		s->ops->del(s, NISE_T_LIST, key, (size_t)kn);
	size_t n = strlen(expr);
	if (n > 1 && expr[n - 1] == '/' && strchr(expr, '/') == expr + n - 1) {
		kn = snprintf(key, sizeof(key), "link-domain:%.*s", (int)(n - 1), expr);
		if (kn > 0 && (size_t)kn < sizeof(key))
			s->ops->del(s, NISE_T_LIST, key, (size_t)kn);
	}
	return rc;
}

bool nise_check_weight(const char *id, double *out)
{
	const struct nise_check *k = nise_check_find(id);
	if (!k)
		return false;
	if (out)
		*out = k->weight;
	return true;
}

/* ---- the mails behind the reports (nise train --store) ---------------- */

static bool mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
		*p = '/';
		if (!ok)
			return false;
	}
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

nise_rc nise_learned_keep(const char *dir, bool phishing, uint64_t fingerprint, const char *buf, size_t n,
                          char *path, size_t pn)
{
	/* FNV-1a of the bytes: the same mail reported twice is one file */
	uint64_t h = nise_fnv1a(NISE_FNV_OFFSET, buf, n);
	const char *label = phishing ? "phish" : "ham", *other = phishing ? "ham" : "phish";
	char p[1200], o[1200], tmp[1300];
	int k = snprintf(p, sizeof(p), "%s/%s", dir, label);
	if (k < 0 || (size_t)k >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return NISE_EIO;
	}
	if (!mkdir_p(p))
		return NISE_EIO;
	snprintf(p, sizeof(p), "%s/%s/%016llx-%016llx.eml", dir, label, (unsigned long long)fingerprint,
	         (unsigned long long)h);
	snprintf(o, sizeof(o), "%s/%s/%016llx-%016llx.eml", dir, other, (unsigned long long)fingerprint,
	         (unsigned long long)h);
	/* a unique temporary name in the same directory (threads of one
	 * server and several processes may keep the same mail at once) */
	static atomic_uint seq;
	snprintf(tmp, sizeof(tmp), "%s/%s/.tmp-%ld-%u", dir, label, (long)getpid(), atomic_fetch_add(&seq, 1));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return NISE_EIO;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			errno = w < 0 ? e : EIO;
			return NISE_EIO;
		}
		off += (size_t)w;
	}
	bool synced = fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && synced) {
		synced = false;
		e = errno;
	}
	errno = e;
	if (!synced || rename(tmp, p) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return NISE_EIO;
	}
	unlink(o);
	if (pn)
		snprintf(path, pn, "%s", p);
	return NISE_OK;
}
