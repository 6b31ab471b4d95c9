/* SPDX-License-Identifier: MIT */
/* The wire parsers of nise imap (src/imap/resp.c) and nise spamd
 * (src/spamd/proto.c): exact values, table-driven. */
#include <stdint.h>

#include "../../src/imap/resp.h"
#include "../../src/spamd/proto.h"
#include "t.h"

/* the value a scanner found, UINT64_MAX when it found none (the
 * conditional operator orders the call before the read of v) */
#define U(call) ((call) ? v : UINT64_MAX)

static int req(struct spamd_req *r, const char *const *lines, char *why, size_t wn)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; lines[i]; i++) {
		int c = spamd_req_line(r, lines[i], strlen(lines[i]), why, wn);
		if (c)
			return c;
	}
	return 0;
}

int main(void)
{
	uint64_t v = 0;
	/* IMAP */
	T_INT(U(imap_literal_len("* 1 FETCH (UID 7 BODY[] {1234}", 30, &v)), 1234);
	T_INT(U(imap_literal_len("x {12+}", 7, &v)), 12);
	T_INT(imap_literal_len("x {}", 4, &v), 0);
	T_INT(imap_literal_len("x {99999999999999}", 18, &v), 0);
	const char *sel = "* OK [UIDVALIDITY 1733123456] UIDs valid";
	T_INT(U(imap_resp_code(sel, strlen(sel), "UIDVALIDITY", &v)), 1733123456);
	T_INT(imap_resp_code(sel, strlen(sel), "UIDNEXT", &v), 0);
	T_INT(U(imap_exists("* 17 EXISTS", 11, &v)), 17);
	T_INT(imap_exists("* 17 RECENT", 11, &v), 0);
	const char *f1 = "* 3 FETCH (FLAGS (\\Seen) UID 77)";
	T_INT(U(imap_fetch_uid(f1, strlen(f1), &v)), 77);
	/* a UID inside a quoted string or a section is not the message's */
	const char *f2 = "* 3 FETCH (BODY[HEADER.FIELDS (UID 5)] \"UID 6\" UID 9)";
	T_INT(U(imap_fetch_uid(f2, strlen(f2), &v)), 9);
	const char *caps = "n1 OK [CAPABILITY IMAP4rev1 IDLE MOVE] Logged in";
	T_INT(imap_has_cap(caps, strlen(caps), "IDLE"), 1);
	T_INT(imap_has_cap(caps, strlen(caps), "IDL"), 0);
	T_INT(imap_tagged("n12 OK done", 11, "n12"), 'O');
	T_INT(imap_tagged("n12 NO [TRYCREATE] no", 21, "n12"), 'N');
	T_INT(imap_tagged("n12 BAD", 7, "n12"), 'B');
	T_INT(imap_tagged("n1 OK done", 10, "n12"), 0);
	char q[32];
	T_INT(imap_quote(q, sizeof(q), "a\"b\\c"), 1);
	T_STR(q, "\"a\\\"b\\\\c\"");
	T_INT(imap_quote(q, sizeof(q), "a\r\nb"), 0);
	/* spamd requests */
	struct spamd_req r;
	char why[160];
	const char *const exim[] = {"REPORT SPAMC/1.2\r\n", "User: nobody\r\n", "Content-length: 835\r\n", "\r\n", NULL};
	T_INT(req(&r, exim, why, sizeof(why)), 0);
	T_INT(r.method, SPAMD_REPORT);
	T_INT(r.vminor, 2);
	T_INT(r.content_length, 835);
	T_STR(r.user, "nobody");
	T_INT(r.done, 1);
	const char *const zlib[] = {"CHECK SPAMC/1.5\r\n", "Compress: zlib\r\n", NULL};
	T_INT(req(&r, zlib, why, sizeof(why)), SPAMD_EX_USAGE);
	T_STR(why, "compression is not supported: send the mail uncompressed");
	const char *const twice[] = {"CHECK SPAMC/1.5\r\n", "Content-length: 1\r\n", "Content-length: 2\r\n", NULL};
	T_INT(req(&r, twice, why, sizeof(why)), SPAMD_EX_PROTOCOL);
	T_STR(why, "Content-length given twice");
	const char *const neg[] = {"CHECK SPAMC/1.5\r\n", "Content-length: -1\r\n", NULL};
	T_INT(req(&r, neg, why, sizeof(why)), SPAMD_EX_PROTOCOL);
	const char *const v2[] = {"CHECK SPAMC/2.0\r\n", NULL};
	T_INT(req(&r, v2, why, sizeof(why)), SPAMD_EX_PROTOCOL);
	const char *const lang[] = {"REPORT SPAMC/1.5\n", "Lang: ja\n", "\n", NULL};
	T_INT(req(&r, lang, why, sizeof(why)), 0);
	T_STR(r.lang, "ja");
	T_INT(r.content_length, -1);
	/* score bands */
	struct nise_result res;
	memset(&res, 0, sizeof(res));
	struct spamd_verdict sv;
	res.verdict = NISE_PHISHING;
	res.score = 27.7;
	spamd_map(&sv, &res, NULL);
	T_CHECK(sv.spam && sv.score > 37.69 && sv.score < 37.71, "phishing: %d %.2f", sv.spam, sv.score);
	res.verdict = NISE_SUSPICIOUS;
	res.score = 3.5;
	spamd_map(&sv, &res, NULL);
	T_CHECK(!sv.spam && sv.score > 8.49 && sv.score < 8.51, "suspicious: %.2f", sv.score);
	res.score = 12.0;
	spamd_map(&sv, &res, NULL);
	T_CHECK(sv.score > 9.89 && sv.score < 9.91, "suspicious capped: %.2f", sv.score);
	res.verdict = NISE_CLEAN;
	res.score = -6.0;
	spamd_map(&sv, &res, NULL);
	T_CHECK(!sv.spam && sv.score == 0.0, "clean: %.2f", sv.score);
	spamd_map(&sv, &res, "LIMIT_MESSAGE_BYTES");
	T_CHECK(!sv.spam && sv.score == 5.0 && strcmp(sv.unchecked, "LIMIT_MESSAGE_BYTES") == 0, "limit");
	spamd_map(&sv, NULL, NULL);
	T_STR(sv.unchecked, "error");
	res.verdict = NISE_UNCHECKED;
	spamd_map(&sv, &res, NULL);
	T_CHECK(!sv.spam && sv.score == 5.0 && sv.unchecked, "unchecked verdict is never clean");
	T_DONE("mailbox-proto");
}
