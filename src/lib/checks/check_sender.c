/* SPDX-License-Identifier: MIT */
/*
 * check_sender.c — who the mail says it is from, against where it comes
 * from: brand in the display name, local part or subject vs the From
 * domain; a domain shown in the display name; Reply-To and Return-Path
 * elsewhere.
 *
 * Known false positives (docs/checks/): a brand's genuine mail sent from
 * a domain missing from data/brands.tsv — fix the data, not the check.
 */
#include <string.h>
#include <strings.h>

#include "checks/check.h"
#include "url/url.h"

static const char *from_evidence(struct nise_ctx *c)
{
	const struct nise_address *f = &c->m->from[0];
	return nise_arena_printf(c->a, "From: \"%s\" <%s>", f->name, f->address);
}

struct dn_scan {
	struct nise_ctx *c;
	const char *name;
	const char *found;
};

static bool on_dn_url(void *vctx, const char *match, size_t n)
{
	struct dn_scan *s = vctx;
	struct nise_url u;
	memset(&u, 0, sizeof(u));
	/* the name must be mostly that domain ("Amazon.co.jp"), not a
	 * company name that contains one ("CNET News.com Daily Dispatch") */
	size_t text = 0;
	for (const char *p = s->name; *p; p++)
		text += *p != ' ' && *p != '"' && *p != '\'';
	if (n * 10 < text * 6)
		return true;
	if (nise_url_parse(&u, s->c->a, s->c->u, match, n, true) == NISE_OK && u.domain &&
	    strcmp(u.domain, s->c->from_domain) != 0) {
		s->found = nise_arena_strndup(s->c->a, match, n);
		return false;
	}
	return true;
}

static bool private_ip(const char *ip)
{
	return strncmp(ip, "10.", 3) == 0 || strncmp(ip, "0.", 2) == 0 || strncmp(ip, "127.", 4) == 0 || strncmp(ip, "192.168.", 8) == 0 ||
	       (strncmp(ip, "172.", 4) == 0 && ip[4] && ((ip[4] == '1' && ip[5] >= '6' && ip[5] <= '9') ||
	                                                  (ip[4] == '2' && ip[5] >= '0' && ip[5] <= '9') ||
	                                                  (ip[4] == '3' && ip[5] >= '0' && ip[5] <= '1'))) ||
	       strncmp(ip, "100.64.", 7) == 0 || strncmp(ip, "169.254.", 8) == 0 || strcmp(ip, "::1") == 0 ||
	       strncasecmp(ip, "fe80:", 5) == 0 || strncasecmp(ip, "fc", 2) == 0 || strncasecmp(ip, "fd", 2) == 0 ||
	       strcmp(ip, "::") == 0;
}

/* The host name an MTA verified for the connecting host, from the
 * "from" clause of its Received header. Postfix and sendmail write
 * "HELO (RDNS [IP])" with RDNS "unknown" when there is none; Exim,
 * Exchange and most others write "RDNS ([IP] ...)" or "NAME [IP]".
 * *forged_helo is set when the HELO named a host the reverse DNS did
 * not confirm. NULL when there is no verified name. */
static const char *received_host(struct nise_ctx *c, const char *from, const char **helo)
{
	const char *t1 = from, *t1e = from;
	while (*t1e && *t1e != ' ' && *t1e != '(' && *t1e != '[')
		t1e++;
	*helo = t1e > t1 ? nise_arena_strndup(c->a, t1, (size_t)(t1e - t1)) : NULL;
	const char *open = strchr(from, '(');
	if (open) {
		const char *p = open + 1;
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != '[' && *e != ')')
			e++;
		const char *q = e;
		while (*q == ' ')
			q++;
		if (e > p && *q == '[') {
			/* Postfix/sendmail: the parenthesised name is the rDNS */
			if ((size_t)(e - p) == 7 && strncasecmp(p, "unknown", 7) == 0)
				return NULL;
			return memchr(p, '.', (size_t)(e - p)) ? nise_arena_strndup(c->a, p, (size_t)(e - p)) : NULL;
		}
	}
	return *helo && strchr(*helo, '.') && **helo != '[' ? *helo : NULL;
}

static bool origin_ok(struct nise_ctx *c, const char *domain)
{
	return nise_ctx_brand_owns(c, c->from_brand, domain) || nise_ctx_is_shared(c, domain) ||
	       nise_strset_get(&c->d->freemail, domain, strlen(domain), NULL);
}

/* A From at a brand's own domain, unauthenticated, on mail that was made
 * or sent elsewhere. Where it was sent from: the lowest Received header
 * with a public IP (the hop from the sender's machine into the first
 * server that recorded it). Where it was made: the Message-ID's domain,
 * written by the program that composed the mail. */
