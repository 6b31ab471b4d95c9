/* SPDX-License-Identifier: MIT */
/*
 * auth.c — SPF, DKIM and DMARC at receive time, through the reference
 * libraries, into one Authentication-Results value (RFC 8601 §2.7).
 *
 *   SPF (RFC 7208):  client IP, HELO and envelope sender, through libspf2
 *                    with our own DNS layer (dns.c) under it.
 *   DKIM (RFC 6376): libopendkim verifies every signature while headers
 *                    and body stream through; its DNS hooks use dns.c.
 *   DMARC (RFC 7489): libopendmarc aligns the RFC5322.From domain with
 *                    the SPF and DKIM identities and fetches the policy
 *                    (its own resolver, pointed at the same server).
 *
 * The result names only what we verified ourselves; the scan believes it
 * because the milter prepends it and removes incoming headers carrying
 * its authserv-id (milter.c). A DNS failure is "temperror", never "pass".
 *
 * Not done here: ARC, reporting (rua/ruf), enforcing p=reject — the
 * operator's action settings decide what happens to a message.
 */
#include "auth.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <opendkim/dkim.h>
#include <opendmarc/dmarc.h>
#include <spf2/spf.h>
#include <spf2/spf_dns.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static DKIM_LIB *dkim_lib;
static struct mdns g_dns;
static bool dmarc_ready;

/* ---- DNS hooks for libopendkim: synchronous, one query per thread at a
 * time, so the query handle can live in thread-local storage. */
struct dkim_q {
	int len;
};
static _Thread_local struct dkim_q tls_q;

static int dkim_q_start(void *srv, int type, unsigned char *query, unsigned char *buf,
                        size_t buflen, void **qh)
{
	int herr;
	tls_q.len = mdns_query(srv, (const char *)query, type, buf, buflen, &herr);
	*qh = &tls_q;
	return tls_q.len < 0 ? DKIM_DNS_ERROR : DKIM_DNS_SUCCESS;
}

static int dkim_q_wait(void *srv, void *qh, struct timeval *to, size_t *bytes, int *error,
                       int *dnssec)
{
	const struct dkim_q *q = qh;
	if (q->len < 0)
		return DKIM_DNS_ERROR;
	*bytes = (size_t)q->len;
	if (error)
		*error = 0;
	if (dnssec)
		*dnssec = DKIM_DNSSEC_UNKNOWN;
	return DKIM_DNS_SUCCESS;
}

static int dkim_q_cancel(void *srv, void *qh)
{
	return 0;
}

static int dkim_q_init(void **srv)
{
	*srv = &g_dns;
	return 0;
}

static void dkim_q_close(void *srv)
{
}

