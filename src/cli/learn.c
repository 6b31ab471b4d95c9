/* SPDX-License-Identifier: MIT */
/*
 * learn.c — the operator's loop on the command line:
 *
 *   nise learn --phishing|--genuine [--note TEXT] [--who NAME] FILE|DIR|-...
 *   nise allow|block add KIND VALUE [--note TEXT] [--who NAME]
 *   nise allow|block list
 *   nise allow|block remove KIND VALUE
 *
 * KIND: sender, sender-domain, link-domain, url, campaign. All take
 * --db PATH or --redis URL (docs/intel.md, "The operator's loop").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"

struct learn_ctx {
	struct nise_engine *engine;
	struct nise_store *store;
	char dir[1024]; /* where learned mails are kept, or "" */
	bool phishing;
	const char *who, *note;
	int errors;
	size_t count;
};

static const char *default_who(void)
{
	const char *u = getenv("SUDO_USER");
	if (!u || !*u)
		u = getenv("USER");
	return u && *u ? u : "operator";
}

static bool on_message(const struct cli_msg *m, void *vctx)
{
	struct learn_ctx *c = vctx;
	struct nise_result *r = NULL;
	nise_rc rc = nise_scan(&r, c->engine, m->buf, m->n);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise learn: %s: %s\n", m->source, nise_strerror(rc));
		c->errors++;
		return true;
	}
	struct nise_learned l;
	rc = nise_learn(&l, c->store, c->engine, r, c->phishing, c->who, c->note);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise learn: %s: %s\n", m->source, nise_strerror(rc));
		c->errors++;
	} else {
		c->count++;
		if (c->dir[0] && nise_learned_keep(c->dir, c->phishing, l.fingerprint, m->buf, m->n, NULL, 0) != NISE_OK)
			fprintf(stderr, "nise learn: %s: cannot keep the mail for retraining in %s: %s\n", m->source, c->dir,
			        strerror(errno));
		printf("%s: learned %s (was %s): campaign %016llx%s, %zu URLs%s%s%s%s\n", m->source,
		       c->phishing ? "phishing" : "genuine", nise_verdict_name(r->verdict),
		       (unsigned long long)l.fingerprint, l.campaign ? "" : " (not stored)", l.urls,
		       l.sender ? ", sender" : "", l.sender_domain ? ", sender domain" : "", l.skipped[0] ? "; not learned: " : "",
		       l.skipped);
	}
	nise_result_free(r);
	return true;
}

static int learn_usage(void)
{
	fputs("usage: nise learn --phishing|--genuine [--note TEXT] [--who NAME] [--db PATH|--redis URL]\n"
	      "                  [--config FILE] FILE|DIR|-...\n",
	      stderr);
	return 2;
}

int cli_learn(int argc, char **argv)
{
	struct learn_ctx c = {.who = default_who(), .note = ""};
	struct cli_store_opts so = {0};
	struct nise_engine_opts opts = {0};
	struct cli_config conf;
	if (!cli_config_apply(&conf, &opts, argc, argv))
		return 2;
	int first = argc, mode = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			i++;
		} else if (cli_store_arg(&so, argc, argv, &i)) {
			continue;
		} else if (strcmp(argv[i], "--phishing") == 0) {
			mode = 1;
		} else if (strcmp(argv[i], "--genuine") == 0) {
			mode = 2;
		} else if (strcmp(argv[i], "--note") == 0 && i + 1 < argc) {
			c.note = argv[++i];
		} else if (strcmp(argv[i], "--who") == 0 && i + 1 < argc) {
			c.who = argv[++i];
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			opts.data_dir = argv[++i];
		} else if (cli_model_arg(&opts, argc, argv, &i)) {
			continue;
		} else if (strcmp(argv[i], "--") == 0) {
			first = i + 1;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "nise learn: unknown option '%s'\n", argv[i]);
			cli_config_free(&conf);
			return learn_usage();
		} else {
			first = i;
			break;
		}
	}
	if (!mode || first >= argc) {
		cli_config_free(&conf);
		return learn_usage();
	}
	c.phishing = mode == 1;
	if (!cli_store_open(&c.store, &so, true, "learn") || !c.store) {
		if (!c.store)
			fprintf(stderr, "nise learn: no store (--db PATH or --redis URL)\n");
		cli_config_free(&conf);
		return 2;
	}
	opts.store = c.store;
	if (!cli_learned_dir(&so, c.dir, sizeof(c.dir)))
		c.dir[0] = '\0';
	char diag[256] = "";
	nise_rc rc = nise_engine_new(&c.engine, &opts, diag, sizeof(diag));
	if (rc != NISE_OK) {
		fprintf(stderr, "nise: cannot start: %s%s%s\n", nise_strerror(rc), *diag ? ": " : "", diag);
		nise_store_close(c.store);
		cli_config_free(&conf);
		return 2;
	}
	int errs = cli_for_each_message(argv + first, argc - first, on_message, &c);
	nise_engine_free(c.engine);
	nise_store_close(c.store);
	cli_config_free(&conf);
	return errs || c.errors ? 2 : 0;
}