static void spoofed_origin(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	const struct nise_address *f = &m->from[0];
	const char *brand = c->d->brands[c->from_brand].name;
	for (size_t i = m->nreceived; i-- > 0;) {
		const struct nise_received *r = &m->received[i];
		if (!r->ip || !r->from || private_ip(r->ip))
			continue;
		const char *helo = NULL;
		const char *host = received_host(c, r->from, &helo);
		const char *rd = host ? nise_ctx_registrable(c, host) : NULL;
		if (rd && origin_ok(c, rd))
			return; /* sent from the brand's own (or its mail provider's) host */
		/* No reverse DNS, or a HELO that claims the brand's own domain
		 * from a host that is not: the sender is hiding. A named host
		 * elsewhere is weaker evidence (an employee at home does it). */
		const char *hd = helo && strchr(helo, '.') ? nise_ctx_registrable(c, helo) : NULL;
		/* a HELO that is the brand's bare domain from a host that is not
		 * the brand's: the sending machine itself lies about who it is
		 * (real MTAs greet with their own host name) */
		bool forged = hd && strcasecmp(helo, hd) == 0 && nise_ctx_brand_owns(c, c->from_brand, hd);
		/* IPv6 hosts often have no reverse DNS on record without hiding
		 * anything: only an IPv4 host with none counts as hiding */
		bool hiding = !rd && !strchr(r->ip, ':');
		const char *where = rd ? nise_arena_printf(c->a, "%s [%s]", host, r->ip)
		                       : nise_arena_printf(c->a, "%s (no reverse DNS)", r->ip);
		const char *where_ja = rd ? where : nise_arena_printf(c->a, "%s（逆引きできないアドレス）", r->ip);
		const char *args[] = {brand, c->from_domain, where};
		const char *args_ja[] = {brand, c->from_domain, where_ja};
		/* a named host elsewhere is a hint (an employee at home does it),
		 * not proof of impersonation */
		c->impersonation = true;
		if (forged || hiding)
			c->spoof_proven = true;
		nise_ctx_finding_ja(c, "BRAND_SPOOFED_ORIGIN", forged ? 4.0 / 3.0 : hiding ? 1.0 : 0.6,
		                    nise_arena_printf(c->a, "From: <%s>; Received: from %s", f->address, r->from), args,
		                    args_ja, 3);
		return;
	}
	if (!m->message_id)
		return;
	const char *at = strrchr(m->message_id, '@');
	if (!at)
		return;
	const char *e = strchr(at, '>');
	const char *host = nise_arena_strndup(c->a, at + 1, e ? (size_t)(e - at - 1) : strlen(at + 1));
	const char *od = host && strchr(host, '.') ? nise_ctx_registrable(c, host) : NULL;
	if (od && !origin_ok(c, od)) {
		c->impersonation = true;
		c->spoof_proven = true;
		const char *args[] = {brand, c->from_domain, od};
		nise_ctx_finding(c, "BRAND_SPOOFED_ORIGIN", 1.0,
		                 nise_arena_printf(c->a, "From: <%s>; Message-ID: %s", f->address, m->message_id), args, 3);
	}
}

