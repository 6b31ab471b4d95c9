/* SPDX-License-Identifier: MIT */
/*
 * intel.c — `nise intel`: import phishing-URL feeds, look URLs up, show
 * what the store holds; and the store options all commands share.
 *
 *   nise intel import --format F [--db PATH|--redis URL] FILE...
 *   nise intel lookup [--db PATH|--redis URL] URL...|-
 *   nise intel stats  [--db PATH|--redis URL]
 *   nise intel fingerprint FILE...     (campaign fingerprints, for tuning)
 *
 * lookup exits 0 when a URL matched, 1 when none did, 2 on error; with
 * "-" it reads one URL a line from stdin and prints one line per URL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "cli.h"
#include "config.h"

struct refused_ctx {
	const char *file;
	size_t n;
};

/* Reports the first 20 refused whole-host entries of a file. */
static void on_refused(void *ctx, const char *host, const char *why)
{
	struct refused_ctx *r = ctx;
	if (r->n++ < 20)
		fprintf(stderr, "nise intel import: %s: refused whole-host entry %s: %s\n", r->file, host, why);
}

static int usage(void)
{
	fputs("usage: nise intel import --format jpcert|phishtank-csv|phishtank-json|openphish|urls|domains\n"
	      "                         [--db PATH|--redis URL] FILE...\n"
	      "       nise intel lookup [--db PATH|--redis URL] URL...|-\n"
	      "       nise intel stats  [--db PATH|--redis URL]\n"
	      "       nise intel fingerprint FILE...\n"
	      "       nise intel list   [--feed NAME] [--db PATH|--redis URL]   URL entries, then list entries\n"
	      "       nise intel remove [--db PATH|--redis URL] URL...          one feed or learned entry\n",
	      stderr);
	return 2;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct nise_engine *engine_for(const char *data_dir)
{
	struct nise_engine_opts opts = {0};
	nise_limits_default(&opts.limits);
	struct cli_config conf;
	char *noargs[] = {NULL};
	if (!cli_config_apply(&conf, &opts, 0, noargs))
		return NULL;
	if (data_dir)
		opts.data_dir = data_dir;
	struct nise_engine *e = NULL;
	char diag[256] = "";
	nise_rc rc = nise_engine_new(&e, &opts, diag, sizeof(diag));
	if (rc != NISE_OK)
		fprintf(stderr, "nise: cannot start: %s%s%s\n", nise_strerror(rc), *diag ? ": " : "", diag);
	return e;
}

static int cmd_import(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	const char *format = NULL, *data = NULL;
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			format = argv[++i];
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			data = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "nise intel import: unknown option '%s'\n", argv[i]);
			return 2;
		} else {
			first = i;
			break;
		}
	}
	if (!format || first >= argc)
		return usage();
	struct nise_engine *e = engine_for(data);
	if (!e)
		return 2;
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, true, "intel import") || !s) {
		if (!s)
			fprintf(stderr, "nise intel import: no store: give --db PATH or --redis URL\n");
		nise_engine_free(e);
		return 2;
	}
	struct nise_intel_import_stats total = {0};
	int status = 0;
	double t0 = now_s();
	for (int i = first; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "nise intel import: %s: %s\n", argv[i], strerror(errno));
			status = 2;
			continue;
		}
		size_t n = 0;
		char *buf = cli_slurp(f, &n);
		if (f != stdin)
			fclose(f);
		if (!buf) {
			fprintf(stderr, "nise intel import: %s: cannot read\n", argv[i]);
			status = 2;
			continue;
		}
		struct nise_intel_import_stats st;
		char diag[512] = "";
		struct refused_ctx rx = {.file = argv[i]};
		struct nise_intel_feed_opts fo = {.refused = on_refused, .ctx = &rx};
		nise_rc rc = nise_intel_import_feed(&st, s, e, format, buf, n, &fo, diag, sizeof(diag));
		free(buf);
		if (rc != NISE_OK) {
			fprintf(stderr, "nise intel import: %s: %s\n", argv[i], *diag ? diag : nise_strerror(rc));
			status = 2;
			if (rc == NISE_EINVAL)
				break;
			continue;
		}
		total.read += st.read;
		total.stored += st.stored;
		total.bad += st.bad;
		total.unparsable += st.unparsable;
		total.refused += st.refused;
	}
	printf("imported %zu of %zu entries from %d file(s) in %.2f s (%zu malformed rows, %zu without a host, "
	       "%zu whole-host entries refused: public suffix, shared, shortener, popular or brand host)\n",
	       total.stored, total.read, argc - first, now_s() - t0, total.bad, total.unparsable, total.refused);
	nise_store_close(s);
	nise_engine_free(e);
	return status;
}

static bool lookup_one(struct nise_store *s, const char *url, size_t n, int *matched, int *errors)
{
	struct nise_intel_match m;
	nise_rc rc = nise_intel_lookup(&m, s, url, n);
	if (rc == NISE_OK) {
		printf("match\t%.*s\t%s\t%s\t%s\t%s\n", (int)n, url, m.feed, m.date[0] ? m.date : "-",
		       m.brand[0] ? m.brand : "-", m.expr);
		(*matched)++;
	} else if (rc == NISE_ENOTFOUND || rc == NISE_EPARSE) {
		printf("none\t%.*s\n", (int)n, url);
	} else {
		fprintf(stderr, "nise intel lookup: %.*s: %s\n", (int)n, url, nise_strerror(rc));
		(*errors)++;
		return false;
	}
	return true;
}

