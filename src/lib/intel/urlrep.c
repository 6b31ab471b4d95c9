/* SPDX-License-Identifier: MIT */
/*
 * urlrep.c — URL reputation: feed import and Safe Browsing style lookup.
 *
 * An imported URL is canonicalised (sbcanon.c) and its exact expression
 * "host/path[?query]" is hashed with SHA-256. The store keeps
 *
 *   PREFIX  first 4 bytes → {full 32-byte hashes}   the Safe Browsing
 *   URL     full hash → "feed \t date \t brand \t expression \t first \t
 *           last \t expire"
 *   META    "feedtime:" feed → the time of the feed's last import (decimal)
 *
 * feed is the source's name (a format name for `nise intel import`, the
 * configured name for `nise update`); first and last are the times (Unix
 * seconds) of the first and the latest import that listed the entry, and
 * expire the seconds it is kept once a later import of its feed no longer
 * lists it (0: forever; nise_intel_expire removes it). Records of older
 * versions end after the expression: never expired. Readers take the
 * fields they know and ignore the rest, so a later field can be added.
 *
 * A domain-list entry is the expression "host/", which Safe Browsing
 * clients generate for every URL on the host and its subdomains. A URL is
 * looked up by generating its expressions, hashing each, asking PREFIX for
 * the 4-byte prefix and only then comparing full hashes and reading URL.
 * The PREFIX keys are also kept in memory (pcache.c), so an expression
 * whose prefix is not among them costs a hash-table probe and no store
 * read; the store's read transaction is begun only at the first prefix
 * that is there. The probes are pipelined: an expression's slot is
 * prefetched when it is hashed and probed LAG hashes later, so the memory
 * load overlaps the next SHA-256 instead of stalling a dozen times in a
 * row; expressions are still probed in order, and a match stops the
 * hashing at most LAG expressions further on.
 *
 * Whole-host entries (path "/", no query) for a public suffix (github.io,
 * blogspot.com: the PSL's private section), for a shortener, shared
 * platform or free host of the reviewed lists in data/, for a popular
 * domain (popular-domains.tsv, Tranco; the domain itself or www.) or for
 * any host of a domain a brand owns (brands.tsv) — except a per-address
 * machine name there, one customer's server — are refused and reported:
 * a report of one bit.ly link must not block every bit.ly link, and an
 * imported "https://www.google.com/" must not make every google.com link
 * a phishing link.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/check.h"
#include "engine.h"
#include "intel/feed.h"
#include "intel/intel.h"
#include "intel/sb.h"
#include "intel/store.h"
#include "url/url.h"

struct import_ctx {
	struct nise_store *s;
	const struct nise_engine *e;
	const char *feed;
	const struct nise_intel_feed_opts *o;
	int64_t now;
	struct nise_intel_import_stats *st;
	struct nise_arena *a;
	nise_rc rc;
	struct nise_sb_url u;
};

static bool listed(const struct nise_detect *d, const char *host)
{
	size_t n = strlen(host);
	return nise_strset_get(&d->shorteners, host, n, NULL) || nise_strset_get(&d->shared, host, n, NULL) ||
	       nise_strset_get(&d->free_hosting, host, n, NULL);
}

/* Whether the labels of host before its registrable domain name one
 * IPv4 address, as a provider's per-address machine names do
 * (180.124.168.184.host.secureserver.net, ip-10-1-2-3.example,
 * static-203-0-113-9.example): such a host is one customer's server, not
 * the provider's own site, and may be listed whole. */
static bool per_address_name(const char *host, const char *reg)
{
	size_t hn = strlen(host), rn = strlen(reg);
	if (hn <= rn + 1)
		return false;
	size_t end = hn - rn - 1; /* host[0..end) is the part before ".reg" */
	int run = 0; /* consecutive labels, or dash-separated fields, of 0-255 */
	for (size_t i = 0; i < end;) {
		size_t j = i;
		unsigned v = 0;
		while (j < end && host[j] >= '0' && host[j] <= '9' && j - i < 4)
			v = v * 10 + (unsigned)(host[j++] - '0');
		bool num = j > i && j - i <= 3 && v <= 255 && (j == end || host[j] == '.' || host[j] == '-');
		run = num ? run + 1 : 0;
		if (run == 4)
			return true;
		while (j < end && host[j] != '.' && host[j] != '-')
			j++;
		i = j + 1;
	}
	return false;
}

