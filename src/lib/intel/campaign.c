/* SPDX-License-Identifier: MIT */
/*
 * campaign.c — campaign memory: record judged phishing, find the campaign
 * a new mail belongs to, list them.
 *
 * A campaign is the set of mails whose fingerprints (fingerprint.c) lie
 * within NISE_FP_THRESHOLD bits of one of its recorded copies. Search is
 * sub-linear by LSH banding: the 64 bits are cut into NBANDS bands; by
 * the pigeonhole principle two fingerprints within NBANDS - 1 bits agree
 * exactly on at least one band, so NBANDS = threshold + 1 finds every
 * candidate, and only the few copies sharing a band value are compared.
 *
 *   BAND      band number + band bits (3 bytes) → {campaign id + fingerprint}
 *   CAMPAIGN  id (8 bytes, big-endian) → text record, one "key \t value"
 *             a line: fp, first, last, copies, brand, subject*, sender*,
 *             link*
 *
 * A campaign's id is its first copy's fingerprint. Every recorded copy
 * that is not already identical to one of the campaign's adds its own
 * band entries, so a campaign that drifts copy by copy is still found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/check.h"
#include "engine.h"
#include "intel/intel.h"
#include "intel/store.h"

#define NBANDS (NISE_FP_GUARANTEED + 1)

static unsigned band_value(uint64_t fp, unsigned b, unsigned char key[3])
{
	unsigned lo = b * 64 / NBANDS, hi = (b + 1) * 64 / NBANDS;
	uint64_t v = (fp >> lo) & ((((uint64_t)1) << (hi - lo)) - 1);
	key[0] = (unsigned char)b;
	key[1] = (unsigned char)(v >> 8);
	key[2] = (unsigned char)v;
	return (unsigned)v;
}

static void be64(unsigned char out[8], uint64_t v)
{
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(v >> (56 - 8 * i));
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v); /* stored big-endian; the build targets little-endian x86/arm */
}

/* Bit count without a libgcc call (the build does not assume POPCNT). */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

struct best {
	uint64_t fp;
	uint64_t id;
	uint64_t mfp; /* the member's own fingerprint */
	unsigned dist;
	bool found;
};

static bool on_band_member(void *vctx, const void *v, size_t n)
{
	struct best *b = vctx;
	if (n != 16)
		return true;
	uint64_t fp = rd64((const unsigned char *)v + 8);
	unsigned d = popcount64(fp ^ b->fp);
	if (d > NISE_FP_THRESHOLD || (b->found && d > b->dist))
		return true;
	uint64_t id = rd64(v);
	if (!b->found || d < b->dist || id < b->id) {
		b->found = true;
		b->dist = d;
		b->id = id;
		b->mfp = fp;
	}
	return true;
}

static void copy_field(char *d, size_t dn, const char *s, size_t n)
{
	if (n >= dn)
		n = dn - 1;
	memcpy(d, s, n);
	d[n] = '\0';
}

static bool on_campaign_record(void *vctx, const void *v, size_t n)
{
	struct nise_campaign *c = vctx;
	const char *p = v, *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(le - p));
		if (tab) {
			size_t kn = (size_t)(tab - p), vn = (size_t)(le - tab - 1);
			const char *val = tab + 1;
			char num[32];
			if (kn == 2 && memcmp(p, "fp", 2) == 0) {
				copy_field(num, sizeof(num), val, vn);
				c->fingerprint = strtoull(num, NULL, 16);
			} else if (kn == 5 && memcmp(p, "first", 5) == 0) {
				copy_field(c->first_seen, sizeof(c->first_seen), val, vn);
			} else if (kn == 4 && memcmp(p, "last", 4) == 0) {
				copy_field(c->last_seen, sizeof(c->last_seen), val, vn);
			} else if (kn == 6 && memcmp(p, "copies", 6) == 0) {
				copy_field(num, sizeof(num), val, vn);
				c->copies = strtoul(num, NULL, 10);
			} else if (kn == 5 && memcmp(p, "brand", 5) == 0) {
				copy_field(c->brand, sizeof(c->brand), val, vn);
			} else if (kn == 7 && memcmp(p, "subject", 7) == 0 && c->nsubjects < NISE_CAMPAIGN_ITEMS) {
				copy_field(c->subjects[c->nsubjects++], sizeof(c->subjects[0]), val, vn);
			} else if (kn == 6 && memcmp(p, "sender", 6) == 0 && c->nsenders < NISE_CAMPAIGN_ITEMS) {
				copy_field(c->senders[c->nsenders++], sizeof(c->senders[0]), val, vn);
			} else if (kn == 4 && memcmp(p, "link", 4) == 0 && c->nlinks < NISE_CAMPAIGN_ITEMS) {
				copy_field(c->links[c->nlinks++], sizeof(c->links[0]), val, vn);
			}
		}
		p = nl ? nl + 1 : end;
	}
	return true;
}

