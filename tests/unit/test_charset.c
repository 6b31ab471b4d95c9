/* SPDX-License-Identifier: MIT */
/* Charset conversion and guessing: labels mapped to supersets, wrong and
 * missing labels recovered from the bytes, bad bytes replaced; the tables
 * of the single-byte charsets give what iconv gives, byte for byte. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "t.h"
#include "text/charset.h"

struct tcase {
	const char *in;
	const char *label;
	const char *want;
	const char *used;
	int guessed;
};

static const struct tcase cases[] = {
	/* labelled correctly */
	{"\x83\x41\x83\x7d\x83\x5d\x83\x93", "Shift_JIS", "アマゾン", "CP932", 0},
	{"\x87\x40", "shift_jis", "①", "CP932", 0}, /* NEC extension: CP932, not JIS X 0208 */
	{"\xb3\xda\xc5\xb7\xa5\xab\xa1\xbc\xa5\xc9", "EUC-JP", "楽天カード", "EUC-JP-MS", 0},
	{"\x1b$B$\"$$\x1b(B", "ISO-2022-JP", "あい", "ISO-2022-JP-3", 0},
	{"\xa4\xaa\xbf\xcd\x98\x94", "gb2312", "お客様", "GB18030", 0}, /* 様 is a GBK extension */
	{"caf\xe9 \x80", "iso-8859-1", "café €", "CP1252", 0},
	{"\xe3\x81\x82", "utf-8", "あ", "UTF-8", 0},
	/* no label */
	{"\x83\x41\x83\x7d\x83\x5d\x83\x93\x82\xa9\x82\xe7\x82\xcc\x82\xa8\x92\x6d\x82\xe7\x82\xb9", NULL,
	 "アマゾンからのお知らせ", "CP932", 1},
	{"\xb3\xda\xc5\xb7\xa5\xab\xa1\xbc\xa5\xc9\xa4\xab\xa4\xe9\xa4\xce\xa4\xaa\xc3\xce\xa4\xe9\xa4\xbb",
	 NULL, "楽天カードからのお知らせ", "EUC-JP-MS", 1},
	{"\x1b$B$\"$$\x1b(B", NULL, "あい", "ISO-2022-JP-3", 1},
	{"plain ascii", NULL, "plain ascii", "UTF-8", 0},
	/* wrong label: UTF-8 bytes labelled Shift_JIS */
	{"\xe3\x81\x8a\xe7\x9f\xa5\xe3\x82\x89\xe3\x81\x9b\xe3\x81\xa7\xe3\x81\x99", "Shift_JIS",
	 "お知らせです", "UTF-8", 1},
	/* unknown label: guessed */
	{"\xe3\x81\x82\xe3\x81\x84", "x-unknown", "あい", "UTF-8", 1},
};

/* What charset.c's iconv loop gives: each byte iconv refuses skipped as
 * U+FFFD and counted. */
static long ref_convert(struct nise_buf *out, const char *in, size_t n, const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	T_CHECK(cd != (iconv_t)-1, "iconv_open %s", cs);
	if (cd == (iconv_t)-1)
		return -1;
	long bad = 0;
	char *ip = (char *)(uintptr_t)in;
	size_t il = n;
	while (il > 0) {
		char tmp[256], *op = tmp;
		size_t ol = sizeof(tmp);
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int err = r == (size_t)-1 ? errno : 0;
		nise_buf_append(out, tmp, (size_t)(op - tmp));
		if (err == EILSEQ || err == EINVAL) {
			bad++;
			ip++;
			il--;
			iconv(cd, NULL, NULL, NULL, NULL);
			nise_buf_put_utf8(out, 0xFFFD);
		} else if (err && err != E2BIG) {
			break;
		}
	}
	char tmp[64], *op = tmp; /* what a composing converter still holds */
	size_t ol = sizeof(tmp);
	iconv(cd, NULL, NULL, &op, &ol);
	nise_buf_append(out, tmp, (size_t)(op - tmp));
	iconv_close(cd);
	return bad;
}