/* A whole-host entry that would block a platform or a popular or brand's
 * site rather than a phishing site: why, into why; false when it may be
 * stored. */
static bool never_block(struct import_ctx *x, const char *host, bool host_is_ip, char *why, size_t wn)
{
	if (host_is_ip)
		return false;
	const char *h = strncmp(host, "www.", 4) == 0 ? host + 4 : host;
	const struct nise_detect *d = x->e->detect;
	if (d && (listed(d, host) || listed(d, h))) {
		snprintf(why, wn, "a shortener, shared platform or free host (data/)");
		return true;
	}
	if (!x->e->urls)
		return false;
	const char *reg = nise_url_registrable(x->a, x->e->urls, h);
	if (!reg) {
		snprintf(why, wn, "a public suffix");
		return true; /* a public suffix itself */
	}
	int v;
	if (d && strcmp(reg, h) == 0 && nise_strset_get(&d->popular, h, strlen(h), &v)) {
		snprintf(why, wn, "a popular domain (Tranco rank %d)", v);
		return true;
	}
	if (d && nise_strset_get(&d->domain_brand, reg, strlen(reg), &v) && v >= 0 && (size_t)v < d->nbrands &&
	    !per_address_name(h, reg)) {
		snprintf(why, wn, "owned by the brand %s (brands.tsv)", d->brands[v].name);
		return true;
	}
	return false;
}

static void sanitize(char *d, size_t dn, const char *s)
{
	size_t w = 0;
	for (; *s && w + 1 < dn; s++)
		d[w++] = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
	d[w] = '\0';
}

static bool on_record(void *vctx, const void *v, size_t n);

static bool on_entry(void *vctx, const struct nise_feed_entry *en)
{
	struct import_ctx *x = vctx;
	x->st->read++;
	char url[NISE_SB_MAX_URL + 2];
	if (en->domain) {
		int w = snprintf(url, sizeof(url), "http://%s/", en->url);
		if (w <= 0 || (size_t)w >= sizeof(url)) {
			x->st->unparsable++;
			return true;
		}
	} else {
		snprintf(url, sizeof(url), "%s", en->url);
	}
	if (nise_sb_canon(&x->u, url, strlen(url)) != NISE_OK) {
		x->st->unparsable++;
		return true;
	}
	char why[160];
	if (strcmp(x->u.path, "/") == 0 && !x->u.has_query &&
	    never_block(x, x->u.host, x->u.host_is_ip, why, sizeof(why))) {
		x->st->refused++;
		if (x->o && x->o->refused)
			x->o->refused(x->o->ctx, x->u.host, why);
		return true;
	}
	char expr[3 * NISE_SB_MAX_URL];
	if (!nise_sb_exact(&x->u, expr, sizeof(expr))) {
		x->st->unparsable++;
		return true;
	}
	unsigned char h[32];
	nise_sb_hash(h, expr, strlen(expr));
	char brand[128], val[sizeof(expr) + 256];
	sanitize(brand, sizeof(brand), en->brand);
	/* a URL listed again keeps its first-seen time (only for named feeds:
	 * a read per entry would undo the Redis pipeline of a bulk import) */
	struct nise_intel_match old = {0};
	if (!x->o || !x->o->name || x->s->ops->get(x->s, NISE_T_URL, h, 32, on_record, &old) != NISE_OK ||
	    strcmp(old.feed, x->feed) != 0 || old.first <= 0)
		old.first = x->now;
	int64_t expire = x->o ? x->o->expire : 0;
	int w = snprintf(val, sizeof(val), "%s\t%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64, x->feed,
	                 en->date, brand, expr, old.first, x->now, expire);
	if (w < 0 || (size_t)w >= sizeof(val)) {
		x->st->unparsable++;
		return true;
	}
	size_t vn = (size_t)w;
	nise_rc rc = x->s->ops->put(x->s, NISE_T_URL, h, 32, val, vn);
	if (rc == NISE_OK)
		rc = x->s->ops->add(x->s, NISE_T_PREFIX, h, 4, h, 32);
	if (rc != NISE_OK) {
		x->rc = rc;
		return false;
	}
	x->st->stored++;
	/* the arena only holds registrable-domain lookups: keep it small */
	if (nise_arena_used(x->a) > ((size_t)1 << 20)) {
		nise_arena_free(x->a);
		x->a = nise_arena_new((size_t)64 << 20, false);
		if (!x->a) {
			x->rc = NISE_ENOMEM;
			return false;
		}
	}
	return true;
}

