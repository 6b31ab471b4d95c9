/* SPDX-License-Identifier: MIT */
/*
 * The store and everything built on it, against one backend: the LMDB
 * file in a temporary directory (no argument) or the Redis server named
 * by argv[1] (tests/intel/store.sh starts one on loopback). The same
 * assertions hold for both:
 *   - maps and sets (get, put, add, members, scan, count, batches);
 *   - feed import and Safe Browsing lookup, incl. variants and refusals
 *     of whole-host entries for shorteners, shared and public-suffix hosts;
 *   - the in-memory prefix set (pcache.c) stays fresh: a URL imported
 *     through a second handle on the same store (another process) or
 *     through the same handle after the set was built is found;
 *   - campaigns: banding finds every fingerprint within the threshold and
 *     none beyond; copies, dates and lists accumulate;
 *   - an engine with the store: a link listed by a feed and a copy of a
 *     recorded campaign become findings; the seed mail's ISO-2022-JP twin
 *     is recognised as the seed's campaign;
 *   - lookups from several threads at once, while imports through a
 *     second handle make them rebuild the prefix set (ASan: no set is
 *     freed while a lookup reads it).
 * Two handles on one LMDB file in one process stand in for two processes;
 * LMDB advises against it outside tests (closing one drops the other's
 * fcntl lock on the lock file), harmless in a private temporary directory.
 */
#include <pthread.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel/intel.h"
#include "intel/sb.h"
#include "intel/store.h"
#include "nise/nise.h"
#include "t.h"

static struct nise_store *st;

static bool copy_val(void *ctx, const void *v, size_t n)
{
	char *out = ctx;
	snprintf(out, 256, "%.*s", (int)n, (const char *)v);
	return true;
}

static bool count_member(void *ctx, const void *v, size_t n)
{
	(void)v;
	size_t *c = ctx;
	*c += n == 4;
	return true;
}

static bool count_kv(void *ctx, const void *k, size_t kn, const void *v, size_t vn)
{
	(void)k;
	(void)v;
	size_t *c = ctx;
	*c += kn == 2 && vn == 1;
	return true;
}

static void test_tables(void)
{
	char got[256] = "";
	T_INT(st->ops->put(st, NISE_T_META, "k1", 2, "v1", 2), NISE_OK);
	T_INT(st->ops->get(st, NISE_T_META, "k1", 2, copy_val, got), NISE_OK);
	T_STR(got, "v1");
	T_INT(st->ops->put(st, NISE_T_META, "k1", 2, "v2", 2), NISE_OK);
	T_INT(st->ops->get(st, NISE_T_META, "k1", 2, copy_val, got), NISE_OK);
	T_STR(got, "v2");
	T_INT(st->ops->get(st, NISE_T_META, "nope", 4, copy_val, got), NISE_ENOTFOUND);
	T_INT(st->ops->add(st, NISE_T_PREFIX, "set1", 4, "aaaa", 4), NISE_OK);
	T_INT(st->ops->add(st, NISE_T_PREFIX, "set1", 4, "bbbb", 4), NISE_OK);
	T_INT(st->ops->add(st, NISE_T_PREFIX, "set1", 4, "aaaa", 4), NISE_OK);
	size_t c = 0;
	T_INT(st->ops->members(st, NISE_T_PREFIX, "set1", 4, count_member, &c), NISE_OK);
	T_INT(c, 2);
	c = 0;
	T_INT(st->ops->members(st, NISE_T_PREFIX, "set2", 4, count_member, &c), NISE_ENOTFOUND);
	T_INT(c, 0);
	/* a batch of 3000 writes */
	T_INT(st->ops->begin(st), NISE_OK);
	for (unsigned i = 0; i < 3000; i++) {
		unsigned char k[2] = {(unsigned char)(i >> 8), (unsigned char)i};
		st->ops->put(st, NISE_T_CAMPAIGN, k, 2, "x", 1);
	}
	T_INT(st->ops->commit(st), NISE_OK);
	size_t n = 0;
	T_INT(st->ops->count(st, NISE_T_CAMPAIGN, &n), NISE_OK);
	T_INT(n, 3000);
	c = 0;
	T_INT(st->ops->scan(st, NISE_T_CAMPAIGN, count_kv, &c), NISE_OK);
	T_INT(c, 3000);
}

