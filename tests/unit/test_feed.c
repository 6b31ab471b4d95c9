/* SPDX-License-Identifier: MIT */
/*
 * Feed parsers: every format on small hand-made files, with the exact
 * entries they must yield and the rows they must count as bad.
 */
#include <stdio.h>
#include <string.h>

#include "intel/feed.h"
#include "t.h"

struct got {
	char all[4096];
	size_t n;
};

static bool on_entry(void *ctx, const struct nise_feed_entry *e)
{
	struct got *g = ctx;
	size_t l = strlen(g->all);
	snprintf(g->all + l, sizeof(g->all) - l, "[%s|%s|%s|%d|%zu]", e->url, e->date, e->brand, e->domain,
	         e->line);
	g->n++;
	return true;
}

static void expect(const char *name, const char *fmt, const char *in, nise_rc want_rc, const char *want,
                   size_t want_bad)
{
	struct got g = {"", 0};
	size_t bad = 99;
	char diag[256] = "";
	int f = nise_feed_format_by_name(fmt);
	T_CHECK(f >= 0, "%s: format %s", name, fmt);
	nise_rc rc = nise_feed_parse((enum nise_feed_format)f, in, strlen(in), on_entry, &g, &bad, diag, sizeof(diag));
	T_CHECK(rc == want_rc, "%s: rc %d (%s), want %d", name, rc, diag, want_rc);
	T_STR(g.all, want);
	if (want_rc == NISE_OK)
		T_CHECK(bad == want_bad, "%s: %zu bad rows, want %zu", name, bad, want_bad);
}

int main(void)
{
	expect("jpcert", "jpcert",
	       "date,URL,description\r\n"
	       "2021/01/04 09:23:00,https://payusianseo.com/,PayPay\r\n"
	       "2021/01/04 10:00:00,\"https://a.example/x,y\",\"アプラス \"\"偽\"\"\"\r\n"
	       "2023/12/14 13:46:00,\xe3\x80\x80https://harwilenergy.com/etc.php?nov8=0\xe3\x80\x80,ETC\r\n"
	       "\r\n"
	       "2021/01/05 11:00:00\r\n"
	       "2021/01/05 11:00:00,,Empty\r\n",
	       NISE_OK,
	       "[https://payusianseo.com/|2021-01-04|PayPay|0|2]"
	       "[https://a.example/x,y|2021-01-04|アプラス \"偽\"|0|3]"
	       "[https://harwilenergy.com/etc.php?nov8=0|2023-12-14|ETC|0|4]",
	       2);
	expect("jpcert bom", "jpcert", "\xef\xbb\xbf" "date,URL,description\nx,http://b.example/,\n", NISE_OK,
	       "[http://b.example/|||0|2]", 0);
	expect("jpcert wrong header", "jpcert", "a,b,c\n1,2,3\n", NISE_EPARSE, "", 0);
	expect("jpcert empty", "jpcert", "", NISE_EPARSE, "", 0);
	expect("phishtank csv", "phishtank-csv",
	       "phish_id,url,phish_detail_url,submission_time,verified,verification_time,online,target\n"
	       "123,http://evil.example/login,http://www.phishtank.com/phish_detail.php?phish_id=123,"
	       "2024-01-02T03:04:05+00:00,yes,2024-01-02T04:00:00+00:00,yes,PayPal\n"
	       "124,http://other.example/,x,2024-01-03T00:00:00+00:00,yes,x,yes,Other\n",
	       NISE_OK, "[http://evil.example/login|2024-01-02|PayPal|0|2][http://other.example/|2024-01-03||0|3]", 0);
	expect("phishtank json", "phishtank-json",
	       "[{\"phish_id\":1,\"url\":\"http://evil.example/a\",\"submission_time\":\"2024-05-06T00:00:00+00:00\","
	       "\"target\":\"Amazon.com\"},{\"url\":5},{\"url\":\"http://x.example/\",\"target\":\"Other\"}]",
	       NISE_OK, "[http://evil.example/a|2024-05-06|Amazon.com|0|0][http://x.example/|||0|0]", 1);
	expect("phishtank json: not an array", "phishtank-json", "{\"url\":\"x\"}", NISE_EPARSE, "", 0);
	expect("phishtank json: not json", "phishtank-json", "[{", NISE_EPARSE, "", 0);
	expect("openphish", "openphish", "https://a.example/x\n\n# comment\r\n  https://b.example/  \n", NISE_OK,
	       "[https://a.example/x|||0|1][https://b.example/|||0|4]", 0);
	expect("urls", "urls", "http://c.example/ trailing words\n!adblock comment\n", NISE_OK,
	       "[http://c.example/|||0|1]", 0);
	expect("domains", "domains", "evil.example\n0.0.0.0 bad.example # ad\n127.0.0.1\tworse.example\n", NISE_OK,
	       "[evil.example|||1|1][bad.example|||1|2][worse.example|||1|3]", 0);
	/* a listed domain with a trailing comment is the domain, not the comment */
	expect("domains: comment", "domains", "evil.example # reported 2024-05\nworse.example\t#x\n#only\n", NISE_OK,
	       "[evil.example|||1|1][worse.example|||1|2]", 0);
	char d[11];
	nise_feed_date(d, "2021/01/04 09:23:00");
	T_STR(d, "2021-01-04");
	nise_feed_date(d, "2021/01-04");
	T_STR(d, "");
	nise_feed_date(d, "20");
	T_STR(d, "");
	T_INT(nise_feed_format_by_name("nope"), -1);
	T_DONE("feed");
}
