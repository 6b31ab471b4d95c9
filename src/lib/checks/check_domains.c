/* SPDX-License-Identifier: MIT */
/*
 * check_domains.c — domains built to look like a brand's: the brand's
 * token inside another domain (newnamecardamazon.icu), the brand's whole
 * domain as a subdomain of another (www1.jcb.co.jp.sfeline.com), one or
 * two letters off (arnazon), look-alike letters (UTS #39 skeletons:
 * аpple.com with a Cyrillic а), and top-level domains common in phishing
 * (weights from data/tld-risk.tsv, computed from the JPCERT/CC list).
 *
 * Every host the mail names is judged once: the From, Reply-To and
 * Return-Path domains and every web link. A brand's own domains, shared
 * platforms and shorteners are never lookalikes.
 */
#include <string.h>

#include "checks/check.h"
#include "text/text.h"
#include "url/url.h"

#define MAX_HOSTS 64

void nise_label_hist(uint8_t hist[LABEL_BINS], const char *s, size_t n)
{
	memset(hist, 0, LABEL_BINS);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		unsigned bin = ch >= 'a' && ch <= 'z' ? ch - 'a'
		               : ch >= '0' && ch <= '9' ? 26 + (ch - '0')
		               : ch == '-' ? 36 : 37;
		if (hist[bin] < 255)
			hist[bin]++;
	}
}

uint64_t nise_label_mask(const uint8_t hist[LABEL_BINS])
{
	uint64_t m = 0;
	for (size_t k = 0; k < LABEL_BINS; k++)
		if (hist[k])
			m |= UINT64_C(1) << k;
	return m;
}

/* A lower bound of the edit distance of two labels from their letter
 * counts: a substitution changes two counts by one, an insertion or a
 * deletion one, a transposition none, so distance >= L1 / 2. (Counts
 * saturate at 255: labels here have at most 63 letters.) */
static unsigned hist_bound(const uint8_t *a, const uint8_t *b)
{
	unsigned l1 = 0;
	for (size_t k = 0; k < LABEL_BINS; k++)
		l1 += a[k] > b[k] ? (unsigned)(a[k] - b[k]) : (unsigned)(b[k] - a[k]);
	return (l1 + 1) / 2;
}

/* Optimal string alignment distance (Damerau), bounded: returns > max
 * early when the distance must exceed max. Only the band |i - j| <= max
 * of the table is computed (cells outside it exceed max anyway). */
static size_t osa_distance(const char *a, size_t an, const char *b, size_t bn, size_t max)
{
	if (an > 63 || bn > 63 || max > 8)
		return max + 1;
	if ((an > bn ? an - bn : bn - an) > max)
		return max + 1;
	enum { BIG = 1000 };
	unsigned short d[64][64];
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = (unsigned short)(j <= max ? j : BIG);
	for (size_t i = 1; i <= an; i++) {
		size_t lo = i > max ? i - max : 1;
		size_t hi = i + max < bn ? i + max : bn;
		d[i][0] = (unsigned short)(i <= max ? i : BIG);
		if (lo > 1)
			d[i][lo - 1] = BIG;
		if (hi > (i - 1) + max) /* outside the previous row's band */
			d[i - 1][hi] = BIG;
		unsigned rowmin = BIG;
		for (size_t j = lo; j <= hi; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			if (v > BIG)
				v = BIG;
			d[i][j] = (unsigned short)v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
	}
	return d[an][bn] > max ? max + 1 : d[an][bn];
}

struct token_hit {
	const char *body, *regbody;
	int best; /* brand << 1 | whole of the first brand (registry order) found */
	size_t start, len;
};

/* A token match; whole-part tokens only count inside the registrable
 * label, bounded by a label edge or hyphen. Keeps the registry's first
 * brand when several match. */
static bool on_token(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct token_hit *t = vctx;
	if (id & 1) {
		size_t bl = strlen(t->body), rl = strlen(t->regbody);
		size_t rb = bl >= rl ? bl - rl : 0;
		if (start < rb)
			return true;
		const char *p = t->body + start;
		bool left = start == rb || p[-1] == '.' || p[-1] == '-';
		char r = p[len];
		if (!left || !(r == '\0' || r == '.' || r == '-'))
			return true;
	}
	if (t->best < 0 || (int)(id >> 1) < (t->best >> 1)) {
		t->best = (int)id;
		t->start = start;
		t->len = len;
	}
	return true;
}

struct host_role {
	const char *host;
	const char *role; /* "sender", "link", ... for evidence */
};

static const char *role_ja(const char *role)
{
	if (strcmp(role, "sender") == 0)
		return "送信元";
	if (strcmp(role, "reply-to") == 0)
		return "返信先";
	if (strcmp(role, "link") == 0)
		return "リンク";
	return role;
}

/* tlds and tlds_ja list the risky TLDs with where they were seen, in
 * English (also the evidence) and in Japanese for the ja sentence. */
/* A brand's whole domain as whole labels anywhere in sub, not only at its
 * end: "www.amazon.co.jp.account-check" (for …flowed-evil.example). Tries
 * every run of 2 to 6 labels; sub is a host part (at most 253 bytes).
 * Returns the brand domain (in the arena) and sets *b, or NULL. */
static const char *brand_labels_inside(struct nise_ctx *c, const char *sub, int *b)
{
	size_t n = strlen(sub);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && sub[i - 1] != '.')
			continue;
		size_t labels = 1;
		for (size_t j = i; j <= n && labels <= 6; j++) {
			if (j < n && sub[j] != '.')
				continue;
			if (labels >= 2) {
				int hit;
				if (nise_strset_get(&c->d->domain_brand, sub + i, j - i, &hit)) {
					*b = hit;
					return nise_arena_strndup(c->a, sub + i, j - i);
				}
			}
			labels++;
		}
	}
	*b = -1;
	return NULL;
}