#define FEEDTIME "feedtime:"

nise_rc nise_intel_import_feed(struct nise_intel_import_stats *out, struct nise_store *s,
                               const struct nise_engine *e, const char *format, const char *buf,
                               size_t n, const struct nise_intel_feed_opts *o, char *diag, size_t dn)
{
	char tmp[8];
	if (!diag || !dn) {
		diag = tmp;
		dn = sizeof(tmp);
	}
	memset(out, 0, sizeof(*out));
	int f = nise_feed_format_by_name(format);
	if (f < 0) {
		snprintf(diag, dn, "unknown format \"%s\"", format);
		return NISE_EINVAL;
	}
	if (o && o->name && (!*o->name || strlen(o->name) >= sizeof(((struct nise_intel_match *)0)->feed) ||
	                     strpbrk(o->name, "\t\r\n"))) {
		snprintf(diag, dn, "bad feed name \"%s\" (1-31 bytes, no tab or newline)", o->name);
		return NISE_EINVAL;
	}
	struct import_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	x->s = s;
	x->e = e;
	x->o = o;
	x->now = o && o->now > 0 ? o->now : (int64_t)time(NULL);
	x->feed = o && o->name ? o->name : nise_feed_format_name((enum nise_feed_format)f);
	x->st = out;
	x->a = nise_arena_new((size_t)64 << 20, false);
	nise_rc rc = x->a ? s->ops->begin(s) : NISE_ENOMEM;
	if (rc == NISE_OK) {
		rc = nise_feed_parse((enum nise_feed_format)f, buf, n, on_entry, x, &out->bad, diag, dn);
		if (rc == NISE_OK)
			rc = x->rc;
		/* the feed's import time decides what has left it (nise_intel_expire):
		 * only a read that stored something moves it, so an empty or broken
		 * download never makes every entry "gone" */
		if (rc == NISE_OK && o && o->name && out->stored > 0) {
			char k[64], v[24];
			int kn = snprintf(k, sizeof(k), FEEDTIME "%s", x->feed);
			int vn = snprintf(v, sizeof(v), "%" PRId64, x->now);
			rc = s->ops->put(s, NISE_T_META, k, (size_t)kn, v, (size_t)vn);
		}
		nise_rc crc = s->ops->commit(s);
		if (rc == NISE_OK)
			rc = crc;
		if (rc != NISE_OK && !*diag)
			snprintf(diag, dn, "%s: %s", s->where, nise_strerror(rc));
	}
	nise_arena_free(x->a);
	free(x);
	return rc;
}

nise_rc nise_intel_import(struct nise_intel_import_stats *out, struct nise_store *s,
                          const struct nise_engine *e, const char *format, const char *buf,
                          size_t n, char *diag, size_t dn)
{
	return nise_intel_import_feed(out, s, e, format, buf, n, NULL, diag, dn);
}

#define LAG 2
#define RING 4 /* > LAG, a power of two */

struct lookup_ctx {
	struct nise_store *s;
	struct nise_intel_match *out;
	const struct nise_pset *set; /* the PREFIX keys, or NULL: ask the store */
	bool reading;                /* read_begin was called */
	bool found;
	nise_rc rc;
	unsigned char h[32];        /* the hash being compared */
	unsigned char hs[RING][32]; /* hashed; hs[i % RING] for next <= i < n */
	size_t n, next;
};

static bool on_prefix_member(void *vctx, const void *v, size_t n)
{
	struct lookup_ctx *x = vctx;
	if (n == 32 && memcmp(v, x->h, 32) == 0) {
		x->found = true;
		return false;
	}
	return true;
}

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

static bool on_record(void *vctx, const void *v, size_t n)
{
	struct nise_intel_match *m = vctx;
	const char *p = v, *end = p + n;
	field(m->feed, sizeof(m->feed), &p, end);
	field(m->date, sizeof(m->date), &p, end);
	field(m->brand, sizeof(m->brand), &p, end);
	field(m->expr, sizeof(m->expr), &p, end);
	char t[24];
	field(t, sizeof(t), &p, end);
	m->first = strtoll(t, NULL, 10);
	field(t, sizeof(t), &p, end);
	m->last = strtoll(t, NULL, 10);
	field(t, sizeof(t), &p, end);
	m->expire = strtoll(t, NULL, 10);
	return true;
}

