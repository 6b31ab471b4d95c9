/* SPDX-License-Identifier: MIT */
/*
 * test_html.c — table-driven tests of nise_html_extract: one row per
 * input with the exact text, hidden text and first link expected, then
 * a few tests of forms, images, <meta>/<base>, limits and truncation.
 * Every bug found by the differential test or the fuzzer adds a row.
 */
#include <string.h>

#include "html/html.h"
#include "t.h"

struct text_case {
	const char *name, *html, *text, *hidden;
	int nanchors;          /* -1: don't check */
	const char *a0_text, *a0_href;
};

static const struct text_case text_cases[] = {
	{"seed phishing button",
	 "<p><a href=\"http://cardservices.newnamecardamazon.icu/\" "
	 "style=\"background:#f0c14b;padding:6px 14px\">続けるにはこちらをクリック</a></p>",
	 "続けるにはこちらをクリック", "", 1, "続けるにはこちらをクリック",
	 "http://cardservices.newnamecardamazon.icu/"},
	{"named entities", "a&amp;b &lt;c&gt; &quot;&apos; &copy;&nbsp;x", "a&b <c> \"' ©\xC2\xA0x", "", 0, NULL, NULL},
	{"legacy entity without ;", "&notit; &notin; &ampx &AMP", "¬it; ∉ &x &", "", 0, NULL, NULL},
	{"numeric references", "&#65;&#x42;&#X43;&#0;&#x110000;&#xD800;&#128;&#x9F;&#8364", "ABC\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD€Ÿ€", "", 0, NULL, NULL},
	{"not a reference", "&#; &#x; & &; &zz;", "&#; &#x; & &; &zz;", "", 0, NULL, NULL},
	{"two code points", "&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8", "", 0, NULL, NULL},
	{"script style title excluded",
	 "<html><head><title>T</title><style>p{color:red}</style></head><body>"
	 "a<script>document.write('<p>x</p>')</script>b<style>.c{}</style>c</body></html>",
	 "abc", "", 0, NULL, NULL},
	{"script end needs a delimiter", "<script>a</scriptx>b</script >c", "c", "", 0, NULL, NULL},
	{"self-closing script still opens", "<script/>x</script>y", "y", "", 0, NULL, NULL},
	{"hidden div", "<p>see</p><div style=\"display: none !important\">secret <b>words</b></div>after",
	 "see\nafter", "secret words", 0, NULL, NULL},
	{"hidden attribute and visibility", "a<span hidden>h1</span>b<i style=visibility:hidden>h2</i>c",
	 "abc", "h1h2", 0, NULL, NULL},
	{"font-size 0 undone by child", "<div style=\"font-size:0\">x<span style=\"font-size:14px\">shown</span></div>",
	 "shown", "x", 0, NULL, NULL},
	{"white on white", "<span style=\"color:#fff;background-color:#FFFFFF\">ghost</span>seen", "seen", "ghost", 0, NULL, NULL},
	{"zero height overflow hidden", "<div style=\"max-height:0;overflow:hidden\">pre</div>body", "body", "pre", 0, NULL, NULL},
	{"hidden p closed by next p", "<p style=display:none>h<p>v", "v", "h", 0, NULL, NULL},
	{"css escape in property", "<b style=\"d\\69splay:none\">h</b>v", "v", "h", 0, NULL, NULL},
	{"whitespace collapsed", "  a \n\t b  <div> c </div>  d ", "a b\nc\nd", "", 0, NULL, NULL},
	{"br and block", "a<br>b<br/><br>c<li>d", "a\nb\nc\nd", "", 0, NULL, NULL},
	{"comments", "a<!-- x -->b<!-->c<!--->d<!-- y --!>e<!---->f", "abcdef", "", 0, NULL, NULL},
	{"bogus comments and doctype", "<!DOCTYPE html>a<?xml x?>b<!x>c</ d>e<!>f", "abcef", "", 0, NULL, NULL},
	{"unterminated comment", "a<!-- never closed <p>b", "a", "", 0, NULL, NULL},
	{"lone lt", "a < b <3 <", "a < b <3 <", "", 0, NULL, NULL},
	{"end tag at eof", "a</", "a</", "", 0, NULL, NULL},
	{"truncated mid-tag", "a<p class=\"x", "a", "", 0, NULL, NULL},
	{"truncated mid-attribute", "a<a href=http://x.test", "a", "", 0, NULL, NULL},
	{"nested unclosed anchors", "<a href=x>one<a href=y>two</a>three", "onetwothree", "", 2, "one", "x"},
	{"anchor reopened after </p>", "<p><a href=x>one</p>two", "one\ntwo", "", 2, "one", "x"},
	{"anchor closed by cell", "<table><tr><td><a href=x>one</td><td>two</td></tr></table>", "one\ntwo", "", 1, "one", "x"},
	{"img alt in anchor", "<a href=\"u\" title=\"T\">Log <img src=i.png alt=\" Pay  Pal \">in</a>",
	 "Log in", "", 1, "Log Pay Pal in", "u"},
	{"hidden words inside a link", "<a href=x>pay<span style=display:none>zz</span>pal.com</a>",
	 "paypal.com", "zz", 1, "paypal.com", "x"},
	{"attribute quoting", "<a href='a b' title=\"t'q\">1</a><a href=c\"d>2</a><a href = e>3</a>"
	                      "<a title=x href>4</a><a href=f/>5</a>",
	 "12345", "", 5, "1", "a b"},
	{"href entities and spaces", "<a href=\" http://x/?a=1&amp;b=2&copy=3&not;c \n\">x</a>", "x", "", 1, "x",
	 "http://x/?a=1&b=2&copy=3¬c"},
	{"duplicate attribute first wins", "<a href=one href=two>x</a>", "x", "", 1, "x", "one"},
	{"textarea is rcdata", "<textarea><b>&lt;x</textarea>y", "<b><xy", "", 0, NULL, NULL},
	{"plaintext", "a<plaintext><b>&amp;", "a\n<b>&amp;", "", 0, NULL, NULL},
	{"cdata only in svg", "<![CDATA[x]]>y<svg><![CDATA[z]]></svg>", "yz", "", 0, NULL, NULL},
	{"area", "<map><area href=\"http://m/\" alt=\"Map\"></map>", "", "", 1, "Map", "http://m/"},
	{"control characters", "a\x01" "b\x7f" "c", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c", "", 0, NULL, NULL},
	{"misnested formatting", "<b style=display:none>h<p>x</b>v</p>", "v", "h\nx", 0, NULL, NULL},
};

static void test_text(void)
{
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		struct nise_arena *a = nise_arena_new(0, true);
		struct nise_html_doc d;
		nise_rc rc = nise_html_extract(&d, a, c->html, strlen(c->html), 0, 0);
		T_CHECK(rc == NISE_OK, "%s: rc %d", c->name, rc);
		T_CHECK(strcmp(d.text, c->text) == 0, "%s: text \"%s\", want \"%s\"", c->name, d.text, c->text);
		T_CHECK(strcmp(d.hidden, c->hidden) == 0, "%s: hidden \"%s\", want \"%s\"", c->name, d.hidden,
		        c->hidden);
		T_INT(d.text_len, strlen(c->text));
		if (c->nanchors >= 0)
			T_CHECK(d.nanchors == (size_t)c->nanchors, "%s: %zu anchors, want %d", c->name, d.nanchors,
			        c->nanchors);
		if (c->a0_href && d.nanchors > 0) {
			T_CHECK(strcmp(d.anchors[0].text, c->a0_text) == 0, "%s: anchor text \"%s\", want \"%s\"",
			        c->name, d.anchors[0].text, c->a0_text);
			T_CHECK(strcmp(d.anchors[0].href, c->a0_href) == 0, "%s: href \"%s\", want \"%s\"", c->name,
			        d.anchors[0].href, c->a0_href);
		}
		nise_arena_free(a);
	}
}

