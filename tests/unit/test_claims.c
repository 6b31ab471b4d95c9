/* SPDX-License-Identifier: MIT */
/*
 * The brand registry's newer rows and the claim checks (check_claims.c) on
 * small hand-made messages, with the exact findings and verdicts of the
 * checks alone: a JAネットバンク lure from an unrelated .jp domain, a
 * securities-firm lure, an organisation nise has no row for, genuine
 * brand notices (BRAND_CONSISTENT) and the cases that must stay quiet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"
#include "t.h"

static struct nise_engine *engine;

/* "VERDICT: ID score, ID score, ..." in the engine's order */
static char *summary(const char *msg)
{
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, engine, msg, strlen(msg)), NISE_OK);
	static char out[1024];
	int n = snprintf(out, sizeof(out), "%s:", nise_verdict_name(r->verdict));
	for (size_t i = 0; i < r->nfindings && n > 0 && (size_t)n < sizeof(out); i++)
		n += snprintf(out + n, sizeof(out) - (size_t)n, "%s %s %.2f", i ? "," : "", r->findings[i].id,
		              r->findings[i].score);
	nise_result_free(r);
	return out;
}

static const char *evidence(const char *msg, const char *id)
{
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, engine, msg, strlen(msg)), NISE_OK);
	static char out[1024];
	out[0] = '\0';
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0) {
			snprintf(out, sizeof(out), "%s | %s | %s", r->findings[i].evidence, r->findings[i].explain_en,
			         r->findings[i].explain_ja);
			break;
		}
	nise_result_free(r);
	return out;
}

#define TEXT "Content-Type: text/plain; charset=utf-8\r\n\r\n"
#define HTML "Content-Type: text/html; charset=utf-8\r\n\r\n"

