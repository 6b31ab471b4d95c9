/* SPDX-License-Identifier: MIT */
/*
 * test_url.c — table-driven tests of src/lib/url: parsing (IPv4 in every
 * notation, IPv6, IDNA both ways, PSL domains, userinfo tricks, percent-
 * encoded hosts, obfuscations, scheme-less and bare forms), RFC 3986
 * section 5.4 resolution, extraction from English and Japanese text, and
 * robustness on hostile input. Every expectation is an exact string.
 */
#include <libpsl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "url/url.h"

enum { IP = 1, PUNY = 2, OBF = 4, SCHEME = 8 };

struct parse_case {
	const char *in;
	bool bare;
	nise_rc rc;
	const char *url, *host, *host_ascii, *domain, *tld, *path, *userinfo;
	unsigned port;
	unsigned flags;
};

/* A case that must fail with NISE_EPARSE. */
#define BAD(in, bare) { in, bare, NISE_EPARSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 }

#define CY_A "\xd0\xb0" /* U+0430 CYRILLIC SMALL LETTER A */
#define CY_O "\xd0\xbe" /* U+043E CYRILLIC SMALL LETTER O */
#define REIE "\xe4\xbe\x8b\xe3\x81\x88" /* 例え */

static const struct parse_case parse_cases[] = {
	/* IPv4 in every notation browsers accept */
	{ "http://3232235777/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://0300.0250.1.1/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://0xC0A80101/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://0xc0.0xa8.0x1.0x1/x", 0, NISE_OK, "http://192.168.1.1/x", "192.168.1.1",
	  "192.168.1.1", "192.168.1.1", NULL, "/x", NULL, 0, IP | SCHEME },
	{ "http://0xC0.168.0401/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://0300.0xa8.1.01/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://192.168.257/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://192.11010305/", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://127.1/", 0, NISE_OK, "http://127.0.0.1/", "127.0.0.1", "127.0.0.1", "127.0.0.1",
	  NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://0x/", 0, NISE_OK, "http://0.0.0.0/", "0.0.0.0", "0.0.0.0", "0.0.0.0", NULL, "/",
	  NULL, 0, IP | SCHEME },
	{ "http://192.168.1.1./", 0, NISE_OK, "http://192.168.1.1/", "192.168.1.1", "192.168.1.1",
	  "192.168.1.1", NULL, "/", NULL, 0, IP | SCHEME },
	{ "http://%31%39%32.168.1.1:8080/", 0, NISE_OK, "http://192.168.1.1:8080/", "192.168.1.1",
	  "192.168.1.1", "192.168.1.1", NULL, "/", NULL, 8080, IP | SCHEME },
	{ "http://4294967295/", 0, NISE_OK, "http://255.255.255.255/", "255.255.255.255",
	  "255.255.255.255", "255.255.255.255", NULL, "/", NULL, 0, IP | SCHEME },
	BAD("http://4294967296/", 0),
	BAD("http://1.2.3.256/", 0),
	BAD("http://1.2.3.4.5/", 0),
	BAD("http://09.1.1.1/", 0),
	BAD("http://1..2/", 0),
	/* IPv6 */
	{ "http://[::1]/", 0, NISE_OK, "http://[::1]/", "[::1]", "[::1]", "[::1]", NULL, "/", NULL,
	  0, IP | SCHEME },
	{ "https://[2001:DB8:0:0:0:0:0:1]:8443/x", 0, NISE_OK, "https://[2001:db8::1]:8443/x",
	  "[2001:db8::1]", "[2001:db8::1]", "[2001:db8::1]", NULL, "/x", NULL, 8443, IP | SCHEME },
	{ "http://[::ffff:192.168.1.1]/", 0, NISE_OK, "http://[::ffff:c0a8:101]/",
	  "[::ffff:c0a8:101]", "[::ffff:c0a8:101]", "[::ffff:c0a8:101]", NULL, "/", NULL, 0,
	  IP | SCHEME },
	{ "http://[1:0:0:2:0:0:0:3]/", 0, NISE_OK, "http://[1:0:0:2::3]/", "[1:0:0:2::3]",
	  "[1:0:0:2::3]", "[1:0:0:2::3]", NULL, "/", NULL, 0, IP | SCHEME },
	BAD("http://[1::2::3]/", 0),
	BAD("http://[::1/", 0),
	/* IDNA, both directions */
	{ "http://xn--amazn-mye.com/", 0, NISE_OK, "http://xn--amazn-mye.com/", "amaz" CY_O "n.com",
	  "xn--amazn-mye.com", "amaz" CY_O "n.com", "com", "/", NULL, 0, PUNY | SCHEME },
	{ "http://" CY_A "pple.com/login", 0, NISE_OK, "http://xn--pple-43d.com/login",
	  CY_A "pple.com", "xn--pple-43d.com", CY_A "pple.com", "com", "/login", NULL, 0,
	  PUNY | SCHEME },
	{ "HTTP://XN--PPLE-43D.COM", 0, NISE_OK, "http://xn--pple-43d.com/", CY_A "pple.com",
	  "xn--pple-43d.com", CY_A "pple.com", "com", "/", NULL, 0, PUNY | SCHEME },
	{ "http://\xc3\x84PPLE.com/", 0, NISE_OK, "http://xn--pple-koa.com/", "\xc3\xa4pple.com",
	  "xn--pple-koa.com", "\xc3\xa4pple.com", "com", "/", NULL, 0, PUNY | SCHEME },
	{ "http://\xef\xbd\x85\xef\xbd\x98\xef\xbd\x81\xef\xbd\x8d\xef\xbd\x90\xef\xbd\x8c\xef\xbd"
	  "\x85\xef\xbc\x8e\xef\xbd\x83\xef\xbd\x8f\xef\xbd\x8d/", 0, NISE_OK, "http://example.com/",
	  "example.com", "example.com", "example.com", "com", "/", NULL, 0, SCHEME },
	{ "http://" REIE "\xe3\x80\x82jp/", 0, NISE_OK, "http://xn--r8jz45g.jp/", REIE ".jp",
	  "xn--r8jz45g.jp", REIE ".jp", "jp", "/", NULL, 0, PUNY | SCHEME },
	{ "http://%E4%BE%8B%E3%81%88.jp/", 0, NISE_OK, "http://xn--r8jz45g.jp/", REIE ".jp",
	  "xn--r8jz45g.jp", REIE ".jp", "jp", "/", NULL, 0, PUNY | SCHEME },
	{ "http://fa\xc3\x9f.de/", 0, NISE_OK, "http://xn--fa-hia.de/", "fa\xc3\x9f.de",
	  "xn--fa-hia.de", "fa\xc3\x9f.de", "de", "/", NULL, 0, PUNY | SCHEME },
	{ "http://i\xe2\x9d\xa4.ws/", 0, NISE_OK, "http://xn--i-7iq.ws/", "i\xe2\x9d\xa4.ws",
	  "xn--i-7iq.ws", "i\xe2\x9d\xa4.ws", "ws", "/", NULL, 0, PUNY | SCHEME },
	{ "http://xn--zz.com/", 0, NISE_OK, "http://xn--zz.com/", "xn--zz.com", "xn--zz.com",
	  "xn--zz.com", "com", "/", NULL, 0, PUNY | SCHEME },
	BAD("http://a\xff.com/", 0),
	/* a right-to-left override stays visible as punycode */
	{ "http://%E2%80%AEmoc.evil.com/", 0, NISE_OK, "http://xn--moc-4q0a.evil.com/",
	  "xn--moc-4q0a.evil.com", "xn--moc-4q0a.evil.com", "evil.com", "com", "/", NULL, 0,
	  PUNY | SCHEME },
	/* registrable domains (PSL, private section included) */
	{ "https://cardservices.newnamecardamazon.icu/", 0, NISE_OK,
	  "https://cardservices.newnamecardamazon.icu/", "cardservices.newnamecardamazon.icu",
	  "cardservices.newnamecardamazon.icu", "newnamecardamazon.icu", "icu", "/", NULL, 0, SCHEME },
	{ "https://www.amazon.co.jp/gp/", 0, NISE_OK, "https://www.amazon.co.jp/gp/",
	  "www.amazon.co.jp", "www.amazon.co.jp", "amazon.co.jp", "co.jp", "/gp/", NULL, 0, SCHEME },
	{ "https://foo.github.io/x", 0, NISE_OK, "https://foo.github.io/x", "foo.github.io",
	  "foo.github.io", "foo.github.io", "github.io", "/x", NULL, 0, SCHEME },
	{ "http://a.b.blogspot.com/", 0, NISE_OK, "http://a.b.blogspot.com/", "a.b.blogspot.com",
	  "a.b.blogspot.com", "b.blogspot.com", "blogspot.com", "/", NULL, 0, SCHEME },
	{ "http://co.jp/", 0, NISE_OK, "http://co.jp/", "co.jp", "co.jp", "co.jp", "co.jp", "/",
	  NULL, 0, SCHEME },
	{ "http://Example.COM./", 0, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, SCHEME },
	/* userinfo tricks */
	{ "http://amazon.co.jp@evil.example/", 0, NISE_OK, "http://amazon.co.jp@evil.example/",
	  "evil.example", "evil.example", "evil.example", "example", "/", "amazon.co.jp", 0, SCHEME },
	{ "https://user:pa%20ss@www.example.com:443/", 0, NISE_OK,
	  "https://user:pa%20ss@www.example.com/", "www.example.com", "www.example.com",
	  "example.com", "com", "/", "user:pa ss", 0, SCHEME },
	{ "http://a@b@evil.com/", 0, NISE_OK, "http://a%40b@evil.com/", "evil.com", "evil.com",
	  "evil.com", "com", "/", "a@b", 0, SCHEME },
	/* percent-encoded host */
	{ "http://%65vil%2Ecom/", 0, NISE_OK, "http://evil.com/", "evil.com", "evil.com", "evil.com",
	  "com", "/", NULL, 0, SCHEME },
	BAD("http://evil%00.com/", 0),
	BAD("http://evil%2fx.com/", 0),
	/* obfuscations */
	{ "hxxp://evil[.]com/x", 0, NISE_OK, "http://evil.com/x", "evil.com", "evil.com", "evil.com",
	  "com", "/x", NULL, 0, OBF | SCHEME },
	{ "hxxps://evil(.)com", 0, NISE_OK, "https://evil.com/", "evil.com", "evil.com", "evil.com",
	  "com", "/", NULL, 0, OBF | SCHEME },
	{ "h**p://evil[dot]com", 0, NISE_OK, "http://evil.com/", "evil.com", "evil.com", "evil.com",
	  "com", "/", NULL, 0, OBF | SCHEME },
	{ "http://evil{.}co(DOT)jp/", 0, NISE_OK, "http://evil.co.jp/", "evil.co.jp", "evil.co.jp",
	  "evil.co.jp", "co.jp", "/", NULL, 0, OBF | SCHEME },
	{ "hXXps[:]//login[.]example[.]com/a", 0, NISE_OK, "https://login.example.com/a",
	  "login.example.com", "login.example.com", "example.com", "com", "/a", NULL, 0,
	  OBF | SCHEME },
	{ "hxxp[://]evil.com/", 0, NISE_OK, "http://evil.com/", "evil.com", "evil.com", "evil.com",
	  "com", "/", NULL, 0, OBF | SCHEME },
	{ "ttp://example.com/", 0, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, OBF | SCHEME },
	{ "evil[.]com", 1, NISE_OK, "http://evil.com/", "evil.com", "evil.com", "evil.com", "com",
	  "/", NULL, 0, OBF },
	/* scheme-less and bare */
	{ "www.example.com/x", 0, NISE_OK, "http://www.example.com/x", "www.example.com",
	  "www.example.com", "example.com", "com", "/x", NULL, 0, 0 },
	{ "www.example.com:8080/x", 0, NISE_OK, "http://www.example.com:8080/x", "www.example.com",
	  "www.example.com", "example.com", "com", "/x", NULL, 8080, 0 },
	{ "example.com", 1, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, 0 },
	{ "example.co.jp/path?q", 1, NISE_OK, "http://example.co.jp/path?q", "example.co.jp",
	  "example.co.jp", "example.co.jp", "co.jp", "/path?q", NULL, 0, 0 },
	BAD("example.com", 0),
	BAD("index.html", 1),
	BAD("image.png", 1),
	BAD("readme.md", 1),
	BAD("setup.py", 1),
	{ "readme.md/x", 1, NISE_OK, "http://readme.md/x", "readme.md", "readme.md", "readme.md",
	  "md", "/x", NULL, 0, 0 },
	{ "www.readme.md", 1, NISE_OK, "http://www.readme.md/", "www.readme.md", "www.readme.md",
	  "readme.md", "md", "/", NULL, 0, 0 },
	BAD("user@example.com", 1),
	BAD("localhost", 1),
	BAD("192.168.1.1", 1),
	BAD("/path/only", 1),
	{ "//evil.com/x", 0, NISE_OK, "http://evil.com/x", "evil.com", "evil.com", "evil.com", "com",
	  "/x", NULL, 0, 0 },
	/* browser leniency */
	{ "http:\\\\evil.com\\a\\b", 0, NISE_OK, "http://evil.com/a/b", "evil.com", "evil.com",
	  "evil.com", "com", "/a/b", NULL, 0, SCHEME },
	{ " \t\"http://exa\nmple.com/pa\tth\"\r\n", 0, NISE_OK, "http://example.com/path",
	  "example.com", "example.com", "example.com", "com", "/path", NULL, 0, SCHEME },
	{ "<http://example.com/>", 0, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, SCHEME },
	{ "\xe3\x80\x80http://example.com/\xc2\xa0", 0, NISE_OK, "http://example.com/",
	  "example.com", "example.com", "example.com", "com", "/", NULL, 0, SCHEME },
	{ "http://example.com/a/b/../c/./d", 0, NISE_OK, "http://example.com/a/c/d", "example.com",
	  "example.com", "example.com", "com", "/a/c/d", NULL, 0, SCHEME },
	{ "http://example.com/a/%2e%2E/b/..", 0, NISE_OK, "http://example.com/", "example.com",
	  "example.com", "example.com", "com", "/", NULL, 0, SCHEME },
	{ "http://example.com/%E3%81%82?q=%FF#f", 0, NISE_OK,
	  "http://example.com/%E3%81%82?q=%FF#f", "example.com", "example.com", "example.com", "com",
	  "/\xe3\x81\x82?q=\xef\xbf\xbd#f", NULL, 0, SCHEME },
	{ "http://example.com/\xe6\x97\xa5 x", 0, NISE_OK, "http://example.com/%E6%97%A5%20x",
	  "example.com", "example.com", "example.com", "com", "/\xe6\x97\xa5 x", NULL, 0, SCHEME },
	{ "http://example.com/\xff", 0, NISE_OK, "http://example.com/%FF", "example.com",
	  "example.com", "example.com", "com", "/\xef\xbf\xbd", NULL, 0, SCHEME },
	{ "http://example.com:80/", 0, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, SCHEME },
	{ "ftp://example.com:21/f", 0, NISE_OK, "ftp://example.com/f", "example.com", "example.com",
	  "example.com", "com", "/f", NULL, 0, SCHEME },
	{ "http://example.com:/", 0, NISE_OK, "http://example.com/", "example.com", "example.com",
	  "example.com", "com", "/", NULL, 0, SCHEME },
	BAD("http://example.com:99999/", 0),
	BAD("http://example.com:8x/", 0),
	/* other schemes */
	{ "mailto:User@Example.COM?subject=hi", 0, NISE_OK, "mailto:User@Example.COM?subject=hi",
	  "example.com", "example.com", "example.com", "com", "User@Example.COM?subject=hi", NULL, 0,
	  SCHEME },
	{ "javascript:alert(1)", 0, NISE_OK, "javascript:alert(1)", NULL, NULL, NULL, NULL,
	  "alert(1)", NULL, 0, SCHEME },
	{ "DATA:text/html;base64,PHA+", 0, NISE_OK, "data:text/html;base64,PHA+", NULL, NULL, NULL,
	  NULL, "text/html;base64,PHA+", NULL, 0, SCHEME },
	{ "file:///C:/x", 0, NISE_OK, "file:///C:/x", NULL, NULL, NULL, NULL, "/C:/x", NULL, 0,
	  SCHEME },
	{ "file://server/share", 0, NISE_OK, "file://server/share", "server", "server", "server",
	  "server", "/share", NULL, 0, SCHEME },
	/* not URLs */
	BAD("", 1),
	BAD(" \r\n ", 1),
	BAD("http://", 0),
	BAD("http://exa mple.com/", 0),
	BAD("http://ex<ample.com/", 0),
	BAD("http://@/", 0),
	BAD("http://:80/", 0),
};

