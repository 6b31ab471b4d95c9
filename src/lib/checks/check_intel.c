/* SPDX-License-Identifier: MIT */
/*
 * check_intel.c — findings from the store (src/lib/intel): links listed
 * by a phishing-URL feed, and mails whose text matches a phishing campaign
 * nise recorded before, even when every URL in it is new.
 *
 * Read-only: recording a judged mail is nise_intel_record(), an explicit
 * call of the front end, never a side effect of a scan. Without a store
 * (the engine's opts.store NULL) nothing happens.
 *
 * A store that cannot be reached (Redis down: its calls fail at once
 * while it reconnects, store_redis.c) is skipped, and the result says so
 * with STORE_UNAVAILABLE (no points): the mail was judged without the
 * feeds and campaigns.
 */
#include <stdio.h>
#include <string.h>

#include "checks/check.h"
#include "checks/detect.h"
#include "intel/intel.h"
#include "intel/store.h"

void nise_detect_set_store(struct nise_detect *d, struct nise_store *s)
{
	if (d)
		d->store = s;
}

static const char *feed_label_ja(const char *feed)
{
	if (strcmp(feed, "learned") == 0)
		return "このメールサーバーへの報告";
	if (strcmp(feed, "blocklist") == 0)
		return "管理者";
	return NULL;
}

static const char *feed_label(const char *feed)
{
	if (strcmp(feed, "learned") == 0)
		return "the reports to this mail system";
	if (strcmp(feed, "blocklist") == 0)
		return "the administrator";
	if (strcmp(feed, "jpcert") == 0)
		return "JPCERT/CC";
	if (strncmp(feed, "phishtank", 9) == 0)
		return "PhishTank";
	if (strcmp(feed, "openphish") == 0)
		return "OpenPhish";
	return "an imported";
}

static void check_urls(struct nise_ctx *c, bool *unreachable)
{
	struct nise_message *m = c->m;
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct nise_link *l = &m->links[i];
		const char *u = l->url.url ? l->url.url : l->href;
		if (!u || !*u)
			continue;
		/* feeds list web pages: a mailto: or tel: link has no page, and
		 * its address's domain would read as a host */
		if (l->url.scheme && strcmp(l->url.scheme, "http") != 0 && strcmp(l->url.scheme, "https") != 0)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct nise_link *o = &m->links[j];
			const char *ou = o->url.url ? o->url.url : o->href;
			seen = ou && strcmp(ou, u) == 0;
		}
		if (seen || check_lists_link_allowed(c, l))
			continue;
		const struct nise_list_entry *blk = check_lists_link_blocked(c, l);
		if (blk) {
			check_lists_blocked_link(c, u, blk);
			continue;
		}
		if (!c->d->store)
			continue;
		struct nise_intel_match mt;
		const char *href = l->href && strcmp(l->href, u) != 0 ? l->href : NULL;
		nise_rc rc = nise_intel_lookup_link(&mt, c->d->store, u, strlen(u), href, href ? strlen(href) : 0);
		if (rc == NISE_EIO)
			*unreachable = true;
		if (rc != NISE_OK)
			continue;
		const char *date = mt.date[0] ? mt.date : "-";
		const char *brand = mt.brand[0] ? mt.brand : "-";
		const char *ev = nise_arena_printf(c->a, "%s (%s %s %s: %s)", u, mt.feed, date, brand, mt.expr);
		if (strcmp(mt.feed, "blocklist") == 0) {
			struct nise_list_entry *e = nise_arena_alloc(c->a, sizeof(*e));
			if (e && (nise_list_get(e, c->d->store, NISE_LIST_URL, mt.expr) == NISE_OK ||
			          (strlen(mt.expr) > 1 && mt.expr[strlen(mt.expr) - 1] == '/' &&
			           nise_list_get(e, c->d->store, NISE_LIST_LINK_DOMAIN,
			                         nise_arena_printf(c->a, "%.*s", (int)strlen(mt.expr) - 1, mt.expr)) ==
			               NISE_OK))) {
				check_lists_blocked_link(c, u, e);
				continue;
			}
		}
		const char *args[] = {u, feed_label(mt.feed), date, brand};
		const char *args_ja[] = {u, feed_label_ja(mt.feed) ? feed_label_ja(mt.feed) : feed_label(mt.feed), date,
		                         brand};
		nise_ctx_finding_ja(c, "INTEL_URL_MATCH", 1.0, ev, args, args_ja, 4);
	}
}

static void check_campaign(struct nise_ctx *c, bool *unreachable)
{
	uint64_t fp = c->r->fingerprint;
	struct nise_campaign *k = nise_arena_alloc(c->a, sizeof(*k));
	nise_rc rc = fp && k ? nise_campaign_find(k, c->d->store, fp) : NISE_ENOTFOUND;
	if (rc == NISE_EIO)
		*unreachable = true;
	if (rc != NISE_OK)
		return;
	char copies[32];
	snprintf(copies, sizeof(copies), "%lu", k->copies);
	const char *what = k->brand[0] ? k->brand : k->nsubjects ? k->subjects[0] : "-";
	const char *ev = nise_arena_printf(c->a, "campaign %016llx, first seen %s, %lu copies, %u bits apart",
	                                   (unsigned long long)k->id, k->first_seen, k->copies, k->distance);
	const char *args[] = {k->first_seen, copies, what}; /* formatted at once */
	nise_ctx_finding(c, "CAMPAIGN_MATCH", 1.0, ev, args, 3);
}

void check_intel(struct nise_ctx *c)
{
	if (!c->d->store && !c->d->nlists)
		return;
	bool unreachable = false;
	check_urls(c, &unreachable);
	/* recording it later needs no second fold */
	c->r->fingerprint = nise_fp_message(c->d->text, c->a, c->m);
	/* a text reported genuine is not matched with campaigns */
	if (!check_lists_genuine(c) && c->d->store)
		check_campaign(c, &unreachable);
	if (unreachable) {
		struct nise_store *s = c->d->store;
		const char *ev = nise_arena_printf(c->a, "%s store %s unreachable", nise_store_backend(s), s->where);
		nise_ctx_finding(c, "STORE_UNAVAILABLE", 1.0, ev, NULL, 0);
	}
}
