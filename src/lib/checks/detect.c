/* SPDX-License-Identifier: MIT */
/*
 * detect.c — the detection stage: per-message context, the checks, the
 * verdict.
 *
 * The context is computed once: folded subject, display name and body
 * (text.h), the brand the mail claims and where it claims it, the
 * sender's registrable domain and what the receiving server's
 * Authentication-Results say about it. Checks read it and add findings.
 *
 * Which brand a mail claims, strongest first: the From display name
 * ("Amazon.co.jp", "ＪＣＢ"), the From local part ("amazon-support@"), the
 * subject, then the body (two or more mentions, or one in an image's alt
 * text — logos are images). Within one place the longest name wins
 * (三井住友カード over 三井住友). A mail whose From domain belongs to a
 * brand is that brand's mail, whatever else it mentions.
 *
 * Which Authentication-Results to believe: only the topmost field of each
 * authserv-id the engine was told to trust (check_auth.c, docs/trust.md).
 * Any other field can be written by the sender.
 *
 * Verdict: the sum of finding scores; >= 6 phishing, >= 3 suspicious
 * (docs/verdict.md). The learned model, when loaded, adds one finding of
 * its own after the checks (src/lib/model/apply.c, docs/model.md).
 */
#include "checks/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/table.h"
#include "model/model.h"
#include "text/text.h"
#include "url/url.h"

#ifndef NISE_DATA_DIR
#define NISE_DATA_DIR "/usr/share/nise"
#endif

#define BODY_FOLD_MAX ((size_t)64 << 10)

/* An explicitly named model must load; the default one (model.bin in
 * the data directory) may be absent, but a broken one is an error, not a
 * silent fallback to the checks alone. */
static nise_rc load_model(struct nise_detect *d, const char *path, const char *dir, char *diag,
                          size_t dn)
{
	char def[4096];
	if (!path) {
		int k = snprintf(def, sizeof(def), "%s/model.bin", dir);
		if (k < 0 || (size_t)k >= sizeof(def) || access(def, F_OK) != 0)
			return NISE_OK;
		path = def;
	}
	return nise_model_load(&d->model, path, diag, dn);
}

const char *nise_detect_model_meta(const struct nise_detect *d)
{
	return d && d->model ? nise_model_meta(d->model) : NULL;
}

/* Thresholds, weight overrides and list entries of the configuration. */
static nise_rc apply_admin(struct nise_detect *d, const struct nise_engine_opts *opts, char *diag,
                           size_t dn)
{
	d->weights = calloc(nise_ncheck, sizeof(*d->weights));
	if (!d->weights)
		return NISE_ENOMEM;
	for (size_t i = 0; i < nise_ncheck; i++)
		d->weights[i] = nise_checks[i].weight;
	if (!opts)
		return NISE_OK;
	if (opts->phishing_score > 0)
		d->w_phishing = opts->phishing_score;
	if (opts->suspicious_score > 0)
		d->w_suspicious = opts->suspicious_score;
	if (d->w_suspicious > d->w_phishing) {
		snprintf(diag, dn, "suspicious_score %g is above phishing_score %g", d->w_suspicious, d->w_phishing);
		return NISE_EINVAL;
	}
	for (size_t i = 0; i < opts->nweights; i++) {
		const struct nise_check *k = nise_check_find(opts->weight_ids[i]);
		if (!k) {
			snprintf(diag, dn, "weight for an unknown check \"%s\"", opts->weight_ids[i]);
			return NISE_EINVAL;
		}
		d->weights[k - nise_checks] = opts->weight_values[i];
	}
	if (opts->nlists) {
		d->lists = calloc(opts->nlists, sizeof(*d->lists));
		if (!d->lists)
			return NISE_ENOMEM;
		memcpy(d->lists, opts->lists, opts->nlists * sizeof(*d->lists));
		d->nlists = opts->nlists;
	}
	return NISE_OK;
}

