/* SPDX-License-Identifier: MIT */
/*
 * check_lists.c — the operator's loop at scan time: allow and block
 * entries (nise.conf [allow]/[block], nise allow|block in the store),
 * senders reported as phishing, mails reported as genuine.
 *
 *   BLOCKLISTED        a sender, sender domain, link domain or URL an
 *                      administrator blocked (weight 6: phishing alone)
 *   LEARNED_SENDER     a sender or sender domain reported as phishing (4)
 *   ALLOWLISTED        a sender or sender domain an administrator allowed,
 *                      only when From passed authentication (-12)
 *   REPORTED_GENUINE   the text of a mail reported as genuine, or an
 *                      authenticated sender domain reported genuine (-8)
 *
 * An allow entry never applies to a mail that could not be fully read
 * (r->partial): such a mail is never called clean on an allow entry.
 * Allowed link domains and URLs take links out of the intel lookup
 * (check_intel.c): the fix for a feed entry that lists a legitimate site.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "intel/intel.h"
#include "intel/sb.h"

/* The store has list entries (one count per scan), or there is none. */
static bool store_lists(struct nise_ctx *c)
{
	if (!c->d->store)
		return false;
	if (!c->lists_state)
		c->lists_state = nise_list_any(c->d->store) ? 2 : 1;
	return c->lists_state == 2;
}

/* The entry for kind/value: the configuration's first, then the store's. */
static bool find(struct nise_ctx *c, enum nise_list_kind k, const char *value, struct nise_list_entry *out)
{
	if (!value || !*value)
		return false;
	for (size_t i = 0; i < c->d->nlists; i++)
		if (c->d->lists[i].kind == k && strcmp(c->d->lists[i].value, value) == 0) {
			*out = c->d->lists[i];
			return true;
		}
	return store_lists(c) && nise_list_get(out, c->d->store, k, value) == NISE_OK;
}

static const char *date_of(struct nise_ctx *c, const struct nise_list_entry *e)
{
	return e->when[0] ? nise_arena_printf(c->a, "%.10s", e->when) : "-";
}

static void emit(struct nise_ctx *c, const struct nise_list_entry *e)
{
	const char *kind = nise_list_kind_name(e->kind);
	const char *who = e->who[0] ? e->who : e->source;
	const char *note = e->note[0] ? e->note : "-";
	const char *ev = nise_arena_printf(c->a, "%s %s (%s %s by %s at %s: %s)", kind, e->value,
	                                   e->block ? "blocked" : "allowed", e->source, who, e->when, note);
	bool learned = strcmp(e->source, "learned") == 0;
	if (e->block) {
		const char *args[] = {e->value, who, date_of(c, e), note};
		nise_ctx_finding(c, learned ? "LEARNED_SENDER" : "BLOCKLISTED", 1.0, ev, args, 4);
		return;
	}
	if (c->r->partial)
		return;
	const char *args[] = {e->value, who, date_of(c, e), note};
	nise_ctx_finding(c, learned ? "REPORTED_GENUINE" : "ALLOWLISTED", 1.0, ev, args, 4);
}

void check_lists_sender(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	if (!c->d->nlists && !store_lists(c))
		return;
	struct nise_list_entry *e = nise_arena_alloc(c->a, sizeof(*e));
	if (!e || !m->nfrom)
		return;
	char addr[512], dom[512];
	bool has_addr = m->from[0].address &&
	                nise_list_normalise(NISE_LIST_SENDER, m->from[0].address, addr, sizeof(addr)) == NISE_OK;
	bool has_dom = c->from_domain &&
	               nise_list_normalise(NISE_LIST_SENDER_DOMAIN, c->from_domain, dom, sizeof(dom)) == NISE_OK;
	/* a sender can be trusted only as far as authentication goes */
	bool auth = c->r->from_authenticated;
	if (has_addr && find(c, NISE_LIST_SENDER, addr, e) && (e->block || auth)) {
		emit(c, e);
		return; /* the address says more than its domain */
	}
	if (has_dom && find(c, NISE_LIST_SENDER_DOMAIN, dom, e) && (e->block || (auth && !c->from_freemail)))
		emit(c, e);
}

