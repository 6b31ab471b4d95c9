/* SPDX-License-Identifier: MIT */
/* The whole pipeline on small hand-made messages: MIME tree, charsets,
 * attachments, nested messages, limits, mbox splitting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"
#include "t.h"

static struct nise_engine *engine(size_t max_parts)
{
	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	if (max_parts)
		o.limits.max_parts = max_parts;
	o.arena_debug = true;
	o.data_dir = NISE_SOURCE_ROOT "/data";
	struct nise_engine *e = NULL;
	char diag[256];
	nise_rc rc = nise_engine_new(&e, &o, diag, sizeof(diag));
	T_INT(rc, NISE_OK);
	return e;
}

static struct nise_result *scan(struct nise_engine *e, const char *msg)
{
	struct nise_result *r = NULL;
	nise_rc rc = nise_scan(&r, e, msg, strlen(msg));
	T_INT(rc, NISE_OK);
	return r;
}

static const char *anomaly(const struct nise_result *r, const char *id)
{
	for (size_t i = 0; i < r->msg->nanomalies; i++)
		if (strcmp(r->msg->anomalies[i].id, id) == 0)
			return r->msg->anomalies[i].id;
	return NULL;
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*n = fread(buf, 1, (1 << 20) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static nise_rc count_msg(const char *buf, size_t n, size_t index, void *ctx)
{
	char **seen = ctx;
	(void)index;
	size_t len = strlen(*seen);
	snprintf(*seen + len, 256 - len, "[%.*s]", (int)n, buf);
	return NISE_OK;
}

int main(void)
{
	struct nise_engine *e = engine(0);

	/* the seed mail, both encodings */
	const char *seeds[] = {NISE_SOURCE_ROOT "/examples/seed-amazon-phish.eml",
	                       NISE_SOURCE_ROOT "/examples/seed-amazon-phish-iso2022jp.eml"};
	for (int i = 0; i < 2; i++) {
		size_t n;
		char *buf = read_file(seeds[i], &n);
		T_CHECK(buf != NULL, "read %s", seeds[i]);
		if (!buf)
			continue;
		struct nise_result *r = NULL;
		T_INT(nise_scan(&r, e, buf, n), NISE_OK);
		T_STR(r->msg->subject, "もう一度確認してから、あなたのアカウントを利用してください");
		T_INT(r->msg->nfrom, 1);
		T_STR(r->msg->from[0].name, "Amazon.co.jp");
		T_STR(r->msg->from[0].address, "apikey@newnamecardamazonmail.cyou");
		T_STR(r->msg->from[0].domain, "newnamecardamazonmail.cyou");
		T_INT(r->msg->nlinks, 1);
		if (r->msg->nlinks) {
			T_STR(r->msg->links[0].text, "続けるにはこちらをクリック");
			T_STR(r->msg->links[0].href, "http://cardservices.newnamecardamazon.icu/");
			T_STR(r->msg->links[0].url.host, "cardservices.newnamecardamazon.icu");
			T_STR(r->msg->links[0].url.domain, "newnamecardamazon.icu");
		}
		T_CHECK(strstr(r->msg->visible_text, "Amaz\xce\xbfn") != NULL, "Greek omicron survives");
		nise_result_free(r);
		free(buf);
	}

	/* multipart: attachment hash and sniffing, nested message, alternative */
	const char *mp =
		"From: a@b.example\r\nSubject: t\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
		"--XX\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n"
		"--YY\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain version http://a.example/x\r\n"
		"--YY\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html <a href=\"http://a.example/x\">version</a></p>\r\n"
		"--YY--\r\n"
		"--XX\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?6KuL5rGC5pu4?=.pdf\"\r\n"
		"Content-Disposition: attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4?=.pdf\"\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PGZvcm0+PC9mb3JtPjwvaHRtbD4=\r\n"
		"--XX\r\nContent-Type: message/rfc822\r\n\r\n"
		"From: inner@c.example\r\nSubject: inner\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n"
		"\x83\x41\x83\x7d\x83\x5d\x83\x93 https://inner.example/\r\n"
		"--XX--\r\n";
	struct nise_result *r = scan(e, mp);
	T_INT(r->msg->nparts, 4);
	if (r->msg->nparts == 4) {
		T_STR(r->msg->parts[2].filename, "請求書.pdf");
		T_STR(r->msg->parts[2].sniffed_type, "text/html");
		T_STR(r->msg->parts[2].sha256, "cbc880ed58e5372b848c31b050c66581fa708dd80ec33d1f6f883616cb65e141");
		T_INT(strlen(r->msg->parts[2].sha256), 64);
		T_INT(r->msg->parts[2].size, 26);
		/* the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1) */
		T_STR(r->msg->parts[3].text, "アマゾン https://inner.example/");
		T_STR(r->msg->parts[3].charset, "CP932");
	}
	/* the alternative's plain text is not shown twice; its link is not
	 * repeated; the nested message's link is found */
	T_INT(r->msg->nlinks, 2);
	if (r->msg->nlinks == 2) {
		T_STR(r->msg->links[0].text, "version");
		T_STR(r->msg->links[1].url.domain, "inner.example");
	}
	T_CHECK(strstr(r->msg->visible_text, "plain version") == NULL, "alternative text hidden");
	T_CHECK(strstr(r->msg->visible_text, "html version") != NULL, "html text shown");
	nise_result_free(r);

	/* mislabelled charset: Shift_JIS bytes declared as ISO-8859-1... is
	 * valid Latin-1, so the label wins; declared UTF-8 with SJIS bytes is
	 * re-guessed */
	r = scan(e, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	            "\x83\x41\x83\x7d\x83\x5d\x83\x93\x82\xa9\x82\xe7\x82\xcc\x82\xa8\x92\x6d\x82\xe7\x82\xb9\r\n");
	T_STR(r->msg->parts[0].text, "アマゾンからのお知らせ\r\n");
	T_CHECK(anomaly(r, "CHARSET_MISLABELLED") != NULL, "mislabel noted");
	nise_result_free(r);

	/* no charset at all, EUC-JP body */
	r = scan(e, "Subject: x\r\n\r\n\xb3\xda\xc5\xb7\xa5\xab\xa1\xbc\xa5\xc9\xa4\xab\xa4\xe9\xa4\xce\xa4\xaa\xc3\xce\xa4\xe9\xa4\xbb\r\n");
	T_STR(r->msg->parts[0].text, "楽天カードからのお知らせ\r\n");
	nise_result_free(r);

	/* limits: more parts than allowed yields a partial model */
	struct nise_engine *small = engine(2);
	r = scan(small, "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\r\none\r\n--B\r\n\r\ntwo\r\n"
	                "--B\r\n\r\nthree\r\n--B--\r\n");
	T_INT(r->msg->nparts, 2);
	T_CHECK(r->partial, "partial");
	T_CHECK(anomaly(r, "LIMIT_PARTS") != NULL, "LIMIT_PARTS");
	nise_result_free(r);
	nise_engine_free(small);

	/* garbage is a message with anomalies, never an error */
	r = scan(e, "\x00\x01\x02 not a mail");
	T_CHECK(r != NULL, "garbage scanned");
	nise_result_free(r);
	r = scan(e, "");
	T_CHECK(r != NULL, "empty scanned");
	T_STR(r->msg->subject, "");
	nise_result_free(r);

	/* mbox splitting and >From unquoting */
	char seen[256] = "";
	char *sp = seen;
	const char *mbox = "From a@b Sat Jan  1 00:00:00 2000\nX: 1\n\nbody\n>From here\n"
	                   "From c@d Sat Jan  1 00:00:00 2000\nX: 2\n\nb2\n";
	T_CHECK(nise_is_mbox(mbox, strlen(mbox)), "is mbox");
	nise_mbox_split(mbox, strlen(mbox), count_msg, &sp);
	T_STR(seen, "[X: 1\n\nbody\nFrom here\n][X: 2\n\nb2\n]");

	nise_engine_free(e);
	T_DONE("message");
}