static struct nise_html_doc doc;
static struct nise_arena *arena;

static void parse(const char *html)
{
	nise_arena_free(arena);
	arena = nise_arena_new(0, true);
	nise_html_extract(&doc, arena, html, strlen(html), 0, 0);
}

static void test_records(void)
{
	parse("<p><a href=x>one</p>two");
	T_INT(doc.nanchors, 2);
	T_STR(doc.anchors[1].text, "two");
	T_STR(doc.anchors[1].href, "x");

	parse("<a href=x>one<a href=y title=\"Y\">two</a>three");
	T_INT(doc.nanchors, 2);
	T_STR(doc.anchors[0].text, "one");
	T_STR(doc.anchors[1].text, "two");
	T_STR(doc.anchors[1].title, "Y");
	T_CHECK(doc.anchors[0].title == NULL, "no title");

	parse("<a href=o><table><tr><td><a href=i>in</a></td></tr></table>out</a>");
	T_INT(doc.nanchors, 2);
	T_STR(doc.anchors[0].text, "out");
	T_STR(doc.anchors[1].text, "in");

	parse("<area href=\"/m\" title=t>");
	T_INT(doc.nanchors, 1);
	T_CHECK(doc.anchors[0].is_area, "area flagged");

	parse("<form action=\" https://evil.test/login \" method=POST><input name=u>"
	      "<input type=\"PassWord\" name=p><input type=hidden><input type=submit>"
	      "<select></select><textarea>t</textarea></form><input>");
	T_INT(doc.nforms, 1);
	T_STR(doc.forms[0].action, "https://evil.test/login");
	T_STR(doc.forms[0].method, "post");
	T_CHECK(doc.forms[0].has_password, "has password");
	T_INT(doc.forms[0].ninputs, 4);

	parse("<form><form action=inner><input></form>");
	T_INT(doc.nforms, 1);
	T_CHECK(doc.forms[0].action == NULL, "no action");
	T_STR(doc.forms[0].method, "get");
	T_INT(doc.forms[0].ninputs, 1);
	T_CHECK(!doc.forms[0].has_password, "no password");

	parse("<img src=\"a.png\" alt=\"A\"><img alt=nosrc><image src=b.gif>");
	T_INT(doc.nimages, 2);
	T_STR(doc.images[0].src, "a.png");
	T_STR(doc.images[0].alt, "A");
	T_STR(doc.images[1].src, "b.gif");
	T_CHECK(doc.images[1].alt == NULL, "no alt");

	parse("<head><base target=_top><base href=\"http://b.test/\"><base href=\"http://second/\">"
	      "<meta charset=\" Shift_JIS \"><meta charset=utf-8>"
	      "<meta http-equiv=\"Refresh\" content=\"0; URL='http://r.test/x?a=1'\"></head>");
	T_STR(doc.base_href, "http://b.test/");
	T_STR(doc.meta_charset, "Shift_JIS");
	T_STR(doc.meta_refresh, "http://r.test/x?a=1");

	parse("<meta http-equiv=content-type content=\"text/html; charset=&quot;iso-8859-1&quot;\">"
	      "<meta http-equiv=refresh content=\"5;url=http://next/\">");
	T_STR(doc.meta_charset, "iso-8859-1");
	T_STR(doc.meta_refresh, "http://next/");

	parse("<meta http-equiv=refresh content=\"0,http://plain/\">");
	T_STR(doc.meta_refresh, "http://plain/");
	parse("<meta http-equiv=refresh content=\"30\">");
	T_CHECK(doc.meta_refresh == NULL, "refresh without url");
}