static void judge_host(struct nise_ctx *c, const char *host, const char *role, double *tld_max,
                       struct nise_buf *tlds, struct nise_buf *tlds_ja)
{
	const struct nise_detect *d = c->d;
	const char *ascii = host;
	const char *uni = nise_url_host_unicode(c->a, host);
	if (!uni)
		uni = host;
	const char *reg = nise_ctx_registrable(c, uni);
	if (!reg)
		return;
	/* TLD weight, whoever owns the domain */
	const char *dot = strrchr(reg, '.');
	const char *tld = dot ? dot + 1 : reg;
	int w100;
	/* below 1.0 a TLD is about as common in genuine mail: not evidence */
	if (nise_strset_get(&d->tld_weight, tld, strlen(tld), &w100) && w100 >= 100) {
		double w = w100 / 100.0;
		if (w > *tld_max)
			*tld_max = w;
		if (tlds->n < 200 && !strstr(nise_buf_cstr(tlds), tld)) {
			if (tlds->n)
				nise_buf_append(tlds, ", ", 2);
			const char *t = nise_arena_printf(c->a, ".%s (%s %s)", tld, role, host);
			if (t)
				nise_buf_append(tlds, t, strlen(t));
			if (tlds_ja->n)
				nise_buf_append(tlds_ja, "、", strlen("、"));
			const char *tj = nise_arena_printf(c->a, ".%s（%s %s）", tld, role_ja(role), host);
			if (tj)
				nise_buf_append(tlds_ja, tj, strlen(tj));
		}
	}
	if (nise_ctx_domain_brand(c, reg) >= 0 || nise_ctx_is_shared(c, reg) ||
	    nise_strset_get(&d->shorteners, reg, strlen(reg), NULL) ||
	    nise_strset_get(&d->freemail, reg, strlen(reg), NULL))
		return;
	/* the part of the host before the public suffix, in ASCII */
	const char *regdot = strchr(reg, '.');
	size_t suffix = regdot ? strlen(regdot) : 0;
	size_t hn = strlen(ascii);
	char *body = nise_arena_strndup(c->a, ascii, hn > suffix ? hn - suffix : hn);
	if (!body)
		return;