static nise_rc load(struct nise_campaign *out, struct nise_store *s, uint64_t id)
{
	memset(out, 0, sizeof(*out));
	out->id = id;
	unsigned char k[8];
	be64(k, id);
	return s->ops->get(s, NISE_T_CAMPAIGN, k, 8, on_campaign_record, out);
}

/* The closest fingerprint within the threshold among the band entries
 * whose keys start with prefix (pn bytes: "" for campaigns). */
nise_rc nise_fp_bands_find(struct nise_store *s, const char *prefix, size_t pn, uint64_t fp,
                           uint64_t *id, uint64_t *member_fp, unsigned *dist)
{
	struct best b = {.fp = fp};
	nise_rc rc = NISE_OK;
	for (unsigned i = 0; i < NBANDS; i++) {
		unsigned char key[8];
		memcpy(key, prefix, pn);
		band_value(fp, i, key + pn);
		rc = s->ops->members(s, NISE_T_BAND, key, pn + 3, on_band_member, &b);
		if (rc != NISE_OK && rc != NISE_ENOTFOUND)
			return rc;
		rc = NISE_OK;
		if (b.found && b.dist == 0)
			break;
	}
	if (!b.found)
		return NISE_ENOTFOUND;
	*id = b.id;
	*member_fp = b.mfp;
	*dist = b.dist;
	return NISE_OK;
}

nise_rc nise_campaign_find(struct nise_campaign *out, struct nise_store *s, uint64_t fp)
{
	memset(out, 0, sizeof(*out));
	if (!fp)
		return NISE_ENOTFOUND;
	if (s->ops->read_begin)
		s->ops->read_begin(s);
	uint64_t id = 0, mfp = 0;
	unsigned dist = 0;
	nise_rc rc = nise_fp_bands_find(s, "", 0, fp, &id, &mfp, &dist);
	if (rc == NISE_OK) {
		rc = load(out, s, id);
		out->distance = dist;
	}
	if (s->ops->read_end)
		s->ops->read_end(s);
	return rc;
}

/* Appends "key \t value \n" with tabs and newlines in value made spaces. */
static void put_line(char *buf, size_t bn, size_t *w, const char *key, const char *val)
{
	int n = snprintf(buf + *w, bn - *w, "%s\t", key);
	if (n < 0 || (size_t)n >= bn - *w)
		return;
	*w += (size_t)n;
	for (; *val && *w + 2 < bn; val++)
		buf[(*w)++] = (*val == '\t' || *val == '\n' || *val == '\r') ? ' ' : *val;
	buf[(*w)++] = '\n';
	buf[*w] = '\0';
}

/* Adds v to a list of at most NISE_CAMPAIGN_ITEMS strings of size isz. */
static void add_to(char *items, size_t isz, size_t *n, const char *v)
{
	if (!v || !*v || *n >= NISE_CAMPAIGN_ITEMS)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strncmp(items + i * isz, v, isz - 1) == 0)
			return;
	snprintf(items + *n * isz, isz, "%s", v);
	for (char *p = items + *n * isz; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	(*n)++;
}

