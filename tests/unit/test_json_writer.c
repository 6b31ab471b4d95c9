/* SPDX-License-Identifier: MIT */
/*
 * test_json_writer.c — `nise check --json`'s direct writer (src/cli/jsonw.c)
 * against jansson's dump of the same result (src/cli/json.c): byte for byte
 * on hostile mails made here (control characters, quotes, backslashes,
 * ill-formed UTF-8 from raw 8-bit headers, surrogates and overlongs inside
 * encoded-words, repeated Authentication-Results properties) and on every
 * STRIDE-th mail of the corpus when its directory exists.
 *
 * Usage: test_json_writer SOURCE_ROOT [CORPUS_DIR [STRIDE]]
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h" /* cli_for_each_message (input.c) */
#include "t.h"

struct ctx {
	struct nise_engine *e;
	size_t stride, seen, compared;
};

static void compare(struct nise_engine *e, const struct cli_msg *m, size_t *compared)
{
	struct nise_result *r = NULL;
	if (nise_scan(&r, e, m->buf, m->n) != NISE_OK) {
		T_CHECK(0, "%s: scan failed", m->source);
		return;
	}
	for (int lang = 0; lang < 2; lang++) {
		enum cli_lang l = lang ? LANG_JA : LANG_EN;
		char *got = cli_json_result(r, m, l);
		char *want = cli_json_result_jansson(r, m, l);
		T_CHECK(got && want && strcmp(got, want) == 0, "%s #%zu (%s): writer and jansson differ\n got: %.600s\nwant: %.600s",
		        m->source, m->index, lang ? "ja" : "en", got ? got : "(null)", want ? want : "(null)");
		if (got && want && strcmp(got, want) != 0) {
			size_t k = 0;
			while (got[k] && got[k] == want[k])
				k++;
			fprintf(stderr, "  first difference at byte %zu: got \"%.80s\" want \"%.80s\"\n", k, got + k, want + k);
		}
		free(got);
		free(want);
	}
	(*compared)++;
	nise_result_free(r);
}

static bool on_msg(const struct cli_msg *m, void *vctx)
{
	struct ctx *c = vctx;
	if (c->seen++ % c->stride == 0)
		compare(c->e, m, &c->compared);
	return true;
}

/* Mails whose strings exercise every escape and every UTF-8 repair. */
static const char *hostile[] = {
	"From: \"Q\\\"uote\\\\d\" <a@example.com>\r\nTo: b@example.org\r\nSubject: tab\there \"quoted\" back\\slash\r\n"
	"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a@example.com smtp.mailfrom=b@example.com;"
	" dkim=fail header.d=x header.d=y header.i=@z\r\n"
	"Content-Type: text/plain\r\n\r\nhttp://example.com/a\"b\\c\x01\n",
	"From: \xff\xfe raw <x@example.com>\r\nSubject: \xc3\x28 bad \xe2\x82 cut \xf0\x9f\x98\x80 ok \xed\xa0\x80 surrogate "
	"\xc0\xaf overlong \xf4\x90\x80\x80 big\r\nReply-To: \x80\x81@example.net\r\n"
	"Content-Type: text/html; charset=utf-8\r\n\r\n<a href=\"http://\xe4\xbe\x8b.jp/\x01\x1f\">\x7f\x08\x0c</a>\n",
	"From: =?utf-8?B?7aCA?= <u@example.com>\r\nSubject: =?utf-8?Q?=C0=AF=ED=A0=80=01=1B=7F?=\r\n"
	"Message-ID: <\x01id@x>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nList-Id: <l\"i\\st>\r\n"
	"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream; "
	"name=\"a\\\"b\xff.exe\"\r\n\r\nMZ\x90\r\n--b--\r\n",
	"Received: from a (b [10.0.0.1]) by c with \x01SMTP; Mon, 1 Jan 2024\r\nFrom: x@y.z\r\n"
	"Content-Type: text/html\r\n\r\n<form action=\"http://a/\x02\"><input type=password></form>"
	"<img src=\"http://i/\x03\" alt=\"\xfe\">\n",
	"not a mail at all \x01\x02 \xff\n",
};

static size_t empty_files;

static int count_empty(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || st->st_size > 4096)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	empty_files += cli_is_empty_input(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_json_writer SOURCE_ROOT [CORPUS [STRIDE]]\n");
		return 2;
	}
	char data[4096];
	snprintf(data, sizeof(data), "%s/data", argv[1]);
	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.data_dir = data;
	char diag[256];
	struct ctx c = {.stride = 1};
	if (nise_engine_new(&c.e, &o, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "engine: %s\n", diag);
		return 1;
	}
	size_t compared = 0;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct cli_msg m = {.source = i % 2 ? "tab\t\"and\" \xff path" : "hostile", .index = i,
		                    .in_mbox = i == 3, .buf = hostile[i], .n = strlen(hostile[i])};
		compare(c.e, &m, &compared);
	}
	T_INT(compared, sizeof(hostile) / sizeof(hostile[0]));
	if (argc > 2) {
		FILE *f = fopen(argv[2], "r");
		if (f) {
			fclose(f);
			if (argc > 3)
				c.stride = (size_t)strtoul(argv[3], NULL, 10);
			if (c.stride == 0)
				c.stride = 1;
			char *in[1] = {argv[2]};
			/* an empty file is refused, not judged (the walk then reports 1) */
			empty_files = 0;
			nftw(argv[2], count_empty, 16, FTW_PHYS);
			T_INT(cli_for_each_message(in, 1, on_msg, &c), empty_files ? 1 : 0);
			T_CHECK(c.compared > 0, "no mail compared in %s", argv[2]);
			printf("json_writer: %zu of %zu corpus mails compared\n", c.compared, c.seen);
		} else {
			printf("json_writer: %s not found, only the made-up mails compared\n", argv[2]);
		}
	}
	nise_engine_free(c.e);
	T_DONE("json_writer");
}
