/* SPDX-License-Identifier: MIT */
/*
 * lang.c — the language a front end speaks when nothing names one: the
 * locale's (LC_ALL, LC_MESSAGES, LANG; "ja…" is Japanese, else English).
 */
#include <stdlib.h>
#include <string.h>

#include "front.h"

enum cli_lang cli_default_lang(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ja", 2) == 0 ? LANG_JA : LANG_EN;
	}
	return LANG_EN;
}
