/* SPDX-License-Identifier: MIT */
/*
 * charset.c — charset conversion through glibc iconv, and charset guessing.
 *
 * Conversion is strict: an undecodable byte becomes U+FFFD and is counted.
 * The declared charset is trusted when it decodes with no error; otherwise
 * (or when nothing is declared) each candidate of a short list is tried and
 * scored: a decoding error costs far more than anything else earns, kana
 * and common CJK earn, and rare code points (private use, C1 controls,
 * half-width katakana runs that come from mis-decoded EUC) cost. This is
 * what a Japanese reader's mail program does implicitly, and it resolves
 * the common cases: unlabelled Shift_JIS, EUC-JP labelled as ISO-8859-1,
 * UTF-8 labelled as Shift_JIS. Labels are mapped to their supersets first.
 *
 * iconv descriptors are opened per call: they are cheap next to a mail, and
 * caching them would need per-thread state. Deliberately not done: ICU's
 * statistical detector, which is unreliable on the short strings of headers.
 */
#include "charset.h"

#include <errno.h>
#include <limits.h>
#include <iconv.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct alias {
	const char *label;
	const char *iconv_name;
};

/* Labels (lowercase) to the decoder a mail reader really uses. */
static const struct alias aliases[] = {
	{"utf-8", "UTF-8"}, {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"},
	{"us-ascii", "UTF-8"}, {"ascii", "UTF-8"}, {"ansi_x3.4-1968", "UTF-8"},
	{"iso-2022-jp", "ISO-2022-JP-3"}, {"iso-2022-jp-2", "ISO-2022-JP-2"},
	{"iso-2022-jp-3", "ISO-2022-JP-3"}, {"csiso2022jp", "ISO-2022-JP-3"},
	{"shift_jis", "CP932"}, {"shift-jis", "CP932"}, {"sjis", "CP932"},
	{"x-sjis", "CP932"}, {"ms_kanji", "CP932"}, {"csshiftjis", "CP932"},
	{"windows-31j", "CP932"}, {"cp932", "CP932"}, {"x-ms-cp932", "CP932"},
	{"shift_jisx0213", "CP932"},
	{"euc-jp", "EUC-JP-MS"}, {"x-euc-jp", "EUC-JP-MS"}, {"eucjp", "EUC-JP-MS"},
	{"cseucpkdfmtjapanese", "EUC-JP-MS"},
	{"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"x-gbk", "GB18030"},
	{"gb18030", "GB18030"}, {"euc-cn", "GB18030"}, {"cp936", "GB18030"},
	{"csgb2312", "GB18030"}, {"chinese", "GB18030"}, {"hz-gb-2312", "GB18030"},
	{"big5", "BIG5-HKSCS"}, {"big5-hkscs", "BIG5-HKSCS"}, {"x-big5", "BIG5-HKSCS"},
	{"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"}, {"cp949", "CP949"},
	{"iso-2022-kr", "ISO-2022-KR"},
	{"iso-8859-1", "CP1252"}, {"latin1", "CP1252"}, {"iso8859-1", "CP1252"},
	{"windows-1252", "CP1252"}, {"cp1252", "CP1252"},
	{"iso-8859-2", "ISO-8859-2"}, {"iso-8859-3", "ISO-8859-3"},
	{"iso-8859-4", "ISO-8859-4"}, {"iso-8859-5", "ISO-8859-5"},
	{"iso-8859-6", "ISO-8859-6"}, {"iso-8859-7", "ISO-8859-7"},
	{"iso-8859-8", "ISO-8859-8"}, {"iso-8859-8-i", "ISO-8859-8"},
	{"iso-8859-9", "CP1254"}, {"iso-8859-10", "ISO-8859-10"},
	{"iso-8859-11", "CP874"}, {"iso-8859-13", "ISO-8859-13"},
	{"iso-8859-14", "ISO-8859-14"}, {"iso-8859-15", "ISO-8859-15"},
	{"iso-8859-16", "ISO-8859-16"},
	{"windows-1250", "CP1250"}, {"windows-1251", "CP1251"},
	{"windows-1253", "CP1253"}, {"windows-1254", "CP1254"},
	{"windows-1255", "CP1255"}, {"windows-1256", "CP1256"},
	{"windows-1257", "CP1257"}, {"windows-1258", "CP1258"},
	{"koi8-r", "KOI8-R"}, {"koi8-u", "KOI8-U"}, {"tis-620", "CP874"},
	{"windows-874", "CP874"}, {"utf-16", "UTF-16"}, {"utf-16le", "UTF-16LE"},
	{"utf-16be", "UTF-16BE"}, {"utf-7", "UTF-7"},
};

static const char *canonical(const char *label)
{
	if (!label || !*label)
		return NULL;
	char low[48];
	size_t i = 0;
	for (; label[i] && i < sizeof(low) - 1; i++) {
		char c = label[i];
		low[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	low[i] = '\0';
	/* "x-user-defined", quoted labels etc. are not charsets we know */
	for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
		if (strcmp(low, aliases[k].label) == 0)
			return aliases[k].iconv_name;
	return NULL;
}

unsigned nise_utf8_decode_mb(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	*len = 1;
	if (u[0] < 0x80)
		return u[0];
	unsigned need, cp, min;
	if ((u[0] & 0xE0) == 0xC0) {
		need = 1; cp = u[0] & 0x1F; min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		need = 2; cp = u[0] & 0x0F; min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		need = 3; cp = u[0] & 0x07; min = 0x10000;
	} else {
		return 0xFFFD;
	}
	if (n <= need)
		return 0xFFFD;
	for (unsigned i = 1; i <= need; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*len = need + 1;
	return cp;
}

size_t nise_ascii_span(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

bool nise_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		i += nise_ascii_span(s + i, n - i);
		if (i >= n)
			break;
		size_t len;
		if (nise_utf8_decode(s + i, n - i, &len) == 0xFFFD && len == 1)
			return false;
		i += len;
	}
	return true;
}

bool nise_utf8_sanitize(struct nise_buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		i += nise_ascii_span(s + i, n - i);
		if (i >= n)
			break;
		size_t len;
		unsigned cp = nise_utf8_decode(s + i, n - i, &len);
		if (cp == 0xFFFD && len == 1) {
			if (!nise_buf_append(out, s + run, i - run) || !nise_buf_put_utf8(out, 0xFFFD))
				return false;
			i++;
			run = i;
			continue;
		}
		i += len;
	}
	return nise_buf_append(out, s + run, n - run) || n == run;
}

/* iconv descriptors are opened once per thread and charset, not per
 * conversion: glibc loads and unloads a gconv module (dlopen, mmap,
 * munmap) on every iconv_open/iconv_close pair, which cost more than the
 * conversion itself. Each thread keeps a few, reset before each use and
 * closed when the thread ends. */
#define CD_CACHE 8

struct cd_cache {
	char name[CD_CACHE][32];
	iconv_t cd[CD_CACHE];
	unsigned next;
};

static pthread_key_t cd_key;
static pthread_once_t cd_once = PTHREAD_ONCE_INIT;

static void cd_cache_free(void *p)
{
	struct cd_cache *c = p;
	for (unsigned i = 0; i < CD_CACHE; i++)
		if (c->cd[i])
			iconv_close(c->cd[i]);
	free(c);
}

static void cd_key_init(void)
{
	if (pthread_key_create(&cd_key, cd_cache_free) != 0)
		abort();
}

static iconv_t cd_get(const char *cs)
{
	pthread_once(&cd_once, cd_key_init);
	struct cd_cache *c = pthread_getspecific(cd_key);
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c || pthread_setspecific(cd_key, c) != 0) {
			free(c);
			return iconv_open("UTF-8", cs);
		}
	}
	size_t n = strlen(cs);
	if (n < 32) {
		for (unsigned i = 0; i < CD_CACHE; i++) {
			if (c->cd[i] && strcmp(c->name[i], cs) == 0) {
				iconv(c->cd[i], NULL, NULL, NULL, NULL);
				return c->cd[i];
			}
		}
	}
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1 || n >= 32)
		return cd;
	unsigned slot = c->next++ % CD_CACHE;
	if (c->cd[slot])
		iconv_close(c->cd[slot]);
	c->cd[slot] = cd;
	memcpy(c->name[slot], cs, n + 1);
	return cd;
}

