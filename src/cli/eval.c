/* SPDX-License-Identifier: MIT */
/*
 * eval.c — `nise eval`: how well nise judges labelled mail.
 *
 * Input: a TSV manifest (`path<TAB>label...`, header line allowed, paths
 * relative to --root) and/or LABEL=DIR arguments. Labels are free text;
 * "phish" counts as positive, "ham" as negative, anything else is reported
 * but not scored. For every label it prints how many messages were judged
 * phishing / suspicious / clean, recall (phish) or false-alarm rate (ham),
 * hits per check, and the path of every miss and false alarm. A manifest
 * line may name an mbox: each of its messages counts.
 *
 * Campaign counting: with --groups TSV (`file<TAB>...<TAB>dup_group`, as
 * corpus/jp/labels.tsv), phish recall is also reported per campaign: a
 * campaign counts as caught when all of its messages are.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

#define MAX_LABELS 16
#define MAX_CHECKS 128

struct label_stats {
	char name[32];
	size_t n, verdict[NISE_NVERDICTS];
	char *ids[MAX_CHECKS];
	size_t hits[MAX_CHECKS];
	size_t nids;
	json_t *misses; /* phish judged clean, or ham judged phishing/suspicious */
};

struct eval_ctx {
	struct nise_engine *engine;
	struct label_stats labels[MAX_LABELS];
	size_t nlabels;
	const char *cur_label;
	const char *cur_group;
	json_t *groups; /* group -> {"n":, "caught":} */
	struct cli_sets sets;
	bool json;
};

static struct label_stats *label_for(struct eval_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (strcmp(c->labels[i].name, name) == 0)
			return &c->labels[i];
	if (c->nlabels == MAX_LABELS)
		return NULL;
	struct label_stats *l = &c->labels[c->nlabels++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->misses = json_array();
	return l;
}

static void count_hit(struct label_stats *l, const char *id)
{
	for (size_t i = 0; i < l->nids; i++)
		if (strcmp(l->ids[i], id) == 0) {
			l->hits[i]++;
			return;
		}
	if (l->nids == MAX_CHECKS)
		return;
	l->ids[l->nids] = strdup(id);
	l->hits[l->nids++] = 1;
}

static bool on_message(const struct cli_msg *m, void *vctx)
{
	struct eval_ctx *c = vctx;
	struct label_stats *l = label_for(c, c->cur_label);
	struct nise_result *r = NULL;
	if (!l || nise_scan(&r, c->engine, m->buf, m->n) != NISE_OK)
		return true;
	l->n++;
	l->verdict[r->verdict]++;
	for (size_t i = 0; i < r->nfindings; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= strcmp(r->findings[k].id, r->findings[i].id) == 0;
		if (!dup)
			count_hit(l, r->findings[i].id);
	}
	bool phish = strcmp(l->name, "phish") == 0;
	bool ham = strcmp(l->name, "ham") == 0;
	/* unchecked (a limit cut the mail) is neither a catch nor an alarm */
	bool flagged = r->verdict == NISE_PHISHING || r->verdict == NISE_SUSPICIOUS;
	if ((phish && !flagged) || (ham && flagged)) {
		char where[1024];
		if (m->in_mbox)
			snprintf(where, sizeof(where), "%s#%zu", m->source, m->index);
		else
			snprintf(where, sizeof(where), "%s", m->source);
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(where));
		json_object_set_new(o, "verdict", json_string(nise_verdict_name(r->verdict)));
		json_object_set_new(o, "score", json_real(r->score));
		json_t *ids = json_array();
		for (size_t i = 0; i < r->nfindings; i++)
			json_array_append_new(ids, json_string(r->findings[i].id));
		json_object_set_new(o, "findings", ids);
		json_array_append_new(l->misses, o);
	}
	if (c->cur_group && phish) {
		json_t *g = json_object_get(c->groups, c->cur_group);
		if (!g) {
			g = json_pack("{s:i,s:i}", "n", 0, "caught", 0);
			json_object_set_new(c->groups, c->cur_group, g);
		}
		json_object_set_new(g, "n", json_integer(json_integer_value(json_object_get(g, "n")) + 1));
		if (r->verdict == NISE_PHISHING)
			json_object_set_new(g, "caught",
			                    json_integer(json_integer_value(json_object_get(g, "caught")) + 1));
	}
	nise_result_free(r);
	return true;
}

static void run_one(const char *label, char *path, const char *listed, void *vctx)
{
	struct eval_ctx *c = vctx;
	(void)listed;
	c->cur_label = label;
	c->cur_group = cli_group_of(c->sets.groups, path);
	char *inputs[1] = {path};
	cli_for_each_message(inputs, 1, on_message, c);
}

