/* SPDX-License-Identifier: MIT */
/*
 * test_view.c — table-driven tests of nise_view_build (src/lib/render):
 * each row is a message and the exact view expected, written compactly:
 * T(text) for text, I(alt) for an image, | for a break, @N after a
 * segment of link N, G(x) for a marked look-alike character. Then the
 * links each finding names, on the seed mail and on a genuine link whose
 * host is a prefix of a fake one.
 */
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"
#include "nise/view.h"
#include "t.h"

static struct nise_engine *engine;

static void put(char *out, size_t n, const char *s)
{
	size_t k = strlen(out);
	snprintf(out + k, n - k, "%s", s);
}

static void show(char *out, size_t n, const struct nise_view_text *t)
{
	out[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		const struct nise_view_seg *s = &t->segs[i];
		char buf[1024];
		if (s->kind == NISE_VIEW_BREAK)
			snprintf(buf, sizeof(buf), "|");
		else if (s->kind == NISE_VIEW_IMAGE)
			snprintf(buf, sizeof(buf), "I(%s)", s->text);
		else if (s->glyph) /* a letter's Japanese name after "=" */
			snprintf(buf, sizeof(buf), "G(%s%s%s)", s->text, s->glyph_ja ? "=" : "", s->glyph_ja ? s->glyph_ja : "");
		else
			snprintf(buf, sizeof(buf), "T(%s)", s->text);
		put(out, n, buf);
		if (s->link >= 0) {
			snprintf(buf, sizeof(buf), "@%ld", s->link);
			put(out, n, buf);
		}
	}
}

struct view_case {
	const char *name, *mail, *subject, *body;
};

#define HTML_HEAD "From: a@example.com\r\nSubject: s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
#define TEXT_HEAD "From: a@example.com\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"

static const struct view_case cases[] = {
	{"paragraphs and a link", HTML_HEAD "<p>Hello <b>you</b></p><p><a href=\"http://x.example/\">Click  here</a> now</p>",
	 "T(s)", "T(Hello you)|T(Click here)@0T( now)"},
	{"script, style, hidden text and attributes never show",
	 HTML_HEAD "<p>a<script>alert(1)</script><style>p{}</style><span style=\"display:none\">secret</span>"
	 "<img src=\"http://t.example/x.png\" alt=\"Logo\" onerror=\"x()\">b &lt;i&gt;</p>",
	 "T(s)", "T(a)I(Logo)T(b <i>)"},
	{"image and text inside a link", HTML_HEAD "<a href=\"http://a.example/\"><img alt=\"Logo\" src=x> Sign in</a>",
	 "T(s)", "I(Logo)@0T( Sign in)@0"},
	{"a space after a link is outside it", HTML_HEAD "<p><a href=\"http://a.example/\">go </a> on</p>",
	 "T(s)", "T(go)@0T( )T(on)"},
	{"two links, a nested one", HTML_HEAD "<a href=\"http://a.example/\">A</a><div><a href=\"http://b.example/\">B</a></div>",
	 "T(s)", "T(A)@0|T(B)@1"},
	{"anchor without href is text", HTML_HEAD "<a name=x>plain</a><a href=\"http://a.example/\">A</a>",
	 "T(s)", "T(plain)T(A)@0"},
	{"plain text: URLs where written, blank lines kept once",
	 TEXT_HEAD "Go to https://a.example/x now\r\n\r\n\r\n\r\nor <https://b.example/>\r\n",
	 "T(s)", "T(Go to )T(https://a.example/x)@0T( now)||T(or <)T(https://b.example/)@1T(>)"},
	{"the HTML alternative is shown, not the text",
	 "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
	 "--b\r\nContent-Type: text/plain\r\n\r\ntext version\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>html version</p>\r\n--b--\r\n",
	 "T(s)", "T(html version)"},
	{"a homoglyph named by a finding is marked, everywhere",
	 "From: \"Amaz\xCE\xBFn\" <a@example.com>\r\nSubject: Your Amaz\xCE\xBFn account\r\n"
	 "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Dear Amaz\xCE\xBFn customer</p>",
	 "T(Your Amaz)G(\xCE\xBF=\xCE\xBF（ギリシャ文字の小文字オミクロン、U+03BF）)T(n account)",
	 "T(Dear Amaz)G(\xCE\xBF=\xCE\xBF（ギリシャ文字の小文字オミクロン、U+03BF）)T(n customer)"},
	/* attack row 7: a right-to-left override before two links cannot make
	 * one link's text sit next to the other's destination */
	{"bidi controls become visible marks, in the subject and in link text",
	 "From: a@example.com\r\nSubject: \xE2\x80\xAE test RLO\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
	 "<p>\xE2\x80\xAE<a href=\"https://www.microsoft.com/\">ycavirP</a> \xE2\x80\x8F "
	 "<a href=\"http://quota-keep.example/\">liam \xE2\x81\xA6ym\xE2\x81\xA9 peeK</a></p>",
	 "G(\xE2\x9F\xA8U+202E\xE2\x9F\xA9)T( test RLO)",
	 "G(\xE2\x9F\xA8U+202E\xE2\x9F\xA9)T(ycavirP)@0T( )G(\xE2\x9F\xA8U+200F\xE2\x9F\xA9)T( )T(liam )@1"
	 "G(\xE2\x9F\xA8U+2066\xE2\x9F\xA9)@1T(ym)@1G(\xE2\x9F\xA8U+2069\xE2\x9F\xA9)@1T( peeK)@1"},
	{"empty message", "", "", ""},
};