static const char feed[] =
	"date,URL,description\n"
	"2020/11/17 10:00:00,http://cardservices.newnamecardamazon.icu/,Amazon\n"
	"2021/02/03 10:00:00,https://evil.example/wp/IXR/login.php,三井住友カード\n"
	"2021/02/03 10:00:00,https://bit.ly/,Other\n"
	"2021/02/03 10:00:00,https://bit.ly/3abcDEF,SAISON CARD\n"
	"2021/02/03 10:00:00,https://github.io/,x\n"
	"2021/02/03 10:00:00,https://tenant.github.io/,楽天\n"
	"2021/02/03 10:00:00,https:///nohost/,x\n";

static void lookup(const char *url, nise_rc want, const char *want_expr)
{
	struct nise_intel_match m;
	nise_rc rc = nise_intel_lookup(&m, st, url, strlen(url));
	T_CHECK(rc == want, "lookup %s: rc %d, want %d", url, rc, want);
	if (want == NISE_OK && rc == NISE_OK)
		T_STR(m.expr, want_expr);
}

static void test_urls(struct nise_engine *e)
{
	struct nise_intel_import_stats s;
	char diag[256] = "";
	T_INT(nise_intel_import(&s, st, e, "jpcert", feed, strlen(feed), diag, sizeof(diag)), NISE_OK);
	T_INT(s.read, 7);
	T_INT(s.stored, 4);
	T_INT(s.refused, 2);
	T_INT(s.unparsable, 1);
	struct nise_intel_match m;
	T_INT(nise_intel_lookup(&m, st, "http://cardservices.newnamecardamazon.icu/", 42), NISE_OK);
	T_STR(m.feed, "jpcert");
	T_STR(m.date, "2020-11-17");
	T_STR(m.brand, "Amazon");
	T_STR(m.expr, "cardservices.newnamecardamazon.icu/");
	/* a link: its normalised URL is unlisted, its href as written is listed */
	T_INT(nise_intel_lookup_link(&m, st, "http://unlisted.example/", 24,
	                             "http://cardservices.newnamecardamazon.icu/", 42), NISE_OK);
	T_STR(m.expr, "cardservices.newnamecardamazon.icu/");
	/* another spelling of the same unlisted URL is not a second chance */
	T_INT(nise_intel_lookup_link(&m, st, "http://unlisted.example/", 24, "HTTP://UNLISTED.example./", 25),
	      NISE_ENOTFOUND);
	lookup("HTTPS://CardServices.NewNameCardAmazon.ICU./anything/else?x=1", NISE_OK,
	       "cardservices.newnamecardamazon.icu/");
	lookup("http://deeper.cardservices.newnamecardamazon.icu/p", NISE_OK, "cardservices.newnamecardamazon.icu/");
	lookup("http://newnamecardamazon.icu/", NISE_ENOTFOUND, NULL);
	lookup("https://evil.example/wp/IXR/login.php", NISE_OK, "evil.example/wp/IXR/login.php");
	lookup("https://EVIL.example./wp/%49XR/login.php?session=1", NISE_OK, "evil.example/wp/IXR/login.php");
	lookup("https://evil.example/wp/IXR/other.php", NISE_ENOTFOUND, NULL);
	lookup("https://evil.example/", NISE_ENOTFOUND, NULL);
	lookup("https://bit.ly/3abcDEF", NISE_OK, "bit.ly/3abcDEF");
	lookup("https://bit.ly/other", NISE_ENOTFOUND, NULL);
	lookup("https://someone.github.io/", NISE_ENOTFOUND, NULL);
	lookup("https://tenant.github.io/page", NISE_OK, "tenant.github.io/");
	lookup("not a url at all", NISE_ENOTFOUND, NULL);
	lookup("http:///", NISE_EPARSE, NULL);
	size_t urls = 0, camps = 0;
	T_INT(nise_intel_stats(st, &urls, &camps, NULL, NULL), NISE_OK);
	T_INT(urls, 4);
	/* not a CSV of the format */
	T_INT(nise_intel_import(&s, st, e, "jpcert", "x,y\n1,2\n", 8, diag, sizeof(diag)), NISE_EPARSE);
	T_STR(diag, "line 1: no \"URL\" column in the header");
	T_INT(nise_intel_import(&s, st, e, "nope", "", 0, diag, sizeof(diag)), NISE_EINVAL);
}