/* Releases a descriptor from cd_get (only uncached ones are closed). */
static void cd_put(iconv_t cd)
{
	struct cd_cache *c = pthread_getspecific(cd_key);
	if (c)
		for (unsigned i = 0; i < CD_CACHE; i++)
			if (c->cd[i] == cd)
				return;
	iconv_close(cd);
}

/* ---- single-byte charsets: a table instead of iconv -------------------
 *
 * windows-1252 (which ISO-8859-1 is read as), the other windows and ISO
 * 8859 code pages and KOI8 map each byte to one character, but glibc's
 * iconv costs ~50 instructions a byte for them (a fifth of a pot mail's
 * parse, bench/PROFILE.md). Each charset's table is made once per process
 * from iconv itself, one byte at a time, so the two agree by construction
 * (tests/unit/test_charset.c checks all 256 bytes of each and random
 * text): the UTF-8 form of every byte, or none where iconv refuses it.
 * A charset whose bytes below 0x80 are not ASCII is never tabled. The
 * windows code pages that compose combining marks (1255, 1258) keep iconv. */
static const char *const single_byte[] = {
	"CP1252", "CP1250", "CP1251", "CP1253", "CP1254", "CP1256", "CP1257", "CP874",
	"ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
	"ISO-8859-8", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "ISO-8859-16",
	"KOI8-R", "KOI8-U",
};
#define NSB (sizeof(single_byte) / sizeof(single_byte[0]))