bool check_lists_genuine(struct nise_ctx *c)
{
	uint64_t fp = c->r->fingerprint;
	if (!fp || c->r->partial)
		return false;
	struct nise_list_entry *e = nise_arena_alloc(c->a, sizeof(*e));
	if (!e)
		return false;
	bool found = false;
	unsigned dist = 0;
	for (size_t i = 0; i < c->d->nlists && !found; i++) {
		const struct nise_list_entry *x = &c->d->lists[i];
		if (x->kind != NISE_LIST_CAMPAIGN || x->block)
			continue;
		uint64_t d = strtoull(x->value, NULL, 16) ^ fp;
		for (dist = 0; d; d &= d - 1)
			dist++;
		if (dist <= NISE_FP_THRESHOLD) {
			*e = *x;
			found = true;
		}
	}
	if (!found && store_lists(c))
		found = nise_list_find_genuine(e, c->d->store, fp, &dist) == NISE_OK;
	if (!found)
		return false;
	const char *who = e->who[0] ? e->who : e->source;
	const char *ev = nise_arena_printf(c->a, "campaign %s, %u bits apart (allowed %s by %s at %s: %s)",
	                                   e->value, dist, e->source, who, e->when, e->note[0] ? e->note : "-");
	const char *args[] = {e->value, who, date_of(c, e), e->note[0] ? e->note : "-"};
	nise_ctx_finding(c, strcmp(e->source, "learned") == 0 ? "REPORTED_GENUINE" : "ALLOWLISTED", 1.0, ev,
	                 args, 4);
	return true;
}

/* Is host, or a domain above it, an allowed link domain? */
static bool host_allowed(struct nise_ctx *c, const char *host, struct nise_list_entry *e)
{
	char h[512];
	if (!host || nise_list_normalise(NISE_LIST_LINK_DOMAIN, host, h, sizeof(h)) != NISE_OK)
		return false;
	for (const char *p = h; p && strchr(p, '.'); p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL)
		if (find(c, NISE_LIST_LINK_DOMAIN, p, e) && !e->block)
			return true;
	return false;
}

bool check_lists_link_allowed(struct nise_ctx *c, const struct nise_link *l)
{
	if (!c->d->nlists && !store_lists(c))
		return false;
	struct nise_list_entry *e = nise_arena_alloc(c->a, sizeof(*e));
	if (!e)
		return false;
	if (host_allowed(c, l->url.host_ascii, e) || host_allowed(c, l->url.host, e))
		return true;
	char expr[512];
	const char *u = l->url.url ? l->url.url : l->href;
	return u && nise_list_normalise(NISE_LIST_URL, u, expr, sizeof(expr)) == NISE_OK &&
	       find(c, NISE_LIST_URL, expr, e) && !e->block;
}

struct block_ctx {
	const struct nise_detect *d;
	const struct nise_list_entry *hit;
};

static bool on_expr(void *vctx, const char *expr, size_t n)
{
	struct block_ctx *x = vctx;
	for (size_t i = 0; i < x->d->nlists && !x->hit; i++) {
		const struct nise_list_entry *e = &x->d->lists[i];
		if (!e->block)
			continue;
		size_t vn = strlen(e->value);
		if (e->kind == NISE_LIST_URL && vn == n && memcmp(e->value, expr, n) == 0)
			x->hit = e;
		else if (e->kind == NISE_LIST_LINK_DOMAIN && vn + 1 == n && memcmp(e->value, expr, vn) == 0 &&
		         expr[vn] == '/')
			x->hit = e;
	}
	return !x->hit;
}

const struct nise_list_entry *check_lists_link_blocked(struct nise_ctx *c, const struct nise_link *l)
{
	bool any = false;
	for (size_t i = 0; i < c->d->nlists && !any; i++)
		any = c->d->lists[i].block &&
		      (c->d->lists[i].kind == NISE_LIST_URL || c->d->lists[i].kind == NISE_LIST_LINK_DOMAIN);
	const char *u = l->url.url ? l->url.url : l->href;
	if (!any || !u)
		return NULL;
	struct nise_sb_url *sb = nise_arena_alloc(c->a, sizeof(*sb));
	if (!sb || nise_sb_canon(sb, u, strlen(u)) != NISE_OK)
		return NULL;
	struct block_ctx x = {.d = c->d};
	nise_sb_expressions(sb, on_expr, &x);
	return x.hit;
}

void check_lists_blocked_link(struct nise_ctx *c, const char *url, const struct nise_list_entry *e)
{
	const char *who = e->who[0] ? e->who : e->source;
	const char *note = e->note[0] ? e->note : "-";
	const char *ev = nise_arena_printf(c->a, "%s (%s %s blocked by %s: %s)", url, nise_list_kind_name(e->kind),
	                                   e->value, who, note);
	const char *args[] = {url, who, date_of(c, e), note};
	nise_ctx_finding(c, "BLOCKLISTED", 1.0, ev, args, 4);
}