/* A lookup misses (and builds the prefix set); the URL is then imported
 * through a second handle, as another process would, and through the
 * first one; each is found through the first handle at once. */
static void test_fresh(struct nise_engine *e, const char *spec)
{
	static const char late[] = "date,URL,description\n"
	                           "2021/03/01 10:00:00,https://late.example/phish/login.php,Late\n";
	static const char later[] = "date,URL,description\n"
	                            "2021/03/02 10:00:00,http://later.example/,Later\n";
	char diag[600] = "";
	struct nise_store *other = NULL;
	nise_rc rc = nise_store_open(&other, spec, false, diag, sizeof(diag));
	T_CHECK(rc == NISE_OK, "second handle on %s: %s", spec, diag);
	if (rc != NISE_OK)
		return;
	lookup("https://late.example/phish/login.php", NISE_ENOTFOUND, NULL);
	T_CHECK(st->pcache.cur != NULL, "the lookup built the prefix set");
	struct nise_intel_import_stats s;
	T_INT(nise_intel_import(&s, other, e, "jpcert", late, strlen(late), diag, sizeof(diag)), NISE_OK);
	T_INT(s.stored, 1);
	lookup("https://late.example/phish/login.php", NISE_OK, "late.example/phish/login.php");
	lookup("https://LATE.example/phish/login.php?x=1", NISE_OK, "late.example/phish/login.php");
	lookup("https://late.example/phish/other.php", NISE_ENOTFOUND, NULL);
	/* the second handle's own set (built now) sees an import through the first */
	lookup("http://a.later.example/x", NISE_ENOTFOUND, NULL);
	struct nise_intel_match m;
	T_INT(nise_intel_lookup(&m, other, "http://a.later.example/x", 24), NISE_ENOTFOUND);
	T_INT(nise_intel_import(&s, st, e, "jpcert", later, strlen(later), diag, sizeof(diag)), NISE_OK);
	T_INT(s.stored, 1);
	lookup("http://a.later.example/x", NISE_OK, "later.example/");
	T_INT(nise_intel_lookup(&m, other, "http://a.later.example/x", 24), NISE_OK);
	T_STR(m.expr, "later.example/");
	T_STR(m.brand, "Later");
	/* single writes outside a batch change the generation too */
	lookup("http://direct.example/", NISE_ENOTFOUND, NULL);
	unsigned char h[32];
	nise_sb_hash(h, "direct.example/", 15);
	static const char rec[] = "urls\t2021-03-03\tDirect\tdirect.example/";
	T_INT(other->ops->put(other, NISE_T_URL, h, 32, rec, strlen(rec)), NISE_OK);
	T_INT(other->ops->add(other, NISE_T_PREFIX, h, 4, h, 32), NISE_OK);
	lookup("http://direct.example/", NISE_OK, "direct.example/");
	size_t urls = 0, camps = 0;
	T_INT(nise_intel_stats(st, &urls, &camps, NULL, NULL), NISE_OK);
	T_INT(urls, 7);
	nise_store_close(other);
}