struct sb_table {
	uint8_t len[128];   /* UTF-8 bytes of 0x80 + i; 0: undecodable */
	char utf8[128][4];
};

static struct sb_table *sb_tables[NSB];
static _Atomic int sb_state[NSB]; /* 0 not made, 1 ready, 2 not usable */
static pthread_mutex_t sb_lock = PTHREAD_MUTEX_INITIALIZER;

static bool sb_make(struct sb_table *t, const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return false;
	bool ok = true;
	for (int b = 0; b < 256 && ok; b++) {
		char in = (char)b, outb[8];
		char *ip = &in, *op = outb;
		size_t il = 1, ol = sizeof(outb);
		iconv(cd, NULL, NULL, NULL, NULL);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		size_t got = (size_t)(op - outb);
		if (b < 0x80) {
			ok = r != (size_t)-1 && got == 1 && outb[0] == (char)b;
			continue;
		}
		if (r == (size_t)-1 || il != 0) {
			t->len[b - 0x80] = 0;
		} else if (got >= 1 && got <= 4) {
			t->len[b - 0x80] = (uint8_t)got;
			memcpy(t->utf8[b - 0x80], outb, got);
		} else {
			ok = false;
		}
	}
	iconv_close(cd);
	return ok;
}

static const struct sb_table *sb_get(const char *cs)
{
	size_t k = 0;
	while (k < NSB && strcmp(single_byte[k], cs) != 0)
		k++;
	if (k == NSB)
		return NULL;
	int st = atomic_load_explicit(&sb_state[k], memory_order_acquire);
	if (st == 0) {
		pthread_mutex_lock(&sb_lock);
		st = atomic_load_explicit(&sb_state[k], memory_order_relaxed);
		if (st == 0) {
			struct sb_table *t = calloc(1, sizeof(*t));
			if (t && sb_make(t, cs)) {
				sb_tables[k] = t;
				st = 1;
			} else {
				free(t);
				st = 2;
			}
			atomic_store_explicit(&sb_state[k], st, memory_order_release);
		}
		pthread_mutex_unlock(&sb_lock);
	}
	return st == 1 ? sb_tables[k] : NULL;
}

/* nise_charset_convert() through a table: what iconv gives, undecodable bytes as
 * U+FFFD counted in the return value; -1 on arena exhaustion. */