void check_sender(struct nise_ctx *c)
{
	struct nise_message *m = c->m;
	if (!m->nfrom)
		return;
	const struct nise_address *f = &m->from[0];
	const char *dom = f->domain && *f->domain ? f->domain : "(none)";
	const char *dom_ja = f->domain && *f->domain ? f->domain : "（なし）";
	/* bounces come from MAILER-DAEMON and the null sender: not a trick */
	bool daemon = !*f->address || strcasecmp(f->address, "mailer-daemon") == 0 ||
	              strcasecmp(f->address, "postmaster") == 0;
	/* a domain no DNS could hold ("%detran.com.br") is as bad as none */
	bool bad_domain = false;
	for (const char *p = f->domain; p && *p; p++)
		if ((unsigned char)*p < 0x80 && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		                                  *p == '.' || *p == '-' || *p == '_' || *p == '[' || *p == ']' ||
		                                  *p == ':'))
			bad_domain = true;
	if ((!f->domain || !*f->domain || bad_domain) && !daemon) {
		const char *args[] = {f->address};
		nise_ctx_finding(c, "FROM_WITHOUT_DOMAIN", 1.0, from_evidence(c), args, 1);
	}
	bool fired = false;
	if (c->brand >= 0 && !nise_ctx_brand_owns(c, c->brand, c->from_domain)) {
		const char *bname = c->d->brands[c->brand].name;
		if (c->where == CLAIM_DISPLAY || c->where == CLAIM_LOCALPART) {
			const char *args[] = {c->where == CLAIM_DISPLAY ? f->name : f->address, bname, dom};
			const char *args_ja[] = {args[0], bname, dom_ja};
			c->impersonation = true;
			nise_ctx_finding_ja(c, "SENDER_BRAND_MISMATCH", c->where == CLAIM_DISPLAY ? 1.0 : 0.6,
			                    from_evidence(c), args, args_ja, 3);
			fired = true;
		} else if (c->where == CLAIM_SUBJECT) {
			const char *args[] = {m->subject, bname, dom};
			const char *args_ja[] = {m->subject, bname, dom_ja};
			nise_ctx_finding_ja(c, "SENDER_BRAND_IN_SUBJECT", c->subject_lure ? 2.5 : 1.0,
			                    nise_arena_printf(c->a, "Subject: %s; From: <%s>", m->subject, f->address),
			                    args, args_ja, 3);
		}
	}
	/* a domain or address written in the display name */
	if (!fired && c->from_domain && f->name && *f->name) {
		const char *name = f->name;
		struct dn_scan s = {.c = c, .name = name};
		nise_url_extract(c->u, name, strlen(name), on_dn_url, &s);
		if (!s.found) {
			const char *at = strchr(name, '@');
			if (at && strchr(at, '.')) {
				const char *d = nise_ctx_registrable(c, at + 1);
				if (d && strcmp(d, c->from_domain) != 0)
					s.found = name;
			}
		}
		if (s.found) {
			c->impersonation = true;
			const char *args[] = {s.found, dom};
			const char *args_ja[] = {s.found, dom_ja};
			nise_ctx_finding_ja(c, "DISPLAY_NAME_DOMAIN", 1.0, from_evidence(c), args, args_ja, 2);
		}
	}
	/* "lists.sourceforge.net" <support@elsewhere.example> to
	 * you@lists.sourceforge.net: the sender poses as your own mail
	 * service — the webmail-quota and password-expiry lure */
	if (m->nto && m->to[0].domain && *m->to[0].domain && c->from_domain && f->name && *f->name) {
		const char *td = m->to[0].domain;
		const char *tr = nise_ctx_registrable(c, td);
		if (tr && strcmp(tr, c->from_domain) != 0 && strlen(tr) >= 5 &&
		    !nise_strset_get(&c->d->freemail, tr, strlen(tr), NULL) &&
		    (strcasestr(f->name, td) || strcasestr(f->name, tr))) {
			c->impersonation = true;
			const char *args[] = {f->name, td, dom};
			nise_ctx_finding(c, "RECIPIENT_DOMAIN_NAME", 1.0, from_evidence(c), args, 3);
		}
	}
	/* Reply-To elsewhere; mailing lists legitimately redirect replies */
	if (m->nreply_to && c->from_domain && !c->bulk && m->reply_to[0].domain &&
	    *m->reply_to[0].domain) {
		const char *rd = nise_ctx_registrable(c, m->reply_to[0].domain);
		if (rd && strcmp(rd, c->from_domain) != 0) {
			bool free_mail = nise_strset_get(&c->d->freemail, rd, strlen(rd), NULL);
			bool brandish = c->brand >= 0 && !nise_ctx_brand_owns(c, c->brand, rd);
			double factor = free_mail ? 1.5 : brandish ? 1.0 : 0.5;
			const char *args[] = {m->reply_to[0].address, c->from_domain};
			nise_ctx_finding(c, "REPLY_TO_MISMATCH", factor,
			                 nise_arena_printf(c->a, "Reply-To: <%s>; From: <%s>",
			                                   m->reply_to[0].address, f->address),
			                 args, 2);
		}
	}
	if (c->from_brand >= 0 && !c->from_freemail && !c->from_authenticated)
		spoofed_origin(c);
	/* a brand's From with a foreign bounce address and no authentication */
	if (c->from_brand >= 0 && !c->from_freemail && !c->from_authenticated && !c->bulk && m->return_path &&
	    m->return_path->domain && *m->return_path->domain) {
		const char *rp = nise_ctx_registrable(c, m->return_path->domain);
		if (rp && !nise_ctx_brand_owns(c, c->from_brand, rp) && !nise_ctx_is_shared(c, rp)) {
			const char *args[] = {c->d->brands[c->from_brand].name, rp};
			nise_ctx_finding(c, "RETURN_PATH_MISMATCH", 1.0,
			                 nise_arena_printf(c->a, "Return-Path: <%s>; From: <%s>",
			                                   m->return_path->address, f->address),
			                 args, 2);
		}
	}
}