static void test_parse(struct nise_arena *a, const struct nise_urlctx *uc)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct nise_url u;
		nise_rc rc = nise_url_parse(&u, a, uc, c->in, strlen(c->in), c->bare);
		T_CHECK(rc == c->rc, "parse #%zu \"%s\": rc %d, want %d", i, c->in, rc, c->rc);
		if (rc != NISE_OK) {
			T_CHECK(u.url == NULL, "parse #%zu: url set on failure", i);
			continue;
		}
		T_STR(u.url, c->url);
		T_STR(u.host, c->host);
		T_STR(u.host_ascii, c->host_ascii);
		T_STR(u.domain, c->domain);
		T_STR(u.tld, c->tld);
		T_STR(u.path, c->path);
		T_STR(u.userinfo, c->userinfo);
		T_INT(u.port, c->port);
		T_CHECK(u.host_is_ip == !!(c->flags & IP), "#%zu %s: host_is_ip", i, c->in);
		T_CHECK(u.host_is_punycode == !!(c->flags & PUNY), "#%zu %s: punycode", i, c->in);
		T_CHECK(u.obfuscated == !!(c->flags & OBF), "#%zu %s: obfuscated", i, c->in);
		T_CHECK(u.had_scheme == !!(c->flags & SCHEME), "#%zu %s: had_scheme", i, c->in);
	}
}

