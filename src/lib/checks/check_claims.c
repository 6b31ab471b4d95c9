/* SPDX-License-Identifier: MIT */
/*
 * check_claims.c — claims that data/brands.tsv cannot decide.
 *
 * ORG_CLAIM_SENDER: the display name (or a 【tag】 opening the subject)
 * presents an organisation — a legal form or a sector word from
 * data/org-words.tsv (株式会社, 銀行, 証券, 信用金庫, 省, Bank, Support …) —
 * that no registry row names, while the mail comes from a free mailbox or
 * a bulk-mail platform, or from a domain that shares none of the name's
 * words. A name written only in Japanese cannot be compared with a domain:
 * from an ordinary domain it counts only when the body asks for login or
 * payment details.
 *
 * BRAND_CONSISTENT: the From domain belongs to the brand the mail names,
 * and every link goes to that brand's domains or to a bulk-mail click
 * tracker (data/click-trackers.tsv). Such a mail gains a phisher nothing,
 * so it earns a negative score — unless any finding an impersonator would
 * leave (a look-alike domain or letter, a form, a listed URL, a spoofed
 * origin, failed authentication, replies elsewhere) is present: then it is
 * not given at all. It reads no Authentication-Results of its own.
 *
 * Known false positives (docs/checks/): ORG_CLAIM_SENDER on a company's
 * genuine mail sent by a vendor under the vendor's domain with a Latin name
 * the domain does not contain; it is weak alone (below "suspicious").
 */
#include <string.h>
#include <strings.h>

#include "checks/check.h"

/* --- ORG_CLAIM_SENDER ---------------------------------------------- */

struct org_scan {
	const struct nise_detect *d;
	const char *s;
	size_t n;
	int hit;       /* first corp/sector word, index into d->org */
};