static nise_rc save(struct nise_store *s, const struct nise_campaign *c)
{
	size_t bn = 8192, w = 0;
	char *buf = malloc(bn);
	if (!buf)
		return NISE_ENOMEM;
	buf[0] = '\0';
	char num[32];
	snprintf(num, sizeof(num), "%016llx", (unsigned long long)c->fingerprint);
	put_line(buf, bn, &w, "fp", num);
	put_line(buf, bn, &w, "first", c->first_seen);
	put_line(buf, bn, &w, "last", c->last_seen);
	snprintf(num, sizeof(num), "%lu", c->copies);
	put_line(buf, bn, &w, "copies", num);
	put_line(buf, bn, &w, "brand", c->brand);
	for (size_t i = 0; i < c->nsubjects; i++)
		put_line(buf, bn, &w, "subject", c->subjects[i]);
	for (size_t i = 0; i < c->nsenders; i++)
		put_line(buf, bn, &w, "sender", c->senders[i]);
	for (size_t i = 0; i < c->nlinks; i++)
		put_line(buf, bn, &w, "link", c->links[i]);
	unsigned char k[8];
	be64(k, c->id);
	nise_rc rc = s->ops->put(s, NISE_T_CAMPAIGN, k, 8, buf, w);
	free(buf);
	return rc;
}

nise_rc nise_fp_bands_add(struct nise_store *s, const char *prefix, size_t pn, uint64_t id,
                          uint64_t fp)
{
	unsigned char m[16];
	be64(m, id);
	be64(m + 8, fp);
	for (unsigned i = 0; i < NBANDS; i++) {
		unsigned char key[8];
		memcpy(key, prefix, pn);
		band_value(fp, i, key + pn);
		nise_rc rc = s->ops->add(s, NISE_T_BAND, key, pn + 3, m, 16);
		if (rc != NISE_OK)
			return rc;
	}
	return NISE_OK;
}

static nise_rc add_bands(struct nise_store *s, uint64_t id, uint64_t fp)
{
	return nise_fp_bands_add(s, "", 0, id, fp);
}

nise_rc nise_campaign_delete(struct nise_store *s, uint64_t id)
{
	unsigned char k[8];
	be64(k, id);
	return s->ops->del(s, NISE_T_CAMPAIGN, k, 8);
}

nise_rc nise_campaign_add(struct nise_campaign *out, struct nise_store *s, uint64_t fp,
                          const char *date, const char *brand, const char *subject,
                          const char *sender, const char *const *links, size_t nlinks)
{
	struct nise_campaign *c = malloc(sizeof(*c));
	if (!c)
		return NISE_ENOMEM;
	nise_rc rc = nise_campaign_find(c, s, fp);
	if (rc == NISE_ENOTFOUND) {
		memset(c, 0, sizeof(*c));
		c->id = fp;
		c->fingerprint = fp;
		snprintf(c->first_seen, sizeof(c->first_seen), "%s", date);
		snprintf(c->last_seen, sizeof(c->last_seen), "%s", date);
		snprintf(c->brand, sizeof(c->brand), "%s", brand ? brand : "");
		rc = add_bands(s, c->id, fp);
	} else if (rc == NISE_OK) {
		if (c->distance > 0)
			rc = add_bands(s, c->id, fp);
		if (strcmp(date, c->first_seen) < 0 || !c->first_seen[0])
			snprintf(c->first_seen, sizeof(c->first_seen), "%s", date);
		if (strcmp(date, c->last_seen) > 0)
			snprintf(c->last_seen, sizeof(c->last_seen), "%s", date);
		if (!c->brand[0] && brand)
			snprintf(c->brand, sizeof(c->brand), "%s", brand);
	}
	if (rc == NISE_OK) {
		c->copies++;
		add_to(&c->subjects[0][0], sizeof(c->subjects[0]), &c->nsubjects, subject);
		add_to(&c->senders[0][0], sizeof(c->senders[0]), &c->nsenders, sender);
		for (size_t i = 0; i < nlinks; i++)
			add_to(&c->links[0][0], sizeof(c->links[0]), &c->nlinks, links[i]);
		rc = save(s, c);
	}
	if (rc == NISE_OK && out)
		*out = *c;
	free(c);
	return rc;
}

/* ---- from a scanned message ---------------------------------------- */

static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

/* "Tue, 17 Nov 2020 10:00:00 +0900" → "2020-11-17"; today (UTC) when the
 * Date header is missing or unreadable. */