int main(void)
{
	struct nise_engine_opts o = {0};
	char diag[256] = "";
	nise_limits_default(&o.limits);
	o.arena_debug = true;
	o.data_dir = NISE_SOURCE_ROOT "/data";
	o.no_model = true;
	T_INT(nise_engine_new(&engine, &o, diag, sizeof(diag)), NISE_OK);

	/* 1. JAネットバンク from an unrelated .jp domain, link to a third one */
	const char *ja = "From: \"ＪＡネットバンク\" <info@kumamoto-shokai.jp>\r\nTo: taro@example.jp\r\n"
	                 "Subject: 【ＪＡネットバンク】お客さま情報・取引目的の確認\r\n" TEXT
	                 "いつもJAネットバンクをご利用いただきありがとうございます。\r\n"
	                 "お客さま情報・取引目的等の確認のため、下記URLよりログインしてご確認ください。\r\n"
	                 "https://ja-kakunin.example-link.cn/login\r\n";
	T_STR(summary(ja), "phishing: SENDER_BRAND_MISMATCH 4.50, LINK_BRAND_MISMATCH 2.50, RISKY_TLD 2.00");

	/* 2. a securities-firm lure: SBI証券 from a look-alike host */
	const char *sbi = "From: \"SBI証券\" <support@sbisec-member.top>\r\n"
	                  "Subject: 【SBI証券】【重要】お取引制限のお知らせ\r\n" HTML
	                  "<p>SBI証券をご利用のお客様</p><p>不正アクセスの疑いがあるため、お取引を一時制限しました。"
	                  "24時間以内に本人確認を完了しない場合、口座を凍結します。</p>"
	                  "<p><a href=\"https://sbisec-member.top/ETGate/login\">ログインして確認する</a></p>\r\n";
	T_STR(summary(sbi), "phishing: SENDER_BRAND_MISMATCH 4.50, LINK_BRAND_MISMATCH 2.50, LOOKALIKE_DOMAIN 3.00, RISKY_TLD 2.00, LURE_THREAT_DEADLINE 4.20, LURE_CREDENTIALS 3.50");

	/* 3. an organisation nise has no row for, from a free mailbox */
	const char *shinkin = "From: \"みどり野信用金庫 サポートセンター\" <midorino.support@gmail.com>\r\n"
	                      "Subject: ご本人様確認のお願い\r\n" TEXT
	                      "お客様の口座情報の確認が必要です。下記よりログインし、暗証番号を入力してください。\r\n"
	                      "https://midorino-kakunin.example/\r\n";
	T_STR(summary(shinkin), "suspicious: ORG_CLAIM_SENDER 3.00");
	T_STR(evidence(shinkin, "ORG_CLAIM_SENDER"), "From: \"みどり野信用金庫 サポートセンター\" <midorino.support@gmail.com> | The sender presents itself as an organisation (\"みどり野信用金庫 サポートセンター\", \"信用金庫\") but writes from gmail.com, a free mailbox or bulk-mail platform anyone can use. | 差出人は組織（「みどり野信用金庫 サポートセンター」、「信用金庫」）を名乗っていますが、実際の送信元 gmail.com は誰でも使える無料メールまたは一斉配信サービスです。");

	/* 4. a company's Latin name its own domain carries: nothing */
	const char *acme = "From: \"Acme Widgets Inc. Support\" <help@acmewidgets.example>\r\n"
	                   "Subject: Your ticket\r\n" TEXT "Please log in to see the answer: https://acmewidgets.example/t/1\r\n";
	T_STR(summary(acme), "clean:");

	/* 5. a Latin organisation name its domain does not carry */
	const char *bank = "From: \"First Prairie Bank Security\" <alerts@mx-notify.example>\r\n"
	                   "Subject: Account notice\r\n" TEXT
	                   "Please verify your account and confirm your password: https://prairie-verify.example/\r\n";
	T_STR(summary(bank), "clean: ORG_CLAIM_SENDER 2.25");

	/* 6. a genuine brand notice: brand domain, brand links only */
	const char *rc = "From: \"楽天カード\" <info@mail.rakuten-card.co.jp>\r\n"
	                 "Subject: 【楽天カード】カードご利用のお知らせ\r\n" HTML
	                 "<p>楽天カードをご利用いただきありがとうございます。</p>"
	                 "<p>ご利用内容は<a href=\"https://www.rakuten-card.co.jp/e-navi/\">楽天e-NAVI</a>でご確認ください。"
	                 "パスワードを変更する場合はログインしてください。</p>"
	                 "<p><a href=\"https://r.mail.rakuten-card.co.jp/c/abc\">配信停止</a></p>\r\n";
	T_STR(summary(rc), "clean: BRAND_CONSISTENT -3.00");
	T_STR(evidence(rc, "BRAND_CONSISTENT"), "From: <info@mail.rakuten-card.co.jp>; links: 2 to rakuten-card.co.jp, 0 via click trackers | The mail comes from 楽天's own domain rakuten-card.co.jp and all its 2 links lead to 楽天 or its mail-delivery service: nothing in it leads elsewhere. | このメールは楽天自身のドメイン rakuten-card.co.jp から送られ、2 個のリンクはすべて楽天またはその配信サービスを指しています。ほかの場所へ誘導するものはありません。");

	/* 7. the same From with a link elsewhere: no credit */
	const char *rc_bad = "From: \"楽天カード\" <info@mail.rakuten-card.co.jp>\r\n"
	                     "Subject: 【楽天カード】カードご利用のお知らせ\r\n" HTML
	                     "<p>ご利用内容は<a href=\"https://rakuten-card.example.cn/e-navi/\">楽天e-NAVI</a>でご確認ください。</p>\r\n";
	T_STR(summary(rc_bad), "phishing: LINK_BRAND_MISMATCH 2.50, LOOKALIKE_DOMAIN 3.00, RISKY_TLD 2.00");

	/* 8. links only through a click tracker: half the credit */
	const char *tracked = "From: \"Amazon.co.jp\" <store-news@amazon.co.jp>\r\nSubject: Amazon.co.jp セール\r\n" HTML
	                      "<p><a href=\"https://u123.ct.sendgrid.net/ls/click?upn=x\">セールを見る</a></p>\r\n";
	T_STR(summary(tracked), "clean: BRAND_CONSISTENT -1.50");

	/* 9. '~' names: 'LINE' alone is the brand, a line of text is not */
	const char *line = "From: \"LINE\" <notice@line-security.example>\r\nSubject: 【LINE】アカウントの確認\r\n" TEXT
	                   "https://line-security.example/\r\n";
	T_STR(summary(line), "phishing: SENDER_BRAND_MISMATCH 4.50, LINK_BRAND_MISMATCH 2.50, LOOKALIKE_DOMAIN 3.00, LURE_LANGUAGE 2.10");
	const char *line_word = "From: \"Subject Line Editors\" <ed@news.example>\r\nSubject: the bottom line\r\n" TEXT
	                        "Read the line by line review: https://news.example/a\r\n";
	T_STR(summary(line_word), "clean:");

	/* 11. a Japanese-only name and a 【tag】: from an ordinary domain it
	 * counts only when the body asks for payment or login details */
	const char *water = "From: <info@suido-center.example>\r\nSubject: 【みどり野市水道局】水道料金未払いのお知らせ\r\n" TEXT
	                    "水道料金のお支払いが確認できません。下記よりクレジットカード情報を入力してお支払いください。\r\n"
	                    "https://suido-center.example/pay\r\n";
	T_STR(summary(water), "suspicious: LURE_LANGUAGE 1.50, ORG_CLAIM_SENDER 1.50");
	const char *water_news = "From: <info@suido-center.example>\r\nSubject: 【みどり野市水道局】断水のお知らせ\r\n" TEXT
	                         "工事のため、12日は断水します。\r\n";
	T_STR(summary(water_news), "clean:");

	/* 13. a provider's own bounce is not a claim */
	const char *bounce = "From: \"Mail Administrator\" <Postmaster@ezweb.ne.jp>\r\nSubject: Undeliverable\r\n" TEXT
	                     "The user is unknown.\r\n";
	T_STR(summary(bounce), "clean:");

	/* 14. the brand's own links but a password form elsewhere: no credit */
	const char *form = "From: \"楽天カード\" <info@mail.rakuten-card.co.jp>\r\n"
	                   "Subject: 【楽天カード】ご本人確認\r\n" HTML
	                   "<p><a href=\"https://www.rakuten-card.co.jp/\">楽天カード</a></p>"
	                   "<form action=\"https://collect.example/p\"><input type=\"password\" name=\"pw\"></form>\r\n";
	T_STR(summary(form), "phishing: LINK_BRAND_MISMATCH 2.50, LURE_LANGUAGE 1.50, CREDENTIAL_FORM 3.00");

	nise_engine_free(engine);
	T_DONE("claims");
}