nise_rc nise_detect_new(struct nise_detect **out, const struct nise_engine_opts *opts, char *diag,
                        size_t dn)
{
	const char *data_dir = opts ? opts->data_dir : NULL;
	*out = NULL;
	struct nise_detect *d = calloc(1, sizeof(*d));
	if (!d)
		return NISE_ENOMEM;
	d->w_phishing = 6.0;
	d->w_suspicious = 3.0;
	char tmp[256];
	if (!diag || !dn) {
		diag = tmp;
		dn = sizeof(tmp);
	}
	const char *dir = data_dir ? data_dir : getenv("NISE_DATA_DIR");
	if (!dir)
		dir = NISE_DATA_DIR;
	d->cache_dir = opts ? opts->cache_dir : NULL;
	nise_rc rc = nise_data_load(d, dir, diag, dn);
	d->cache_dir = NULL; /* borrowed for the load only */
	if (rc == NISE_OK && !(opts && opts->no_model))
		rc = load_model(d, opts ? opts->model_path : NULL, dir, diag, dn);
	if (rc != NISE_OK) {
		nise_detect_free(d);
		return rc;
	}
	d->keep_features = opts && opts->keep_features;
	if (opts && opts->ntrusted_authserv_ids) {
		d->trusted = calloc(opts->ntrusted_authserv_ids, sizeof(*d->trusted));
		if (!d->trusted) {
			nise_detect_free(d);
			return NISE_ENOMEM;
		}
		for (size_t i = 0; i < opts->ntrusted_authserv_ids; i++) {
			const char *id = opts->trusted_authserv_ids[i];
			if (!id || !*id)
				continue;
			d->trusted[d->ntrusted] = strdup(id);
			if (!d->trusted[d->ntrusted]) {
				nise_detect_free(d);
				return NISE_ENOMEM;
			}
			d->ntrusted++;
		}
	}
	rc = apply_admin(d, opts, diag, dn);
	if (rc != NISE_OK) {
		nise_detect_free(d);
		return rc;
	}
	*out = d;
	return NISE_OK;
}

void nise_detect_free(struct nise_detect *d)
{
	if (!d)
		return;
	nise_model_free(d->model);
	for (size_t i = 0; i < d->ntrusted; i++)
		free(d->trusted[i]);
	free(d->trusted);
	nise_data_free(d);
	free(d->weights);
	free(d->lists);
	free(d);
}

const char *nise_ctx_registrable(struct nise_ctx *c, const char *host)
{
	if (!host || !*host)
		return NULL;
	const char *h = nise_url_host_unicode(c->a, host);
	if (!h)
		h = host;
	const char *r = nise_url_registrable(c->a, c->u, h);
	return r ? r : h;
}

int nise_ctx_domain_brand(const struct nise_ctx *c, const char *domain)
{
	int b;
	if (domain && nise_strset_get(&c->d->domain_brand, domain, strlen(domain), &b))
		return b;
	return -1;
}

bool nise_ctx_brand_owns(const struct nise_ctx *c, int b, const char *d)
{
	if (b < 0 || !d)
		return false;
	const struct nise_brand *br = &c->d->brands[b];
	for (size_t i = 0; i < br->ndomains; i++)
		if (strcmp(br->domains[i], d) == 0)
			return true;
	return false;
}

bool nise_ctx_is_shared(const struct nise_ctx *c, const char *domain)
{
	return domain && nise_strset_get(&c->d->shared, domain, strlen(domain), NULL);
}

void nise_ctx_finding(struct nise_ctx *c, const char *id, double factor, const char *evidence,
                      const char *const *args, size_t nargs)
{
	nise_ctx_finding_ja(c, id, factor, evidence, args, args, nargs);
}

void nise_ctx_finding_ja(struct nise_ctx *c, const char *id, double factor, const char *evidence,
                         const char *const *args, const char *const *args_ja, size_t nargs)
{
	const struct nise_check *k = nise_check_find(id);
	if (!k)
		return;
	/* A check may report several pieces of evidence; only its first
	 * finding scores, so one fact seen twice does not count twice. */
	bool repeat = false;
	struct nise_finding *fs = c->findings.items;
	for (size_t i = 0; i < c->findings.n; i++) {
		if (strcmp(fs[i].id, id) != 0)
			continue;
		if (evidence && fs[i].evidence && strcmp(fs[i].evidence, evidence) == 0)
			return;
		repeat = true;
	}
	if (repeat && c->findings.n >= 32)
		return;
	struct nise_finding *f = nise_vec_push(c->a, &c->findings, sizeof(*f));
	if (!f)
		return;
	f->id = k->id;
	double w = c->d->weights ? c->d->weights[k - nise_checks] : k->weight;
	f->score = repeat ? 0.0 : w * factor;
	f->evidence = evidence ? evidence : "";
	f->explain_en = nise_format(c->a, k->explain, args, nargs);
	f->explain_ja = nise_format(c->a, nise_ja(k->explain), args_ja, nargs);
}

