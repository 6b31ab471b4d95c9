/* SPDX-License-Identifier: MIT */
/*
 * check_links.c — where the links really go: away from the brand the mail
 * claims, away from the address their text shows, behind an "@", to a
 * bare IP, through shorteners and redirectors.
 *
 * Genuine newsletters route every link through a click tracker on their
 * sending service (sendgrid.net, list-manage.com, ...). Those domains are
 * listed in data/shared-senders.tsv and never count as "a different site"
 * for the text-vs-href check: that is the false positive rspamd and ClamAV
 * users complain about most.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/check.h"
#include "core/chars.h"
#include "url/url.h"

static bool is_web(const struct nise_link *l)
{
	return l->url.url && l->url.host && *l->url.host && l->url.scheme &&
	       (strcmp(l->url.scheme, "http") == 0 || strcmp(l->url.scheme, "https") == 0);
}

static bool actionable(const struct nise_link *l)
{
	return l->source != NISE_LINK_IMAGE && l->source != NISE_LINK_HEADER;
}

static const char *shown(const struct nise_link *l)
{
	return l->text && *l->text ? l->text : l->href;
}

struct text_url {
	struct nise_ctx *c;
	struct nise_url u;
	const char *match;
	bool found;
};

static bool on_text_url(void *vctx, const char *match, size_t n)
{
	struct text_url *t = vctx;
	memset(&t->u, 0, sizeof(t->u));
	if (nise_url_parse(&t->u, t->c->a, t->c->u, match, n, true) == NISE_OK && t->u.domain) {
		t->found = true;
		t->match = nise_arena_strndup(t->c->a, match, n);
		if (!t->match)
			t->match = "";
		return false;
	}
	return true;
}

/* Is the link's text (mostly) a URL or domain? "Walmart.com" is;
 * "News.com: Top CIOs" is a headline. found gets the parsed URL. */
static bool text_shows_url(struct nise_ctx *c, const struct nise_link *l, struct text_url *t)
{
	memset(t, 0, sizeof(*t));
	t->c = c;
	if (!l->text || !*l->text)
		return false;
	nise_url_extract(c->u, l->text, strlen(l->text), on_text_url, t);
	if (!t->found)
		return false;
	size_t text = 0;
	for (const char *p = l->text; *p; p++)
		text += *p != ' ' && *p != '\t' && *p != '\n';
	size_t url = strlen(t->match);
	return url * 10 >= text * 6;
}

/* A newsletter's click tracker: /click?, /Click?q=, /clickthrough/,
 * /track/, /ls/click, /t/NNN/. Trackers make text and href differ for
 * honest reasons, so a mismatch through one is weak evidence. */
static bool click_tracker(const struct nise_link *l)
{
	const char *p = l->url.path;
	if (!p)
		return false;
	return strcasestr(p, "click") || strcasestr(p, "/track") || strcasestr(p, "redirect") ||
	       (p[0] == '/' && p[1] == 't' && p[2] == '/' && p[3] >= '0' && p[3] <= '9');
}

/* A site shown through Google Translate's proxy: the original host is
 * the label before ".translate.goog", its dots written as "-" and its
 * dashes as "--" (evil-example.translate.goog is evil.example;
 * my--site-example.translate.goog is my-site.example). Phishing uses it
 * to put a google-run host in front of the real one (an IPFS gateway,
 * a fresh domain); the original is what the reader's browser loads. */
#define TRANSLATE_PROXY ".translate.goog"
static const char *proxied_target(struct nise_ctx *c, const struct nise_link *l)
{
	const char *h = l->url.host;
	size_t hn = strlen(h), sn = sizeof(TRANSLATE_PROXY) - 1;
	if (hn <= sn || strcmp(h + hn - sn, TRANSLATE_PROXY) != 0)
		return NULL;
	size_t ln = hn - sn;
	if (memchr(h, '.', ln))
		return NULL; /* the proxy writes the whole original host as one label */
	struct nise_buf b;
	nise_buf_init(&b, c->a, ln + 16);
	nise_buf_append(&b, "https://", 8);
	for (size_t i = 0; i < ln; i++) {
		if (h[i] == '-' && i + 1 < ln && h[i + 1] == '-') {
			nise_buf_putc(&b, '-');
			i++;
		} else {
			nise_buf_putc(&b, h[i] == '-' ? '.' : h[i]);
		}
	}
	nise_buf_putc(&b, '/');
	return nise_arena_strdup(c->a, nise_buf_cstr(&b));
}

/* An embedded target in the query: ?url=https%3A%2F%2Fevil.example/...,
 * or the site behind a translation proxy */
static const char *embedded_target(struct nise_ctx *c, const struct nise_link *l)
{
	const char *proxied = proxied_target(c, l);
	if (proxied)
		return proxied;
	const char *q = strchr(l->url.url, '?');
	if (!q)
		return NULL;
	static const char *const marks[] = {"=http%3a%2f%2f", "=https%3a%2f%2f", "=http://", "=https://",
	                                    "=http%253a%252f%252f", "=https%253a%252f%252f"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *p = strcasestr(q, marks[i]);
		if (!p)
			continue;
		p++;
		/* decode up to two levels of percent-encoding */
		struct nise_buf b;
		nise_buf_init(&b, c->a, 2048);
		for (int round = 0; round < 2; round++) {
			b.n = 0;
			for (const char *s = p; *s && *s != '&' && b.n < 2000; s++) {
				if (*s == '%' && nise_hexval((unsigned char)s[1]) >= 0 &&
				    nise_hexval((unsigned char)s[2]) >= 0) {
					nise_buf_putc(&b, (char)(nise_hexval((unsigned char)s[1]) * 16 +
					                         nise_hexval((unsigned char)s[2])));
					s += 2;
					continue;
				}
				nise_buf_putc(&b, *s);
			}
			p = nise_arena_strdup(c->a, nise_buf_cstr(&b));
			if (!p || !strchr(p, '%'))
				break;
		}
		return p;
	}
	return NULL;
}