/* ---- a libspf2 DNS layer over dns.c: answers parsed by libresolv. */
static SPF_dns_rr_t *spf_lookup(SPF_dns_server_t *srv, const char *domain, ns_type type,
                                int should_cache)
{
	enum { BUFN = 65536 };
	unsigned char *buf = malloc(BUFN);
	if (!buf)
		return SPF_dns_rr_new_init(srv, domain, type, 0, TRY_AGAIN);
	int herr;
	int len = mdns_query(srv->hook, domain, type, buf, BUFN, &herr);
	ns_msg msg;
	if (len < 0 || ns_initparse(buf, len, &msg) < 0) {
		free(buf);
		return SPF_dns_rr_new_init(srv, domain, type, 0, len < 0 ? herr : TRY_AGAIN);
	}
	SPF_dns_rr_t *rr = SPF_dns_rr_new_init(srv, domain, type, 0, NETDB_SUCCESS);
	if (!rr) {
		free(buf);
		return NULL;
	}
	int cnt = ns_msg_count(msg, ns_s_an), num = 0;
	for (int i = 0; i < cnt; i++) {
		ns_rr r;
		if (ns_parserr(&msg, ns_s_an, i, &r) < 0)
			break;
		if (ns_rr_type(r) != type || ns_rr_class(r) != ns_c_in)
			continue; /* CNAMEs on the way */
		const unsigned char *rd = ns_rr_rdata(r);
		size_t rdlen = ns_rr_rdlen(r);
		char name[NS_MAXDNAME];
		size_t need;
		switch (type) {
		case ns_t_a:
		case ns_t_aaaa: {
			size_t al = type == ns_t_a ? 4 : 16;
			if (rdlen != al || SPF_dns_rr_buf_realloc(rr, num, sizeof(SPF_dns_rr_data_t)))
				continue;
			memcpy(type == ns_t_a ? (void *)&rr->rr[num]->a : (void *)&rr->rr[num]->aaaa, rd, al);
			num++;
			break;
		}
		case ns_t_ptr:
		case ns_t_mx: {
			const unsigned char *p = rd;
			if (type == ns_t_mx) {
				if (rdlen < 3)
					continue;
				p += 2; /* preference */
			}
			if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), p, name, sizeof(name)) < 0)
				continue;
			need = strlen(name) + 1;
			if (SPF_dns_rr_buf_realloc(rr, num, need))
				continue;
			memcpy(type == ns_t_mx ? rr->rr[num]->mx : rr->rr[num]->ptr, name, need);
			num++;
			break;
		}
		case ns_t_txt: {
			/* character-strings, each length-prefixed, concatenated (RFC 7208 §3.3) */
			if (SPF_dns_rr_buf_realloc(rr, num, rdlen + 1))
				continue;
			char *o = rr->rr[num]->txt;
			size_t w = 0, j = 0;
			while (j < rdlen) {
				size_t sl = rd[j++];
				if (sl > rdlen - j)
					sl = rdlen - j;
				memcpy(o + w, rd + j, sl);
				w += sl;
				j += sl;
			}
			o[w] = '\0';
			num++;
			break;
		}
		default:
			break;
		}
	}
	rr->num_rr = num;
	if (num == 0)
		rr->herrno = NO_DATA;
	free(buf);
	return rr;
}

static SPF_dns_server_t spf_layer = {
	.destroy = NULL, /* shared by every SPF_server_t: never freed by one */
	.lookup = spf_lookup,
	.name = "nise",
	.hook = &g_dns,
};

bool auth_global_init(const struct mdns *dns, const char *psl_file, char *err, size_t en)
{
	g_dns = *dns;
	dkim_lib = dkim_init(NULL, NULL);
	if (!dkim_lib) {
		snprintf(err, en, "cannot initialise libopendkim");
		return false;
	}
	dkim_dns_set_query_service(dkim_lib, &g_dns);
	dkim_dns_set_init(dkim_lib, dkim_q_init);
	dkim_dns_set_close(dkim_lib, dkim_q_close);
	dkim_dns_set_query_start(dkim_lib, dkim_q_start);
	dkim_dns_set_query_waitreply(dkim_lib, dkim_q_wait);
	dkim_dns_set_query_cancel(dkim_lib, dkim_q_cancel);
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF;
	dkim_options(dkim_lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof(flags));

	OPENDMARC_LIB_T lib;
	memset(&lib, 0, sizeof(lib));
	if (psl_file && *psl_file) {
		if (strlen(psl_file) >= sizeof(lib.tld_source_file)) {
			snprintf(err, en, "psl_file: path too long");
			return false;
		}
		lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
		memcpy(lib.tld_source_file, psl_file, strlen(psl_file) + 1);
	}
	if (dns->custom) {
		lib.nscount = 1;
		lib.nsaddr_list[0] = dns->ns;
	}
	if (opendmarc_policy_library_init(&lib) != DMARC_PARSE_OKAY) {
		snprintf(err, en, "cannot initialise libopendmarc (public suffix list %s)",
		         psl_file ? psl_file : "none");
		return false;
	}
	dmarc_ready = true;
	return true;
}

