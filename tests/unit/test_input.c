/* SPDX-License-Identifier: MIT */
/* nise_input_classify (src/lib/mime/input.c): mail, text, or neither — and
 * nise_scan judging text without headers as a mail's body (TEXT_ONLY). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"
#include "t.h"

struct row {
	const char *in;
	size_t n; /* 0: strlen */
	enum nise_input want;
	const char *type;
};

static const struct row rows[] = {
	{"From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n", 0, NISE_INPUT_MAIL, "message/rfc822"},
	{"\n\nReceived: from x\n\tby y\nSubject: hi\n\nbody\n", 0, NISE_INPUT_MAIL, "message/rfc822"},
	{"From someone@example.org Sat Nov 28 09:00:00 2026\nFrom: a@example.org\n\nhi\n", 0, NISE_INPUT_MAIL,
	 "message/rfc822"},
	{"X-Spam: no\nDKIM-Signature: v=1;\n d=example.org\nTo: b@example.org\n\nhi\n", 0, NISE_INPUT_MAIL,
	 "message/rfc822"},
	/* text a person copies from the mail's window */
	{"Amazon.co.jp\nお客様のアカウントは停止されました。\nhttps://x.example.icu/\n", 0, NISE_INPUT_TEXT, "text/plain"},
	{"Note: call me\nbye\n", 0, NISE_INPUT_TEXT, "text/plain"},
	{"From Amazon: your account\nis locked\n", 0, NISE_INPUT_TEXT, "text/plain"},
	{"件名: 確認\n本文\n", 0, NISE_INPUT_TEXT, "text/plain"},
	{"<html><body><a href=\"http://x.example/\">go</a></body></html>", 0, NISE_INPUT_TEXT, "text/html"},
	{"\x1b$B$3$s$K$A$O\x1b(B\n", 0, NISE_INPUT_TEXT, "text/plain"}, /* ISO-2022-JP */
	/* neither */
	{"", 0, NISE_INPUT_EMPTY, ""},
	{" \r\n\n\t\n", 0, NISE_INPUT_EMPTY, ""},
	{"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 21, NISE_INPUT_OTHER, "image/png"},
	{"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 0, NISE_INPUT_OTHER, "application/pdf"},
	{"abc\0def", 7, NISE_INPUT_OTHER, "application/octet-stream"},
	{"\x01\x02\x03\x04hello", 0, NISE_INPUT_OTHER, "application/octet-stream"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *type = NULL;
		size_t n = rows[i].n ? rows[i].n : strlen(rows[i].in);
		enum nise_input k = nise_input_classify(rows[i].in, n, &type);
		T_CHECK(k == rows[i].want, "row %zu: got %s, want %s", i, nise_input_name(k), nise_input_name(rows[i].want));
		T_STR(type, rows[i].type);
	}
	/* an empty request body arrives as NULL, 0 (nise serve): no pointer
	 * arithmetic on it (UBSan in the sanitizer build) */
	const char *nt = "x";
	T_INT(nise_input_classify(NULL, 0, &nt), NISE_INPUT_EMPTY);
	T_STR(nt, "");
	T_STR(nise_input_name(NISE_INPUT_TEXT), "text");
	T_STR(nise_input_name(NISE_INPUT_OTHER), "other");

	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.arena_debug = true;
	o.no_model = true;
	o.data_dir = NISE_SOURCE_ROOT "/data";
	struct nise_engine *e = NULL;
	char diag[256];
	T_INT(nise_engine_new(&e, &o, diag, sizeof(diag)), NISE_OK);
	/* pasted text: its link and words are judged, no header is invented */
	const char *text = "\n\nお客様のアカウントは停止されました。\n確認: https://x.example.icu/verify\n";
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, e, text, strlen(text)), NISE_OK);
	T_INT(r->input, NISE_INPUT_TEXT);
	T_INT((long)r->msg->nlinks, 1);
	T_STR(r->msg->links[0].url.url, "https://x.example.icu/verify");
	T_INT((long)r->msg->nfrom, 0);
	T_INT((long)r->msg->nanomalies, 1);
	T_STR(r->msg->anomalies[0].id, "TEXT_ONLY");
	T_CHECK(strstr(r->msg->visible_text, "お客様のアカウントは停止されました。") != NULL, "visible text");
	nise_result_free(r);
	/* a PNG: never clean, said to be no mail */
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	T_INT(nise_scan(&r, e, png, sizeof(png) - 1), NISE_OK);
	T_INT(r->input, NISE_INPUT_OTHER);
	T_STR(r->msg->anomalies[0].id, "NOT_A_MESSAGE");
	T_STR(r->msg->anomalies[0].detail, "image/png");
	T_CHECK(r->verdict != NISE_CLEAN, "a PNG is not clean: %s", nise_verdict_name(r->verdict));
	nise_result_free(r);
	/* a mail pasted with blank lines before it is still a mail */
	const char *mail = "\r\n\r\nFrom: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n";
	T_INT(nise_scan(&r, e, mail, strlen(mail)), NISE_OK);
	T_INT(r->input, NISE_INPUT_MAIL);
	T_STR(r->msg->subject, "hi");
	T_INT((long)r->msg->nanomalies, 0);
	nise_result_free(r);
	nise_engine_free(e);
	T_DONE("input");
}
