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
 *   1. subject + visible text (the first 16 KiB);
 *   2. ASCII runs with "://", "www." or "@" dropped (links and addresses
 *      are fresh in every copy);
 *   3. folded (text.h: NFKC, case, invisible characters) with all white
 *      space removed, so Japanese and English are handled alike;
 *   4. digits dropped (order numbers, dates, amounts).
 * Features: every 4-code-point shingle, weight 1 (character n-grams work
 * for Japanese, which has no word boundaries); plus structure tokens
 * (link count, forms, attachments, HTML or not), each weighted like 1/32
 * of the text. Texts under MIN_SHINGLES shingles get no fingerprint.
 */
#include <stdio.h>
#include <string.h>

#include "intel/intel.h"
#include "text/text.h"

#define TEXT_MAX ((size_t)16 << 10)
#define SHINGLE 4
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

/* Shingles of s; fills v, returns their count. */
static size_t shingles(int32_t v[64], const char *s, size_t n)
{
	size_t ring[SHINGLE];
	size_t cps = 0, count = 0, i = 0;
	while (i < n) {
		size_t cl = utf8_len((unsigned char)s[i]);
		if (i + cl > n)
			break;
		ring[cps % SHINGLE] = i;
		i += cl;
		cps++;
		if (cps >= SHINGLE) {
			size_t from = ring[cps % SHINGLE]; /* the oldest of the last SHINGLE */
			add(v, fnv(s + from, i - from), 1);
			count++;
		}
	}
	return count;
}

uint64_t nise_fp_text(const char *s, size_t n, size_t *nshingles)
{
	int32_t v[64] = {0};
	size_t c = shingles(v, s, n);
	if (nshingles)
		*nshingles = c;
	return c ? collapse(v) : 0;
}

static bool is_run_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
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
	drop_links(&raw, subj, strlen(subj));
	nise_buf_append(&raw, "\n", 1);
	size_t vn = m->visible_len < TEXT_MAX ? m->visible_len : TEXT_MAX;
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
	int32_t sw = (int32_t)(c / 32) + 1;
	char tok[64];
	size_t nattach = 0, nhtml = 0;
	for (size_t i = 0; i < m->nparts; i++) {
		nattach += m->parts[i].kind == NISE_PART_ATTACHMENT;
		nhtml += m->parts[i].kind == NISE_PART_HTML;
	}
	int tn = snprintf(tok, sizeof(tok), "\001links:%zu", m->nlinks < 8 ? m->nlinks : 8);
	add(v, fnv(tok, (size_t)tn), sw);
	tn = snprintf(tok, sizeof(tok), "\001forms:%zu", m->nforms ? (size_t)1 : (size_t)0);
	add(v, fnv(tok, (size_t)tn), sw);
	tn = snprintf(tok, sizeof(tok), "\001attach:%zu", nattach < 3 ? nattach : 3);
	add(v, fnv(tok, (size_t)tn), sw);
	tn = snprintf(tok, sizeof(tok), "\001html:%d", nhtml ? 1 : 0);
	add(v, fnv(tok, (size_t)tn), sw);
	return collapse(v);
}