static void test_campaigns(void)
{
	const uint64_t fp = 0x0123456789abcdefull;
	const char *links[] = {"evil.example", "evil.example", "other.example"};
	struct nise_campaign c;
	T_INT(nise_campaign_find(&c, st, fp), NISE_ENOTFOUND);
	T_INT(nise_campaign_add(&c, st, fp, "2020-11-17", "Amazon", "subject one", "a.example", links, 3), NISE_OK);
	T_INT(c.copies, 1);
	T_INT(c.nlinks, 2);
	/* spread over every band: found up to the guaranteed radius */
	for (unsigned d = 1; d <= NISE_FP_THRESHOLD + 1; d++) {
		uint64_t near = fp;
		for (unsigned b = 0; b < d; b++)
			near ^= (uint64_t)1 << (b * 9 % 64);
		nise_rc rc = nise_campaign_find(&c, st, near);
		if (d <= NISE_FP_GUARANTEED) {
			T_CHECK(rc == NISE_OK && c.distance == d && c.id == fp, "distance %u: rc %d dist %u", d, rc,
			        c.distance);
		} else {
			T_CHECK(rc == NISE_ENOTFOUND, "spread distance %u: rc %d, want none", d, rc);
		}
	}
	/* beyond it, found when one band is intact, never past the threshold */
	for (unsigned d = NISE_FP_GUARANTEED + 1; d <= NISE_FP_THRESHOLD + 1; d++) {
		uint64_t near = fp ^ (((uint64_t)1 << d) - 1) << 8; /* bits 8.. : band 0 intact */
		nise_rc rc = nise_campaign_find(&c, st, near);
		if (d <= NISE_FP_THRESHOLD)
			T_CHECK(rc == NISE_OK && c.distance == d, "band-0 distance %u: rc %d dist %u", d, rc, c.distance);
		else
			T_CHECK(rc == NISE_ENOTFOUND, "band-0 distance %u: rc %d, want none", d, rc);
	}
	/* a copy 3 bits away, earlier: joins, moves first_seen */
	uint64_t copy = fp ^ 0x8000000000000011ull;
	T_INT(nise_campaign_add(&c, st, copy, "2020-11-10", NULL, "subject two", "b.example", NULL, 0), NISE_OK);
	T_INT(c.copies, 2);
	T_STR(c.first_seen, "2020-11-10");
	T_STR(c.last_seen, "2020-11-17");
	T_STR(c.brand, "Amazon");
	T_INT(c.nsubjects, 2);
	T_STR(c.subjects[1], "subject two");
	T_INT(c.nsenders, 2);
	/* the copy's own bands: 7 bits from the copy (10 from the first) is found */
	uint64_t drift = copy ^ 0x0000000000007f00ull;
	T_INT(nise_campaign_find(&c, st, drift), NISE_OK);
	T_INT(c.distance, 7);
	T_CHECK(c.id == fp, "drifted copy found under the first id");
	/* an unrelated one */
	T_INT(nise_campaign_add(&c, st, ~fp, "2021-01-01", "JCB", "other", "c.example", NULL, 0), NISE_OK);
	T_INT(c.copies, 1);
	size_t urls, camps;
	T_INT(nise_intel_stats(st, &urls, &camps, NULL, NULL), NISE_OK);
	T_INT(camps, 3000 + 2); /* the 3000 of test_tables are raw table rows */
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 20];
	*n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static const struct nise_finding *finding(const struct nise_result *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

static void test_engine(struct nise_engine *e)
{
	size_t n;
	char *buf = slurp(NISE_SOURCE_ROOT "/examples/seed-amazon-phish.eml", &n);
	T_CHECK(buf != NULL, "seed mail");
	if (!buf)
		return;
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, e, buf, n), NISE_OK);
	const struct nise_finding *f = finding(r, "INTEL_URL_MATCH");
	T_CHECK(f != NULL, "seed: INTEL_URL_MATCH");
	if (f) {
		T_STR(f->evidence, "http://cardservices.newnamecardamazon.icu/ (jpcert 2020-11-17 Amazon: "
		                   "cardservices.newnamecardamazon.icu/)");
		T_STR(f->explain_en, "The link http://cardservices.newnamecardamazon.icu/ is on JPCERT/CC's list of "
		                     "known phishing sites (listed 2020-11-17, impersonating Amazon).");
	}
	T_CHECK(finding(r, "CAMPAIGN_MATCH") == NULL, "seed: no campaign yet");
	T_STR(nise_verdict_name(r->verdict), "phishing");
	bool recorded = false;
	struct nise_campaign c;
	T_INT(nise_intel_record(&c, &recorded, st, e, r), NISE_OK);
	T_CHECK(recorded, "seed recorded");
	T_STR(c.first_seen, "2020-11-17");
	T_INT(c.copies, 1);
	T_STR(c.brand, "Amazon");
	T_STR(c.senders[0], "newnamecardamazonmail.cyou");
	T_STR(c.links[0], "newnamecardamazon.icu");
	nise_result_free(r);

	buf = slurp(NISE_SOURCE_ROOT "/examples/seed-amazon-phish-iso2022jp.eml", &n);
	T_INT(nise_scan(&r, e, buf, n), NISE_OK);
	f = finding(r, "CAMPAIGN_MATCH");
	T_CHECK(f != NULL, "twin: CAMPAIGN_MATCH");
	if (f)
		T_CHECK(strstr(f->explain_en, "first seen 2020-11-17 (1 copies so far, Amazon)") != NULL, "twin: %s",
		        f->explain_en);
	T_INT(nise_campaign_match(&c, st, e, r), NISE_OK);
	T_INT(c.copies, 1);
	nise_result_free(r);

	/* a mailto: address at a listed host is not a listed page */
	const char *mailto = "From: a@b.example\r\nTo: c@d.example\r\nSubject: hello\r\n"
	                     "Content-Type: text/html\r\n\r\n"
	                     "<p>Write to <a href=\"mailto:x@tenant.github.io\">us</a> or see "
	                     "<a href=\"https://tenant.github.io/p\">the page</a>.</p>\r\n";
	T_INT(nise_scan(&r, e, mailto, strlen(mailto)), NISE_OK);
	size_t listed = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, "INTEL_URL_MATCH") == 0) {
			listed++;
			T_STR(r->findings[i].evidence, "https://tenant.github.io/p (jpcert 2021-02-03 楽天: tenant.github.io/)");
		}
	T_INT(listed, 1);
	nise_result_free(r);

	/* a clean mail is never recorded */
	const char *ham = "From: a@b.example\r\nTo: c@d.example\r\nSubject: lunch\r\n\r\n"
	                  "Shall we have lunch on Friday at the usual place near the station?\r\n";
	T_INT(nise_scan(&r, e, ham, strlen(ham)), NISE_OK);
	T_INT(nise_intel_record(&c, &recorded, st, e, r), NISE_OK);
	T_CHECK(!recorded, "clean mail not recorded");
	T_CHECK(finding(r, "CAMPAIGN_MATCH") == NULL, "clean mail: no campaign");
	nise_result_free(r);
}

