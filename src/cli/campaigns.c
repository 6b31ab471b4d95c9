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

struct list {
	struct nise_campaign *items;
	size_t n, cap;
	const char *brand;
	bool oom;
};

static bool on_campaign(void *vctx, const struct nise_campaign *c)
{
	struct list *l = vctx;
	if (l->brand && strcasecmp(l->brand, c->brand) != 0)
		return true;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct nise_campaign *ni = realloc(l->items, nc * sizeof(*ni));
		if (!ni) {
			l->oom = true;
			return false;
		}
		l->items = ni;
		l->cap = nc;
	}
	l->items[l->n++] = *c;
	return true;
}

static int by_first_seen(const void *a, const void *b)
{
	const struct nise_campaign *x = a, *y = b;
	int d = strcmp(x->first_seen, y->first_seen);
	if (d)
		return d;
	return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *strings(const char (*items)[256], size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static json_t *strings128(const char (*items)[128], size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

static json_t *campaign_json(const struct nise_campaign *c)
{
	char id[17];
	snprintf(id, sizeof(id), "%016llx", (unsigned long long)c->id);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "first_seen", json_string(c->first_seen));
	json_object_set_new(o, "last_seen", json_string(c->last_seen));
	json_object_set_new(o, "copies", json_integer((json_int_t)c->copies));
	json_object_set_new(o, "brand", c->brand[0] ? json_string(c->brand) : json_null());
	json_object_set_new(o, "subjects", strings(c->subjects, c->nsubjects));
	json_object_set_new(o, "sender_domains", strings128(c->senders, c->nsenders));
	json_object_set_new(o, "link_domains", strings128(c->links, c->nlinks));
	return o;
}

json_t *cli_campaigns_json(struct nise_store *s, const char *brand, nise_rc *rc)
{
	*rc = NISE_OK;
	struct list l = {.brand = brand};
	if (s) {
		*rc = nise_campaigns_list(s, on_campaign, &l);
		if (*rc == NISE_OK && l.oom)
			*rc = NISE_ENOMEM;
		if (*rc != NISE_OK) {
			free(l.items);
			return NULL;
		}
		if (l.n) /* items is NULL when nothing matched: qsort wants a pointer */
			qsort(l.items, l.n, sizeof(l.items[0]), by_first_seen);
	}
	json_t *a = json_array();
	for (size_t i = 0; a && i < l.n; i++)
		if (json_array_append_new(a, campaign_json(&l.items[i])) != 0) {
			json_decref(a);
			a = NULL;
		}
	free(l.items);
	if (!a)
		*rc = NISE_ENOMEM;
	return a;
}

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
