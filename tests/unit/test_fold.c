/* SPDX-License-Identifier: MIT */
/*
 * test_fold.c — nise_text_fold's ASCII fast path (src/lib/text/normalize.c)
 * gives what ICU's NFKC_Casefold path gives: the premise for all 128 ASCII
 * code points, then whole strings folded both ways (a trailing "é" sends
 * the same text through ICU); and nise_text_skeleton's ASCII table gives
 * what ICU's uspoof_getSkeletonUTF8 gives (lower-cased), for every string
 * of one and two ASCII code points and for longer ones.
 */
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>

#include "core/arena.h"
#include "t.h"
#include "text/text.h"

static const char *fold(struct nise_textctx *t, struct nise_arena *a, const char *s, bool nospace)
{
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	T_CHECK(nise_text_fold(t, &b, s, strlen(s), nospace), "fold %s", s);
	return nise_buf_cstr(&b);
}

/* ICU's skeleton, lower-cased the way nise_text_skeleton lower-cases */
static void icu_skeleton(const USpoofChecker *sc, const char *s, size_t n, char *out, size_t cap)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)n, out, (int32_t)cap, &e);
	T_CHECK(U_SUCCESS(e) && len >= 0 && (size_t)len < cap, "ICU skeleton of %zu bytes", n);
	for (int32_t k = 0; k < len; k++)
		if (out[k] >= 'A' && out[k] <= 'Z')
			out[k] = (char)(out[k] + 32);
}

static void skeletons(struct nise_textctx *t, struct nise_arena *a)
{
	UErrorCode st = U_ZERO_ERROR;
	USpoofChecker *sc = uspoof_open(&st);
	T_CHECK(U_SUCCESS(st), "spoof checker");
	int same = 0, total = 0;
	char want[64];
	for (int c1 = 0; c1 < 128; c1++)
		for (int c2 = -1; c2 < 128; c2++) {
			char in[2] = {(char)c1, (char)c2};
			size_t n = c2 < 0 ? 1 : 2;
			icu_skeleton(sc, in, n, want, sizeof(want));
			const char *got = nise_text_skeleton(t, a, in, n);
			same += got && strcmp(got, want) == 0;
			total++;
		}
	T_INT(same, total);
	T_INT(total, 128 * 129);
	const char *longer[] = {"rnicrosoft", "paypa1-secure.com", "AMAZON.co.jp", "I0OlI|1", "apikey@newnamecardamazonmail.cyou",
	                        "\"Quoted\" `back` {braces} ~tilde~", "Amaz\xce\xbfn", "\xef\xbd\x81mazon", ""};
	for (size_t i = 0; i < sizeof(longer) / sizeof(longer[0]); i++) {
		icu_skeleton(sc, longer[i], strlen(longer[i]), want, sizeof(want));
		T_STR(nise_text_skeleton(t, a, longer[i], strlen(longer[i])), want);
	}
	/* the two lookalikes of the seed mail have one skeleton */
	T_STR(nise_text_skeleton(t, a, "rnicrosoft", 10), nise_text_skeleton(t, a, "microsoft", 9));
	T_STR(nise_text_skeleton(t, a, "Amaz\xce\xbfn", 7), nise_text_skeleton(t, a, "amazon", 6));
	/* a skeleton longer than the 512-byte stack buffer is lower-cased too */
	char big[700];
	memset(big, 'A', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\xc3\xa9", 3);
	const char *bs = nise_text_skeleton(t, a, big, strlen(big));
	T_CHECK(bs && strlen(bs) > 512 && bs[0] == 'a' && bs[600] == 'a', "long skeleton lower-cased");
	uspoof_close(sc);
}

int main(void)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *cf = unorm2_getNFKCCasefoldInstance(&st);
	T_CHECK(U_SUCCESS(st), "NFKC_Casefold instance");
	int same = 0;
	for (UChar c = 0; c < 0x80; c++) {
		UChar out[8];
		UErrorCode e = U_ZERO_ERROR;
		int32_t n = unorm2_normalize(cf, &c, 1, out, 8, &e);
		UChar want = c >= 'A' && c <= 'Z' ? (UChar)(c + 32) : c;
		same += U_SUCCESS(e) && n == 1 && out[0] == want;
	}
	T_INT(same, 128);

	struct nise_textctx *t = NULL;
	T_INT(nise_textctx_new(&t), NISE_OK);
	struct nise_arena *a = nise_arena_new(0, false);
	const char *texts[] = {
		"Hello WORLD", "  Verify   your\\n\\tACCOUNT  now ", "v e r i f y  y o u r  a c c o u n t",
		"A B C d e f, PayPal-Login: 1 2 3 \x01\x7f end", "x", "", "Mixed CASE and\ttabs\r\nand lines",
		"NoSpacesAtAll.Example-COM", "PayPal-Login:\x01\x7f[end]~", "\x0b", "A\x0cB",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (int nospace = 0; nospace < 2; nospace++) {
			char with[256];
			snprintf(with, sizeof(with), "%s\xc3\xa9", texts[i]);
			const char *fast = fold(t, a, texts[i], nospace);
			const char *icu = fold(t, a, with, nospace);
			size_t fl = strlen(fast), il = strlen(icu);
			/* ICU's result is the fast one plus "é", perhaps after a space */
			bool ok = il >= fl + 2 && strncmp(icu, fast, fl) == 0 &&
			          strcmp(icu + il - 2, "\xc3\xa9") == 0 && (il == fl + 2 || (il == fl + 3 && icu[fl] == ' '));
			T_CHECK(ok, "\"%s\" (nospace %d): fast \"%s\", ICU \"%s\"", texts[i], nospace, fast, icu);
		}
	}
	T_STR(fold(t, a, "Verify  YOUR\tAccount", false), "verify your account");
	T_STR(fold(t, a, "Verify  YOUR\tAccount", true), "verifyyouraccount");
	/* random ASCII, folded by the byte walk and, with a soft hyphen at the
	 * end (NFKC_Casefold removes it before the walk), by ICU and the
	 * UTF-16 walk: the same bytes */
	unsigned long long x = 0x2545F4914F6CDD1DULL;
	int agree = 0, runs = 0;
	for (int r = 0; r < 20000; r++) {
		static const char alpha[] = "aB c  \t\r\nXyZ1.,-\x01\x7f\x00 i  j k";
		char in[40], with[48];
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = (size_t)(x % 40);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			in[i] = alpha[x % (sizeof(alpha) - 1)];
		}
		memcpy(with, in, n);
		memcpy(with + n, "\xc2\xad", 2);
		for (int nospace = 0; nospace < 2; nospace++) {
			struct nise_buf b1, b2;
			nise_buf_init(&b1, a, 0);
			nise_buf_init(&b2, a, 0);
			bool ok1 = nise_text_fold(t, &b1, in, n, nospace);
			bool ok2 = nise_text_fold(t, &b2, with, n + 2, nospace);
			agree += ok1 && ok2 && b1.n == b2.n && memcmp(nise_buf_cstr(&b1), nise_buf_cstr(&b2), b1.n) == 0;
			runs++;
		}
	}
	T_INT(agree, runs);
	skeletons(t, a);
	nise_arena_free(a);
	nise_textctx_free(t);
	T_DONE("fold");
}
