/* SPDX-License-Identifier: MIT */
/*
 * Every check on small hand-made messages: the exact findings, evidence and
 * verdicts, including the ones that must NOT fire (genuine brand mail,
 * newsletters with click trackers, mixed-script words that mean nothing).
 * Also: every check has a Japanese translation and a docs page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/table.h"
#include "core/ac.h"
#include "nise/nise.h"
#include "t.h"

const char *nise_ja(const char *msgid);

static struct nise_engine *engine;

static struct nise_result *scan(const char *msg)
{
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, engine, msg, strlen(msg)), NISE_OK);
	return r;
}

static const struct nise_finding *finding(const struct nise_result *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

static void expect(const char *name, const char *msg, const char *verdict, const char *const *ids,
                   const char *const *absent, const char *id_evidence, const char *evidence)
{
	struct nise_result *r = scan(msg);
	T_CHECK(strcmp(nise_verdict_name(r->verdict), verdict) == 0, "%s: verdict %s (score %.1f), want %s",
	        name, nise_verdict_name(r->verdict), r->score, verdict);
	for (size_t i = 0; ids && ids[i]; i++)
		T_CHECK(finding(r, ids[i]) != NULL, "%s: missing finding %s", name, ids[i]);
	for (size_t i = 0; absent && absent[i]; i++)
		T_CHECK(finding(r, absent[i]) == NULL, "%s: unexpected finding %s", name, absent[i]);
	if (id_evidence) {
		const struct nise_finding *f = finding(r, id_evidence);
		T_STR(f ? f->evidence : NULL, evidence);
	}
	nise_result_free(r);
}

static bool on_match(void *ctx, uint32_t id, size_t start, size_t len)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%u@%zu+%zu ", id, start, len);
	return true;
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

int main(void)
{
	/* the multi-pattern matcher */
	struct nise_ac *ac = NULL;
	T_INT(nise_ac_new(&ac), NISE_OK);
	nise_ac_add(ac, "he", 2, 1);
	nise_ac_add(ac, "she", 3, 2);
	nise_ac_add(ac, "his", 3, 3);
	nise_ac_add(ac, "hers", 4, 4);
	nise_ac_add(ac, "ロック", strlen("ロック"), 5);
	T_INT(nise_ac_compile(ac), NISE_OK);
	char got[256] = "";
	nise_ac_scan(ac, "ushers", 6, on_match, got);
	T_STR(got, "2@1+3 1@2+2 4@2+4 ");
	got[0] = '\0';
	nise_ac_scan(ac, "アカウントをロックします", strlen("アカウントをロックします"), on_match, got);
	T_STR(got, "5@18+9 ");
	nise_ac_free(ac);

	/* every check: a Japanese sentence and a docs page */
	for (size_t i = 0; i < nise_ncheck; i++) {
		const struct nise_check *k = &nise_checks[i];
		T_CHECK(nise_ja(k->explain) != k->explain, "%s has no Japanese translation", k->id);
		char path[512];
		snprintf(path, sizeof(path), "%s/docs/checks/%s.md", NISE_SOURCE_ROOT, k->id);
		FILE *f = fopen(path, "r");
		T_CHECK(f != NULL, "%s has no docs page %s", k->id, path);
		if (f)
			fclose(f);
	}
	const char *args[] = {"a", "b"};
	struct nise_arena *a = nise_arena_new(0, true);
	T_STR(nise_format(a, "%2$s-%1$s %% %3$s %d", args, 2), "b-a %  %d");
	nise_arena_free(a);

	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.arena_debug = true;
	o.data_dir = NISE_SOURCE_ROOT "/data";
	o.no_model = true; /* these cases are the checks'; test_model.c has the model's */
	static const char *const trusted[] = {"MX.example.jp", "relay.example.jp"};
	o.trusted_authserv_ids = trusted; /* case does not matter */
	o.ntrusted_authserv_ids = 2;
	char diag[256] = "";
	T_INT(nise_engine_new(&engine, &o, diag, sizeof(diag)), NISE_OK);
	if (!engine) {
		fprintf(stderr, "engine: %s\n", diag);
		T_DONE("checks");
	}

	expect("brand in display name, wrong domain",
	       "From: \"ＪＣＢ\" <info@cqf-card.example>\r\nSubject: notice\r\n\r\nhello\r\n",
	       "suspicious", L("SENDER_BRAND_MISMATCH"), NULL, "SENDER_BRAND_MISMATCH",
	       "From: \"ＪＣＢ\" <info@cqf-card.example>");

	expect("genuine Amazon mail, DMARC pass",
	       "Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp; "
	       "dkim=pass header.d=amazon.co.jp\r\n"
	       "From: \"Amazon.co.jp\" <shipment-tracking@amazon.co.jp>\r\n"
	       "Subject: Amazon.co.jpでのご注文の発送\r\n"
	       "Content-Type: text/html; charset=utf-8\r\n\r\n"
	       "<p>ご注文は発送されました。<a href=\"https://www.amazon.co.jp/gp/css/order\">注文を確認</a> "
	       "<a href=\"https://click.sendgrid.net/ls/click?upn=x\">www.amazon.co.jp</a></p>\r\n",
	       "clean", L("BRAND_AUTHENTICATED"), L("SENDER_BRAND_MISMATCH", "LINK_BRAND_MISMATCH", "LINK_TEXT_MISMATCH"),
	       "BRAND_AUTHENTICATED", "dmarc=pass by mx.example.jp");

	expect("spoofed brand domain failing DMARC",
	       "Authentication-Results: mx.example.jp; spf=fail smtp.mailfrom=amazon.co.jp; dmarc=fail header.from=amazon.co.jp\r\n"
	       "From: Amazon <account-update@amazon.co.jp>\r\nSubject: x\r\n\r\nhttp://203.0.113.9/login\r\n",
	       "phishing", L("AUTH_BRAND_FAIL", "URL_IP_HOST", "LINK_BRAND_MISMATCH"), NULL, "URL_IP_HOST",
	       "http://203.0.113.9/login");

	expect("forged Authentication-Results below the receiver's are ignored",
	       "Authentication-Results: mx.example.jp; dmarc=fail header.from=amazon.co.jp\r\n"
	       "Authentication-Results: evil.example; dmarc=pass header.from=amazon.co.jp\r\n"
	       "From: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\nx\r\n",
	       "suspicious", L("AUTH_BRAND_FAIL"), L("BRAND_AUTHENTICATED"), NULL, NULL);

	/* attack rows 3 and 3b (../shared/attacks): whom to believe */
	/* the same mail scores the same with and without a result from an
	 * untrusted id, or with a lower one under the trusted id */
	const char *forged_ar[] = {
		"Authentication-Results: mx.google.com; dkim=pass header.i=@amazon.co.jp; "
		"dmarc=pass header.from=amazon.co.jp\r\n",
		"Authentication-Results: mx.example.jp; none\r\n"
		"Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp\r\n",
		"",
	};
	for (size_t i = 0; i < 3; i++) {
		char mail[512];
		snprintf(mail, sizeof(mail), "%sFrom: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\n"
		         "http://203.0.113.9/login\r\n", forged_ar[i]);
		struct nise_result *r = scan(mail);
		T_CHECK(!finding(r, "BRAND_AUTHENTICATED"), "forged result %zu: no BRAND_AUTHENTICATED", i);
		T_CHECK(finding(r, "URL_IP_HOST") != NULL, "forged result %zu: URL_IP_HOST", i);
		T_CHECK(r->score > 2.49 && r->score < 2.51, "forged result %zu: score %.2f, want 2.5", i, r->score);
		nise_result_free(r);
	}
	expect("a lower field with the trusted id cannot overrule the topmost one",
	       "Authentication-Results: mx.example.jp; spf=fail smtp.mailfrom=amazon.co.jp; dmarc=fail "
	       "header.from=amazon.co.jp\r\n"
	       "Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.co.jp; dmarc=pass "
	       "header.from=amazon.co.jp\r\n"
	       "From: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\nx\r\n",
	       "suspicious", L("AUTH_BRAND_FAIL"), L("BRAND_AUTHENTICATED"), "AUTH_BRAND_FAIL",
	       "dmarc=fail by mx.example.jp");
	expect("within the topmost field a DMARC fail beats a DKIM pass",
	       "Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.co.jp; dmarc=fail "
	       "header.from=amazon.co.jp\r\n"
	       "From: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\nx\r\n",
	       "suspicious", L("AUTH_BRAND_FAIL"), L("BRAND_AUTHENTICATED"), "AUTH_BRAND_FAIL",
	       "dmarc=fail by mx.example.jp");
	expect("a fail from a second trusted id beats a pass from the first",
	       "Authentication-Results: mx.example.jp; dmarc=pass header.from=amazon.co.jp\r\n"
	       "Authentication-Results: relay.example.jp; dmarc=fail header.from=amazon.co.jp\r\n"
	       "From: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\nx\r\n",
	       "suspicious", L("AUTH_BRAND_FAIL"), L("BRAND_AUTHENTICATED"), "AUTH_BRAND_FAIL",
	       "dmarc=fail by relay.example.jp");
	{
		struct nise_result *r = scan("Authentication-Results: mx.example.jp; dmarc=pass header.from=x.example\r\n"
		                             "Authentication-Results: mx.example.jp; dmarc=pass header.from=x.example\r\n"
		                             "Authentication-Results: evil.example; dmarc=pass header.from=x.example\r\n"
		                             "From: a@x.example\r\nSubject: x\r\n\r\nx\r\n");
		T_INT(r->msg->nauth, 3);
		T_CHECK(r->msg->auth[0].trusted, "topmost trusted field is trusted");
		T_CHECK(!r->msg->auth[1].trusted, "lower field with the trusted id is not");
		T_CHECK(!r->msg->auth[2].trusted, "untrusted id is not");
		nise_result_free(r);
	}

	/* attack row 7: bidi and invisible controls are named, where they are */
	expect("a right-to-left override before two links",
	       "From: IT <h@mail-notice.example>\r\nSubject: Storage notice\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
	       "<p>\xE2\x80\xAE<a href=\"https://www.microsoft.com/\">ycavirP</a> \xE2\x80\x8F "
	       "<a href=\"http://quota-keep.example/\">liam ym peeK</a></p>\r\n",
	       "clean", L("BIDI_CONTROL"), L("INVISIBLE_CONTROL"), "BIDI_CONTROL",
	       "U+202E RIGHT-TO-LEFT OVERRIDE in the body, 2 in all");
	expect("an isolate in the display name, a tag character in the subject",
	       "From: \"Support \xE2\x81\xA7x\xE2\x81\xA9\" <h@example.com>\r\nSubject: hi\xF3\xA0\x80\x81\r\n\r\nhello\r\n",
	       "suspicious", L("BIDI_CONTROL", "INVISIBLE_CONTROL"), NULL, "INVISIBLE_CONTROL",
	       "U+E0001 TAG in the subject");
	{
		struct nise_result *r = scan("From: a@example.com\r\nSubject: a\xE2\x80\x8F" "b\r\n\r\nx\r\n");
		const struct nise_finding *f = finding(r, "BIDI_CONTROL");
		T_CHECK(f && f->score == 0.0, "a right-to-left mark alone is named but scores nothing");
		T_STR(f ? f->evidence : NULL, "U+200F RIGHT-TO-LEFT MARK in the subject");
		T_STR(nise_result_visible(r, r->msg->subject), "a\xE2\x9F\xA8U+200F\xE2\x9F\xA9" "b");
		T_STR(nise_result_visible(r, "plain"), "plain");
		T_CHECK(nise_result_visible(r, NULL) == NULL, "NULL stays NULL");
		nise_result_free(r);
	}

	{
		/* the scan skips ASCII by words and decodes only lead bytes of
		 * U+0600 and up: a control after Latin-1 and Cyrillic words and at
		 * the end of a long ASCII run is found */
		struct nise_result *r = scan("From: a@example.com\r\nSubject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		                             "caf\xC3\xA9 \xD0\x9F\xD1\x80\xD0\xB8 abcdefghijklmnopqrstuvw"
		                             "\xE2\x80\xAE" "xyz\xE2\x81\xA0\r\n");
		const struct nise_finding *f = finding(r, "BIDI_CONTROL");
		T_STR(f ? f->evidence : NULL, "U+202E RIGHT-TO-LEFT OVERRIDE in the body");
		f = finding(r, "INVISIBLE_CONTROL");
		T_STR(f ? f->evidence : NULL, "U+2060 WORD JOINER in the body");
		nise_result_free(r);
	}

	{
		/* every control code point is found after Japanese text (the
		 * scan decodes only the lead and second bytes that can begin
		 * one: kana and kanji are passed over a byte at a time) */
		static const unsigned cps[] = {0x061C, 0x115F, 0x1160, 0x180E, 0x200E, 0x200F, 0x202A, 0x202B,
		                               0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
		                               0x2066, 0x2067, 0x2068, 0x2069, 0x3164, 0xFFA0, 0xFFF9, 0xFFFA,
		                               0xFFFB, 0xE0000, 0xE0001, 0xE0020, 0xE007F};
		int found = 0;
		for (size_t k = 0; k < sizeof(cps) / sizeof(cps[0]); k++) {
			struct nise_arena *ta = nise_arena_new(0, false);
			struct nise_buf b;
			nise_buf_init(&b, ta, 0);
			static const char head[] = "From: a@example.com\r\nSubject: hi\r\nContent-Type: text/plain; "
			                           "charset=utf-8\r\n\r\n\xE3\x81\x8A\xE5\xAE\xA2\xE6\xA7\x98\xE3\x83\xBC\xE3\x85\x80";
			static const char tail[] = "\xE7\xA2\xBA\xE8\xAA\x8D\r\n";
			nise_buf_append(&b, head, sizeof(head) - 1);
			nise_buf_put_utf8(&b, cps[k]);
			nise_buf_append(&b, tail, sizeof(tail) - 1);
			struct nise_result *r = scan(nise_buf_cstr(&b));
			const struct nise_finding *f = finding(r, "BIDI_CONTROL");
			if (!f)
				f = finding(r, "INVISIBLE_CONTROL");
			char want[16];
			snprintf(want, sizeof(want), "U+%04X ", cps[k]);
			found += f && strncmp(f->evidence, want, strlen(want)) == 0;
			if (!(f && strncmp(f->evidence, want, strlen(want)) == 0))
				printf("control U+%04X not found: %s\n", cps[k], f ? f->evidence : "(none)");
			nise_result_free(r);
			nise_arena_free(ta);
		}
		T_INT(found, (int)(sizeof(cps) / sizeof(cps[0])));
	}

	expect("userinfo trick",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	       "<a href=\"http://www.amazon.co.jp@evil.example/x\">https://www.amazon.co.jp/</a>\r\n",
	       "phishing", L("URL_USERINFO", "LINK_TEXT_MISMATCH"), NULL, "LINK_TEXT_MISMATCH",
	       "「https://www.amazon.co.jp/」 → http://www.amazon.co.jp@evil.example/x");

	expect("brand domain as a subdomain",
	       "From: JCB <x@cqf.example>\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	       "<a href=\"https://www1.jcb.co.jp.sfeline.example/login\">ログイン</a>\r\n",
	       "phishing", L("BRAND_AS_SUBDOMAIN", "SENDER_BRAND_MISMATCH", "LINK_BRAND_MISMATCH"), NULL,
	       "BRAND_AS_SUBDOMAIN", "www1.jcb.co.jp.sfeline.example (link)");

	expect("homograph domain (Cyrillic a)",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	       "<a href=\"https://\xd0\xb0pple.com/id\">Sign in</a>\r\n",
	       "suspicious", L("HOMOGRAPH_DOMAIN"), NULL, "HOMOGRAPH_DOMAIN",
	       "\xd0\xb0pple.com = xn--pple-43d.com (link)");

	expect("typosquat",
	       "From: PayPal <a@b.example>\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	       "<a href=\"https://www.paypai.com/signin\">Sign in</a>\r\n",
	       "phishing", L("TYPOSQUAT_DOMAIN", "SENDER_BRAND_MISMATCH", "LINK_BRAND_MISMATCH"), NULL,
	       "TYPOSQUAT_DOMAIN", "www.paypai.com (link)");

	expect("homoglyph word judged per word",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	       "Ваш счёт готов. Your Аpple ID was used. Привет, друзья.\r\n",
	       "suspicious", L("HOMOGLYPH_WORD"), NULL, "HOMOGLYPH_WORD",
	       "\xd0\x90pple (\xd0\x90 = U+0410 CYRILLIC CAPITAL LETTER A)");

	expect("Russian and Czech text alone is not a homoglyph",
	       "From: a@b.example\r\nSubject: Привет\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	       "Ваш счёт готов. Dobrý den, příliš žluťoučký kůň. Windowsа обновлён.\r\n",
	       "clean", NULL, L("HOMOGLYPH_WORD"), NULL, NULL);

	expect("styled letters",
	       "From: a@b.example\r\nSubject: \xf0\x9d\x90\x8f\xf0\x9d\x90\x9a\xf0\x9d\x90\xb2\xf0\x9d\x90\x8f\xf0\x9d\x90\x9a\xf0\x9d\x90\xa5\r\n\r\nx\r\n",
	       "suspicious", L("STYLED_LETTERS", "SENDER_BRAND_IN_SUBJECT"), NULL, "STYLED_LETTERS",
	       "\xf0\x9d\x90\x8f\xf0\x9d\x90\x9a\xf0\x9d\x90\xb2\xf0\x9d\x90\x8f\xf0\x9d\x90\x9a\xf0\x9d\x90\xa5");

	expect("credential form",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
	       "<form action=\"https://collect.example/p.php\"><input name=u><input type=password name=p></form>\r\n",
	       "suspicious", L("CREDENTIAL_FORM"), NULL, "CREDENTIAL_FORM", "https://collect.example/p.php");

	expect("HTML attachment",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
	       "--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
	       "--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\n\r\n"
	       "<html><body>x</body></html>\r\n--B--\r\n",
	       "clean", L("HTML_ATTACHMENT"), NULL, "HTML_ATTACHMENT", "invoice.pdf (text/html, 27 bytes)");

	expect("reply-to to free mail",
	       "From: Support <support@shop.example>\r\nReply-To: <refund.desk@gmail.com>\r\nSubject: x\r\n\r\nx\r\n",
	       "clean", L("REPLY_TO_MISMATCH"), NULL, "REPLY_TO_MISMATCH",
	       "Reply-To: <refund.desk@gmail.com>; From: <support@shop.example>");

	expect("newsletter with click trackers stays clean",
	       "From: News <news@shop.example>\r\nSubject: Weekly deals\r\nContent-Type: text/html\r\n\r\n"
	       "<p>Deals <a href=\"https://u123.ct.sendgrid.net/ls/click?upn=abc\">www.shop.example</a>"
	       " <a href=\"https://shop.example/unsubscribe\">unsubscribe</a></p>\r\n",
	       "clean", NULL, L("LINK_TEXT_MISMATCH"), NULL, NULL);

	expect("threat with a deadline",
	       "From: \"Amazon\" <a@b.example>\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	       "24時間以内にご確認がない場合、アカウントをロックします。\r\n",
	       "phishing", L("LURE_THREAT_DEADLINE", "SENDER_BRAND_MISMATCH"), NULL, NULL, NULL);

	expect("poses as the recipient's own mail service",
	       "From: \"example.co.jp Mail Admin\" <support@quota-notice.example>\r\nTo: taro@example.co.jp\r\n"
	       "Subject: Mailbox quota\r\nContent-Type: text/plain\r\n\r\n"
	       "Your mailbox quota is full. Your password will expire today, click below to keep the same password.\r\n"
	       "https://quota-notice.example/login\r\n",
	       "phishing", L("RECIPIENT_DOMAIN_NAME", "LURE_CREDENTIALS"), NULL, "RECIPIENT_DOMAIN_NAME",
	       "From: \"example.co.jp Mail Admin\" <support@quota-notice.example>");

	expect("a colleague at the same domain is not impersonation",
	       "From: \"Taro (example.co.jp)\" <taro@example.co.jp>\r\nTo: hanako@example.co.jp\r\n"
	       "Subject: lunch\r\n\r\nShall we?\r\n",
	       "clean", NULL, L("RECIPIENT_DOMAIN_NAME"), NULL, NULL);

	expect("simplified Chinese in Japanese text",
	       "From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	       "お客様のアカウントは现在确认中です。ご利用ありがとうございます。\r\n",
	       "clean", L("UNNATURAL_JAPANESE"), NULL, "UNNATURAL_JAPANESE", "现确认");

	/* a site behind Google Translate's proxy is judged as the site itself */
	{
		struct nise_result *r = scan("From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n"
		                             "<a href=\"https://bafy1abc-ipfs-dweb-link.translate.goog/?_x_tr_sl=auto\">open</a> "
		                             "<a href=\"https://my--site-example.translate.goog/p\">x</a>\r\n");
		const struct nise_finding *f = finding(r, "FREE_HOSTING_LINK");
		T_STR(f ? f->explain_en : NULL, "The link leads to bafy1abc.ipfs.dweb.link, a free hosting or tunnelling "
		                                "service where anyone can put up a page in minutes.");
		size_t redirects = 0;
		for (size_t i = 0; i < r->nfindings; i++)
			if (strcmp(r->findings[i].id, "URL_REDIRECT") == 0)
				T_STR(r->findings[i].explain_en,
				      ++redirects == 1 ? "The link passes through bafy1abc-ipfs-dweb-link.translate.goog and then "
				                         "redirects to bafy1abc.ipfs.dweb.link."
				                       : "The link passes through my--site-example.translate.goog and then "
				                         "redirects to my-site.example.");
		T_INT((int)redirects, 2);
		nise_result_free(r);
	}
	expect("translate.google.com itself is not a proxied site",
	       "From: a@b.example\r\nSubject: x\r\n\r\nhttps://translate.goog/\r\n", "clean", NULL,
	       L("URL_REDIRECT", "FREE_HOSTING_LINK"), NULL, NULL);

	nise_engine_free(engine);
	T_DONE("checks");
}