void auth_global_fini(void)
{
	if (dkim_lib)
		dkim_close(dkim_lib);
	dkim_lib = NULL;
	if (dmarc_ready) {
		OPENDMARC_LIB_T lib;
		memset(&lib, 0, sizeof(lib));
		opendmarc_policy_library_shutdown(&lib);
	}
	dmarc_ready = false;
}

struct auth_msg {
	char ip[INET6_ADDRSTRLEN];
	bool ip6;
	char helo[256];
	char mailfrom[512];
	char from[512];     /* the first From field's value */
	unsigned nfrom;
	DKIM *dkim;
	bool dkim_broken;   /* the library refused the message: dkim=permerror */
};

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

struct auth_msg *auth_msg_new(const char *client_ip, const char *helo, const char *mailfrom)
{
	struct auth_msg *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	copy(m->ip, sizeof(m->ip), client_ip);
	m->ip6 = client_ip && strchr(client_ip, ':');
	copy(m->helo, sizeof(m->helo), helo);
	/* "<user@dom>" → "user@dom" */
	const char *mf = mailfrom ? mailfrom : "";
	size_t mn = strlen(mf);
	if (mn >= 2 && mf[0] == '<' && mf[mn - 1] == '>') {
		mf++;
		mn -= 2;
	}
	if (mn >= sizeof(m->mailfrom))
		mn = sizeof(m->mailfrom) - 1;
	memcpy(m->mailfrom, mf, mn);
	m->mailfrom[mn] = '\0';
	DKIM_STAT st;
	m->dkim = dkim_verify(dkim_lib, (const unsigned char *)"nise", NULL, &st);
	if (!m->dkim)
		m->dkim_broken = true;
	return m;
}

void auth_msg_header(struct auth_msg *m, const char *name, const char *value)
{
	if (strcasecmp(name, "From") == 0) {
		if (m->nfrom++ == 0)
			copy(m->from, sizeof(m->from), value);
	}
	if (!m->dkim || m->dkim_broken)
		return;
	/* "name:value", folds as CRLF: MTAs hand milters folded values with
	 * bare LF, and libopendkim hashes those wrongly even with FIXCRLF */
	size_t nn = strlen(name), vn = strlen(value);
	char *h = malloc(nn + 2 * vn + 2);
	if (!h) {
		m->dkim_broken = true;
		return;
	}
	memcpy(h, name, nn);
	size_t w = nn;
	h[w++] = ':';
	for (size_t i = 0; i < vn; i++) {
		if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
			h[w++] = '\r';
		h[w++] = value[i];
	}
	h[w] = '\0';
	if (dkim_header(m->dkim, (u_char *)h, w) != DKIM_STAT_OK)
		m->dkim_broken = true;
	free(h);
}

void auth_msg_eoh(struct auth_msg *m)
{
	if (m->dkim && !m->dkim_broken) {
		DKIM_STAT st = dkim_eoh(m->dkim);
		if (st != DKIM_STAT_OK && st != DKIM_STAT_NOSIG)
			m->dkim_broken = true;
	}
}

void auth_msg_body(struct auth_msg *m, const unsigned char *p, size_t n)
{
	if (m->dkim && !m->dkim_broken && n)
		if (dkim_body(m->dkim, (u_char *)(uintptr_t)p, n) != DKIM_STAT_OK)
			m->dkim_broken = true;
}

/* ---- a growable string for the header value */
struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (k < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)k;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

/* A value is safe inside the header when it is a plain token; anything
 * else (spaces, ';', quotes, control bytes from a hostile sender) is
 * left out rather than quoted. */
static const char *safe(const char *s)
{
	if (!*s)
		return NULL;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 127 || c == ';' || c == '"' || c == '(' || c == ')' || c == '\\')
			return NULL;
	}
	return s;
}

static const char *domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at ? at + 1 : addr;
}

static bool is_loopback(const char *ip)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, ip, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return false;
}