static void report(struct eval_ctx *c)
{
	json_t *out = json_object();
	for (size_t i = 0; i < c->nlabels; i++) {
		struct label_stats *l = &c->labels[i];
		json_t *o = json_object();
		json_object_set_new(o, "messages", json_integer((json_int_t)l->n));
		json_object_set_new(o, "phishing", json_integer((json_int_t)l->verdict[NISE_PHISHING]));
		json_object_set_new(o, "suspicious", json_integer((json_int_t)l->verdict[NISE_SUSPICIOUS]));
		json_object_set_new(o, "clean", json_integer((json_int_t)l->verdict[NISE_CLEAN]));
		json_object_set_new(o, "unchecked", json_integer((json_int_t)l->verdict[NISE_UNCHECKED]));
		json_t *hits = json_object();
		for (size_t k = 0; k < l->nids; k++)
			json_object_set_new(hits, l->ids[k], json_integer((json_int_t)l->hits[k]));
		json_object_set_new(o, "hits", hits);
		json_object_set(o, strcmp(l->name, "ham") == 0 ? "false_alarms" : "misses", l->misses);
		json_object_set_new(out, l->name, o);
	}
	if (json_object_size(c->groups)) {
		size_t n = 0, caught = 0;
		const char *k;
		json_t *v;
		json_object_foreach(c->groups, k, v) {
			n++;
			if (json_integer_value(json_object_get(v, "caught")) ==
			    json_integer_value(json_object_get(v, "n")))
				caught++;
		}
		json_object_set_new(out, "campaigns", json_pack("{s:i,s:i}", "n", (json_int_t)n, "all_caught", (json_int_t)caught));
	}
	if (c->json) {
		char *s = json_dumps(out, JSON_PRESERVE_ORDER | JSON_INDENT(1));
		puts(s);
		free(s);
		json_decref(out);
		return;
	}
	printf("%-10s %8s %9s %10s %8s %9s %9s %9s\n", "label", "messages", "phishing", "suspicious", "clean",
	       "unchecked", "recall", "false-al.");
	for (size_t i = 0; i < c->nlabels; i++) {
		struct label_stats *l = &c->labels[i];
		double n = l->n ? (double)l->n : 1.0;
		bool ham = strcmp(l->name, "ham") == 0;
		size_t flagged = l->verdict[NISE_PHISHING] + l->verdict[NISE_SUSPICIOUS];
		printf("%-10s %8zu %9zu %10zu %8zu %9zu", l->name, l->n, l->verdict[NISE_PHISHING],
		       l->verdict[NISE_SUSPICIOUS], l->verdict[NISE_CLEAN], l->verdict[NISE_UNCHECKED]);
		if (ham)
			printf(" %9s %8.2f%%\n", "-", 100.0 * (double)flagged / n);
		else
			printf(" %8.2f%% %9s\n", 100.0 * (double)flagged / n, "-");
	}
	json_t *camp = json_object_get(out, "campaigns");
	if (camp)
		printf("campaigns (phish, all copies judged phishing): %lld of %lld\n",
		       (long long)json_integer_value(json_object_get(camp, "all_caught")),
		       (long long)json_integer_value(json_object_get(camp, "n")));
	for (size_t i = 0; i < c->nlabels; i++) {
		struct label_stats *l = &c->labels[i];
		printf("\n[%s] hits per check:\n", l->name);
		for (size_t k = 0; k < l->nids; k++)
			printf("  %-28s %zu\n", l->ids[k], l->hits[k]);
		size_t nm = json_array_size(l->misses);
		if (nm)
			printf("[%s] %s (%zu):\n", l->name, strcmp(l->name, "ham") == 0 ? "false alarms" : "misses", nm);
		for (size_t k = 0; k < nm; k++) {
			json_t *o = json_array_get(l->misses, k);
			printf("  %s %s %.1f\n", json_string_value(json_object_get(o, "path")),
			       json_string_value(json_object_get(o, "verdict")),
			       json_real_value(json_object_get(o, "score")));
		}
	}
	json_decref(out);
}

int cli_eval(int argc, char **argv)
{
	struct eval_ctx c = {0};
	struct nise_engine_opts opts = {0};
	struct cli_config conf;
	if (!cli_config_apply(&conf, &opts, argc, argv))
		return 2;
	int i = 1;
	bool bad = false;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			i++;
		else if (strcmp(argv[i], "--json") == 0)
			c.json = true;
		else if (cli_sets_arg(&c.sets, argc, argv, &i))
			continue;
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			opts.data_dir = argv[++i];
		else if (cli_model_arg(&opts, argc, argv, &i))
			continue;
		else if (cli_trust_arg(&conf, &opts, argc, argv, &i, &bad))
			continue;
		else if (bad)
			return 2;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "nise eval: unknown option '%s'\n", argv[i]);
			return 2;
		} else
			break;
	}
	if (!cli_sets_open(&c.sets, "eval", argc, argv, i)) {
		fprintf(stderr, "usage: nise eval [--json] [--manifest TSV [--root DIR] [--only PREFIX]] "
		                "[--groups TSV] [LABEL=PATH]...\n");
		cli_sets_close(&c.sets);
		return 2;
	}
	char diag[256] = "";
	if (nise_engine_new(&c.engine, &opts, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "nise: cannot start: %s\n", diag);
		cli_sets_close(&c.sets);
		return 2;
	}
	c.groups = json_object();
	int rc = 2;
	if (cli_sets_each(&c.sets, "eval", run_one, &c)) {
		report(&c);
		rc = 0;
	}
	cli_sets_close(&c.sets);
	json_decref(c.groups);
	nise_engine_free(c.engine);
	return rc;
}
