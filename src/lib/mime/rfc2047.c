/* SPDX-License-Identifier: MIT */
/*
 * rfc2047.c — decoding of header values (RFC 5322 §2.2.3 unfolding, RFC 2047
 * encoded-words, RFC 2231 language suffixes in encoded-word charsets).
 *
 * The key rule, and the reason this is not GMime's decoder: the decoded
 * bytes of adjacent encoded-words with the same charset are joined *before*
 * charset conversion. Real mail splits a multi-byte character (or an
 * ISO-2022-JP escape sequence) across two encoded-words, on purpose or by
 * naive folding; converting word by word loses it (GMime 3.2.13 drops the
 * rest of such a subject). Whitespace between adjacent encoded-words is
 * ignored (RFC 2047 §6.2). Encoded-words are also recognised where RFC 2047
 * forbids them (inside quoted strings, glued to text) because mail readers
 * decode them there and so the reader sees them decoded.
 *
 * Unencoded 8-bit runs are decoded by guessing their charset
 * (nise_charset_to_utf8 with no label) — unlabelled Shift_JIS and UTF-8
 * headers are common in Japanese spam.
 *
 * Invalid base64 decodes as far as it can; invalid Q escapes pass through.
 */
#include "rfc2047.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/chars.h"
#include "text/charset.h"

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Appends decoded bytes of one encoded-word's text. */
static bool decode_word(struct nise_buf *bytes, char enc, const char *t, size_t n, unsigned *flags)
{
	if (enc == 'B' || enc == 'b') {
		unsigned acc = 0;
		int bits = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)t[i];
			if (c == '=')
				break;
			int v = b64val(c);
			if (v < 0) {
				*flags |= NISE_HDR_BAD_ENCODING;
				continue;
			}
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (!nise_buf_putc(bytes, (char)((acc >> bits) & 0xFF)))
					return false;
			}
		}
		if (bits >= 6)
			*flags |= NISE_HDR_BAD_ENCODING; /* a dangling sextet */
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '_') {
			c = ' ';
		} else if (c == '=' && i + 2 < n + 0 && nise_hexval((unsigned char)t[i + 1]) >= 0 &&
		           nise_hexval((unsigned char)t[i + 2]) >= 0) {
			c = (unsigned char)(nise_hexval((unsigned char)t[i + 1]) * 16 + nise_hexval((unsigned char)t[i + 2]));
			i += 2;
		} else if (c == '=') {
			*flags |= NISE_HDR_BAD_ENCODING;
		}
		if (!nise_buf_putc(bytes, (char)c))
			return false;
	}
	return true;
}

/* Recognises "=?charset?e?text?=" at s; fills the parts and returns its
 * length, or 0. The text may not contain "?=" (it ends the word) nor
 * whitespace (then it is not an encoded-word). */
static size_t match_word(const char *s, size_t n, const char **cs, size_t *csn, char *enc,
                         const char **text, size_t *textn)
{
	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	size_t i = 2;
	while (i < n && s[i] != '?' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' &&
	       i < 80)
		i++;
	if (i >= n || s[i] != '?' || i == 2)
		return 0;
	*cs = s + 2;
	*csn = i - 2;
	if (i + 2 >= n || s[i + 2] != '?')
		return 0;
	*enc = s[i + 1];
	if (*enc != 'B' && *enc != 'b' && *enc != 'Q' && *enc != 'q')
		return 0;
	size_t start = i + 3;
	for (size_t j = start; j + 1 < n; j++) {
		if (s[j] == '?' && s[j + 1] == '=') {
			*text = s + start;
			*textn = j - start;
			return j + 2;
		}
		if (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
			/* Some mailers put spaces inside Q words; tolerate them up
			 * to a "?=" on the same line. */
			if (*enc != 'Q' && *enc != 'q')
				return 0;
			if (s[j] == '\r' || s[j] == '\n')
				return 0;
		}
	}
	return 0;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Converts pending bytes in cs to UTF-8 into out. */
static bool flush(struct nise_buf *out, struct nise_buf *pending, const char *cs, unsigned *flags)
{
	if (pending->n == 0)
		return true;
	bool guessed = false;
	const char *used = nise_charset_to_utf8(out, pending->p, pending->n, cs, &guessed);
	if (!used)
		return false;
	if (guessed)
		*flags |= cs ? NISE_HDR_CHARSET_GUESSED : 0;
	pending->n = 0;
	return true;
}

/* Appends decoded text with control characters folded into single spaces
 * and runs of whitespace collapsed (a reader sees one space). */
static bool append_clean(struct nise_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c != 0x7F) {
			/* a run of visible characters in one append */
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] > 0x20 && s[j] != 0x7F)
				j++;
			if (!nise_buf_append(out, s + i, j - i))
				return false;
			i = j - 1;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			if (out->n && out->p[out->n - 1] != ' ')
				if (!nise_buf_putc(out, ' '))
					return false;
			continue;
		}
		if (c == ' ' && out->n && out->p[out->n - 1] == ' ')
			continue;
		if (c == ' ' && out->n == 0)
			continue;
		if (!nise_buf_putc(out, (char)c))
			return false;
	}
	return true;
}

