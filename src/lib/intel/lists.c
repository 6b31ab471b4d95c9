/* SPDX-License-Identifier: MIT */
/*
 * lists.c — the operator's loop: what an operator reported (nise learn,
 * POST /v1/feedback) and what an administrator allows or blocks (nise
 * allow|block), in the store so that every process sharing it sees it at
 * its next scan.
 *
 *   LIST  "kind:value" → text record, one "key \t value" a line:
 *         action (allow|block), source, who, when, note, brand, campaign
 *
 * One entry per kind and value: a later report replaces an earlier one.
 * What the checks need beyond the record:
 *
 *   - a blocked URL or link domain is also a URL entry (feed "learned" or
 *     "blocklist"), so the Safe Browsing lookup (urlrep.c) finds it;
 *   - a fingerprint reported genuine has band entries under the key
 *     prefix "A" (campaign.c), so a close copy is found sub-linearly;
 *   - a fingerprint reported phishing is a campaign copy (CAMPAIGN_MATCH).
 *
 * Removing an entry removes what it added, except band members (sets
 * never lose members): a band entry whose LIST record is gone or no
 * longer "allow" is ignored by nise_list_find_genuine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/check.h"
#include "engine.h"
#include "intel/intel.h"
#include "intel/sb.h"
#include "intel/store.h"
#include "url/url.h"

static const char *const kind_names[NISE_LIST_NKIND] = {"sender", "sender-domain", "link-domain", "url",
                                                        "campaign"};

const char *nise_list_kind_name(enum nise_list_kind k)
{
	return (unsigned)k < NISE_LIST_NKIND ? kind_names[k] : "?";
}

bool nise_list_kind_parse(const char *s, enum nise_list_kind *out)
{
	for (int k = 0; k < NISE_LIST_NKIND; k++)
		if (strcmp(s, kind_names[k]) == 0) {
			*out = (enum nise_list_kind)k;
			return true;
		}
	return false;
}

void nise_list_now(char out[21])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool domain_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
	       ch >= 0x80;
}

/* Lowercase ASCII domain of at least two labels; false otherwise. A
 * Unicode domain is stored and looked up in its IDNA ASCII form
 * (nise_url_host_to_ascii), the form of a link's URL, so "例え.jp" and
 * "xn--r8jz45g.jp" are one entry. */
static bool norm_domain(const char *in, char *out, size_t on)
{
	while (*in == '*' || *in == '.')
		in++;
	size_t n = strlen(in);
	while (n && in[n - 1] == '.')
		n--;
	char idn[256];
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)in[i] < 0x80)
			continue;
		if (!nise_url_host_to_ascii(idn, sizeof(idn), in, n))
			break; /* kept as written */
		in = idn;
		n = strlen(idn);
		break;
	}
	if (!n || n >= on || !memchr(in, '.', n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch | 32);
		if (!domain_char(ch))
			return false;
		out[i] = (char)ch;
	}
	out[n] = '\0';
	return !strstr(out, "..");
}

nise_rc nise_list_normalise(enum nise_list_kind k, const char *in, char *out, size_t on)
{
	if (!in || !on)
		return NISE_EINVAL;
	switch (k) {
	case NISE_LIST_SENDER: {
		const char *at = strrchr(in, '@');
		size_t ln = at ? (size_t)(at - in) : 0;
		if (!at || !ln || ln + 2 >= on)
			return NISE_EINVAL;
		for (size_t i = 0; i < ln; i++) {
			unsigned char ch = (unsigned char)in[i];
			if (ch <= ' ' || ch == 0x7f)
				return NISE_EINVAL;
			out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 32 : ch);
		}
		out[ln] = '@';
		return norm_domain(at + 1, out + ln + 1, on - ln - 1) ? NISE_OK : NISE_EINVAL;
	}
	case NISE_LIST_SENDER_DOMAIN:
	case NISE_LIST_LINK_DOMAIN:
		return norm_domain(in, out, on) ? NISE_OK : NISE_EINVAL;
	case NISE_LIST_URL: {
		struct nise_sb_url *u = malloc(sizeof(*u));
		if (!u)
			return NISE_ENOMEM;
		nise_rc rc = nise_sb_canon(u, in, strlen(in));
		if (rc == NISE_OK && !nise_sb_exact(u, out, on))
			rc = NISE_ELIMIT;
		free(u);
		return rc == NISE_OK ? NISE_OK : NISE_EINVAL;
	}
	case NISE_LIST_CAMPAIGN: {
		size_t n = strlen(in);
		if (n != 16 || on < 17)
			return NISE_EINVAL;
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)in[i];
			if (ch >= 'A' && ch <= 'F')
				ch = (unsigned char)(ch | 32);
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
				return NISE_EINVAL;
			out[i] = (char)ch;
		}
		out[n] = '\0';
		return NISE_OK;
	}
	default:
		return NISE_EINVAL;
	}
}

