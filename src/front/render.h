/* SPDX-License-Identifier: MIT */
/*
 * render.h — the headers nise adds to a judged mail (X-Nise-Verdict,
 * X-Nise-Findings, X-Nise-Reason, a tagged Subject) and the stdin→stdout
 * rewrite of `nise filter`. Shared by the milter, the filter and spamd so
 * all write the same headers.
 */
#ifndef NISE_FRONT_RENDER_H
#define NISE_FRONT_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "front.h"
#include "nise/nise.h"

#define RENDER_VERDICT_HDR "X-Nise-Verdict"
#define RENDER_FINDINGS_HDR "X-Nise-Findings"
#define RENDER_REASON_HDR "X-Nise-Reason"

/* "phishing score=22.7" (always fits in 64 bytes). */
void render_verdict(char *out, size_t n, const struct nise_result *r);

/* Whether finding i is listed (X-Nise-Findings, spamd's symbols): each
 * id once, and MODEL_* only when the learned model changed the verdict
 * of the checks (a clean mail does not carry MODEL_PHISHING). */
bool render_finding_shown(const struct nise_result *r, size_t i);

/* "ID1 ID2 ..." (render_finding_shown) in lines of at most 78 columns
 * after "X-Nise-Findings: ", folded with fold ("\n\t" for milters,
 * "\r\n\t" or "\n\t" in a file); malloc'd, NULL when there are no
 * findings or no memory. */
char *render_findings(const struct nise_result *r, const char *fold);

/* True for a header name nise writes itself: incoming copies are
 * forgeries and are removed. */
bool render_is_own_header(const char *name, size_t n);

/* The mail could not be judged whole: the first LIMIT_* anomaly of a
 * partial result that is not already phishing ("unchecked reason=..."),
 * else NULL. Decided before the verdict's own action: a suspicious mail
 * a limit cut takes on_limit, not on_suspicious. One rule for the
 * milter, spamd, imap and nise filter. */
const char *render_unchecked_limit(const struct nise_result *r);

/* The one sentence of X-Nise-Reason in lang (UTF-8, no line end): the
 * explanation of the heaviest listed finding for phishing and suspicious
 * mail (controls shown as marks), else a sentence for clean or unchecked
 * mail. Static or in r's arena. */
const char *render_reason_text(const struct nise_result *r, enum cli_lang lang);

/* text as an unstructured header value that starts at column col (the
 * length of "Name: "), lines at most 78 columns, folded with fold ("\n "
 * for milters, "\r\n " or "\n " in a file): as it is when it is plain
 * printable ASCII that folds at its spaces and holds no "=?", else as
 * RFC 2047 "=?UTF-8?B?...?=" words that never split a character.
 * Controls become spaces. malloc'd; NULL when out of memory. */
char *render_header_text(const char *text, size_t col, const char *fold);

/* The value of X-Nise-Reason (render_reason_text, render_header_text). */
char *render_reason(const struct nise_result *r, enum cli_lang lang, const char *fold);

/* The value of a Subject tagged with tag (raw: the mail's Subject as
 * written, NULL when none; decoded: the scan's decoded subject). When
 * tag and raw are printable ASCII: "tag raw". A non-ASCII tag becomes
 * an encoded word before an ASCII raw; when raw holds 8-bit bytes the
 * whole subject is encoded again from decoded, so that raw 8-bit never
 * stands next to encoded words. Leading white space of raw is dropped;
 * folded like render_header_text. malloc'd; NULL when out of memory. */
char *render_subject(const char *tag, const char *raw, const char *decoded, const char *fold);

/* The fields nise adds to a mail, each "Name: value" (malloc'd) in
 * out[0..return): X-Nise-Verdict ("unchecked reason=UNCHECKED" when
 * unchecked is not NULL, else render_unchecked_limit's, else the
 * verdict), X-Nise-Findings (for a verdict), and X-Nise-Reason when
 * reason and r is not NULL (r may be NULL only with unchecked). Folded
 * with eol ("\r\n" or "\n"). 0 when out of memory (nothing to free). */
size_t render_fields(char *out[3], const struct nise_result *r, const char *unchecked, bool reason,
                     enum cli_lang lang, const char *eol);
/* Frees what render_fields gave. */
void render_fields_free(char *out[3], size_t n);

/* The raw value of the mail's first Subject field (folds included,
 * without the last line end, leading white space kept), malloc'd; NULL
 * when there is none or no memory (*oom tells). The header block is read
 * as the scan reads it. */
char *render_raw_subject(const char *msg, size_t n, bool *oom);

typedef bool (*render_write_fn)(const char *p, size_t n, void *ctx);

/* Writes msg with hdrs (complete "Name: value" fields, no line end)
 * prepended and every incoming header render_is_own_header() names
 * (with its continuation lines) left out; the rest byte for byte. The
 * line end of the added fields follows the message's first line (CRLF
 * or LF). Returns false when fn does. */
bool render_filter(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                   render_write_fn fn, void *ctx);
/* The same, also leaving out the first Subject field (with its
 * continuation lines) when drop_subject: hdrs then carries the new one. */
bool render_filter_subject(const char *msg, size_t n, const char *const *hdrs, size_t nh,
                           bool drop_subject, render_write_fn fn, void *ctx);

#endif