static const char *fold(struct nise_ctx *c, const char *s, size_t n, bool nospace, size_t *len)
{
	struct nise_buf b;
	nise_buf_init(&b, c->a, 0);
	if (n > BODY_FOLD_MAX)
		n = BODY_FOLD_MAX;
	nise_text_fold(c->d->text, &b, s, n, nospace);
	if (len)
		*len = b.n;
	return nise_buf_cstr(&b);
}

struct name_scan {
	const char *s;
	int best;         /* brand */
	size_t best_len, best_start;
	int *counts;      /* per brand, may be NULL */
};

static bool is_alnum_ascii(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Does s[0..n) end with an opening bracket / begin with a closing one?
 * (folded text: NFKC has made （［＜ into ([<, 【「『 stay) */
static bool ends_with_opener(const char *s, size_t n)
{
	static const char *const open[] = {"(", "[", "<", "\"", "【", "「", "『", "〔", "〈", "《", "〖", " "};
	for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		size_t k = strlen(open[i]);
		if (n >= k && memcmp(s + n - k, open[i], k) == 0)
			return i + 1 < sizeof(open) / sizeof(open[0]) || n == k;
	}
	return false;
}

static bool starts_with_closer(const char *s)
{
	static const char *const close[] = {")", "]", ">", "\"", "】", "」", "』", "〕", "〉", "》", "〗"};
	if (!*s || (s[0] == ' ' && !s[1]))
		return true;
	for (size_t i = 0; i < sizeof(close) / sizeof(close[0]); i++)
		if (strncmp(s, close[i], strlen(close[i])) == 0)
			return true;
	return false;
}

static bool on_name(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct name_scan *ns = vctx;
	/* a name that is also a word ("LINE", "ANA") names the brand only
	 * standing alone: the whole text, or inside brackets (【LINE】) */
	if ((id & 2) && !((start == 0 || ends_with_opener(ns->s, start)) && starts_with_closer(ns->s + start + len)))
		return true;
	if (id & 1) {
		/* whole word: no ASCII letter or digit on either side */
		if (start > 0 && is_alnum_ascii(ns->s[start - 1]))
			return true;
		if (is_alnum_ascii(ns->s[start + len]))
			return true;
	}
	int b = (int)(id >> 2);
	if (ns->counts)
		ns->counts[b]++;
	if (len > ns->best_len) {
		ns->best = b;
		ns->best_len = len;
		ns->best_start = start;
	}
	return true;
}

static int find_brand(struct nise_ctx *c, const char *folded, size_t n, int *counts,
                      const char **matched)
{
	struct name_scan ns = {.s = folded, .best = -1, .counts = counts};
	nise_ac_scan(c->d->names, folded, n, on_name, &ns);
	if (ns.best >= 0 && matched)
		*matched = nise_arena_strndup(c->a, folded + ns.best_start, ns.best_len);
	return ns.best;
}

/* "Lockergnome Apple Core" <subscriptions@lockergnome.com>: a display
 * name that names the sender's own domain is that sender's name; a brand
 * in it is a topic, not an identity. (A lookalike domain such as
 * amazon-support.example contains the brand itself and is judged by the
 * domain checks.) */
static bool names_own_domain(struct nise_ctx *c)
{
	if (!c->from_domain || c->from_brand >= 0)
		return false;
	const char *dot = strchr(c->from_domain, '.');
	size_t ll = dot ? (size_t)(dot - c->from_domain) : strlen(c->from_domain);
	if (ll < 4)
		return false;
	char label[64];
	if (ll >= sizeof(label))
		return false;
	memcpy(label, c->from_domain, ll);
	label[ll] = '\0';
	if (!strstr(c->display_f, label))
		return false;
	/* the label must not itself carry a brand's name */
	return find_brand(c, label, ll, NULL, NULL) < 0;
}

static void claim_brand(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	c->brand = -1;
	const char *matched = NULL;
	if (c->from_brand >= 0 && !c->from_freemail) {
		/* mail from a brand's domain is that brand's mail; it *presents
		 * itself* as the brand only when its name or subject says so
		 * ("Amazon.co.jp" does, "Tyler Hicks" does not) */
		c->brand = c->from_brand;
		c->where = CLAIM_NONE;
		if (c->display_f && find_brand(c, c->display_f, strlen(c->display_f), NULL, NULL) >= 0) {
			c->where = CLAIM_DISPLAY;
			c->claim_text = m->from[0].name;
		} else if (c->subject_f && find_brand(c, c->subject_f, strlen(c->subject_f), NULL, NULL) >= 0) {
			c->where = CLAIM_SUBJECT;
			c->claim_text = m->subject;
		}
		return;
	}
	if (c->display_f && *c->display_f && !names_own_domain(c)) {
		c->brand = find_brand(c, c->display_f, strlen(c->display_f), NULL, &matched);
		if (c->brand >= 0) {
			c->where = CLAIM_DISPLAY;
			c->claim_text = m->from[0].name;
			return;
		}
	}
	if (m->nfrom && m->from[0].local && *m->from[0].local) {
		size_t n;
		const char *lp = fold(c, m->from[0].local, strlen(m->from[0].local), false, &n);
		c->brand = find_brand(c, lp, n, NULL, &matched);
		if (c->brand >= 0) {
			c->where = CLAIM_LOCALPART;
			c->claim_text = m->from[0].address;
			return;
		}
	}
	if (c->subject_f && *c->subject_f) {
		c->brand = find_brand(c, c->subject_f, strlen(c->subject_f), NULL, &matched);
		if (c->brand >= 0) {
			c->where = CLAIM_SUBJECT;
			c->claim_text = m->subject;
			return;
		}
	}
	/* body: three mentions, or the logo's alt text */
	int *counts = nise_arena_calloc(c->a, c->d->nbrands, sizeof(int));
	if (!counts)
		return;
	size_t head = c->body_f_len < 8192 ? c->body_f_len : 8192;
	find_brand(c, c->body_f, head, counts, NULL);
	for (size_t i = 0; i < m->nimages; i++) {
		if (!m->images[i].alt || !*m->images[i].alt)
			continue;
		size_t n;
		const char *alt = fold(c, m->images[i].alt, strlen(m->images[i].alt), false, &n);
		int b = find_brand(c, alt, n, NULL, NULL);
		if (b >= 0)
			counts[b] += 2;
	}
	int best = -1;
	for (size_t i = 0; i < c->d->nbrands; i++)
		if (counts[i] >= 3 && (best < 0 || counts[i] > counts[best]))
			best = (int)i;
	if (best >= 0) {
		c->brand = best;
		c->where = CLAIM_BODY;
		c->claim_text = c->d->brands[best].name;
	}
}

/* The space-free form of folded text is the spaced one without its
 * spaces: folding collapses every run of white space to one ' '. */
static const char *without_spaces(struct nise_arena *a, const char *s, size_t n, size_t *len)
{
	char *ns = nise_arena_alloc(a, n + 1);
	size_t w = 0;
	if (!ns) {
		*len = 0;
		return "";
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ')
			ns[w++] = s[i];
	ns[w] = '\0';
	*len = w;
	return ns;
}

static bool on_subject_lex(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct nise_ctx *c = vctx;
	(void)start;
	(void)len;
	if (c->d->lex[id].weight >= 1.5 && c->d->lex[id].cat != LEX_ACTION) {
		c->subject_lure = true;
		return false;
	}
	return true;
}

/* "eBay Bid Confirmed", "PayPal Account Security Measures": a subject
 * that names a brand *and* speaks the language of account notices is the
 * mail presenting itself as that brand, not news about it. */
static bool subject_has_lure(struct nise_ctx *c)
{
	nise_ac_scan(c->d->lexicon, c->subject_nospace, c->subject_nospace_len, on_subject_lex, c);
	return c->subject_lure;
}

/* Mailing lists and bulk senders rewrite Reply-To and break DKIM by
 * design; those facts mean little there. */
static bool is_bulk(const struct nise_message *m)
{
	if (m->list_id || m->list_unsubscribe)
		return true;
	for (size_t i = 0; i < m->nheaders; i++) {
		const char *n = m->headers[i].name, *v = m->headers[i].value;
		if (strcasecmp(n, "Mailing-List") == 0 || strcasecmp(n, "List-Post") == 0 ||
		    strcasecmp(n, "X-Mailing-List") == 0)
			return true;
		if (strcasecmp(n, "Precedence") == 0 && v &&
		    (strcasestr(v, "list") || strcasestr(v, "bulk")))
			return true;
	}
	return false;
}

/* Did the From domain pass authentication the engine trusts? The one
 * place the operator's loop asks (a report of "genuine" and an allow
 * entry for a sender domain count only then). */
static bool sender_authenticated(const struct nise_ctx *c)
{
	return c->from_authenticated;
}

static double sum_scores(const struct nise_ctx *c)
{
	double score = 0;
	const struct nise_finding *fs = c->findings.items;
	for (size_t i = 0; i < c->findings.n; i++)
		score += fs[i].score;
	return score;
}

static enum nise_verdict verdict_of(const struct nise_detect *d, double score)
{
	return score >= d->w_phishing ? NISE_PHISHING : score >= d->w_suspicious ? NISE_SUSPICIOUS : NISE_CLEAN;
}

void nise_detect_run(const struct nise_detect *d, const struct nise_urlctx *u,
                     struct nise_result *r)
{
	r->verdict = NISE_CLEAN;
	r->score = 0;
	if (!d)
		return;
	struct nise_ctx c;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.u = u;
	c.r = r;
	c.m = r->msg;
	c.a = r->arena;
	c.from_brand = -1;
	struct nise_message *m = r->msg;

	c.subject_f = fold(&c, m->subject, strlen(m->subject), false, NULL);
	if (m->nfrom) {
		c.display_f = fold(&c, m->from[0].name, strlen(m->from[0].name), false, NULL);
		if (m->from[0].domain && *m->from[0].domain) {
			c.from_domain = nise_ctx_registrable(&c, m->from[0].domain);
			/* Anyone can have a gmail.com or outlook.com address: a
			 * mailbox provider's domain does not make its users the
			 * brand, however well they authenticate. */
			c.from_freemail = nise_strset_get(&d->freemail, c.from_domain, strlen(c.from_domain), NULL) ||
			                  nise_ctx_is_shared(&c, c.from_domain);
			c.from_brand = nise_ctx_domain_brand(&c, c.from_domain);
		}
	}
	c.body_f = fold(&c, m->visible_text, m->visible_len, false, &c.body_f_len);
	c.body_nospace = without_spaces(c.a, c.body_f, c.body_f_len, &c.body_nospace_len);
	c.subject_nospace = without_spaces(c.a, c.subject_f, strlen(c.subject_f), &c.subject_nospace_len);
	c.bulk = is_bulk(m);
	c.subject_lure = subject_has_lure(&c);
	nise_ctx_read_auth(&c);
	claim_brand(&c);
	r->from_domain = c.from_domain;
	r->from_authenticated = sender_authenticated(&c);
	r->from_shared = c.from_freemail;
	r->from_brand = c.from_brand >= 0;

	check_auth(&c);
	check_sender(&c);
	check_links(&c);
	check_domains(&c);
	check_text(&c);
	check_html(&c);
	check_intel(&c);
	check_lists_sender(&c);
	check_org_claim(&c);
	check_brand_consistent(&c);

	double checks = sum_scores(&c);
	r->check_score = checks;
	r->check_verdict = verdict_of(d, checks);
	r->model_p = -1;
	if (d->model || d->keep_features)
		nise_model_apply(&c, checks);

	r->findings = c.findings.items;
	r->nfindings = c.findings.n;
	double score = sum_scores(&c);
	r->score = score;
	if (c.brand >= 0 && (c.where >= CLAIM_SUBJECT || score >= d->w_suspicious))
		r->brand = d->brands[c.brand].name;
	r->verdict = verdict_of(d, score);
	r->model_tipped = r->verdict != r->check_verdict;
}
