/* SPDX-License-Identifier: MIT */
/*
 * input.c — what a front end was given: a mail (a header block), text
 * without headers (what a person copies from the mail's window), or
 * something that is neither (nothing, an image, a PDF, any binary file).
 * The one place that decides, so that `nise check`, nise serve's API and
 * its page agree (docs/api.md "What the body may be").
 *
 * A mail: after optional blank lines, an mbox "From " line, or a header
 * block whose first line is a header field and which names at least one
 * field every mail program writes (From, Subject, Received, ...) before its
 * first line that is neither a field nor a continuation. "Note: call me"
 * as a first line is therefore text, and so is anything starting with
 * Japanese. Neither: empty or white space only; a known binary type by its
 * magic bytes (sniff.c); a NUL byte or more than 1 in 64 control bytes in
 * the first 8 KiB (tab, CR, LF, FF and ESC — ISO-2022-JP — are text).
 * Everything else is text, HTML when sniff.c sees a tag near the start.
 *
 * Reads at most the first 16 KiB; never allocates.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "nise/nise.h"

#define LOOK_BYTES 16384
#define BINARY_BYTES 8192

static const char *const mail_fields[] = {
	"from", "to", "cc", "subject", "date", "received", "message-id", "return-path",
	"mime-version", "content-type", "content-transfer-encoding", "reply-to", "sender",
	"delivered-to", "authentication-results", "dkim-signature", "arc-seal", "x-mailer",
	"x-original-to", "list-id", "in-reply-to", "references", "envelope-to",
};

/* The length of the field name at p (printable ASCII but ':', RFC 5322
 * 3.6.8) when a colon follows it (optionally after spaces); 0 otherwise. */
static size_t field_name(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && n < 77 && p[n] > ' ' && p[n] < 0x7f && p[n] != ':')
		n++;
	if (n == 0 || n >= 77)
		return 0;
	const char *q = p + n;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	return q < end && *q == ':' ? n : 0;
}

static bool known_field(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(mail_fields) / sizeof(mail_fields[0]); i++)
		if (strlen(mail_fields[i]) == n && strncasecmp(p, mail_fields[i], n) == 0)
			return true;
	return false;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl + 1 : end;
}

static bool blank_line(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != '\r' && *p != '\n' && *p != ' ' && *p != '\t')
			return false;
	return true;
}

size_t nise_input_skip_blank(const char *buf, size_t n)
{
	if (!n)
		return 0; /* buf may be NULL (an empty request body) */
	const char *p = buf, *end = buf + n;
	while (p < end) {
		const char *e = line_end(p, end);
		if (!blank_line(p, e) || e == end)
			break;
		p = e;
	}
	return (size_t)(p - buf);
}

static size_t count_ctl(const unsigned char *p, size_t n, bool *nul)
{
	size_t ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == 0)
			*nul = true;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f)
			ctl++;
	}
	return ctl;
}

/* Eight bytes at a time: only a word holding a byte below 0x20 or a DEL
 * (exact tests, "hasless"/"hasvalue" on the word) is looked at byte by
 * byte; most words of text hold neither (this ran on every input and cost
 * more than the rest of the classification). */
static bool looks_binary(const unsigned char *p, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
	size_t lim = n < BINARY_BYTES ? n : BINARY_BYTES, ctl = 0, i = 0;
	bool nul = false;
	for (; i + 8 <= lim; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t del = w ^ (ones * 0x7f);
		if (((w - ones * 0x20) & ~w & high) || ((del - ones) & ~del & high))
			ctl += count_ctl(p + i, 8, &nul);
	}
	ctl += count_ctl(p + i, lim - i, &nul);
	return nul || ctl * 64 > lim;
}

static bool has_headers(const char *p, const char *end)
{
	if (end - p >= 5 && memcmp(p, "From ", 5) == 0) /* mbox: its From_ line, then a mail */
		p = line_end(p, end);
	bool known = false;
	for (unsigned lines = 0; p < end && lines < 256; lines++) {
		const char *e = line_end(p, end);
		if (blank_line(p, e))
			break;
		size_t nl = field_name(p, e);
		if (nl)
			known = known || known_field(p, nl);
		else if (lines == 0 || (*p != ' ' && *p != '\t'))
			return lines > 0 && known;
		p = e;
	}
	return known;
}

enum nise_input nise_input_classify(const char *buf, size_t n, const char **type)
{
	const char *t = NULL;
	enum nise_input k;
	size_t skip = nise_input_skip_blank(buf, n);
	size_t left = n - skip;
	const char *p = left ? buf + skip : buf; /* no arithmetic on a NULL buf */
	if (left == 0 || blank_line(p, p + left)) {
		k = NISE_INPUT_EMPTY;
	} else if ((t = nise_sniff_type((const unsigned char *)buf, n)) != NULL && strcmp(t, "text/html") != 0) {
		k = NISE_INPUT_OTHER;
	} else if (looks_binary((const unsigned char *)buf, n)) {
		k = NISE_INPUT_OTHER;
		t = "application/octet-stream";
	} else if (has_headers(p, p + (left < LOOK_BYTES ? left : LOOK_BYTES))) {
		k = NISE_INPUT_MAIL;
		t = "message/rfc822";
	} else {
		k = NISE_INPUT_TEXT;
		if (!t)
			t = "text/plain";
	}
	if (type)
		*type = k == NISE_INPUT_EMPTY ? "" : t;
	return k;
}

const char *nise_input_name(enum nise_input k)
{
	switch (k) {
	case NISE_INPUT_MAIL:
		return "mail";
	case NISE_INPUT_TEXT:
		return "text";
	case NISE_INPUT_EMPTY:
		return "empty";
	case NISE_INPUT_OTHER:
		return "other";
	}
	return "other";
}