static int spf_check(struct auth_msg *m, const char **result)
{
	*result = "none";
	/* no client address, or a loopback one: Postfix gives mail submitted
	 * with sendmail (non_smtpd_milters) as coming from 127.0.0.1, and
	 * libspf2 passes any domain for localhost; no SPF record can speak
	 * for such mail, so SPF is not checked (none) */
	if (!m->ip[0] || is_loopback(m->ip))
		return DMARC_POLICY_SPF_OUTCOME_NONE;
	SPF_server_t *srv = SPF_server_new_dns(&spf_layer, 0);
	if (!srv)
		return DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
	SPF_request_t *req = SPF_request_new(srv);
	SPF_response_t *resp = NULL;
	int outcome = DMARC_POLICY_SPF_OUTCOME_NONE;
	if (!req)
		goto out;
	if ((m->ip6 ? SPF_request_set_ipv6_str(req, m->ip) : SPF_request_set_ipv4_str(req, m->ip)) !=
	    SPF_E_SUCCESS)
		goto out;
	if (m->helo[0])
		SPF_request_set_helo_dom(req, m->helo);
	if (m->mailfrom[0])
		SPF_request_set_env_from(req, m->mailfrom);
	SPF_request_query_mailfrom(req, &resp);
	if (!resp)
		goto out;
	switch (SPF_response_result(resp)) {
	case SPF_RESULT_PASS:
		*result = "pass";
		outcome = DMARC_POLICY_SPF_OUTCOME_PASS;
		break;
	case SPF_RESULT_FAIL:
		*result = "fail";
		outcome = DMARC_POLICY_SPF_OUTCOME_FAIL;
		break;
	case SPF_RESULT_SOFTFAIL:
		*result = "softfail";
		outcome = DMARC_POLICY_SPF_OUTCOME_FAIL;
		break;
	case SPF_RESULT_NEUTRAL:
		*result = "neutral";
		break;
	case SPF_RESULT_TEMPERROR:
		*result = "temperror";
		outcome = DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
		break;
	case SPF_RESULT_PERMERROR:
		*result = "permerror";
		break;
	default:
		break;
	}
out:
	if (resp)
		SPF_response_free(resp);
	if (req)
		SPF_request_free(req);
	SPF_server_free(srv);
	return outcome;
}