static void test_limits(void)
{
	struct nise_arena *a = nise_arena_new(0, true);
	struct nise_html_doc d;
	const char *h = "<a href=1>a</a><a href=2>b</a><a href=3>c</a><img src=x><img src=y><img src=z>";
	nise_html_extract(&d, a, h, strlen(h), 2, 0);
	T_INT(d.nanchors, 2);
	T_INT(d.nimages, 2);
	T_CHECK(d.truncated, "max_items truncates");
	nise_arena_free(a);

	a = nise_arena_new(0, true);
	h = "hello world, this is long";
	nise_html_extract(&d, a, h, strlen(h), 0, 5);
	T_STR(d.text, "hello");
	T_CHECK(d.truncated, "max_text truncates");
	nise_arena_free(a);

	/* never split a UTF-8 sequence at the limit */
	a = nise_arena_new(0, true);
	h = "ab続";
	nise_html_extract(&d, a, h, strlen(h), 0, 4);
	T_STR(d.text, "ab");
	nise_arena_free(a);

	/* a tiny arena: ENOMEM, never a crash */
	a = nise_arena_new(256, false);
	h = "<p>some text <a href=x>link</a></p>";
	nise_rc rc = nise_html_extract(&d, a, h, strlen(h), 0, 0);
	T_INT(rc, NISE_ENOMEM);
	nise_arena_free(a);

	/* deep nesting: bounded stack, hidden still hides */
	static char deep[200000];
	size_t n = 0;
	for (int i = 0; i < 5000; i++) {
		memcpy(deep + n, "<div>", 5);
		n += 5;
	}
	const char *tail = "<span style=display:none>hid</span>vis";
	memcpy(deep + n, tail, strlen(tail));
	n += strlen(tail);
	a = nise_arena_new(0, false);
	nise_html_extract(&d, a, deep, n, 0, 0);
	T_STR(d.hidden, "hidvis"); /* past the cap a hider hides the rest of its parent */
	nise_arena_free(a);

	/* empty input */
	a = nise_arena_new(0, true);
	nise_html_extract(&d, a, "", 0, 0, 0);
	T_STR(d.text, "");
	T_INT(d.nanchors, 0);
	nise_arena_free(a);
}

int main(void)
{
	test_text();
	test_records();
	test_limits();
	nise_arena_free(arena);
	T_DONE("html");
}