static nise_rc view_of(struct nise_result **r, struct nise_view *v, const char *mail, size_t n)
{
	if (nise_scan(r, engine, mail, n) != NISE_OK)
		return NISE_EINVAL;
	return nise_view_build(v, engine, *r);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*n = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	return buf;
}

static void finding_ids(char *out, size_t n, const struct nise_result *r, const struct nise_view_link *l)
{
	out[0] = '\0';
	for (size_t k = 0; k < l->nfindings; k++) {
		if (k)
			put(out, n, " ");
		put(out, n, r->findings[l->findings[k]].id);
	}
}

int main(void)
{
	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.data_dir = NISE_SOURCE_ROOT "/data";
	char diag[256];
	if (nise_engine_new(&engine, &o, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "engine: %s\n", diag);
		return 1;
	}
	char got[8192];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nise_result *r = NULL;
		struct nise_view v;
		T_INT(view_of(&r, &v, cases[i].mail, strlen(cases[i].mail)), NISE_OK);
		if (!r)
			continue;
		show(got, sizeof(got), &v.subject);
		T_CHECK(strcmp(got, cases[i].subject) == 0, "%s: subject %s, want %s", cases[i].name, got, cases[i].subject);
		show(got, sizeof(got), &v.body);
		T_CHECK(strcmp(got, cases[i].body) == 0, "%s: body %s, want %s", cases[i].name, got, cases[i].body);
		nise_result_free(r);
	}

	/* the seed: the button is link 0, named by the brand-link, look-alike
	 * and risky-TLD findings, not by the sender's */
	size_t n = 0;
	char *seed = slurp(NISE_SOURCE_ROOT "/examples/seed-amazon-phish.eml", &n);
	T_CHECK(seed != NULL, "seed mail readable");
	struct nise_result *r = NULL;
	struct nise_view v;
	if (seed && view_of(&r, &v, seed, n) == NISE_OK) {
		T_INT(r->msg->nlinks, 1);
		finding_ids(got, sizeof(got), r, &v.links[0]);
		T_STR(got, "LINK_BRAND_MISMATCH LOOKALIKE_DOMAIN RISKY_TLD");
		show(got, sizeof(got), &v.from_name);
		T_STR(got, "T(Amazon.co.jp)");
		T_CHECK(strstr(got, "G(") == NULL, "no glyph in the sender's name");
		show(got, sizeof(got), &v.body);
		T_CHECK(strstr(got, "T(あなたのAmaz)G(ο=ο（ギリシャ文字の小文字オミクロン、U+03BF）)T(nのアカウント:user@example.jp)|") != NULL, "seed body: %s", got);
		T_CHECK(strstr(got, "|T(続けるにはこちらをクリック)@0|") != NULL, "seed button: %s", got);
	}
	nise_result_free(r);
	free(seed);

	/* a genuine host that is a prefix of a fake one is not named */
	static const char two[] = "From: \"Amazon.co.jp\" <info@amazon-support.example>\r\nSubject: s\r\n"
		"Content-Type: text/html; charset=utf-8\r\n\r\n"
		"<p><a href=\"https://www.amazon.co.jp/\">Amazon</a> "
		"<a href=\"http://www.amazon.co.jp.account-verify.example/\">Sign in</a></p>";
	r = NULL;
	T_INT(view_of(&r, &v, two, strlen(two)), NISE_OK);
	if (r) {
		T_INT(r->msg->nlinks, 2);
		T_INT(v.links[0].nfindings, 0);
		finding_ids(got, sizeof(got), r, &v.links[1]);
		T_STR(got, "LINK_BRAND_MISMATCH BRAND_AS_SUBDOMAIN");
	}
	nise_result_free(r);
	nise_engine_free(engine);
	T_DONE("view");
}