static size_t list_key(char *buf, size_t bn, enum nise_list_kind k, const char *value)
{
	int n = snprintf(buf, bn, "%s:%s", nise_list_kind_name(k), value);
	return n > 0 && (size_t)n < bn ? (size_t)n : 0;
}

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

static void copy_field(char *d, size_t dn, const char *s, size_t n)
{
	if (n >= dn)
		n = dn - 1;
	memcpy(d, s, n);
	d[n] = '\0';
}

static bool on_record(void *vctx, const void *v, size_t n)
{
	struct nise_list_entry *e = vctx;
	const char *p = v, *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(le - p));
		if (tab) {
			size_t kn = (size_t)(tab - p), vn = (size_t)(le - tab - 1);
			const char *val = tab + 1;
#define FIELD(name, dst)                                                                                \
	else if (kn == sizeof(name) - 1 && memcmp(p, name, kn) == 0) copy_field(dst, sizeof(dst), val, vn)
			if (kn == 6 && memcmp(p, "action", 6) == 0)
				e->block = vn == 5 && memcmp(val, "block", 5) == 0;
			FIELD("source", e->source);
			FIELD("who", e->who);
			FIELD("when", e->when);
			FIELD("note", e->note);
			FIELD("brand", e->brand);
			FIELD("campaign", e->campaign);
#undef FIELD
		}
		p = nl ? nl + 1 : end;
	}
	return true;
}

/* Parses a LIST key "kind:value" into e. */
static bool parse_key(struct nise_list_entry *e, const char *k, size_t kn)
{
	const char *colon = memchr(k, ':', kn);
	if (!colon)
		return false;
	char kind[32];
	copy_field(kind, sizeof(kind), k, (size_t)(colon - k));
	if (!nise_list_kind_parse(kind, &e->kind))
		return false;
	copy_field(e->value, sizeof(e->value), colon + 1, kn - (size_t)(colon + 1 - k));
	return true;
}

nise_rc nise_list_get(struct nise_list_entry *out, struct nise_store *s, enum nise_list_kind k,
                      const char *value)
{
	memset(out, 0, sizeof(*out));
	char key[600];
	size_t kn = list_key(key, sizeof(key), k, value);
	if (!kn)
		return NISE_ENOTFOUND;
	out->kind = k;
	snprintf(out->value, sizeof(out->value), "%s", value);
	return s->ops->get(s, NISE_T_LIST, key, kn, on_record, out);
}

bool nise_list_any(struct nise_store *s)
{
	size_t n = 0;
	return s->ops->count(s, NISE_T_LIST, &n) == NISE_OK && n > 0;
}

/* The Safe Browsing expression a blocked URL or link domain is listed as. */
static bool block_expr(const struct nise_list_entry *e, char *out, size_t on)
{
	if (!e->block)
		return false;
	int n = -1;
	if (e->kind == NISE_LIST_URL)
		n = snprintf(out, on, "%s", e->value);
	else if (e->kind == NISE_LIST_LINK_DOMAIN)
		n = snprintf(out, on, "%s/", e->value);
	return n > 0 && (size_t)n < on;
}

