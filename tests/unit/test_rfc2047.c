/* SPDX-License-Identifier: MIT */
/* Header decoding: RFC 2047 encoded-words, unfolding, charsets. */
#include <string.h>

#include "core/arena.h"
#include "mime/rfc2047.h"
#include "t.h"

struct tcase {
	const char *raw;
	const char *want;
	unsigned flags; /* expected flag bits that must be set */
};

static const struct tcase cases[] = {
	/* plain, folded */
	{"Hello\r\n world", "Hello world", 0},
	{"  padded  ", "padded", 0},
	/* the seed mail's subject, split across two UTF-8 encoded-words */
	{"=?utf-8?b?44KC44GG5LiA5bqm56K66KqN44GX44Gm44GL44KJ44CB44GC44Gq44Gf44Gu44Ki?=\r\n"
	 " =?utf-8?b?44Kr44Km44Oz44OI44KS5Yip55So44GX44Gm44GP44Gg44GV44GE?=",
	 "もう一度確認してから、あなたのアカウントを利用してください", 0},
	/* a multi-byte UTF-8 character split between two words */
	{"=?UTF-8?B?44KC4w==?= =?UTF-8?B?gYbkuIDluqbnorroqo0=?=", "もう一度確認", 0},
	/* GB2312 (decoded as GB18030) character split between two words */
	{"=?gb2312?B?pKq/zZiUpM6loqU=?=\r\n\t=?gb2312?B?q6WmpfOlyKSspe2lw6WvpLWk7KTGpKSk3qS5?=",
	 "お客様のアカウントがロックされています", 0},
	/* ISO-2022-JP escape state carried across words */
	{"=?ISO-2022-JP?B?GyRCM05HJw==?= =?ISO-2022-JP?B?JDckRiQvJEAkNSQkGyhC?=", "確認してください", 0},
	/* the seed twin's display name */
	{"=?ISO-2022-JP?B?QW1hem9uLmNvLmpw?=", "Amazon.co.jp", 0},
	/* Shift_JIS and EUC-JP labels */
	{"=?shift_jis?B?g0GDfYNdg5M=?=", "アマゾン", 0},
	{"=?EUC-JP?B?s9rFt6WrobylyQ==?=", "楽天カード", 0},
	/* Q encoding, underscores, lowercase hex */
	{"=?iso-8859-1?q?caf=e9_cr=E8me?=", "café crème", 0},
	/* text between words is kept; whitespace between words is not */
	{"Re: =?utf-8?q?a?= =?utf-8?q?b?= c", "Re: ab c", 0},
	/* language suffix (RFC 2231) */
	{"=?utf-8*ja?B?44GC?=", "あ", 0},
	/* invalid base64: bad characters are skipped (as mail readers do) and flagged */
	{"=?utf-8?B?QU!JD?=", "ABC", NISE_HDR_BAD_ENCODING},
	/* not an encoded-word: left alone */
	{"=?broken", "=?broken", 0},
	{"price =?? 5", "price =?? 5", 0},
	/* raw 8-bit UTF-8 and raw Shift_JIS headers */
	{"\xe3\x81\x8a\xe7\x9f\xa5\xe3\x82\x89\xe3\x81\x9b", "お知らせ", NISE_HDR_RAW_8BIT},
	{"\x83\x41\x83\x7d\x83\x5d\x83\x93\x82\xa9\x82\xe7\x82\xcc\x82\xa8\x92\x6d\x82\xe7\x82\xb9",
	 "アマゾンからのお知らせ", NISE_HDR_RAW_8BIT},
	/* unknown charset label: guessed from the bytes */
	{"=?x-unknown?B?44GC44GE?=", "あい", 0},
	/* control characters become single spaces */
	{"a\tb\x01" "c", "a b c", 0},
	/* plain text copied first, then an encoded-word, ESC or 8-bit byte
	 * late in the value: the copy is undone and the value decoded whole */
	{"Your  account\t\x01 =?utf-8?B?44GC?=", "Your account あ", 0},
	/* (unlabelled ESC sequences are not decoded: ESC is a control) */
	{"plain then \x1b$B$\"\x1b(B", "plain then $B$\" (B", 0},
	{"plain then \xe3\x81\x82 end", "plain then あ end", NISE_HDR_RAW_8BIT},
	{"a=b =?x", "a=b =?x", 0},
};

/* A value cut by the buffer's maximum while it looked plain, with an
 * 8-bit byte after the cut: decoded whole as before the one-pass copy
 * (the 8-bit flag is set and the full path reports the cut as a failure,
 * NULL), not left as the plain copy. */
static void truncated(struct nise_arena *a)
{
	const char *raw = "longword-longword-longword \xe3\x81\x82";
	unsigned flags = 0;
	const char *got = nise_rfc2047_decode_dup(a, raw, strlen(raw), 12, &flags);
	T_STR(got, NULL);
	T_CHECK(flags & NISE_HDR_RAW_8BIT, "flags %#x", flags);
	flags = 0;
	got = nise_rfc2047_decode_dup(a, "longword-longword-longword", 26, 12, &flags);
	T_STR(got, "longword-lon");
	T_INT(flags, 0);
}

int main(void)
{
	struct nise_arena *a = nise_arena_new(0, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned flags = 0;
		const char *got = nise_rfc2047_decode_dup(a, cases[i].raw, strlen(cases[i].raw), 4096, &flags);
		T_STR(got, cases[i].want);
		T_CHECK((flags & cases[i].flags) == cases[i].flags, "case %zu flags %#x want %#x", i, flags,
		        cases[i].flags);
	}
	truncated(a);
	nise_arena_free(a);
	T_DONE("rfc2047");
}
