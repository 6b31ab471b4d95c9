/* SPDX-License-Identifier: MIT */
/* The Japanese reading of look-alike letters in explanations (charname_ja.c). */
#include <string.h>

#include "t.h"
#include "text/text.h"

int main(void)
{
	static const struct {
		unsigned cp;
		const char *ch, *want;
	} cases[] = {
		{0x03BF, "ο", "ο（ギリシャ文字の小文字オミクロン、U+03BF）"},
		{0x0391, "Α", "Α（ギリシャ文字の大文字アルファ、U+0391）"},
		{0x03BB, "λ", "λ（ギリシャ文字の小文字ラムダ、U+03BB）"},
		{0x03C2, "ς", "ς（ギリシャ文字の小文字語末のシグマ、U+03C2）"},
		{0x043E, "о", "о（キリル文字の小文字、U+043E）"},
		{0x0410, "А", "А（キリル文字の大文字、U+0410）"},
		{0x0578, "ո", "ո（アルメニア文字の小文字、U+0578）"},
		{0x1D41A, "𝐚", "𝐚（数学用の飾り文字、U+1D41A）"},
		{0xFF41, "ａ", "ａ（全角のラテン文字の小文字、U+FF41）"},
		{0x3042, "あ", "あ（U+3042）"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[160];
		T_STR(nise_text_char_name_ja(cases[i].cp, cases[i].ch, strlen(cases[i].ch), buf, sizeof(buf)),
		      cases[i].want);
	}
	/* a buffer too small is cut, never overrun */
	char small[8];
	nise_text_char_name_ja(0x03BF, "ο", 2, small, sizeof(small));
	T_CHECK(strlen(small) < sizeof(small), "cut to the buffer");
	T_DONE("charname");
}
