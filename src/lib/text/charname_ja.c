/* SPDX-License-Identifier: MIT */
/*
 * charname_ja.c — a Japanese reading of a look-alike letter, for the
 * Japanese explanations: "ο（ギリシャ文字の小文字オミクロン、U+03BF）"
 * instead of the English Unicode name inside a Japanese sentence.
 *
 * Built from the character's Unicode name (nise_text_char_name, ICU):
 * "<SCRIPT> <SMALL|CAPITAL> LETTER <NAME>". The script and the case are
 * translated; Greek letter names have their usual katakana; other letters
 * are named by the character itself. Anything else keeps the code point
 * alone, which is never wrong.
 */
#include <stdio.h>
#include <string.h>

#include "text/text.h"

static const struct {
	const char *en, *ja;
} scripts[] = {
	{"GREEK", "ギリシャ文字"},
	{"CYRILLIC", "キリル文字"},
	{"ARMENIAN", "アルメニア文字"},
	{"CHEROKEE", "チェロキー文字"},
	{"COPTIC", "コプト文字"},
	{"LATIN", "ラテン文字"},
	{"FULLWIDTH LATIN", "全角のラテン文字"},
	{"MATHEMATICAL", "数学用の飾り文字"},
};

static const struct {
	const char *en, *ja;
} greek[] = {
	{"ALPHA", "アルファ"},   {"BETA", "ベータ"},     {"GAMMA", "ガンマ"},   {"DELTA", "デルタ"},
	{"EPSILON", "イプシロン"}, {"ZETA", "ゼータ"},     {"ETA", "イータ"},     {"THETA", "シータ"},
	{"IOTA", "イオタ"},     {"KAPPA", "カッパ"},    {"LAMDA", "ラムダ"},   {"LAMBDA", "ラムダ"},
	{"MU", "ミュー"},       {"NU", "ニュー"},       {"XI", "クサイ"},      {"OMICRON", "オミクロン"},
	{"PI", "パイ"},         {"RHO", "ロー"},        {"SIGMA", "シグマ"},   {"FINAL SIGMA", "語末のシグマ"},
	{"TAU", "タウ"},        {"UPSILON", "ウプシロン"}, {"PHI", "ファイ"},   {"CHI", "カイ"},
	{"PSI", "プサイ"},      {"OMEGA", "オメガ"},
};

const char *nise_text_char_name_ja(uint32_t cp, const char *ch, size_t chlen, char *buf, size_t n)
{
	char name[128];
	nise_text_char_name(cp, name, sizeof(name));
	const char *script = NULL;
	size_t sl = 0;
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		size_t l = strlen(scripts[i].en);
		if (strncmp(name, scripts[i].en, l) == 0 && name[l] == ' ' && l > sl) {
			script = scripts[i].ja;
			sl = l;
		}
	}
	if (!script) {
		snprintf(buf, n, "%.*s（U+%04X）", (int)chlen, ch, (unsigned)cp);
		return buf;
	}
	const char *rest = name + sl + 1;
	const char *kase = "";
	if (strncmp(rest, "SMALL ", 6) == 0) {
		kase = "の小文字";
		rest += 6;
	} else if (strncmp(rest, "CAPITAL ", 8) == 0) {
		kase = "の大文字";
		rest += 8;
	}
	if (strncmp(rest, "LETTER ", 7) == 0)
		rest += 7;
	const char *letter = NULL;
	if (strcmp(script, "ギリシャ文字") == 0)
		for (size_t i = 0; i < sizeof(greek) / sizeof(greek[0]); i++)
			if (strcmp(rest, greek[i].en) == 0)
				letter = greek[i].ja;
	if (letter)
		snprintf(buf, n, "%.*s（%s%s%s、U+%04X）", (int)chlen, ch, script, kase, letter, (unsigned)cp);
	else
		snprintf(buf, n, "%.*s（%s%s、U+%04X）", (int)chlen, ch, script, kase, (unsigned)cp);
	return buf;
}
