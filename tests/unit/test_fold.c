/* SPDX-License-Identifier: MIT */
/*
 * test_fold.c — nise_text_fold's ASCII fast path (src/lib/text/normalize.c)
 * gives what ICU's NFKC_Casefold path gives: the premise for all 128 ASCII
 * code points, then whole strings folded both ways (a trailing "é" sends
 * the same text through ICU).
 */
#include <string.h>
#include <unicode/unorm2.h>

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
	nise_arena_free(a);
	nise_textctx_free(t);
	T_DONE("fold");
}