static int cmd_lookup(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--") == 0) {
			first = i + 1;
			break;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "nise intel lookup: unknown option '%s'\n", argv[i]);
			return 2;
		}
		first = i;
		break;
	}
	if (first >= argc)
		return usage();
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "intel lookup"))
		return 2;
	if (!s) {
		fprintf(stderr, "nise intel lookup: no store (import a feed first, or give --db PATH)\n");
		return 2;
	}
	int matched = 0, errors = 0, total = 0;
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			total++;
			lookup_one(s, argv[i], strlen(argv[i]), &matched, &errors);
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		while ((len = getline(&line, &cap, stdin)) > 0) {
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				len--;
			if (len == 0)
				continue;
			total++;
			if (!lookup_one(s, line, (size_t)len, &matched, &errors))
				break;
		}
		free(line);
	}
	if (total > 1)
		fprintf(stderr, "nise intel lookup: %d of %d URLs matched\n", matched, total);
	nise_store_close(s);
	if (errors)
		return 2;
	return matched ? 0 : 1;
}

static bool on_feed(void *ctx, const char *feed, size_t count)
{
	(void)ctx;
	printf("feed %s: %zu URLs\n", feed, count);
	return true;
}

static int cmd_stats(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	for (int i = 1; i < argc; i++)
		if (!cli_store_arg(&so, argc, argv, &i))
			return usage();
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "intel stats"))
		return 2;
	if (!s) {
		printf("no store\n");
		return 0;
	}
	size_t urls = 0, camps = 0;
	printf("store: %s\n", nise_store_backend(s));
	nise_rc rc = nise_intel_stats(s, &urls, &camps, on_feed, NULL);
	if (rc == NISE_OK)
		printf("urls: %zu\ncampaigns: %zu\n", urls, camps);
	else
		fprintf(stderr, "nise intel stats: %s\n", nise_strerror(rc));
	nise_store_close(s);
	return rc == NISE_OK ? 0 : 2;
}

struct fp_ctx {
	struct nise_engine *e;
	int errors;
};

static bool on_fp_message(const struct cli_msg *m, void *vctx)
{
	struct fp_ctx *c = vctx;
	struct nise_result *r = NULL;
	if (nise_scan(&r, c->e, m->buf, m->n) != NISE_OK) {
		c->errors++;
		return true;
	}
	printf("%016llx\t%s\t%s", (unsigned long long)nise_intel_fingerprint(c->e, r),
	       nise_verdict_name(r->verdict), m->source);
	if (m->in_mbox)
		printf("#%zu", m->index);
	putchar('\n');
	nise_result_free(r);
	return true;
}

static int cmd_fingerprint(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	struct fp_ctx c = {engine_for(NULL), 0};
	if (!c.e)
		return 2;
	int errs = cli_for_each_message(argv + 1, argc - 1, on_fp_message, &c);
	nise_engine_free(c.e);
	return errs || c.errors ? 2 : 0;
}

struct ilist_ctx {
	const char *feed;
};

static bool on_url_entry(void *vctx, const struct nise_intel_match *m)
{
	struct ilist_ctx *x = vctx;
	if (!x->feed || strcmp(x->feed, m->feed) == 0)
		printf("url\t%s\t%s\t%s\t%s\n", m->feed, m->date[0] ? m->date : "-", m->brand[0] ? m->brand : "-",
		       m->expr);
	return true;
}

/* nise intel list: every URL entry (feed, date, brand, expression), then
 * the learned and listed entries (nise allow|block list's columns). */
static int cmd_list(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	struct ilist_ctx x = {NULL};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--feed") == 0 && i + 1 < argc)
			x.feed = argv[++i];
		else if (!cli_store_arg(&so, argc, argv, &i))
			return usage();
	}
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "intel list"))
		return 2;
	if (!s) {
		printf("no store\n");
		return 0;
	}
	nise_rc rc = nise_intel_each(s, on_url_entry, &x);
	int ret = rc == NISE_OK ? 0 : 2;
	if (rc != NISE_OK)
		fprintf(stderr, "nise intel list: %s\n", nise_strerror(rc));
	else if (!x.feed)
		ret = cli_list_print(s, -1);
	nise_store_close(s);
	return ret;
}

static int cmd_remove(int argc, char **argv)
{
	struct cli_store_opts so = {0};
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (argv[i][0] == '-')
			return usage();
		first = i;
		break;
	}
	if (first >= argc)
		return usage();
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "intel remove"))
		return 2;
	if (!s) {
		fprintf(stderr, "nise intel remove: no store\n");
		return 2;
	}
	int ret = 0;
	for (int i = first; i < argc; i++) {
		char expr[512] = "";
		nise_rc rc = nise_intel_remove(s, argv[i], expr, sizeof(expr));
		if (rc == NISE_OK) {
			printf("removed %s\n", expr);
		} else {
			fprintf(stderr, "nise intel remove: %s: %s\n", argv[i],
			        rc == NISE_ENOTFOUND ? "not listed" : nise_strerror(rc));
			ret = 1;
		}
	}
	nise_store_close(s);
	return ret;
}

int cli_intel(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *sub = argv[1];
	if (strcmp(sub, "import") == 0)
		return cmd_import(argc - 1, argv + 1);
	if (strcmp(sub, "lookup") == 0)
		return cmd_lookup(argc - 1, argv + 1);
	if (strcmp(sub, "stats") == 0)
		return cmd_stats(argc - 1, argv + 1);
	if (strcmp(sub, "fingerprint") == 0)
		return cmd_fingerprint(argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(sub, "remove") == 0)
		return cmd_remove(argc - 1, argv + 1);
	fprintf(stderr, "nise intel: unknown command '%s'\n", sub);
	return usage();
}
