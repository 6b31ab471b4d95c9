/* SPDX-License-Identifier: MIT */
/*
 * campaigns.c — the campaigns of a store as JSON, oldest first (first
 * seen, then id): what `nise campaigns --json` prints and what nise
 * serve's /api/campaigns answers.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "front.h"
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