static void single_byte_tables(struct nise_arena *a)
{
	static const char *const cs[] = {"CP1252", "CP1250", "CP1251", "CP1253", "CP1254", "CP1256",
	                                 "CP1257", "CP874", "ISO-8859-2", "ISO-8859-5", "ISO-8859-7",
	                                 "ISO-8859-8", "ISO-8859-15", "KOI8-R", "KOI8-U",
	                                 "CP1255", "CP1258"}; /* the last two through iconv */
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	unsigned long long x = 0x9E3779B97F4A7C15ULL;
	for (size_t k = 0; k < sizeof(cs) / sizeof(cs[0]); k++) {
		int same = 0, runs = 0;
		for (int r = 0; r < 201; r++) {
			char buf[300];
			const char *in = all;
			size_t n = 256;
			if (r > 0) { /* random text: ASCII runs and high bytes */
				n = (size_t)(x % 300);
				for (size_t i = 0; i < n; i++) {
					x ^= x << 13, x ^= x >> 7, x ^= x << 17;
					buf[i] = (char)(x % 3 ? 'a' + x % 26 : 0x80 + (x >> 8) % 128);
				}
				in = buf;
			}
			struct nise_buf got, want;
			nise_buf_init(&got, a, 0);
			nise_buf_init(&want, a, 0);
			long bg = nise_charset_convert(&got, in, n, cs[k]);
			long bw = ref_convert(&want, in, n, cs[k]);
			same += bg == bw && got.n == want.n && memcmp(nise_buf_cstr(&got), nise_buf_cstr(&want), got.n) == 0;
			runs++;
		}
		T_CHECK(same == runs, "%s: %d of %d conversions as iconv's", cs[k], same, runs);
	}
	/* windows-1252: the five bytes it leaves undefined, counted */
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	T_INT((int)nise_charset_convert(&b, "\x80\x81\x8d\x8f\x90\x9d\x9f", 7, "CP1252"), 5);
	T_STR(nise_buf_cstr(&b), "\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc5\xb8");
	/* a cut buffer stops where it is full */
	nise_buf_init(&b, a, 5);
	T_INT((int)nise_charset_convert(&b, "ab\xe9\xe9\xe9", 5, "CP1252"), 0);
	T_CHECK(b.truncated && b.n <= 5, "cut at 5 bytes: %zu", b.n);
	T_CHECK(nise_charset_convert(&b, "x", 1, "NO-SUCH-CHARSET") == -1, "an unknown charset");
}

int main(void)
{
	struct nise_arena *a = nise_arena_new(0, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nise_buf b;
		nise_buf_init(&b, a, 0);
		bool guessed = false;
		const char *used = nise_charset_to_utf8(&b, cases[i].in, strlen(cases[i].in), cases[i].label, &guessed);
		T_STR(nise_buf_cstr(&b), cases[i].want);
		T_STR(used, cases[i].used);
		T_INT(guessed, cases[i].guessed);
	}
	/* ill-formed UTF-8 is repaired, never passed on */
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	nise_utf8_sanitize(&b, "a\xff" "b\xe3\x81", 5);
	T_STR(nise_buf_cstr(&b), "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	T_CHECK(nise_utf8_valid("\xe3\x81\x82", 3), "valid");
	T_CHECK(!nise_utf8_valid("\xc0\xaf", 2), "overlong rejected");
	T_CHECK(!nise_utf8_valid("\xed\xa0\x80", 3), "surrogate rejected");
	/* nise_ascii_span reads eight bytes at a time: a high byte at every
	 * position of a 24-byte run, and runs of every length up to 24 */
	char run[25];
	for (size_t len = 0; len <= 24; len++) {
		memset(run, 'a', sizeof(run));
		T_INT(nise_ascii_span(run, len), len);
		for (size_t at = 0; at < len; at++) {
			memset(run, 'a', sizeof(run));
			run[at] = (char)0x80;
			T_INT(nise_ascii_span(run, len), at);
			run[at] = (char)0xff;
			T_INT(nise_ascii_span(run, len), at);
		}
	}
	T_CHECK(nise_utf8_valid("abcdefgh\xe3\x81\x82ijklmnop", 19), "valid after an ASCII word");
	T_CHECK(!nise_utf8_valid("abcdefghijklmno\xc0\xaf", 17), "overlong after two ASCII words");
	nise_buf_init(&b, a, 0);
	nise_utf8_sanitize(&b, "abcdefghijklmnop\xff", 17);
	T_STR(nise_buf_cstr(&b), "abcdefghijklmnop\xef\xbf\xbd");
	single_byte_tables(a);
	nise_arena_free(a);
	T_DONE("charset");
}
