/* SPDX-License-Identifier: MIT */
/*
 * campaigns.c — `nise campaigns [--brand B] [--json]`: the phishing
 * campaigns nise has recorded, oldest first (first seen, then id), with
 * their copies, brand, subjects, sender and link domains.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static void print_strings(const char *label, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		printf("  %s: %s\n", label, json_string_value(v));
}

static void print_text(json_t *c, enum cli_lang lang)
{
	json_int_t copies = json_integer_value(json_object_get(c, "copies"));
	const char *brand = json_string_value(json_object_get(c, "brand"));
	const char *id = json_string_value(json_object_get(c, "id"));
	const char *first = json_string_value(json_object_get(c, "first_seen"));
	const char *last = json_string_value(json_object_get(c, "last_seen"));
	if (lang == LANG_JA) {
		printf("キャンペーン %s: %s、%lld通、初回 %s、最終 %s\n", id, brand ? brand : "(ブランドなし)",
		       (long long)copies, first, last);
		print_strings("件名", json_object_get(c, "subjects"));
		print_strings("送信元ドメイン", json_object_get(c, "sender_domains"));
		print_strings("リンク先ドメイン", json_object_get(c, "link_domains"));
		return;
	}
	printf("campaign %s: %s, %lld cop%s, first seen %s, last seen %s\n", id, brand ? brand : "(no brand)",
	       (long long)copies, copies == 1 ? "y" : "ies", first, last);
	print_strings("subject", json_object_get(c, "subjects"));
	print_strings("sender domain", json_object_get(c, "sender_domains"));
	print_strings("link domain", json_object_get(c, "link_domains"));
}

int cli_campaigns(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	const char *brand = NULL;
	bool json = false;
	enum cli_lang lang = cli_default_lang();
	for (int i = 1; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0) {
				fprintf(stderr, "nise campaigns: --lang must be ja or en\n");
				return 2;
			}
			lang = strcmp(v, "ja") == 0 ? LANG_JA : LANG_EN;
		} else if (strcmp(argv[i], "--brand") == 0 && i + 1 < argc) {
			brand = argv[++i];
		} else {
			fprintf(stderr, "usage: nise campaigns [--brand B] [--json] [--lang ja|en] [--db PATH|--redis URL]\n");
			return 2;
		}
	}
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "campaigns"))
		return 2;
	if (!s) {
		/* nothing was ever recorded here: say so instead of printing nothing */
		fprintf(stderr, lang == LANG_JA
		                    ? "nise campaigns: 記録先（ストア）がありません。--db PATH か --redis URL を指定するか、"
		                      "先に nise check でフィッシングを記録してください\n"
		                    : "nise campaigns: no store: give --db PATH or --redis URL, or let nise check "
		                      "record phishing first\n");
		return 2;
	}
	nise_rc rc;
	json_t *all = cli_campaigns_json(s, brand, &rc);
	nise_store_close(s);
	if (!all) {
		fprintf(stderr, "nise campaigns: %s\n", nise_strerror(rc));
		return 2;
	}
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c) {
		if (!json) {
			print_text(c, lang);
			continue;
		}
		char *line = json_dumps(c, JSON_COMPACT);
		if (line) {
			puts(line);
			free(line);
		}
	}
	if (!json && json_array_size(all) == 0)
		/* on stderr: a script counting the lines of stdout still counts 0 */
		fputs(lang == LANG_JA ? "記録されたキャンペーンはありません\n" : "no campaigns recorded\n", stderr);
	json_decref(all);
	return 0;
}