	/* 1. a brand's whole domain as a subdomain */
	size_t uln = strlen(uni), rn = strlen(reg);
	if (uln > rn + 1) {
		const char *sub = nise_arena_strndup(c->a, uni, uln - rn - 1);
		const char *sreg = sub ? nise_url_registrable(c->a, c->u, sub) : NULL;
		int sb = nise_ctx_domain_brand(c, sreg);
		if (sb < 0 && sub)
			sreg = brand_labels_inside(c, sub, &sb);
		if (sb >= 0) {
			const char *args[] = {host, sreg, reg};
			nise_ctx_finding(c, "BRAND_AS_SUBDOMAIN", 1.0,
			                 nise_arena_printf(c->a, "%s (%s)", host, role), args, 3);
			return;
		}
	}
	/* 2. a brand token inside a label. Short whole-word tokens (=citi,
	 * =ups) only count in the registrable label itself: www.citi.umich.edu
	 * is a university department, citi-secure.example is not. */
	const char *regbody = nise_arena_strndup(c->a, reg, regdot ? (size_t)(regdot - reg) : strlen(reg));
	if (!regbody)
		return;
	struct token_hit th = {.body = body, .regbody = regbody, .best = -1};
	nise_ac_scan(d->tokens, body, strlen(body), on_token, &th);
	/* No exception for the brand's own label under another suffix:
	 * vpass.co.jp (for SMBC's vpass.ne.jp) is a real phishing sender,
	 * so missing ccTLDs of a brand belong in data/brands.tsv instead. */
	if (th.best >= 0) {
		int b = th.best >> 1;
		double f = (c->brand < 0 || c->brand == b) ? 1.0 : 0.6;
		if (c->brand < 0 && strcmp(role, "link") == 0)
			f = 0.6;
		const char *tok = nise_arena_strndup(c->a, body + th.start, th.len);
		const char *args[] = {host, tok, d->brands[b].name};
		nise_ctx_finding(c, "LOOKALIKE_DOMAIN", f, nise_arena_printf(c->a, "%s (%s)", host, role), args, 3);
		return;
	}
	/* 3. look-alike letters and misspellings of a brand's domain label */
	const char *ldot = strchr(reg, '.');
	size_t ll = ldot ? (size_t)(ldot - reg) : strlen(reg);
	const char *label = nise_arena_strndup(c->a, reg, ll);
	if (!label || ll < 4)
		return;
	const char *sk = nise_text_skeleton(d->text, c->a, label, ll);
	int hb;
	if (sk && nise_strset_get(&d->label_skeleton, sk, strlen(sk), &hb)) {
		bool same = false;
		for (size_t k = 0; k < d->brands[hb].nlabels; k++)
			same |= strcmp(d->brands[hb].labels[k], label) == 0;
		if (!same) {
			const char *args[] = {uni, sk, d->brands[hb].name};
			nise_ctx_finding(c, "HOMOGRAPH_DOMAIN", 1.0,
			                 nise_arena_printf(c->a, "%s = %s (%s)", uni, ascii, role), args, 3);
			return;
		}
	}
	if (strncmp(ascii, "xn--", 4) == 0 || strstr(ascii, ".xn--")) {
		unsigned scripts = nise_text_scripts(uni, strlen(uni));
		unsigned latinish = NISE_SCRIPT_LATIN | NISE_SCRIPT_GREEK | NISE_SCRIPT_CYRILLIC;
		if ((scripts & NISE_SCRIPT_LATIN) && (scripts & latinish & ~NISE_SCRIPT_LATIN)) {
			const char *args[] = {uni, ascii};
			nise_ctx_finding(c, "PUNYCODE_DOMAIN", 1.0, nise_arena_printf(c->a, "%s (%s)", ascii, role),
			                 args, 2);
		}
	}
	/* five-letter labels are one letter from too many real names
	 * (tesco/tepco): misspellings are judged from six letters on */
	if (ll < 6)
		return;
	size_t maxd = ll >= 10 ? 2 : 1;
	int best = -1;
	const char *best_label = NULL;
	uint8_t hist[LABEL_BINS];
	nise_label_hist(hist, label, ll);
	uint64_t mask = nise_label_mask(hist);
	/* the first label long enough (sorted by length) */
	size_t lo = 0, hi = d->nlabels;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->labels[mid].len + maxd < ll)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < d->nlabels; i++) {
		const struct brand_label *bl = &d->labels[i];
		if (bl->len > ll + maxd)
			break; /* sorted by length */
		if (((unsigned)__builtin_popcountll(mask ^ bl->mask) + 1) / 2 > maxd ||
		    hist_bound(hist, bl->hist) > maxd)
			continue; /* farther than maxd: the distance is not needed */
		size_t dist = osa_distance(label, ll, bl->label, bl->len, maxd);
		if (dist >= 1 && dist <= maxd && (best < 0 || bl->brand < best)) {
			best = bl->brand;
			best_label = bl->label;
		}
	}
	if (best >= 0) {
		const char *args[] = {host, best_label, d->brands[best].name};
		nise_ctx_finding(c, "TYPOSQUAT_DOMAIN", c->brand == best ? 1.0 : 0.6,
		                 nise_arena_printf(c->a, "%s (%s)", host, role), args, 3);
	}
}

void check_domains(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	struct host_role hosts[MAX_HOSTS];
	size_t nh = 0;
	if (m->nfrom && m->from[0].domain && *m->from[0].domain)
		hosts[nh++] = (struct host_role){m->from[0].domain, "sender"};
	if (m->nreply_to && m->reply_to[0].domain && *m->reply_to[0].domain)
		hosts[nh++] = (struct host_role){m->reply_to[0].domain, "reply-to"};
	for (size_t i = 0; i < m->nlinks && nh < MAX_HOSTS; i++) {
		const struct nise_link *l = &m->links[i];
		if (!l->url.host_ascii || !*l->url.host_ascii || l->url.host_is_ip || !l->url.scheme ||
		    strncmp(l->url.scheme, "http", 4) != 0)
			continue;
		bool dup = false;
		for (size_t k = 0; k < nh; k++)
			dup |= strcmp(hosts[k].host, l->url.host_ascii) == 0;
		if (!dup)
			hosts[nh++] = (struct host_role){l->url.host_ascii, "link"};
	}
	double tld_max = 0;
	struct nise_buf tlds, tlds_ja;
	nise_buf_init(&tlds, c->a, 400);
	nise_buf_init(&tlds_ja, c->a, 600);
	for (size_t i = 0; i < nh; i++)
		judge_host(c, hosts[i].host, hosts[i].role, &tld_max, &tlds, &tlds_ja);
	if (tld_max > 0) {
		const char *list = nise_buf_cstr(&tlds);
		const char *args[] = {list};
		const char *args_ja[] = {nise_buf_cstr(&tlds_ja)};
		nise_ctx_finding_ja(c, "RISKY_TLD", tld_max * 2.0 / 3.0, list, args, args_ja, 1);
	}
}
