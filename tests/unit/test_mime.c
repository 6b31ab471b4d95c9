/* SPDX-License-Identifier: MIT */
/* nise's MIME reader (src/lib/mime/message.c) on hand-made messages:
 * structure, transfer decoding, parameters, labels that lie, limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "mime/mime.h"
#include "t.h"

static struct nise_limits lim;

static struct nise_message *parse(struct nise_arena *a, const char *s, struct nise_vec *an)
{
	struct nise_message *m = nise_arena_alloc(a, sizeof(*m));
	memset(an, 0, sizeof(*an));
	T_INT(nise_mime_parse(m, a, &lim, s, strlen(s), an), NISE_OK);
	return m;
}

static bool has(const struct nise_vec *an, const char *id)
{
	for (size_t i = 0; i < an->n; i++)
		if (strcmp(((const struct nise_anomaly *)an->items)[i].id, id) == 0)
			return true;
	return false;
}

static const char nested[] =
	"From: a@b.example\r\nSubject: t\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n"
	"preface\r\n--x\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n"
	"--y\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n\r\nsoft=\r\nbreak =E9 =ZZ\r\n"
	"--y\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n"
	"--y--\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
	"Content-Type: application/octet-stream; name*0*=utf-8''a%C3; name*1*=%A9.txt\r\n"
	"Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n"
	"--x--\r\nepilogue\r\n";

int main(void)
{
	nise_limits_default(&lim);
	struct nise_arena *a = nise_arena_new(0, true);
	struct nise_vec an;

	struct nise_message *m = parse(a, nested, &an);
	T_STR(m->subject, "t");
	T_INT((long)m->nparts, 3);
	T_INT(m->parts[0].kind, NISE_PART_TEXT);
	T_INT(m->parts[0].depth, 2);
	T_INT(m->parts[0].alt_group, 1);
	T_STR(m->parts[0].declared_charset, "iso-8859-1");
	T_STR(m->parts[0].text, "softbreak \xc3\xa9 =ZZ");
	T_INT(m->parts[1].kind, NISE_PART_HTML);
	T_INT(m->parts[1].alt_group, 1);
	T_STR(m->parts[1].text, "<b>hi</b>");
	T_INT((long)m->parts[1].size, 9);
	T_INT(m->parts[2].kind, NISE_PART_ATTACHMENT);
	T_INT(m->parts[2].depth, 2);
	T_INT(m->parts[2].alt_group, 0);
	T_STR(m->parts[2].content_type, "application/octet-stream");
	T_STR(m->parts[2].filename, "a\xc3\xa9.txt");
	T_INT((long)m->parts[2].size, 3);
	T_STR(m->parts[2].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	T_INT((long)an.n, 0);

	/* labels that lie: ISO-2022-JP inside iso-8859-1 and us-ascii words */
	m = parse(a, "From: a@b.example\r\nSubject: =?iso-8859-1?B?GyRCJCIbKEI=?= "
	             "=?us-ascii?Q?=1B$B$$=1B(B?=\r\n\r\nx\r\n", &an);
	T_STR(m->subject, "\xe3\x81\x82\xe3\x81\x84");
	m = parse(a, "From: a@b.example\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
	             "\x1b$B$\"\x1b(B\r\n", &an);
	T_STR(m->parts[0].text, "\xe3\x81\x82\r\n");
	T_CHECK(m->parts[0].charset_guessed, "the lying label is reported");

	/* obs-field: space before the colon still names the field */
	m = parse(a, "From : a@b.example\r\nSubject\t: hi\r\n\r\nbody\r\n", &an);
	T_STR(m->subject, "hi");
	T_INT((long)m->nfrom, 1);
	T_STR(m->from[0].address, "a@b.example");

	/* an unterminated quoted boundary still splits the parts */
	m = parse(a, "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"--b\r\n\r\n"
	             "----b\r\nContent-Type: text/plain\r\n\r\none\r\n----b\r\n\r\ntwo\r\n----b--\r\n", &an);
	T_INT((long)m->nparts, 2);
	T_STR(m->parts[1].text, "two");

	/* a boundary line of an outer multipart closes the inner one */
	m = parse(a, "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n"
	             "Content-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\n\r\nin\r\n"
	             "--o\r\n\r\nout\r\n--o--\r\n", &an);
	T_INT((long)m->nparts, 2);
	T_STR(m->parts[0].text, "in");
	T_INT(m->parts[0].depth, 2);
	T_STR(m->parts[1].text, "out");
	T_INT(m->parts[1].depth, 1);

	/* limits while reading: parts and depth */
	{
		char *s = malloc(400 * 8 + 200);
		strcpy(s, "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n");
		for (int i = 0; i < 400; i++)
			strcat(s, "--b\r\n\r\n");
		m = parse(a, s, &an);
		T_INT((long)m->nparts, 256);
		T_CHECK(has(&an, "LIMIT_PARTS"), "LIMIT_PARTS");
		free(s);
	}
	{
		char *s = malloc(40 * 80 + 200);
		strcpy(s, "From: a@b.example\r\n");
		for (int i = 0; i < 40; i++)
			sprintf(s + strlen(s), "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
		strcat(s, "\r\ndeepest\r\n");
		m = parse(a, s, &an);
		T_INT((long)m->nparts, 0);
		T_CHECK(has(&an, "LIMIT_MIME_DEPTH"), "LIMIT_MIME_DEPTH");
		free(s);
	}
	/* empty input is not a message */
	m = parse(a, "", &an);
	T_CHECK(has(&an, "NOT_A_MESSAGE"), "NOT_A_MESSAGE");
	nise_arena_free(a);
	T_DONE("mime");
}