void check_links(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	bool brand_checked = false;

	for (size_t i = 0; i < m->nlinks; i++) {
		const struct nise_link *l = &m->links[i];
		if (!actionable(l) || !is_web(l))
			continue;
		const char *dom = l->url.domain ? l->url.domain : l->url.host;
		int lb = nise_ctx_domain_brand(c, dom);
		bool shared = nise_ctx_is_shared(c, dom);
		/* is the link's text a URL or domain? Asked once per link: every
		 * check below needs the answer */
		struct text_url t;
		bool shows_url = text_shows_url(c, l, &t);

		/* brand claim vs links: the first link away from the brand.
		 * A From at the brand's own domain counts only when it is
		 * authenticated: unauthenticated, it is just a claim. */
		bool from_is_brand = nise_ctx_brand_owns(c, c->brand, c->from_domain) && !c->impersonation &&
		                     (c->from_authenticated || c->bulk || !c->from_auth_failed) &&
		                     (c->from_authenticated || c->bulk || shows_url);
		/* a link whose text is its own honest address hides nothing */
		bool honest = c->where < CLAIM_LOCALPART && shows_url && strcmp(t.u.domain, dom) == 0;
		if (!brand_checked && c->brand >= 0 && !from_is_brand && !honest &&
		    !(c->where == CLAIM_BODY && shows_url) &&
		    !nise_ctx_brand_owns(c, c->brand, dom) &&
		    !shared) {
			brand_checked = true;
			const char *bname = c->d->brands[c->brand].name;
			const char *args[] = {bname, shown(l), l->url.host};
			/* an identity claim (display name, local part) is strong; a
			 * subject or body that names a brand may just be news */
			double f = c->where >= CLAIM_LOCALPART || (c->where == CLAIM_SUBJECT && c->subject_lure) ? 1.0 : 0.4;
			nise_ctx_finding(c, "LINK_BRAND_MISMATCH", f,
			                 nise_arena_printf(c->a, "「%s」 → %s", shown(l), l->url.url), args, 3);
		}

		/* link text that is itself a URL or domain, leading elsewhere */
		/* where a redirect or proxy leads, parsed once for the three uses below */
		const char *target = embedded_target(c, l);
		struct nise_url tu;
		memset(&tu, 0, sizeof(tu));
		bool has_target = target && nise_url_parse(&tu, c->a, c->u, target, strlen(target), false) == NISE_OK;
		if ((l->source == NISE_LINK_HTML_ANCHOR || l->source == NISE_LINK_HTML_AREA) && shows_url) {
			/* a redirector whose target is the shown site is honest */
			bool honest_redirect = has_target && tu.domain && strcmp(tu.domain, t.u.domain) == 0;
			double tf = click_tracker(l) ? 0.4 : 1.0;
			if (strcmp(t.u.domain, dom) != 0 && !shared && !honest_redirect &&
			    !(lb >= 0 && nise_ctx_brand_owns(c, lb, t.u.domain)) &&
			    !nise_strset_get(&c->d->shorteners, dom, strlen(dom), NULL)) {
				const char *args[] = {l->text, l->url.host};
				nise_ctx_finding(c, "LINK_TEXT_MISMATCH", tf,
				                 nise_arena_printf(c->a, "「%s」 → %s", l->text, l->url.url), args, 2);
			}
		}

		if (l->url.userinfo && *l->url.userinfo) {
			const char *args[] = {l->url.url, l->url.userinfo, l->url.host};
			nise_ctx_finding(c, "URL_USERINFO", 1.0, l->url.url, args, 3);
		}
		/* the link's host, and the host a redirect or proxy leads to */
		const char *hosts[2] = {l->url.host, has_target ? tu.host : NULL};
		for (size_t k = 0; k < 2 && hosts[k]; k++) {
			bool hit = false;
			for (const char *h = hosts[k]; h && !hit; h = strchr(h + 1, '.')) {
				const char *suffix = *h == '.' ? h + 1 : h;
				if (nise_strset_get(&c->d->free_hosting, suffix, strlen(suffix), NULL)) {
					const char *args[] = {hosts[k]};
					nise_ctx_finding(c, "FREE_HOSTING_LINK", 1.0, l->url.url, args, 1);
					hit = true;
				}
			}
			if (hit)
				break;
		}
		if (l->url.host_is_ip) {
			const char *args[] = {l->url.host};
			nise_ctx_finding(c, "URL_IP_HOST", 1.0, l->url.url, args, 1);
		}
		if (nise_strset_get(&c->d->shorteners, dom, strlen(dom), NULL)) {
			const char *args[] = {dom};
			nise_ctx_finding(c, "URL_SHORTENER", 1.0, l->url.url, args, 1);
		}
		if (has_target && tu.domain && strcmp(tu.domain, dom) != 0 && !(lb >= 0 && nise_ctx_brand_owns(c, lb, tu.domain))) {
			const char *args[] = {l->url.host, tu.host};
			nise_ctx_finding(c, "URL_REDIRECT", shared ? 0.5 : 1.0, l->url.url, args, 2);
		}
	}
}