/* Does s hold a byte that needs more than append_clean: 8-bit, ESC (an
 * ISO-2022-JP escape), or the start of an encoded-word? */
static bool not_plain(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c >= 0x80 || c == 0x1B || (c == '=' && k + 1 < n && s[k + 1] == '?'))
			return true;
	}
	return false;
}

/* append_clean of a value that turns out to be plain: 1 when all of it
 * was appended, 0 at the first byte that is not plain (nothing decided
 * yet: the caller undoes what was appended), -1 when an append failed
 * (*done: how far it got). Visible bytes and single spaces that follow
 * one are copied as they stand, a span at a time (a header of 10 KB is a
 * few appends, not one per word); a control character or a space after a
 * space ends the span. */
static int append_plain(struct nise_buf *out, const char *s, size_t n, size_t *done)
{
	bool last_space = out->n == 0 || out->p[out->n - 1] == ' ';
	size_t st = 0, i = 0;
	int r = 1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7F) {
			if (c == '=' && i + 1 < n && s[i + 1] == '?') {
				r = 0;
				break;
			}
			last_space = false;
			i++;
			continue;
		}
		if (c == ' ' && !last_space) {
			last_space = true;
			i++;
			continue;
		}
		if (c >= 0x80 || c == 0x1B) {
			r = 0;
			break;
		}
		/* a control character (one space unless one was just written),
		 * or a space after a space (dropped): the span ends here */
		if (i > st && !nise_buf_append(out, s + st, i - st)) {
			*done = st;
			return -1;
		}
		if (!last_space && c != ' ') {
			if (!nise_buf_putc(out, ' ')) {
				*done = i;
				return -1;
			}
			last_space = true;
		}
		st = ++i;
	}
	if (i > st && !nise_buf_append(out, s + st, i - st)) {
		*done = st;
		return -1;
	}
	return r;
}