static bool ascii_alnum(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* After an "end" word: the end, ASCII non-alphanumerics, CJK punctuation
 * and brackets (U+3000..U+303F) or the katakana middle dot. */
static bool word_ends(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (!u[0] || (u[0] < 0x80 && !ascii_alnum(u[0])))
		return true;
	return (u[0] == 0xE3 && u[1] == 0x80) || (u[0] == 0xE3 && u[1] == 0x83 && u[2] == 0xBB);
}

static bool on_org(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct org_scan *o = vctx;
	const struct org_word *w = &o->d->org[id];
	if (w->kind == ORG_GENERIC)
		return true;
	if (w->latin && ((start > 0 && ascii_alnum((unsigned char)o->s[start - 1])) ||
	                 ascii_alnum((unsigned char)o->s[start + len])))
		return true;
	if (w->end && !word_ends(o->s + start + len))
		return true;
	o->hit = (int)id;
	return false;
}

static int org_word(const struct nise_detect *d, const char *s, size_t n)
{
	struct org_scan o = {.d = d, .s = s, .n = n, .hit = -1};
	nise_ac_scan(d->org_ac, s, n, on_org, &o);
	return o.hit;
}

/* Is the folded word w (length n) an org or generic word? */
static bool listed_word(const struct nise_detect *d, const char *w, size_t n)
{
	for (size_t i = 0; i < d->norg; i++)
		if (d->org[i].latin && strlen(d->org[i].word) == n && memcmp(d->org[i].word, w, n) == 0)
			return true;
	return false;
}

/* The name's Latin words (3+ letters, not org or generic words): does
 * any occur in the sender's domain? *words counts the words compared. */
static bool shares_word(const struct nise_detect *d, const char *name, const char *domain, int *words)
{
	*words = 0;
	for (const char *p = name; *p;) {
		if (!ascii_alnum((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *e = p;
		bool alpha = false;
		while (ascii_alnum((unsigned char)*e)) {
			alpha |= !(*e >= '0' && *e <= '9');
			e++;
		}
		size_t n = (size_t)(e - p);
		if (n >= 3 && alpha && !listed_word(d, p, n)) {
			(*words)++;
			char w[64];
			if (n < sizeof(w)) {
				memcpy(w, p, n);
				w[n] = '\0';
				if (strcasestr(domain, w))
					return true;
			}
		}
		p = e;
	}
	return false;
}

static bool on_ask(void *vctx, uint32_t id, size_t start, size_t len)
{
	struct nise_ctx *c = vctx;
	(void)start;
	(void)len;
	const struct lex_entry *e = &c->d->lex[id];
	if (e->cat == LEX_CREDENTIAL || e->cat == LEX_PAYMENT) {
		c->asks_details = true;
		return false;
	}
	return true;
}

void check_org_claim(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	/* a brand's own domain speaks for itself (gmail.com is Google's, but
	 * its users are not Google) */
	if (!m->nfrom || !c->from_domain || (c->from_brand >= 0 && !c->from_freemail))
		return;
	/* a registry brand claimed by name, local part or subject is judged
	 * by the brand checks */
	if (c->brand >= 0 && c->where >= CLAIM_SUBJECT)
		return;
	const struct nise_address *f = &m->from[0];
	/* "Mail Administrator" <postmaster@ezweb.ne.jp>: a provider's own
	 * bounce, not a claim */
	if (f->local && (strcasecmp(f->local, "postmaster") == 0 || strcasecmp(f->local, "mailer-daemon") == 0))
		return;
	const char *name = NULL, *shown = NULL;
	if (c->display_f && *c->display_f && org_word(c->d, c->display_f, strlen(c->display_f)) >= 0) {
		name = c->display_f;
		shown = f->name;
	} else if (c->subject_f && strncmp(c->subject_f, "【", strlen("【")) == 0) {
		/* 【ＪＡネットバンク】お客さま情報の確認: the tag names the sender */
		const char *open = c->subject_f + strlen("【");
		const char *close = strstr(open, "】");
		if (close && close > open) {
			const char *tag = nise_arena_strndup(c->a, open, (size_t)(close - open));
			if (tag && org_word(c->d, tag, strlen(tag)) >= 0) {
				name = tag;
				shown = m->subject;
			}
		}
	}
	if (!name)
		return;
	int hit = org_word(c->d, name, strlen(name));
	int words = 0;
	bool shares = shares_word(c->d, name, f->domain ? f->domain : c->from_domain, &words);
	if (shares)
		return;
	nise_ac_scan(c->d->lexicon, c->body_nospace, c->body_nospace_len, on_ask, c);
	double factor;
	const char *why, *why_ja;
	if (c->from_freemail) {
		factor = 1.0;
		why = "a free mailbox or bulk-mail platform anyone can use";
		why_ja = "誰でも使える無料メールまたは一斉配信サービス";
	} else if (words > 0) {
		factor = 0.75;
		why = "a domain that shares no word with that name";
		why_ja = "名前と共通の語を含まないドメイン";
	} else if (c->asks_details) {
		factor = 0.5;
		why = "a domain nise cannot tie to that name, and the mail asks for login or payment details";
		why_ja = "その名前と結びつかないドメイン（しかもログイン情報や支払い情報を求めています）";
	} else {
		return;
	}
	if (c->asks_details)
		factor *= 1.5;
	const char *word = c->d->org[hit].word;
	const char *args[] = {shown, word, c->from_domain, why};
	const char *args_ja[] = {shown, word, c->from_domain, why_ja};
	nise_ctx_finding_ja(c, "ORG_CLAIM_SENDER", factor,
	                    nise_arena_printf(c->a, "From: \"%s\" <%s>%s%s", f->name, f->address,
	                                      shown == m->subject ? "; Subject: " : "",
	                                      shown == m->subject ? m->subject : ""),
	                    args, args_ja, 4);
}

/* --- BRAND_CONSISTENT ---------------------------------------------- */

/* Findings that an impersonator leaves: with any of them, consistency
 * proves nothing. */
static const char *const spoiled_by[] = {
	"HOMOGRAPH_DOMAIN", "TYPOSQUAT_DOMAIN", "LOOKALIKE_DOMAIN", "BRAND_AS_SUBDOMAIN", "PUNYCODE_DOMAIN",
	"HOMOGLYPH_WORD", "MIXED_SCRIPT_WORDS", "STYLED_LETTERS", "INVISIBLE_CHARACTERS",
	"CREDENTIAL_FORM", "HTML_ATTACHMENT", "INTEL_URL_MATCH", "CAMPAIGN_MATCH",
	"BRAND_SPOOFED_ORIGIN", "AUTH_BRAND_FAIL", "AUTH_DMARC_FAIL", "RETURN_PATH_MISMATCH",
	"REPLY_TO_MISMATCH", "DISPLAY_NAME_DOMAIN", "URL_USERINFO", "URL_IP_HOST", "URL_REDIRECT",
	"URL_SHORTENER", "FREE_HOSTING_LINK", "LINK_TEXT_MISMATCH", "LINK_BRAND_MISMATCH",
	"SENDER_BRAND_MISMATCH", "FROM_WITHOUT_DOMAIN", "UNNATURAL_JAPANESE",
	/* already credited by the receiving server's authentication */
	"BRAND_AUTHENTICATED",
};

static bool spoiled(const struct nise_ctx *c)
{
	const struct nise_finding *fs = c->findings.items;
	for (size_t i = 0; i < c->findings.n; i++)
		for (size_t k = 0; k < sizeof(spoiled_by) / sizeof(spoiled_by[0]); k++)
			if (strcmp(fs[i].id, spoiled_by[k]) == 0)
				return true;
	return false;
}

void check_brand_consistent(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	if (c->from_brand < 0 || c->from_freemail || c->brand != c->from_brand || c->where == CLAIM_NONE ||
	    c->impersonation || c->from_auth_failed || m->nforms || spoiled(c))
		return;
	size_t own = 0, tracked = 0;
	const char *last = NULL;
	for (size_t i = 0; i < m->nlinks; i++) {
		const struct nise_link *l = &m->links[i];
		if (l->source == NISE_LINK_IMAGE || l->source == NISE_LINK_HEADER)
			continue;
		if (!l->url.url)
			continue;
		if (!l->url.scheme || (strcmp(l->url.scheme, "http") != 0 && strcmp(l->url.scheme, "https") != 0))
			continue; /* mailto:, tel: */
		const char *dom = l->url.domain ? l->url.domain : l->url.host;
		if (!dom)
			return;
		if (nise_ctx_brand_owns(c, c->brand, dom)) {
			own++;
			last = dom;
		} else if (nise_strset_get(&c->d->trackers, dom, strlen(dom), NULL)) {
			tracked++;
		} else {
			return; /* one link elsewhere is enough */
		}
	}
	if (!own && !tracked)
		return; /* nothing to click: nothing to prove */
	const char *bname = c->d->brands[c->brand].name;
	const char *args[] = {bname, c->from_domain, nise_arena_printf(c->a, "%zu", own + tracked)};
	/* links that all pass through a tracker could lead anywhere */
	nise_ctx_finding(c, "BRAND_CONSISTENT", own ? 1.0 : 0.5,
	                 nise_arena_printf(c->a, "From: <%s>; links: %zu to %s, %zu via click trackers",
	                                   m->from[0].address, own, last ? last : "-", tracked),
	                 args, 3);
}