static long sb_convert(struct nise_buf *out, const char *in, size_t n, const struct sb_table *t)
{
	long bad = 0;
	for (size_t i = 0; i < n;) {
		size_t a = nise_ascii_span(in + i, n - i);
		if (a && !nise_buf_append(out, in + i, a))
			return out->truncated ? bad : -1;
		i += a;
		if (i >= n)
			break;
		unsigned c = (unsigned char)in[i++] - 0x80u;
		bool ok;
		if (t->len[c]) {
			ok = nise_buf_append(out, t->utf8[c], t->len[c]);
		} else {
			bad++;
			ok = nise_buf_put_utf8(out, 0xFFFD);
		}
		if (!ok)
			return out->truncated ? bad : -1;
	}
	return bad;
}

/* Converts with iconv; returns the number of undecodable bytes, or -1 on
 * an unknown charset or arena exhaustion. */
long nise_charset_convert(struct nise_buf *out, const char *in, size_t n, const char *cs)
{
	if (strcmp(cs, "UTF-8") == 0) {
		size_t before = out->n;
		long bad = 0;
		if (!nise_utf8_valid(in, n)) {
			for (size_t i = 0; i < n;) {
				size_t len;
				if (nise_utf8_decode(in + i, n - i, &len) == 0xFFFD && len == 1 &&
				    (unsigned char)in[i] >= 0x80)
					bad++;
				i += len;
			}
		}
		if (!nise_utf8_sanitize(out, in, n) && out->n == before && n)
			return -1;
		return bad;
	}
	const struct sb_table *sb = sb_get(cs);
	if (sb)
		return sb_convert(out, in, n, sb);
	iconv_t cd = cd_get(cs);
	if (cd == (iconv_t)-1)
		return -1;
	long bad = 0;
	char tmp[4096];
	char *ip = (char *)(uintptr_t)in; /* iconv's prototype is not const-correct */
	size_t il = n;
	while (il > 0) {
		char *op = tmp;
		size_t ol = sizeof(tmp);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int err = r == (size_t)-1 ? errno : 0;
		if (op > tmp && !nise_buf_append(out, tmp, (size_t)(op - tmp))) {
			if (out->truncated)
				break;
			cd_put(cd);
			return -1;
		}
		if (err == E2BIG)
			continue;
		if (err == EILSEQ || err == EINVAL) {
			/* skip one byte, mark it, and reset the shift state */
			bad++;
			ip++;
			il--;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (!nise_buf_put_utf8(out, 0xFFFD) && !out->truncated) {
				cd_put(cd);
				return -1;
			}
			continue;
		}
		if (err)
			break;
	}
	/* flush the shift state (ISO-2022-*) */
	char *op = tmp;
	size_t ol = sizeof(tmp);
	iconv(cd, NULL, NULL, &op, &ol);
	if (op > tmp)
		nise_buf_append(out, tmp, (size_t)(op - tmp));
	cd_put(cd);
	return bad;
}

/* How plausible a decoding is. Decoding errors dominate; then Japanese and
 * Chinese text earns by its common characters; odd code points cost. */
static long plausibility(const char *s, size_t n, long bad)
{
	long score = -bad * 100;
	for (size_t i = 0; i < n;) {
		size_t len;
		unsigned cp = nise_utf8_decode(s + i, n - i, &len);
		i += len;
		if (cp >= 0x3040 && cp <= 0x30FF)
			score += 3; /* kana */
		else if (cp >= 0x4E00 && cp <= 0x9FFF)
			score += 1;
		else if (cp == 0x3001 || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F)
			score += 2;
		else if (cp >= 0xFF61 && cp <= 0xFF9F)
			score -= 2; /* half-width katakana: typical of mis-decoding */
		else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFFFD)
			score -= 5;
		else if ((cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x192 ||
		         (cp >= 0x2C6 && cp <= 0x2DC))
			score -= 1; /* Latin-1 punctuation soup: typical of CJK read as CP1252 */
		else if (cp >= 0x3400 && cp <= 0x4DBF)
			score -= 2; /* CJK extension A: rare in real text */
		else if (cp >= 0xAC00 && cp <= 0xD7AF)
			score += 0; /* hangul */
	}
	return score;
}