bool nise_rfc2047_decode(struct nise_buf *out, const char *raw, size_t n, unsigned *flagsp)
{
	unsigned dummy = 0;
	unsigned *flags = flagsp ? flagsp : &dummy;
	/* Most values are plain ASCII with no encoded-word: cleaned and
	 * copied in the same pass that looks for anything to decode (pot
	 * mails carry 10 KB of headers, all decoded); the first such byte
	 * undoes the copy and takes the full path below. */
	{
		size_t start = out->n;
		bool was_truncated = out->truncated;
		size_t done = 0;
		int r = append_plain(out, raw, n, &done);
		if (r < 0) /* an append failed: plain values end as append_clean's did */
			r = not_plain(raw + done, n - done) ? 0 : out->truncated ? 1 : -1;
		if (r < 0)
			return false;
		if (r > 0) {
			while (out->n > start && out->p[out->n - 1] == ' ')
				out->n--;
			if (out->p)
				out->p[out->n] = '\0';
			return true;
		}
		out->n = start;
		out->truncated = was_truncated;
		if (out->p)
			out->p[out->n] = '\0';
	}
	struct nise_arena *a = out->a;
	struct nise_buf utf8, pending;
	nise_buf_init(&utf8, a, out->max ? out->max * 2 + 64 : 0);
	nise_buf_init(&pending, a, out->max ? out->max * 4 + 64 : 0);
	char pending_cs[64] = "";
	bool pending_raw = false; /* pending holds unencoded bytes */
	bool last_was_word = false;
	size_t i = 0;

	/* the encoded-word the whitespace test below found ahead, kept for
	 * the next turn (each word was matched twice) */
	size_t ahead_at = SIZE_MAX, ahead_wl = 0, ahead_csn = 0, ahead_textn = 0;
	const char *ahead_cs = NULL, *ahead_text = NULL;
	char ahead_enc = 0;
	while (i < n) {
		const char *cs, *text;
		size_t csn, textn;
		char enc;
		size_t wl;
		if (i == ahead_at) {
			wl = ahead_wl, cs = ahead_cs, csn = ahead_csn, enc = ahead_enc, text = ahead_text,
			textn = ahead_textn;
		} else {
			wl = match_word(raw + i, n - i, &cs, &csn, &enc, &text, &textn);
		}
		if (wl) {
			/* drop an RFC 2231 language suffix: charset*lang */
			const char *star = memchr(cs, '*', csn);
			if (star)
				csn = (size_t)(star - cs);
			char csbuf[64];
			if (csn >= sizeof(csbuf))
				csn = sizeof(csbuf) - 1;
			memcpy(csbuf, cs, csn);
			csbuf[csn] = '\0';
			if (pending_raw || strcasecmp(csbuf, pending_cs) != 0) {
				if (!flush(&utf8, &pending, pending_raw ? NULL : pending_cs, flags))
					return false;
				memcpy(pending_cs, csbuf, csn + 1);
				pending_raw = false;
			}
			if (!decode_word(&pending, enc, text, textn, flags))
				return false;
			i += wl;
			last_was_word = true;
			continue;
		}
		if (is_ws(raw[i]) && last_was_word) {
			/* whitespace between two encoded-words is not text */
			size_t j = i;
			while (j < n && is_ws(raw[j]))
				j++;
			if (j < n && (ahead_wl = match_word(raw + j, n - j, &ahead_cs, &ahead_csn, &ahead_enc,
			                                   &ahead_text, &ahead_textn)) != 0) {
				ahead_at = i = j;
				continue;
			}
		}
		/* a run of plain text up to the next possible encoded-word */
		size_t j = i + 1;
		while (j < n && !(raw[j] == '=' && j + 1 < n && raw[j + 1] == '?'))
			j++;
		bool eight = false;
		for (size_t k = i; k < j; k++)
			if ((unsigned char)raw[k] >= 0x80)
				eight = true;
		if (!pending_raw || !eight) {
			if (!flush(&utf8, &pending, pending_raw ? NULL : pending_cs, flags))
				return false;
			pending_cs[0] = '\0';
			pending_raw = false;
		}
		if (eight) {
			*flags |= NISE_HDR_RAW_8BIT;
			pending_raw = true;
			if (!nise_buf_append(&pending, raw + i, j - i))
				return false;
		} else if (!nise_buf_append(&utf8, raw + i, j - i) && j > i) {
			if (!utf8.truncated)
				return false;
		}
		last_was_word = false;
		i = j;
	}
	if (!flush(&utf8, &pending, pending_raw ? NULL : pending_cs, flags))
		return false;
	/* trim and clean */
	size_t start = out->n;
	if (!append_clean(out, utf8.p ? utf8.p : "", utf8.n))
		return false;
	while (out->n > start && out->p[out->n - 1] == ' ')
		out->n--;
	if (out->p)
		out->p[out->n] = '\0';
	return true;
}

const char *nise_rfc2047_decode_dup(struct nise_arena *a, const char *raw, size_t n, size_t max,
                                    unsigned *flags)
{
	struct nise_buf b;
	nise_buf_init(&b, a, max);
	if (!nise_rfc2047_decode(&b, raw, n, flags))
		return NULL;
	return b.p ? b.p : "";
}