/* Asks the store for hash x->h; false when the lookup is over. */
static bool probe(struct lookup_ctx *x)
{
	if (!x->reading && x->s->ops->read_begin)
		x->s->ops->read_begin(x->s);
	x->reading = true;
	nise_rc rc = x->s->ops->members(x->s, NISE_T_PREFIX, x->h, 4, on_prefix_member, x);
	if (rc != NISE_OK && rc != NISE_ENOTFOUND) {
		x->rc = rc;
		return false;
	}
	if (!x->found)
		return true;
	rc = x->s->ops->get(x->s, NISE_T_URL, x->h, 32, on_record, x->out);
	if (rc != NISE_OK) {
		x->found = false; /* a prefix without its record: an interrupted import */
		return true;
	}
	return false;
}

/* Probes the hashed expressions up to (not incl.) `upto`, in order;
 * false when the lookup is over. */
static bool probe_upto(struct lookup_ctx *x, size_t upto)
{
	for (; x->next < upto; x->next++) {
		const unsigned char *h = x->hs[x->next % RING];
		if (x->set && !nise_pset_has(x->set, h))
			continue;
		memcpy(x->h, h, 32);
		if (!probe(x))
			return false;
	}
	return true;
}

static bool on_expr(void *vctx, const char *expr, size_t n)
{
	struct lookup_ctx *x = vctx;
	unsigned char *h = x->hs[x->n % RING];
	nise_sb_hash(h, expr, n);
	if (x->set)
		nise_pset_prefetch(x->set, h);
	x->n++;
	return x->n <= LAG || probe_upto(x, x->n - LAG);
}

/* The expressions of an already canonical URL against the store. */
static nise_rc lookup_canon(struct nise_intel_match *out, struct nise_store *s,
                            const struct nise_sb_url *u)
{
	memset(out, 0, sizeof(*out));
	struct nise_pset *set = NULL;
	uint64_t gen;
	if (s->ops->prefix_gen && s->ops->keys && s->ops->prefix_gen(s, &gen) == NISE_OK)
		set = nise_pcache_get(s, gen);
	struct lookup_ctx x = {.s = s, .out = out, .set = set};
	nise_sb_expressions(u, on_expr, &x);
	if (!x.found && x.rc == NISE_OK)
		probe_upto(&x, x.n); /* the last LAG */
	if (x.reading && s->ops->read_end)
		s->ops->read_end(s);
	nise_pcache_put(s, set);
	return x.rc != NISE_OK ? x.rc : x.found ? NISE_OK : NISE_ENOTFOUND;
}

nise_rc nise_intel_lookup(struct nise_intel_match *out, struct nise_store *s, const char *url,
                          size_t n)
{
	return nise_intel_lookup_link(out, s, url, n, NULL, 0);
}

nise_rc nise_intel_lookup_link(struct nise_intel_match *out, struct nise_store *s, const char *url,
                               size_t n, const char *href, size_t hn)
{
	memset(out, 0, sizeof(*out));
	struct nise_sb_url *u = malloc(2 * sizeof(*u));
	if (!u)
		return NISE_ENOMEM;
	nise_rc rc = nise_sb_canon(&u[0], url, n);
	if (rc == NISE_OK)
		rc = lookup_canon(out, s, &u[0]);
	/* the href as written, only when Safe Browsing would see another URL
	 * in it (not merely another spelling of the same one) */
	if ((rc == NISE_ENOTFOUND || rc == NISE_EPARSE) && href && nise_sb_canon(&u[1], href, hn) == NISE_OK) {
		char a[NISE_SB_MAX_URL * 3], b[NISE_SB_MAX_URL * 3];
		bool same = rc == NISE_ENOTFOUND && nise_sb_exact(&u[0], a, sizeof(a)) &&
		            nise_sb_exact(&u[1], b, sizeof(b)) && strcmp(a, b) == 0;
		if (!same)
			rc = lookup_canon(out, s, &u[1]);
	}
	free(u);
	return rc;
}

struct stats_ctx {
	char feeds[16][32];
	size_t counts[16];
	size_t nfeeds;
};

