/* SPDX-License-Identifier: MIT */
/*
 * fingerprint.c — the campaign fingerprint: a 64-bit simhash (Charikar
 * 2002) of a mail's normalised text and a little of its structure.
 *
 * Why simhash and not TLSH: Debian's libtlsh (3.4.4) is C++ only, needs
 * 50+ bytes and has no index: finding the nearest of 100,000 digests
 * means comparing all of them. A simhash's Hamming distance can be
 * searched sub-linearly by banding (campaign.c), and two copies of one
 * campaign differ in a few bits (docs/intel.md has the measurements).
 *
 * Normalisation, so that what changes between copies of one campaign does
 * not change the fingerprint:
 *   1. subject without leading "[tag]"s + visible text (the first 16 KiB)
 *      up to a mailing-list footer or signature (own_text);
 *   2. ASCII runs with "://", "www." or "@" dropped (links and addresses
 *      are fresh in every copy);
 *   3. folded (text.h: NFKC, case, invisible characters) with all white
 *      space removed, so Japanese and English are handled alike;
 *   4. digits dropped (order numbers, dates, amounts).
 * Features: every distinct 4-code-point shingle, weight 1 (character n-grams work
 * for Japanese, which has no word boundaries). Texts under MIN_SHINGLES
 * distinct shingles get no fingerprint.
 *
 * No structure features: tokens such as "no forms" or "no attachment"
 * are the same for nearly every mail, and any weight that lets them count
 * against hundreds of shingles pulls unrelated mails together (measured:
 * docs/intel.md). The link domains of a campaign are kept in its record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "text/text.h"

#define TEXT_MAX ((size_t)16 << 10)
#ifndef SHINGLE
#define SHINGLE 4
#endif
#define MIN_SHINGLES 24

static uint64_t mix(uint64_t h)
{
	/* splitmix64 finaliser: spreads FNV's weak low bits */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return mix(h);
}

static void add(int32_t v[64], uint64_t h, int32_t w)
{
	for (int b = 0; b < 64; b++)
		v[b] += (h >> b & 1) ? w : -w;
}

static uint64_t collapse(const int32_t v[64])
{
	uint64_t fp = 0;
	for (int b = 0; b < 64; b++)
		if (v[b] > 0)
			fp |= (uint64_t)1 << b;
	return fp;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* The distinct shingles of s (a set: a separator line of 80 '=' is one
 * shingle, not 77 that outvote the text) added to v; returns how many. */
static size_t shingles(int32_t v[64], const char *s, size_t n)
{
	size_t ring[SHINGLE];
	size_t cps = 0, count = 0, i = 0;
	uint64_t *hs = malloc((n + 1) * sizeof(*hs));
	if (!hs)
		return 0;
	while (i < n) {
		size_t cl = utf8_len((unsigned char)s[i]);
		if (i + cl > n)
			break;
		ring[cps % SHINGLE] = i;
		i += cl;
		cps++;
		if (cps >= SHINGLE) {
			size_t from = ring[cps % SHINGLE]; /* the oldest of the last SHINGLE */
			hs[count++] = fnv(s + from, i - from);
		}
	}
	qsort(hs, count, sizeof(*hs), cmp_u64);
	size_t distinct = 0;
	for (size_t k = 0; k < count; k++) {
		if (k && hs[k] == hs[k - 1])
			continue;
		add(v, hs[k], 1);
		distinct++;
	}
	free(hs);
	return distinct;
}

static bool is_run_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* Where the mail's own text ends: at a line of 20+ underscores (the
 * footer mailing-list software appends) or the "-- " signature line. */
static size_t own_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		size_t len = e - i;
		if (len && s[e - 1] == '\r')
			len--;
		size_t u = 0;
		while (u < len && s[i + u] == '_')
			u++;
		if ((u >= 20 && u == len) || (len == 3 && memcmp(s + i, "-- ", 3) == 0))
			return i;
		i = e + 1;
	}
	return n;
}

/* Step 2: the text without ASCII runs that are links or addresses. */
static void drop_links(struct nise_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (!is_run_byte((unsigned char)s[i])) {
			nise_buf_append(out, s + i, 1);
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && is_run_byte((unsigned char)s[j]))
			j++;
		bool drop = memchr(s + i, '@', j - i) != NULL;
		for (size_t k = i; !drop && k + 3 <= j; k++)
			if (memcmp(s + k, "://", 3) == 0 || (k + 4 <= j && (s[k] | 32) == 'w' &&
			                                     (s[k + 1] | 32) == 'w' && (s[k + 2] | 32) == 'w' &&
			                                     s[k + 3] == '.'))
				drop = true;
		if (!drop)
			nise_buf_append(out, s + i, j - i);
		else
			nise_buf_append(out, " ", 1);
		i = j;
	}
}

uint64_t nise_fp_message(const struct nise_textctx *t, struct nise_arena *a,
                         const struct nise_message *m)
{
	struct nise_buf raw, folded;
	nise_buf_init(&raw, a, TEXT_MAX + 1024);
	nise_buf_init(&folded, a, 0);
	const char *subj = m->subject ? m->subject : "";
	for (;;) {
		while (*subj == ' ')
			subj++;
		const char *close = *subj == '[' ? strchr(subj, ']') : NULL;
		if (!close)
			break;
		subj = close + 1; /* "[list-name]", "[SPAM]" */
	}
	drop_links(&raw, subj, strlen(subj));
	nise_buf_append(&raw, "\n", 1);
	size_t vn = m->visible_len < TEXT_MAX ? m->visible_len : TEXT_MAX;
	if (m->visible_text)
		vn = own_text(m->visible_text, vn);
	if (m->visible_text)
		drop_links(&raw, m->visible_text, vn);
	if (!nise_text_fold(t, &folded, raw.p ? raw.p : "", raw.n, true))
		return 0;
	/* step 4: no digits */
	size_t w = 0;
	char *f = folded.p;
	for (size_t i = 0; i < folded.n; i++)
		if (f[i] < '0' || f[i] > '9')
			f[w++] = f[i];
	int32_t v[64] = {0};
	size_t c = shingles(v, f, w);
	if (c < MIN_SHINGLES)
		return 0;
	return collapse(v);
}