static nise_rc put_url(struct nise_store *s, const struct nise_list_entry *e, const char *expr)
{
	unsigned char h[32];
	nise_sb_hash(h, expr, strlen(expr));
	char val[1024];
	const char *feed = strcmp(e->source, "learned") == 0 ? "learned" : "blocklist";
	int w = snprintf(val, sizeof(val), "%s\t%.10s\t%s\t%s", feed, e->when, e->brand, expr);
	if (w < 0 || (size_t)w >= sizeof(val))
		return NISE_ELIMIT;
	for (char *p = val; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	nise_rc rc = s->ops->put(s, NISE_T_URL, h, 32, val, (size_t)w);
	if (rc == NISE_OK)
		rc = s->ops->add(s, NISE_T_PREFIX, h, 4, h, 32);
	return rc;
}

nise_rc nise_list_add(struct nise_store *s, const struct nise_list_entry *in)
{
	struct nise_list_entry *e = malloc(sizeof(*e));
	char *buf = malloc(2048);
	nise_rc rc = e && buf ? NISE_OK : NISE_ENOMEM;
	char key[600];
	size_t kn = 0;
	if (rc == NISE_OK) {
		*e = *in;
		if (!e->when[0])
			nise_list_now(e->when);
		kn = list_key(key, sizeof(key), e->kind, e->value);
		if (!kn || !e->value[0])
			rc = NISE_EINVAL;
	}
	if (rc == NISE_OK && e->kind == NISE_LIST_CAMPAIGN) {
		uint64_t fp = strtoull(e->value, NULL, 16);
		if (!fp)
			rc = NISE_EINVAL;
		else if (!e->block)
			rc = nise_fp_bands_add(s, "A", 1, fp, fp);
		else if (!e->campaign[0]) {
			/* a campaign named by the administrator: one copy, today */
			struct nise_campaign c;
			char date[11];
			copy_field(date, sizeof(date), e->when, 10);
			rc = nise_campaign_add(&c, s, fp, date, e->brand, NULL, NULL, NULL, 0);
			if (rc == NISE_OK)
				snprintf(e->campaign, sizeof(e->campaign), "%016llx", (unsigned long long)c.id);
		}
	}
	char expr[600];
	if (rc == NISE_OK && block_expr(e, expr, sizeof(expr)))
		rc = put_url(s, e, expr);
	if (rc == NISE_OK) {
		size_t w = 0;
		buf[0] = '\0';
		put_line(buf, 2048, &w, "action", e->block ? "block" : "allow");
		put_line(buf, 2048, &w, "source", e->source[0] ? e->source : "admin");
		put_line(buf, 2048, &w, "who", e->who);
		put_line(buf, 2048, &w, "when", e->when);
		put_line(buf, 2048, &w, "note", e->note);
		put_line(buf, 2048, &w, "brand", e->brand);
		put_line(buf, 2048, &w, "campaign", e->campaign);
		rc = s->ops->put(s, NISE_T_LIST, key, kn, buf, w);
	}
	free(buf);
	free(e);
	return rc;
}

nise_rc nise_list_remove(struct nise_store *s, enum nise_list_kind k, const char *value)
{
	char norm[512];
	if (nise_list_normalise(k, value, norm, sizeof(norm)) != NISE_OK)
		return NISE_EINVAL;
	struct nise_list_entry *e = malloc(sizeof(*e));
	if (!e)
		return NISE_ENOMEM;
	nise_rc rc = nise_list_get(e, s, k, norm);
	char expr[600];
	if (rc == NISE_OK && block_expr(e, expr, sizeof(expr))) {
		unsigned char h[32];
		nise_sb_hash(h, expr, strlen(expr));
		nise_rc d = s->ops->del(s, NISE_T_URL, h, 32);
		if (d != NISE_OK && d != NISE_ENOTFOUND)
			rc = d;
	}
	if (rc == NISE_OK && k == NISE_LIST_CAMPAIGN && e->block && e->campaign[0]) {
		nise_rc d = nise_campaign_delete(s, strtoull(e->campaign, NULL, 16));
		if (d != NISE_OK && d != NISE_ENOTFOUND)
			rc = d;
	}
	if (rc == NISE_OK) {
		char key[600];
		size_t kn = list_key(key, sizeof(key), k, norm);
		rc = s->ops->del(s, NISE_T_LIST, key, kn);
	}
	free(e);
	return rc;
}

struct each_ctx {
	nise_list_fn fn;
	void *ctx;
	struct nise_list_entry e;
};

static bool on_entry(void *vctx, const void *k, size_t kn, const void *v, size_t vn)
{
	struct each_ctx *x = vctx;
	memset(&x->e, 0, sizeof(x->e));
	if (!parse_key(&x->e, k, kn))
		return true;
	on_record(&x->e, v, vn);
	return x->fn(x->ctx, &x->e);
}

nise_rc nise_list_each(struct nise_store *s, nise_list_fn fn, void *ctx)
{
	struct each_ctx *x = malloc(sizeof(*x));
	if (!x)
		return NISE_ENOMEM;
	x->fn = fn;
	x->ctx = ctx;
	nise_rc rc = s->ops->scan(s, NISE_T_LIST, on_entry, x);
	free(x);
	return rc;
}

nise_rc nise_list_find_genuine(struct nise_list_entry *out, struct nise_store *s, uint64_t fp,
                               unsigned *dist)
{
	memset(out, 0, sizeof(*out));
	uint64_t id = 0, mfp = 0;
	nise_rc rc = nise_fp_bands_find(s, "A", 1, fp, &id, &mfp, dist);
	if (rc != NISE_OK)
		return rc;
	char hex[17];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)mfp);
	rc = nise_list_get(out, s, NISE_LIST_CAMPAIGN, hex);
	if (rc == NISE_OK && out->block)
		rc = NISE_ENOTFOUND; /* reported genuine, later phishing */
	return rc;
}