/* ---- nise allow|block ------------------------------------------------ */

static int list_usage(const char *cmd)
{
	fprintf(stderr,
	        "usage: nise %s add KIND VALUE [--note TEXT] [--who NAME] [--db PATH|--redis URL]\n"
	        "       nise %s list [--db PATH|--redis URL]\n"
	        "       nise %s remove KIND VALUE [--db PATH|--redis URL]\n"
	        "KIND: sender, sender-domain, link-domain, url, campaign\n",
	        cmd, cmd, cmd);
	return 2;
}

struct print_ctx {
	int block; /* 0 allow, 1 block, -1 both */
	size_t n;
};

static bool on_entry(void *vctx, const struct nise_list_entry *e)
{
	struct print_ctx *x = vctx;
	if (x->block >= 0 && e->block != (x->block == 1))
		return true;
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e->block ? "block" : "allow", nise_list_kind_name(e->kind), e->value,
	       e->source, e->who, e->when, e->note);
	x->n++;
	return true;
}

int cli_list_print(struct nise_store *s, int block)
{
	struct print_ctx x = {.block = block};
	nise_rc rc = nise_list_each(s, on_entry, &x);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise: %s\n", nise_strerror(rc));
		return 2;
	}
	return 0;
}

int cli_allow_block(int argc, char **argv)
{
	const char *cmd = argv[0];
	bool block = strcmp(cmd, "block") == 0;
	if (argc < 2)
		return list_usage(cmd);
	const char *sub = argv[1];
	struct cli_store_opts so = {0};
	const char *who = default_who(), *note = "";
	const char *pos[2] = {NULL, NULL};
	int npos = 0;
	for (int i = 2; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else if (strcmp(argv[i], "--who") == 0 && i + 1 < argc)
			who = argv[++i];
		else if (argv[i][0] == '-' || npos >= 2)
			return list_usage(cmd);
		else
			pos[npos++] = argv[i];
	}
	bool is_list = strcmp(sub, "list") == 0;
	if (!is_list && strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0)
		return list_usage(cmd);
	if ((is_list && npos) || (!is_list && npos != 2))
		return list_usage(cmd);
	enum nise_list_kind k = NISE_LIST_SENDER;
	if (!is_list && !nise_list_kind_parse(pos[0], &k)) {
		fprintf(stderr, "nise %s: unknown kind '%s'\n", cmd, pos[0]);
		return list_usage(cmd);
	}
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, !is_list, cmd))
		return 2;
	if (!s) {
		fprintf(stderr, "nise %s: no store (--db PATH or --redis URL)\n", cmd);
		return 2;
	}
	int ret = 0;
	if (is_list) {
		ret = cli_list_print(s, block ? 1 : 0);
	} else if (strcmp(sub, "add") == 0) {
		struct nise_list_entry e;
		memset(&e, 0, sizeof(e));
		e.kind = k;
		e.block = block;
		snprintf(e.source, sizeof(e.source), "admin");
		snprintf(e.who, sizeof(e.who), "%s", who);
		snprintf(e.note, sizeof(e.note), "%s", note);
		nise_rc rc = nise_list_normalise(k, pos[1], e.value, sizeof(e.value));
		if (rc != NISE_OK) {
			fprintf(stderr, "nise %s: '%s' is not a %s\n", cmd, pos[1], pos[0]);
			ret = 2;
		} else if ((rc = nise_list_add(s, &e)) != NISE_OK) {
			fprintf(stderr, "nise %s: %s\n", cmd, nise_strerror(rc));
			ret = 2;
		} else {
			printf("%s %s %s\n", cmd, nise_list_kind_name(k), e.value);
		}
	} else {
		struct nise_list_entry e;
		char norm[512];
		nise_rc rc = nise_list_normalise(k, pos[1], norm, sizeof(norm));
		if (rc == NISE_OK)
			rc = nise_list_get(&e, s, k, norm);
		if (rc == NISE_OK && e.block != block) {
			fprintf(stderr, "nise %s: %s %s is a%s entry, not a%s one\n", cmd, pos[0], norm,
			        e.block ? " block" : "n allow", block ? " block" : "n allow");
			ret = 1;
		} else if (rc == NISE_OK && (rc = nise_list_remove(s, k, norm)) == NISE_OK) {
			printf("removed %s %s\n", nise_list_kind_name(k), norm);
		} else {
			fprintf(stderr, "nise %s: %s %s: %s\n", cmd, pos[0], pos[1],
			        rc == NISE_ENOTFOUND ? "no such entry" : nise_strerror(rc));
			ret = 1;
		}
	}
	nise_store_close(s);
	return ret;
}