static void mail_date(char out[11], const char *date)
{
	int day = 0, mon = -1, year = 0;
	const char *p = date;
	while (p && *p && (mon < 0 || !year)) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		const char *t = p;
		while (*p && *p != ' ' && *p != ',' && *p != '\t')
			p++;
		size_t n = (size_t)(p - t);
		if (n >= 1 && n <= 2 && t[0] >= '0' && t[0] <= '9' && !day && mon < 0) {
			day = t[0] - '0';
			if (n == 2 && t[1] >= '0' && t[1] <= '9')
				day = day * 10 + (t[1] - '0');
		} else if (n >= 3 && mon < 0 && day) {
			for (int i = 0; i < 12; i++)
				if (((t[0] | 32) == months[i][0]) && ((t[1] | 32) == months[i][1]) &&
				    ((t[2] | 32) == months[i][2]))
					mon = i;
		} else if (n == 4 && mon >= 0 && t[0] >= '1' && t[0] <= '2') {
			year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
		}
	}
	if (day >= 1 && day <= 31 && mon >= 0 && year >= 1970 && year <= 2999) {
		char tmp[48];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", year, mon + 1, day);
		memcpy(out, tmp, 11);
		return;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

uint64_t nise_intel_fingerprint(const struct nise_engine *e, const struct nise_result *r)
{
	if (r->fingerprint)
		return r->fingerprint; /* computed by the scan's campaign check */
	if (!e->detect || !r->msg)
		return 0;
	struct nise_arena *a = nise_arena_new((size_t)16 << 20, e->arena_debug);
	if (!a)
		return 0;
	uint64_t fp = nise_fp_message(e->detect->text, a, r->msg);
	nise_arena_free(a);
	return fp;
}

nise_rc nise_campaign_match(struct nise_campaign *out, struct nise_store *s,
                            const struct nise_engine *e, const struct nise_result *r)
{
	return nise_campaign_find(out, s, nise_intel_fingerprint(e, r));
}

nise_rc nise_intel_record(struct nise_campaign *out, bool *recorded, struct nise_store *s,
                          const struct nise_engine *e, const struct nise_result *r)
{
	*recorded = false;
	if (r->verdict != NISE_PHISHING)
		return NISE_OK;
	return nise_campaign_record_mail(out, recorded, s, e, r);
}

nise_rc nise_campaign_record_mail(struct nise_campaign *out, bool *recorded, struct nise_store *s,
                                  const struct nise_engine *e, const struct nise_result *r)
{
	*recorded = false;
	uint64_t fp = nise_intel_fingerprint(e, r);
	if (!fp)
		return NISE_OK;
	const struct nise_message *m = r->msg;
	char date[11];
	mail_date(date, m->date);
	const char *links[NISE_CAMPAIGN_ITEMS];
	size_t nl = 0;
	for (size_t i = 0; i < m->nlinks && nl < NISE_CAMPAIGN_ITEMS; i++) {
		const char *d = m->links[i].url.domain;
		if (!d || !*d)
			continue;
		bool dup = false;
		for (size_t j = 0; j < nl; j++)
			dup |= strcmp(links[j], d) == 0;
		if (!dup)
			links[nl++] = d;
	}
	const char *sender = m->nfrom && m->from[0].domain ? m->from[0].domain : "";
	nise_rc rc = nise_campaign_add(out, s, fp, date, r->brand, m->subject, sender, links, nl);
	if (rc == NISE_OK)
		*recorded = true;
	return rc;
}

struct list_ctx {
	nise_campaign_fn fn;
	void *ctx;
	struct nise_campaign c;
};

static bool on_campaign(void *vctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct list_ctx *x = vctx;
	if (kn != 8)
		return true;
	memset(&x->c, 0, sizeof(x->c));
	x->c.id = rd64(k);
	on_campaign_record(&x->c, v, vn);
	return x->fn(x->ctx, &x->c);
}

nise_rc nise_campaigns_list(struct nise_store *s, nise_campaign_fn fn, void *ctx)
{
	struct list_ctx *x = malloc(sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	x->fn = fn;
	x->ctx = ctx;
	nise_rc rc = s->ops->scan(s, NISE_T_CAMPAIGN, on_campaign, x);
	free(x);
	return rc;
}
