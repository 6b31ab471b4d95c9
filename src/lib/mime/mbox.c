/* SPDX-License-Identifier: MIT */
/*
 * mbox.c — splitting an mbox (RFC 4155) into messages.
 *
 * A message starts at a line "From " at the start of the buffer or after a
 * blank line... in theory. In practice mboxo writers do not guarantee the
 * blank line, so any line beginning "From " followed by something that
 * looks like an address/date is a separator, as mutt and Thunderbird
 * treat it. ">From " quoting (mboxrd) is undone in a copy only when
 * present, so the common case costs no copy.
 */
#include "nise/nise.h"

#include <stdlib.h>
#include <string.h>

/* "From " + a token that is not a header's colon: "From  : x" and
 * "From: x" are header fields (RFC 5322 §4.5.1 allows space before the
 * colon), "From x@y" or "From x@y Sat Jan ..." is a postmark. */
bool nise_is_mbox(const char *buf, size_t n)
{
	if (n < 6 || memcmp(buf, "From ", 5) != 0)
		return false;
	size_t i = 5;
	while (i < n && buf[i] == ' ')
		i++;
	return i < n && buf[i] != ':' && buf[i] != '\r' && buf[i] != '\n';
}

/* "From " + a token + a space: the postmark line. */
static bool is_separator(const char *p, const char *end)
{
	if (end - p < 7 || memcmp(p, "From ", 5) != 0)
		return false;
	const char *q = p + 5;
	while (q < end && *q != ' ' && *q != '\n')
		q++;
	return q < end && *q == ' ' && q > p + 5;
}

static nise_rc emit(const char *s, const char *e, size_t idx, nise_message_fn fn, void *ctx)
{
	/* drop the postmark line */
	const char *nl = memchr(s, '\n', (size_t)(e - s));
	s = nl ? nl + 1 : e;
	size_t n = (size_t)(e - s);
	/* undo mboxrd quoting if any line starts with ">From " */
	bool quoted = false;
	for (const char *p = s; p < e;) {
		const char *q = p;
		while (q < e && *q == '>')
			q++;
		if (q > p && e - q >= 5 && memcmp(q, "From ", 5) == 0) {
			quoted = true;
			break;
		}
		const char *l = memchr(p, '\n', (size_t)(e - p));
		p = l ? l + 1 : e;
	}
	if (!quoted)
		return fn(s, n, idx, ctx);
	char *copy = malloc(n ? n : 1);
	if (!copy)
		return NISE_ENOMEM;
	size_t w = 0;
	for (const char *p = s; p < e;) {
		const char *l = memchr(p, '\n', (size_t)(e - p));
		const char *le = l ? l + 1 : e;
		const char *q = p;
		while (q < le && *q == '>')
			q++;
		if (q > p && le - q >= 5 && memcmp(q, "From ", 5) == 0)
			p++;
		memcpy(copy + w, p, (size_t)(le - p));
		w += (size_t)(le - p);
		p = le;
	}
	nise_rc rc = fn(copy, w, idx, ctx);
	free(copy);
	return rc;
}

nise_rc nise_mbox_split(const char *buf, size_t n, nise_message_fn fn, void *ctx)
{
	const char *end = buf + n, *start = NULL;
	size_t idx = 0;
	/* the first line of an mbox is its first postmark, whatever its form */
	if (nise_is_mbox(buf, n))
		start = buf;
	for (const char *p = buf; p < end;) {
		if (p != buf && is_separator(p, end)) {
			if (start) {
				nise_rc rc = emit(start, p, idx++, fn, ctx);
				if (rc != NISE_OK)
					return rc;
			}
			start = p;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (start)
		return emit(start, end, idx, fn, ctx);
	return NISE_OK;
}