static bool on_url(void *vctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct stats_ctx *x = vctx;
	(void)k;
	(void)kn;
	const char *p = v, *end = p + vn;
	char feed[32];
	field(feed, sizeof(feed), &p, end);
	for (size_t i = 0; i < x->nfeeds; i++)
		if (strcmp(x->feeds[i], feed) == 0) {
			x->counts[i]++;
			return true;
		}
	if (x->nfeeds < 16) {
		memcpy(x->feeds[x->nfeeds], feed, sizeof(feed));
		x->counts[x->nfeeds++] = 1;
	}
	return true;
}

nise_rc nise_intel_stats(struct nise_store *s, size_t *urls, size_t *campaigns,
                         nise_intel_feed_fn fn, void *ctx)
{
	nise_rc rc = s->ops->count(s, NISE_T_URL, urls);
	if (rc == NISE_OK)
		rc = s->ops->count(s, NISE_T_CAMPAIGN, campaigns);
	if (rc != NISE_OK || !fn)
		return rc;
	struct stats_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	rc = s->ops->scan(s, NISE_T_URL, on_url, x);
	for (size_t i = 0; rc == NISE_OK && i < x->nfeeds; i++)
		if (!fn(ctx, x->feeds[i], x->counts[i]))
			break;
	free(x);
	return rc;
}

struct expire_ctx {
	const char *feed;
	int64_t fed, now; /* the feed's last import; the current time */
	unsigned char (*keys)[32];
	size_t n, cap;
	nise_rc rc;
};

static bool on_expire(void *vctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct expire_ctx *x = vctx;
	struct nise_intel_match m = {0};
	on_record(&m, v, vn);
	/* listed by the last import: last == fed; gone: last < fed */
	if (kn != 32 || strcmp(m.feed, x->feed) != 0 || m.expire <= 0 || m.last >= x->fed ||
	    x->now - m.last < m.expire)
		return true;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 256;
		void *nk = realloc(x->keys, cap * sizeof(*x->keys));
		if (!nk) {
			x->rc = NISE_ENOMEM;
			return false;
		}
		x->keys = nk;
		x->cap = cap;
	}
	memcpy(x->keys[x->n++], k, 32);
	return true;
}

static bool on_feedtime(void *vctx, const void *v, size_t n)
{
	char t[24];
	if (n >= sizeof(t))
		return true;
	memcpy(t, v, n);
	t[n] = '\0';
	*(int64_t *)vctx = strtoll(t, NULL, 10);
	return true;
}

nise_rc nise_intel_feed_time(int64_t *out, struct nise_store *s, const char *feed)
{
	*out = 0;
	char k[64];
	int kn = snprintf(k, sizeof(k), FEEDTIME "%s", feed);
	if (kn <= 0 || (size_t)kn >= sizeof(k))
		return NISE_EINVAL;
	return s->ops->get(s, NISE_T_META, k, (size_t)kn, on_feedtime, out);
}

nise_rc nise_intel_expire(size_t *out, struct nise_store *s, const char *feed, int64_t now)
{
	*out = 0;
	if (!s->ops->del)
		return NISE_EINVAL;
	struct expire_ctx x = {.feed = feed, .now = now > 0 ? now : (int64_t)time(NULL)};
	char k[64];
	int kn = snprintf(k, sizeof(k), FEEDTIME "%s", feed);
	if (kn <= 0 || (size_t)kn >= sizeof(k))
		return NISE_EINVAL;
	nise_rc rc = s->ops->get(s, NISE_T_META, k, (size_t)kn, on_feedtime, &x.fed);
	if (rc == NISE_ENOTFOUND)
		return NISE_OK; /* never imported: nothing has left it */
	if (rc == NISE_OK)
		rc = s->ops->scan(s, NISE_T_URL, on_expire, &x);
	if (rc == NISE_OK)
		rc = x.rc;
	if (rc == NISE_OK && x.n) {
		rc = s->ops->begin(s);
		if (rc == NISE_OK) {
			for (size_t i = 0; rc == NISE_OK && i < x.n; i++)
				if ((rc = s->ops->del(s, NISE_T_URL, x.keys[i], 32)) == NISE_ENOTFOUND)
					rc = NISE_OK; /* gone already: what expiry wanted */
			nise_rc crc = s->ops->commit(s);
			if (rc == NISE_OK)
				rc = crc;
		}
	}
	if (rc == NISE_OK)
		*out = x.n;
	free(x.keys);
	return rc;
}