static bool has_8bit(const char *s, size_t n)
{
	return nise_ascii_span(s, n) < n;
}

static bool has_iso2022_escape(const char *s, size_t n)
{
	for (const char *p = s, *end = s + n; (p = memchr(p, 0x1B, (size_t)(end - p))) != NULL; p++)
		if (end - p > 2 && (p[1] == '$' || (p[1] == '(' && p[2] == 'J')))
			return true;
	return false;
}

const char *nise_charset_to_utf8(struct nise_buf *out, const char *in, size_t n,
                                 const char *declared, bool *guessed)
{
	const char *cs = canonical(declared);
	*guessed = false;
	if (n == 0)
		return cs ? cs : "UTF-8";
	/* Plain ASCII without escapes decodes the same under any label. */
	if (!has_8bit(in, n) && !has_iso2022_escape(in, n) && (!cs || strncmp(cs, "UTF-16", 6) != 0) &&
	    (!cs || strcmp(cs, "UTF-7") != 0)) {
		if (!nise_buf_append(out, in, n) && n)
			return NULL;
		return cs ? cs : "UTF-8";
	}
	size_t mark = out->n;
	/* Labels that lie: list software relays Japanese mail whose
	 * ISO-2022-JP bytes (7-bit, with ESC $ B ... ESC ( B) carry a
	 * single-byte or UTF-8 label. A mail program shows Japanese. */
	if (cs && !has_8bit(in, n) && has_iso2022_escape(in, n) && strncmp(cs, "ISO-2022", 8) != 0 &&
	    strncmp(cs, "UTF-16", 6) != 0 && strncmp(cs, "UTF-32", 6) != 0 && strcmp(cs, "UTF-7") != 0) {
		long bad = nise_charset_convert(out, in, n, "ISO-2022-JP-3");
		if (bad >= 0 && (size_t)bad <= n / 256) {
			*guessed = true;
			return "ISO-2022-JP-3";
		}
		out->n = mark;
		if (out->p)
			out->p[mark] = '\0';
		out->truncated = false;
	}
	if (cs) {
		long bad = nise_charset_convert(out, in, n, cs);
		/* A stray bad byte in a long text does not make the label wrong. */
		if (bad >= 0 && (size_t)bad <= n / 256)
			return cs;
		out->n = mark;
		if (out->p)
			out->p[mark] = '\0';
		out->truncated = false;
	}
	/* Guess. ISO-2022-JP is recognised by its escapes alone. */
	static const char *const candidates[] = {"UTF-8", "CP932", "EUC-JP-MS", "GB18030",
	                                         "CP1252"};
	const char *best = NULL;
	long best_score = 0;
	if (has_iso2022_escape(in, n)) {
		best = "ISO-2022-JP-3";
	} else {
		for (size_t k = 0; k < sizeof(candidates) / sizeof(candidates[0]); k++) {
			long bad = nise_charset_convert(out, in, n, candidates[k]);
			if (bad < 0)
				continue;
			long score = plausibility(out->p + mark, out->n - mark, bad);
			/* UTF-8 that validates is almost never an accident */
			if (k == 0 && bad == 0)
				score += 1000000;
			if (!best || score > best_score) {
				best = candidates[k];
				best_score = score;
			}
			/* No decoding scores more than 3 per input byte (a code point
			 * per byte at most, 3 the most one earns): a UTF-8 reading
			 * that reaches that cannot be beaten, and the other four
			 * conversions (EUC-JP-MS's alone was 5 % of a pot mail's
			 * instructions) would only confirm it. */
			if (k == 0 && bad == 0 && n <= (size_t)(LONG_MAX / 4) && score >= 3 * (long)n) {
				/* out holds what the conversion below would give */
				*guessed = !cs || strcmp(best, cs) != 0;
				return best;
			}
			out->n = mark;
			if (out->p)
				out->p[mark] = '\0';
			out->truncated = false;
		}
	}
	if (!best)
		best = "CP1252";
	*guessed = !cs || strcmp(best, cs) != 0;
	if (nise_charset_convert(out, in, n, best) < 0)
		return NULL;
	return best;
}
