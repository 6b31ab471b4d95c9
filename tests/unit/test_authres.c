/* SPDX-License-Identifier: MIT */
/* Authentication-Results (RFC 8601, incl. its Appendix B examples) and Received. */
#include <string.h>

#include "core/arena.h"
#include "mime/authres.h"
#include "t.h"

static const char *prop(const struct nise_auth_result *r, const char *ptype, const char *property)
{
	for (size_t i = 0; i < r->nprops; i++)
		if (strcmp(r->props[i].ptype, ptype) == 0 && strcmp(r->props[i].property, property) == 0)
			return r->props[i].value;
	return NULL;
}

static struct nise_auth_result *parse(struct nise_arena *a, const char *s, size_t *n)
{
	struct nise_vec v = {0};
	T_CHECK(nise_authres_parse(&v, a, s, strlen(s)), "parse %s", s);
	*n = v.n;
	return v.items;
}

int main(void)
{
	struct nise_arena *a = nise_arena_new(0, true);
	size_t n;
	struct nise_auth_result *r;

	/* RFC 8601 B.2: nothing done; the field still holds its block */
	r = parse(a, "example.org 1; none", &n);
	T_INT(n, 1);
	T_STR(r[0].authserv_id, "example.org");
	T_STR(r[0].method, "none");
	T_STR(r[0].result, "none");
	T_INT(r[0].block, 0);

	/* fields parsed into one vector are numbered from the top: a lower
	 * field with the same id is told apart from the topmost one */
	{
		struct nise_vec v = {0};
		const char *f[] = {"mx.example.jp; none", "mx.example.jp; dmarc=pass header.from=x.example",
		                   "other.example; spf=fail smtp.mailfrom=x.example; dkim=none"};
		for (size_t i = 0; i < 3; i++)
			T_CHECK(nise_authres_parse(&v, a, f[i], strlen(f[i])), "parse %s", f[i]);
		T_INT(v.n, 4);
		struct nise_auth_result *b = v.items;
		T_INT(b[0].block, 0);
		T_STR(b[0].method, "none");
		T_INT(b[1].block, 1);
		T_STR(b[1].method, "dmarc");
		T_INT(b[2].block, 2);
		T_INT(b[3].block, 2);
		T_STR(b[3].method, "dkim");
	}

	/* B.3: SPF only */
	r = parse(a, "example.com;\r\n          spf=pass smtp.mailfrom=example.net", &n);
	T_INT(n, 1);
	T_STR(r[0].authserv_id, "example.com");
	T_STR(r[0].method, "spf");
	T_STR(r[0].result, "pass");
	T_STR(prop(&r[0], "smtp", "mailfrom"), "example.net");

	/* B.4 with comments */
	r = parse(a, "example.com;\r\n  auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
	             "  spf=pass smtp.mailfrom=example.net", &n);
	T_INT(n, 2);
	T_STR(r[0].method, "auth");
	T_STR(prop(&r[0], "smtp", "auth"), "sender@example.net");
	T_STR(r[1].method, "spf");

	/* B.6-like: several methods, version, reason, quoted value, case */
	r = parse(a, "mx.google.com 1; DKIM=Pass header.i=@amazon.co.jp header.s=\"sel 1\" (good);\r\n"
	             " spf=softfail (google.com: domain of transitioning x@y) smtp.mailfrom=y.example;\r\n"
	             " dmarc=fail reason=\"policy reject\" (p=REJECT sp=REJECT dis=NONE) header.from=amazon.co.jp", &n);
	T_INT(n, 3);
	T_STR(r[0].method, "dkim");
	T_STR(r[0].result, "pass");
	T_STR(prop(&r[0], "header", "i"), "@amazon.co.jp");
	T_STR(prop(&r[0], "header", "s"), "sel 1");
	T_STR(r[1].result, "softfail");
	T_STR(r[2].method, "dmarc");
	T_STR(r[2].result, "fail");
	T_STR(r[2].reason, "policy reject");
	T_STR(prop(&r[2], "header", "from"), "amazon.co.jp");

	/* method/version */
	r = parse(a, "a.example; dkim/1=neutral header.d=x.example", &n);
	T_INT(n, 1);
	T_STR(r[0].method, "dkim");
	T_STR(r[0].result, "neutral");

	/* garbage never crashes and yields what it can */
	r = parse(a, ";;;=;= =;", &n);
	T_CHECK(n <= 2, "garbage n=%zu", n);
	r = parse(a, "", &n);
	T_INT(n, 0);

	struct nise_received rv;
	const char *rcv = " \r\n\tfrom newnamecardamazonmail.cyou (unknown [203.0.113.45])\r\n\tby mx.example.jp "
	                  "(Postfix) with ESMTP id 4CbLq21xYz\r\n\tfor <user@example.jp>; Tue, 17 Nov 2020 "
	                  "02:50:12 +0900 (JST)";
	T_CHECK(nise_received_parse(&rv, a, rcv, strlen(rcv)), "received");
	T_STR(rv.ip, "203.0.113.45");
	T_STR(rv.by, "mx.example.jp");
	T_STR(rv.with, "ESMTP");
	T_STR(rv.date, "Tue, 17 Nov 2020 02:50:12 +0900 (JST)");
	T_STR(rv.from, "newnamecardamazonmail.cyou (unknown [203.0.113.45])");
	const char *rcv6 = "from x (x [IPv6:2001:db8::1]) by y with SMTP; now";
	T_CHECK(nise_received_parse(&rv, a, rcv6, strlen(rcv6)), "received6");
	T_STR(rv.ip, "2001:db8::1");
	const char *rcvp = "from host.example (192.0.2.7) by relay.example; Mon";
	T_CHECK(nise_received_parse(&rv, a, rcvp, strlen(rcvp)), "receivedp");
	T_STR(rv.ip, "192.0.2.7");

	/* the authserv-id alone (what nise milter asks of incoming headers) */
	static const struct {
		const char *in, *want;
		nise_rc rc;
	} ids[] = {
		{"mx.example.org; spf=pass", "mx.example.org", NISE_OK},
		{"  (comment (nested) \\) ) mx.example.org 1; none", "mx.example.org", NISE_OK},
		{"\"quoted id\"; dkim=pass", "quoted id", NISE_OK},
		{"mx.example.org(c); dmarc=fail", "mx.example.org", NISE_OK},
		{"\r\n\tmx.example.org;", "mx.example.org", NISE_OK},
		{"   (only a comment)  ", "", NISE_EPARSE},
		{"", "", NISE_EPARSE},
		{"; spf=pass", "", NISE_EPARSE},
		{"a-very-long-authserv-id-that-does-not-fit.example", "", NISE_ELIMIT},
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char id[24];
		nise_rc rc = nise_authres_authserv_id(id, sizeof(id), ids[i].in, strlen(ids[i].in));
		T_CHECK(rc == ids[i].rc, "authserv-id rc of '%s': %d", ids[i].in, (int)rc);
		T_STR(id, ids[i].want);
	}

	nise_arena_free(a);
	T_DONE("authres");
}