static void *lookup_thread(void *arg)
{
	(void)arg;
	long ok = 0;
	for (int i = 0; i < 500; i++) {
		struct nise_intel_match m;
		const char *u = i % 2 ? "https://evil.example/wp/IXR/login.php?i=1" : "http://a.cardservices.newnamecardamazon.icu/";
		nise_rc rc = nise_intel_lookup(&m, st, u, strlen(u));
		ok += rc == NISE_OK;
		if (rc != NISE_OK)
			fprintf(stderr, "store: lookup %d of %s: %s\n", i, u, nise_strerror(rc));
	}
	return (void *)ok;
}

struct refusals {
	char hosts[4][64];
	char why[4][160];
	int n;
};

static void on_refused(void *ctx, const char *host, const char *why)
{
	struct refusals *r = ctx;
	if (r->n < 4) {
		snprintf(r->hosts[r->n], sizeof(r->hosts[0]), "%s", host);
		snprintf(r->why[r->n], sizeof(r->why[0]), "%s", why);
	}
	r->n++;
}

/* nise update's feeds: a name, first/last-seen times, expiry once an
 * entry has left its feed, and the popular and brand-owned hosts that are
 * never blocked whole. */
static void test_feed(struct nise_engine *e)
{
	static const char v1[] = "https://feed-a.example/login\nhttps://feed-b.example/x\n"
	                         "https://www.google.com/\nhttps://accounts.google.com/\n"
	                         "https://www.wikipedia.org/\nhttps://docs.google.com/forms/d/e/1/viewform\n"
	                         /* a provider's per-address machine name is one customer's server:
	                          * stored whole; the provider's own hosts are not */
	                         "https://mail.secureserver.net/\nhttps://180.124.168.184.host.secureserver.net/\n"
	                         "https://1.2.3.google.com/\n";
	static const char v2[] = "https://feed-a.example/login\nhttps://feed-c.example/y\n";
	struct refusals r = {0};
	struct nise_intel_feed_opts o = {.name = "own-list", .now = 1000000, .expire = 86400,
	                                 .refused = on_refused, .ctx = &r};
	struct nise_intel_import_stats s;
	char diag[256] = "";
	T_INT(nise_intel_import_feed(&s, st, e, "urls", v1, strlen(v1), &o, diag, sizeof(diag)), NISE_OK);
	T_INT(s.read, 9);
	T_INT(s.stored, 4);
	T_INT(s.refused, 5);
	T_INT(r.n, 5);
	T_STR(r.hosts[0], "www.google.com");
	T_STR(r.why[0], "a popular domain (Tranco rank 1)");
	T_STR(r.hosts[1], "accounts.google.com");
	T_STR(r.why[1], "owned by the brand Google (brands.tsv)");
	T_STR(r.hosts[2], "www.wikipedia.org");
	T_CHECK(strncmp(r.why[2], "a popular domain (Tranco rank ", 30) == 0, "wikipedia: %s", r.why[2]);
	T_STR(r.hosts[3], "mail.secureserver.net");
	T_STR(r.why[3], "owned by the brand GoDaddy (brands.tsv)");
	struct nise_intel_match pm;
	T_INT(nise_intel_lookup(&pm, st, "https://180.124.168.184.host.secureserver.net/login", 51), NISE_OK);
	T_STR(pm.expr, "180.124.168.184.host.secureserver.net/");
	T_INT(nise_intel_lookup(&pm, st, "https://1.2.3.google.com/", 25), NISE_ENOTFOUND);
	int64_t ft = 0;
	T_INT(nise_intel_feed_time(&ft, st, "own-list"), NISE_OK);
	T_INT(ft, 1000000);
	T_INT(nise_intel_feed_time(&ft, st, "never-imported"), NISE_ENOTFOUND);
	struct nise_intel_match m;
	T_INT(nise_intel_lookup(&m, st, "https://feed-b.example/x", 24), NISE_OK);
	T_STR(m.feed, "own-list");
	T_INT(m.first, 1000000);
	T_INT(m.last, 1000000);
	T_INT(m.expire, 86400);
	T_INT(nise_intel_lookup(&m, st, "https://www.google.com/", 23), NISE_ENOTFOUND);
	T_INT(nise_intel_lookup(&m, st, "https://docs.google.com/forms/d/e/1/viewform", 44), NISE_OK);
	/* a day later: b has left the feed, a is listed again, c is new */
	o.now = 1000000 + 86400;
	T_INT(nise_intel_import_feed(&s, st, e, "urls", v2, strlen(v2), &o, diag, sizeof(diag)), NISE_OK);
	T_INT(s.stored, 2);
	T_INT(nise_intel_lookup(&m, st, "https://feed-a.example/login", 28), NISE_OK);
	T_INT(m.first, 1000000);
	T_INT(m.last, 1000000 + 86400);
	size_t gone = 99;
	/* b was last listed 86,400 s ago, but its feed stopped listing it only now... */
	T_INT(nise_intel_expire(&gone, st, "own-list", 1000000 + 86399), NISE_OK);
	T_INT(gone, 0);
	/* ...its expiry counts from its last listing: due at 1,086,400 */
	T_INT(nise_intel_expire(&gone, st, "own-list", 1000000 + 86400), NISE_OK);
	T_INT(gone, 3); /* feed-b, the docs.google.com form and the per-address host */
	T_INT(nise_intel_lookup(&m, st, "https://feed-b.example/x", 24), NISE_ENOTFOUND);
	T_INT(nise_intel_lookup(&m, st, "https://feed-a.example/login", 28), NISE_OK);
	/* entries still listed never expire, however old their first listing */
	T_INT(nise_intel_expire(&gone, st, "own-list", 1000000 + 100 * 86400), NISE_OK);
	T_INT(gone, 0);
	T_INT(nise_intel_lookup(&m, st, "https://feed-c.example/y", 24), NISE_OK);
	/* an import that stores nothing does not move the feed's time */
	o.now = 1000000 + 200 * 86400;
	T_INT(nise_intel_import_feed(&s, st, e, "urls", "\n", 1, &o, diag, sizeof(diag)), NISE_OK);
	T_INT(nise_intel_expire(&gone, st, "own-list", o.now), NISE_OK);
	T_INT(gone, 0);
	/* entries of another source (a manual import: expire 0) are never touched */
	T_INT(nise_intel_expire(&gone, st, "jpcert", o.now), NISE_OK);
	T_INT(gone, 0);
	T_INT(nise_intel_lookup(&m, st, "http://cardservices.newnamecardamazon.icu/", 42), NISE_OK);
	o.name = "bad\tname";
	T_INT(nise_intel_import_feed(&s, st, e, "urls", v2, strlen(v2), &o, diag, sizeof(diag)), NISE_EINVAL);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/nise-test-store-XXXXXX", path[256];
	const char *spec = argc > 1 ? argv[1] : NULL;
	if (!spec) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
		snprintf(path, sizeof(path), "%s/nise.lmdb", dir);
		spec = path;
		struct nise_store *none = NULL;
		char diag[256];
		T_INT(nise_store_open(&none, path, false, diag, sizeof(diag)), NISE_ENOTFOUND);
	}
	char diag[600] = "";
	nise_rc rc = nise_store_open(&st, spec, true, diag, sizeof(diag));
	T_CHECK(rc == NISE_OK, "open %s: %s", spec, diag);
	if (rc != NISE_OK)
		T_DONE("store");
	printf("store backend: %s\n", nise_store_backend(st));
	struct nise_engine_opts opts = {0};
	nise_limits_default(&opts.limits);
	opts.data_dir = NISE_SOURCE_ROOT "/data";
	opts.store = st;
	struct nise_engine *e = NULL;
	T_INT(nise_engine_new(&e, &opts, diag, sizeof(diag)), NISE_OK);
	test_tables();
	test_urls(e);
	test_fresh(e, spec);
	test_campaigns();
	test_engine(e);
	/* another process imports while four threads look up: a real second
	 * process, because LMDB forbids opening one environment twice in the
	 * same process (a second handle here made lookups flaky under ASan) */
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct nise_store *other = NULL;
		int bad = nise_store_open(&other, spec, false, diag, sizeof(diag)) != NISE_OK;
		for (int i = 0; other && i < 20; i++) {
			char f[128];
			int n = snprintf(f, sizeof(f), "date,URL,description\n2021/04/01 10:00:00,https://race%d.example/p,R\n", i);
			struct nise_intel_import_stats is;
			bad |= nise_intel_import(&is, other, e, "jpcert", f, (size_t)n, diag, sizeof(diag)) != NISE_OK;
			bad |= is.stored != 1;
		}
		nise_store_close(other);
		_exit(bad);
	}
	T_CHECK(pid > 0, "fork");
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, lookup_thread, NULL);
	/* every lookup finds the old listed URL: a snapshot never lacks what
	 * was committed before it began (store_lmdb.c, why there is no pool of
	 * read transactions shared between threads) */
	long found = 0;
	for (int i = 0; i < 4; i++) {
		void *ok;
		pthread_join(th[i], &ok);
		found += (long)ok;
	}
	T_CHECK(found == 2000, "%ld of 2000 lookups during a concurrent import found the listed URL", found);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the importing process failed (status %d)", status);
	lookup("https://race19.example/p", NISE_OK, "race19.example/p");
	test_feed(e);
	nise_engine_free(e);
	nise_store_close(st);
	if (spec == path) {
		char lock[300];
		snprintf(lock, sizeof(lock), "%s-lock", path);
		unlink(path);
		unlink(lock);
		rmdir(dir);
	}
	T_DONE("store");
}
