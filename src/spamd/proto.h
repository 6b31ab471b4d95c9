/* SPDX-License-Identifier: MIT */
/*
 * proto.h — the SpamAssassin spamd protocol (SPAMC/1.x) as `nise spamd`
 * speaks it: the request parser (one line at a time, limits built in)
 * and the mapping of a nise result to spamd's score and threshold.
 *
 * Request:   METHOD SPAMC/1.5 CRLF, header lines, CRLF, the message.
 * Response:  SPAMD/1.1 CODE TEXT CRLF, Spam: True|False ; S / T CRLF,
 *            Content-length: N CRLF, CRLF, body.
 *
 * Score mapping (docs/spamd.md): spamd clients decide "spam" by score >=
 * threshold (Exim's spam condition does exactly that), so nise reports a
 * fixed threshold of 10 and puts each verdict in its own band:
 *   phishing   10 + nise score (>= 10)   Spam: True
 *   suspicious  5 + nise score, < 10     Spam: False
 *   unchecked   5.0 (a limit or an error, on_* = accept)  Spam: False
 *   clean       nise score, 0 .. 4.9     Spam: False
 * In Exim, $spam_score_int >= 100 is phishing, >= 50 suspicious/unchecked.
 */
#ifndef NISE_SPAMD_PROTO_H
#define NISE_SPAMD_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "nise/nise.h"

/* spamd's exit-code-style status numbers (sysexits.h) */
#define SPAMD_EX_OK 0
#define SPAMD_EX_USAGE 64
#define SPAMD_EX_DATAERR 65
#define SPAMD_EX_PROTOCOL 76
#define SPAMD_EX_TEMPFAIL 75
#define SPAMD_EX_SOFTWARE 70

#define SPAMD_THRESHOLD 10.0
#define SPAMD_MAX_LINE 1024    /* one request line or header, CRLF included */
#define SPAMD_MAX_HEADERS 32

enum spamd_method {
	SPAMD_CHECK,
	SPAMD_SYMBOLS,
	SPAMD_REPORT,
	SPAMD_REPORT_IFSPAM,
	SPAMD_PROCESS,
	SPAMD_HEADERS,
	SPAMD_PING,
	SPAMD_SKIP,
};

struct spamd_req {
	enum spamd_method method;
	unsigned vmajor, vminor;   /* SPAMC/vmajor.vminor */
	long long content_length;  /* -1: not given */
	char user[128];            /* User:, "" when not given */
	char lang[8];              /* Lang: ja|en (a nise extension), "" when not given */
	unsigned nheaders;
	bool done;                 /* the empty line ending the headers was seen */
};

/* Feeds one line (its CR LF or LF included, or not) of a request. The
 * first call must pass the request line. Returns SPAMD_EX_OK or an error
 * status with a reason in why (e.g. SPAMD_EX_PROTOCOL "bad header line",
 * SPAMD_EX_USAGE "compression is not supported"). Never reads past n. */
int spamd_req_line(struct spamd_req *r, const char *line, size_t n, char *why, size_t wn);

const char *spamd_method_name(enum spamd_method m);

/* What one result means for a spamd client. unchecked: the reason
 * (a LIMIT_* id, or "error") when nise could not vouch for the mail. */
struct spamd_verdict {
	bool spam;
	double score;
	const char *unchecked;
};

/* r may be NULL when the scan failed (then unchecked = "error"). */
void spamd_map(struct spamd_verdict *out, const struct nise_result *r, const char *limit_id);

#endif