static void test_hosts(struct nise_arena *a, const struct nise_urlctx *uc)
{
	static const struct { const char *in, *want; } reg[] = {
		{ "cardservices.newnamecardamazon.icu", "newnamecardamazon.icu" },
		{ "www.amazon.co.jp", "amazon.co.jp" },
		{ "foo.github.io", "foo.github.io" },
		{ "a.b.blogspot.com", "b.blogspot.com" },
		{ "x.y." REIE ".jp", REIE ".jp" },
		{ "WWW.XN--R8JZ45G.JP", REIE ".jp" },
		{ "co.jp", NULL },
		{ "com", NULL },
		{ "192.168.1.1", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof(reg) / sizeof(reg[0]); i++)
		T_STR(nise_url_registrable(a, uc, reg[i].in), reg[i].want);
	T_STR(nise_url_registrable(a, uc, NULL), NULL);

	/* nise takes the registrable domain from one walk of the list (the
	 * label before psl_unregistrable_domain's suffix): the same answer
	 * as psl_registrable_domain on the list nise loads, for wildcard
	 * (*.ck, *.kawasaki.jp), exception (!www.ck, !city.kawasaki.jp),
	 * private-section and unlisted names */
	static const char *const walk[] = {
		"www.ck", "a.b.ck", "b.ck", "ck", "city.kawasaki.jp", "x.city.kawasaki.jp",
		"foo.kawasaki.jp", "x.foo.kawasaki.jp", "kawasaki.jp", "a.b.c.example.co.uk",
		"example.co.uk", "co.uk", "uk", "foo.bar.github.io", "github.io", "x.s3.amazonaws.com",
		"s3.amazonaws.com", "amazonaws.com", "my.site.invalidtld", "invalidtld", "a.b.c.d.e.f.com",
		"metro.tokyo.jp", "www.metro.tokyo.jp", "a..example.com",
		"waterworks.metro.tokyo.lg.jp", "tokyo.lg.jp", "city.shinjuku.lg.jp",
	};
	psl_ctx_t *own = psl_latest(NULL);
	const psl_ctx_t *psl = own ? own : psl_builtin();
	/* three rounds: the first asks libpsl, the next two the per-thread
	 * memo (host.c), which must answer alike; then a second context,
	 * whose answers are its own (the memo keys entries by context) */
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof(walk) / sizeof(walk[0]); i++) {
			const char *want = psl_registrable_domain(psl, walk[i]);
			T_STR(nise_url_registrable(a, uc, walk[i]), want);
		}
	struct nise_urlctx *uc2 = NULL;
	T_INT(nise_urlctx_new(&uc2), NISE_OK);
	for (size_t i = 0; i < sizeof(walk) / sizeof(walk[0]); i++)
		T_STR(nise_url_registrable(a, uc2, walk[i]), psl_registrable_domain(psl, walk[i]));
	nise_urlctx_free(uc2);
	/* 2,000 hosts through a 256-slot memo: every eviction answers right */
	int right = 0;
	for (int i = 0; i < 2000; i++) {
		char h[64];
		snprintf(h, sizeof(h), "h%d.%s", i, walk[i % (sizeof(walk) / sizeof(walk[0]))]);
		const char *want = psl_registrable_domain(psl, h);
		const char *got = nise_url_registrable(a, uc, h);
		right += (!want && !got) || (want && got && strcmp(want, got) == 0);
	}
	T_INT(right, 2000);
	psl_free(own);

	static const struct { const char *in, *want; } uni[] = {
		{ "XN--AMAZN-MYE.COM", "amaz" CY_O "n.com" },
		{ "Example.COM", "example.com" },
		{ CY_A "pple.com", CY_A "pple.com" },
		{ "\xc3\x84PPLE.com", "\xc3\xa4pple.com" },
		{ "MAIL.xn--r8jz45g.jp", "mail." REIE ".jp" },
		{ "Bad Host.COM", "bad host.com" },
	};
	for (size_t i = 0; i < sizeof(uni) / sizeof(uni[0]); i++)
		T_STR(nise_url_host_unicode(a, uni[i].in), uni[i].want);
	T_STR(nise_url_host_unicode(a, NULL), NULL);
}