char *auth_msg_finish(struct auth_msg *m, const char *authserv_id)
{
	struct sbuf b = {0};
	sb_printf(&b, "%s;", authserv_id);

	/* SPF: the envelope sender, or the HELO name for the null sender */
	const char *spf;
	int spf_outcome = spf_check(m, &spf);
	const char *spf_dom = m->mailfrom[0] ? domain_of(m->mailfrom) : m->helo;
	if (m->mailfrom[0] && safe(m->mailfrom))
		sb_printf(&b, "\n\tspf=%s smtp.mailfrom=%s;", spf, m->mailfrom);
	else if (!m->mailfrom[0] && safe(m->helo))
		sb_printf(&b, "\n\tspf=%s smtp.helo=%s;", spf, m->helo);
	else
		sb_printf(&b, "\n\tspf=%s;", spf);

	/* the From domain, parsed by libopendkim's RFC 5322 address reader */
	char fromcopy[sizeof(m->from)];
	memcpy(fromcopy, m->from, sizeof(fromcopy));
	unsigned char *fuser = NULL, *fdom = NULL;
	const char *from_dom = NULL;
	if (m->nfrom == 1 && dkim_mail_parse((unsigned char *)fromcopy, &fuser, &fdom) == 0 && fdom &&
	    safe((const char *)fdom))
		from_dom = (const char *)fdom;

	DMARC_POLICY_T *pctx = NULL;
	if (dmarc_ready && from_dom) {
		pctx = opendmarc_policy_connect_init((u_char *)(m->ip[0] ? m->ip : "0.0.0.0"), m->ip6);
		if (pctx)
			opendmarc_policy_store_from_domain(pctx, fdom);
	}

	/* DKIM: one result per signature */
	unsigned ndkim = 0;
	if (m->dkim && !m->dkim_broken) {
		_Bool testkey = false;
		dkim_eom(m->dkim, &testkey);
		DKIM_SIGINFO **sigs = NULL;
		int nsigs = 0;
		if (dkim_getsiglist(m->dkim, &sigs, &nsigs) == DKIM_STAT_OK) {
			for (int i = 0; i < nsigs; i++) {
				DKIM_SIGINFO *s = sigs[i];
				const char *d = (const char *)dkim_sig_getdomain(s);
				const char *sel = (const char *)dkim_sig_getselector(s);
				if (!d || !safe(d))
					continue;
				const char *res = "fail";
				int outcome = DMARC_POLICY_DKIM_OUTCOME_FAIL;
				if (DKIM_SIG_CHECK(s)) {
					res = "pass";
					outcome = DMARC_POLICY_DKIM_OUTCOME_PASS;
				} else if (dkim_sig_geterror(s) == DKIM_SIGERROR_KEYFAIL) {
					res = "temperror";
					outcome = DMARC_POLICY_DKIM_OUTCOME_TMPFAIL;
				} else if (dkim_sig_geterror(s) == DKIM_SIGERROR_NOKEY) {
					res = "permerror";
				}
				sb_printf(&b, "\n\tdkim=%s", res);
				if (outcome != DMARC_POLICY_DKIM_OUTCOME_PASS)
					sb_printf(&b, " reason=\"%s\"", dkim_sig_geterrorstr(dkim_sig_geterror(s)));
				sb_printf(&b, " header.d=%s", d);
				if (sel && safe(sel))
					sb_printf(&b, " header.s=%s", sel);
				sb_printf(&b, ";");
				ndkim++;
				if (pctx)
					opendmarc_policy_store_dkim(pctx, (u_char *)(uintptr_t)d,
					                            (u_char *)(uintptr_t)(sel ? sel : ""), outcome,
					                            (u_char *)(uintptr_t)res);
			}
		}
	} else if (m->dkim_broken) {
		sb_printf(&b, "\n\tdkim=permerror;");
		ndkim++;
	}
	if (!ndkim)
		sb_printf(&b, "\n\tdkim=none;");

	/* DMARC */
	const char *dmarc = "none";
	if (pctx) {
		if (spf_dom && *spf_dom)
			opendmarc_policy_store_spf(pctx, (u_char *)(uintptr_t)spf_dom, spf_outcome,
			                           m->mailfrom[0] ? DMARC_POLICY_SPF_ORIGIN_MAILFROM
			                                          : DMARC_POLICY_SPF_ORIGIN_HELO,
			                           (u_char *)(uintptr_t)spf);
		OPENDMARC_STATUS_T q = opendmarc_policy_query_dmarc(pctx, fdom);
		if (q == DMARC_PARSE_OKAY) {
			switch (opendmarc_get_policy_to_enforce(pctx)) {
			case DMARC_POLICY_PASS:
				dmarc = "pass";
				break;
			case DMARC_POLICY_REJECT:
			case DMARC_POLICY_QUARANTINE:
			case DMARC_POLICY_NONE:
				dmarc = "fail";
				break;
			default:
				break;
			}
		} else if (q == DMARC_DNS_ERROR_TMPERR) {
			dmarc = "temperror";
		} else if (q != DMARC_DNS_ERROR_NO_RECORD && q != DMARC_DNS_ERROR_NXDOMAIN) {
			dmarc = "permerror";
		}
		opendmarc_policy_connect_shutdown(pctx);
	}
	if (from_dom)
		sb_printf(&b, "\n\tdmarc=%s header.from=%s", dmarc, from_dom);
	else
		sb_printf(&b, "\n\tdmarc=%s", m->nfrom > 1 ? "permerror" : "none");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

void auth_msg_free(struct auth_msg *m)
{
	if (!m)
		return;
	if (m->dkim)
		dkim_free(m->dkim);
	free(m);
}