static void test_resolve(struct nise_arena *a)
{
	static const char *const base = "http://a/b/c/d;p?q";
	static const struct { const char *ref, *want; } rfc[] = {
		/* RFC 3986 5.4.1, normal examples: all of them */
		{ "g:h", "g:h" },
		{ "g", "http://a/b/c/g" },
		{ "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" },
		{ "/g", "http://a/g" },
		{ "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" },
		{ "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q#s" },
		{ "g#s", "http://a/b/c/g#s" },
		{ "g?y#s", "http://a/b/c/g?y#s" },
		{ ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" },
		{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
		{ "", "http://a/b/c/d;p?q" },
		{ ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" },
		{ "..", "http://a/b/" },
		{ "../", "http://a/b/" },
		{ "../g", "http://a/b/g" },
		{ "../..", "http://a/" },
		{ "../../", "http://a/" },
		{ "../../g", "http://a/g" },
		/* 5.4.2, abnormal examples */
		{ "../../../g", "http://a/g" },
		{ "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" },
		{ "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." },
		{ ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." },
		{ "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" },
		{ "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" },
		{ "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g#s/./x" },
		{ "g#s/../x", "http://a/b/c/g#s/../x" },
		{ "http:g", "http:g" },
		/* browser behaviour */
		{ "\\\\evil.example\\x", "http://evil.example/x" },
		{ "  \"g\n?y\" ", "http://a/b/c/g?y" },
		{ "%2e%2e/g", "http://a/b/g" },
	};
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		T_STR(nise_url_resolve(a, base, rfc[i].ref), rfc[i].want);
	T_STR(nise_url_resolve(a, "http://a", "g"), "http://a/g");
	T_STR(nise_url_resolve(a, "http://a", "?x"), "http://a?x");
	T_STR(nise_url_resolve(a, NULL, " http://x/ "), "http://x/");
	T_STR(nise_url_resolve(a, "mailto:a@b", "g"), "g");
	T_STR(nise_url_resolve(a, "not a base", "g"), "g");
	T_STR(nise_url_resolve(a, base, NULL), NULL);
}

/* ---- extraction ------------------------------------------------------- */

struct found {
	char buf[2048];
	size_t n;
	unsigned count, stop_after;
};

static bool collect(void *ctx, const char *m, size_t n)
{
	struct found *f = ctx;
	if (f->count++ && f->n + 3 < sizeof(f->buf)) {
		memcpy(f->buf + f->n, " | ", 3);
		f->n += 3;
	}
	if (n > sizeof(f->buf) - f->n - 1)
		n = sizeof(f->buf) - f->n - 1;
	memcpy(f->buf + f->n, m, n);
	f->n += n;
	f->buf[f->n] = '\0';
	return !f->stop_after || f->count < f->stop_after;
}

static const char *extract(const struct nise_urlctx *uc, const char *s, size_t n, unsigned stop)
{
	static struct found f;
	memset(&f, 0, sizeof(f));
	f.stop_after = stop;
	nise_url_extract(uc, s, n, collect, &f);
	return f.buf;
}

static const struct { const char *in, *want; } extract_cases[] = {
	{ "\xe3\x80\x8c\xe7\xb6\x9a\xe3\x81\x91\xe3\x82\x8b\xe3\x81\xab\xe3\x81\xaf\xe3\x81\x93\xe3"
	  "\x81\xa1\xe3\x82\x89\xe3\x82\x92\xe3\x82\xaf\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf "
	  "<http://cardservices.newnamecardamazon.icu/>\xe3\x80\x8d",
	  "http://cardservices.newnamecardamazon.icu/" },
	{ "\xe8\xa9\xb3\xe7\xb4\xb0\xe3\x81\xaf https://example.co.jp/a?b=1\xe3\x80\x82",
	  "https://example.co.jp/a?b=1" },
	{ "(see www.example.com/x).", "www.example.com/x" },
	{ "Contact user@example.com or first.last@example.co.jp, or mailto:info@example.org", "" },
	{ "hxxp://evil[.]com/x is bad", "hxxp://evil[.]com/x" },
	{ "visit example.com today", "example.com" },
	{ "see readme.md, index.html, image.png, setup.py and a.zip", "" },
	{ "id_rsa.pub main.rs Makefile.in config.h.in notes.one install.run", "" },
	{ "but www.readme.md and readme.md/x are links", "www.readme.md | readme.md/x" },
	{ "block evil[.]com and bad(dot)example(dot)net now", "evil[.]com | bad(dot)example(dot)net" },
	{ "Go to http://example.com/path, then http://b.example.org/x.",
	  "http://example.com/path | http://b.example.org/x" },
	{ "(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)" },
	{ "'http://example.com/'", "http://example.com/" },
	{ "\"http://example.com/q?a=1&b=2\"", "http://example.com/q?a=1&b=2" },
	{ "<http://example.com/a.>", "http://example.com/a." },
	{ "\xef\xbc\x88http://example.com/\xef\xbc\x89", "http://example.com/" },
	{ "http://example.com\xe3\x82\x92\xe3\x82\xaf\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf",
	  "http://example.com" },
	{ "https://example.com/\xe3\x82\x92\xe3\x82\xaf\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf",
	  "https://example.com/" },
	{ "http://" REIE ".jp/\xe3\x82\x92", "http://" REIE ".jp/" },
	{ "https://" REIE ".\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88/\xe3\x83\x91?q",
	  "https://" REIE ".\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88/" },
	{ "http://example.com.\xe6\xac\xa1\xe3\x81\xab", "http://example.com" },
	{ "\xe4\xbb\x8a\xe3\x81\x99\xe3\x81\x90" "example.co.jp\xe3\x81\xb8", "example.co.jp" },
	{ "http://example.com/\xe3\x80\x80next", "http://example.com/" },
	{ "version 1.2.3, e.g. i.e. node.js and v2.0", "" },
	{ "ttp://example.com/ and h**ps://x.example.com", "ttp://example.com/ | h**ps://x.example.com" },
	{ "http://user@evil.com/ hxxps[:]//x[.]y[.]com", "http://user@evil.com/ | hxxps[:]//x[.]y[.]com" },
	{ "at http://[::1]:8080/x.", "http://[::1]:8080/x" },
	{ "example.com:8080/login!", "example.com:8080/login" },
	{ "<a>www.example.com</a>", "www.example.com" },
	{ "http://example.com/\xff\xfe", "http://example.com/" },
	{ "http:// nothing http://", "" },
	{ "www. and www.x", "" },
	{ "URL:www.example.jp/a;", "www.example.jp/a" },
	{ "HTTPS://EXAMPLE.COM/A", "HTTPS://EXAMPLE.COM/A" },
	{ "a.http://example.com/", "http://example.com/" },
	{ "xhttp://example.com/", "" },
	{ "http:\\\\evil.com\\x", "http:\\\\evil.com\\x" },
	{ "http://x.com/a_(b)_c) done", "http://x.com/a_(b)_c" },
	{ "{http://x.com/a}", "http://x.com/a" },
};

static void test_extract(struct nise_arena *a, const struct nise_urlctx *uc)
{
	for (size_t i = 0; i < sizeof(extract_cases) / sizeof(extract_cases[0]); i++) {
		const char *got = extract(uc, extract_cases[i].in, strlen(extract_cases[i].in), 0);
		T_CHECK(strcmp(got, extract_cases[i].want) == 0, "extract #%zu \"%s\": got \"%s\", want \"%s\"",
		        i, extract_cases[i].in, got, extract_cases[i].want);
	}

	/* NULs are separators, not ends of text */
	static const char nul[] = "http://a.example.com\0http://b.example.com";
	T_STR(extract(uc, nul, sizeof(nul) - 1, 0), "http://a.example.com | http://b.example.com");
	/* the callback stops the scan */
	T_STR(extract(uc, "http://a.com http://b.com http://c.com", 38, 2), "http://a.com | http://b.com");
	/* no PSL context: no bare domains, the rest still works */
	T_STR(extract(NULL, "example.com www.example.com", 27, 0), "www.example.com");
	nise_url_extract(uc, NULL, 10, collect, NULL);

	/* an extracted obfuscated URL parses as such */
	struct nise_url u;
	const char *m = extract(uc, "hxxp://evil[.]com/x", 19, 0);
	T_INT(nise_url_parse(&u, a, uc, m, strlen(m), true), NISE_OK);
	T_STR(u.url, "http://evil.com/x");
	T_STR(u.domain, "evil.com");
	T_CHECK(u.obfuscated, "hxxp match: obfuscated");
	T_CHECK(u.had_scheme, "hxxp match: had_scheme");
	m = extract(uc, "see example[.]co[.]jp", 21, 0);
	T_STR(m, "example[.]co[.]jp");
	T_INT(nise_url_parse(&u, a, uc, m, strlen(m), true), NISE_OK);
	T_STR(u.url, "http://example.co.jp/");
	T_CHECK(u.obfuscated && !u.had_scheme, "bare obfuscated match");
}

/* ---- robustness --------------------------------------------------------- */

struct each {
	struct nise_arena *a;
	const struct nise_urlctx *uc;
	size_t count, bad;
};

static bool parse_each(void *ctx, const char *m, size_t n)
{
	struct each *e = ctx;
	struct nise_url u;
	nise_rc rc = nise_url_parse(&u, e->a, e->uc, m, n, true);
	if (rc != NISE_OK && rc != NISE_EPARSE && rc != NISE_ENOMEM)
		e->bad++;
	e->count++;
	return true;
}

static void test_hostile(struct nise_arena *a, const struct nise_urlctx *uc)
{
	/* large inputs built from repeated patterns must stay linear */
	static const char *const pats[] = {
		"a.", "http://", "www.", "a[.]", "a.com@", "((((]]]]", "\xe4\xbe\x8b", "http://a\xe4\xbe\x8b",
		"x.co/", "hxxp[://]", "%", "\xff", ".com", "[dot]",
	};
	size_t big = (size_t)1 << 20;
	char *buf = malloc(big);
	T_CHECK(buf != NULL, "malloc");
	if (!buf)
		return;
	for (size_t k = 0; k < sizeof(pats) / sizeof(pats[0]); k++) {
		size_t pl = strlen(pats[k]);
		for (size_t i = 0; i < big; i++)
			buf[i] = pats[k][i % pl];
		struct each e = { a, uc, 0, 0 };
		nise_url_extract(uc, buf, big, parse_each, &e);
		T_CHECK(e.bad == 0, "hostile pattern %zu: %zu of %zu matches failed oddly", k, e.bad, e.count);
		struct nise_url u;
		nise_rc rc = nise_url_parse(&u, a, uc, buf, big, true);
		T_CHECK(rc == NISE_OK || rc == NISE_EPARSE || rc == NISE_ENOMEM,
		        "hostile pattern %zu: rc %d", k, rc);
	}
	free(buf);

	/* a capped arena turns into NISE_ENOMEM, not a crash */
	struct nise_arena *small = nise_arena_new(64, true);
	struct nise_url u;
	const char *s = "https://cardservices.newnamecardamazon.icu/very/long/path?q=1";
	T_INT(nise_url_parse(&u, small, uc, s, strlen(s), false), NISE_ENOMEM);
	T_STR(u.url, NULL);
	nise_arena_free(small);
}

int main(void)
{
	struct nise_urlctx *uc = NULL;
	T_INT(nise_urlctx_new(&uc), NISE_OK);
	if (!uc)
		T_DONE("url");
	struct nise_arena *a = nise_arena_new(0, true);
	test_parse(a, uc);
	test_hosts(a, uc);
	test_resolve(a);
	test_extract(a, uc);
	test_hostile(a, uc);
	nise_arena_free(a);
	nise_urlctx_free(uc);
	nise_urlctx_free(NULL);
	T_DONE("url");
}
