/* SPDX-License-Identifier: MIT */
/*
 * bench.c — messages per second through libnise, one thread, mail held in
 * memory so the disk is not measured.
 *
 *   nise-bench [--runs N] [--parse-only | --no-model] [--model-load] PATH...
 *
 * --parse-only stops after the message model (MIME, charsets, HTML, URLs):
 * the floor that checking is compared against. --no-model runs the checks
 * without the learned model: the difference to a default run is what
 * the model costs per message. --model-load also times loading the
 * default model file (median of 21 loads). --model-cost measures that
 * cost paired per message: each message is scanned 5 times without and
 * 5 times with the model, alternately, and the fastest of each counts —
 * a difference of a few microseconds survives a busy machine that way,
 * where whole-corpus runs vary by tens. Prints every run and the
 * median, as messages/s and MB/s, plus CPU seconds from getrusage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "nise/nise.h"
#include "model/model.h"
#include "../src/cli/cli.h"

struct corpus {
	char **bufs;
	size_t *lens;
	char **names; /* "path" or "path#index" for mbox messages */
	size_t n, cap, bytes;
};

static bool keep(const struct cli_msg *m, void *ctx)
{
	struct corpus *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->bufs = realloc(c->bufs, c->cap * sizeof(*c->bufs));
		c->lens = realloc(c->lens, c->cap * sizeof(*c->lens));
		c->names = realloc(c->names, c->cap * sizeof(*c->names));
		if (!c->bufs || !c->lens || !c->names)
			return false;
	}
	c->bufs[c->n] = malloc(m->n ? m->n : 1);
	if (!c->bufs[c->n])
		return false;
	memcpy(c->bufs[c->n], m->buf, m->n);
	char name[4096];
	if (m->in_mbox)
		snprintf(name, sizeof(name), "%s#%zu", m->source, m->index);
	else
		snprintf(name, sizeof(name), "%s", m->source);
	c->names[c->n] = strdup(name);
	c->lens[c->n++] = m->n;
	c->bytes += m->n;
	return true;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double fastest_scan(const struct nise_engine *e, const char *buf, size_t n, int reps)
{
	double best = 1e9;
	for (int r = 0; r < reps; r++) {
		struct nise_result *res = NULL;
		double t0 = now();
		nise_rc rc = nise_scan(&res, e, buf, n);
		double dt = now() - t0;
		if (rc == NISE_OK)
			nise_result_free(res);
		if (dt < best)
			best = dt;
	}
	return best;
}

static int measure_model_cost(const struct corpus *c, const struct nise_engine_opts *base)
{
	struct nise_engine_opts with = *base, without = *base;
	with.no_model = false;
	without.no_model = true;
	struct nise_engine *ew = NULL, *eo = NULL;
	char diag[256];
	if (nise_engine_new(&ew, &with, diag, sizeof(diag)) != NISE_OK ||
	    nise_engine_new(&eo, &without, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "nise-bench: %s\n", diag);
		nise_engine_free(ew);
		return 2;
	}
	if (!nise_engine_model_meta(ew)) {
		fprintf(stderr, "nise-bench: no model in %s\n", NISE_DATA_DIR);
		nise_engine_free(ew);
		nise_engine_free(eo);
		return 2;
	}
	double sum_w = 0, sum_o = 0;
	for (size_t k = 0; k < c->n; k++) {
		double o1 = fastest_scan(eo, c->bufs[k], c->lens[k], 5);
		double w1 = fastest_scan(ew, c->bufs[k], c->lens[k], 5);
		sum_o += o1;
		sum_w += w1;
	}
	printf("model cost: %zu messages; fastest of 5 scans each: %.1f us without the model, %.1f us "
	       "with it: %.1f us per message\n",
	       c->n, sum_o / (double)c->n * 1e6, sum_w / (double)c->n * 1e6,
	       (sum_w - sum_o) / (double)c->n * 1e6);
	nise_engine_free(ew);
	nise_engine_free(eo);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 5;
	bool parse_only = false, no_model = false, model_load = false, model_cost = false;
	const char *tsv = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--parse-only") == 0)
			parse_only = true;
		else if (strcmp(argv[i], "--no-model") == 0)
			no_model = true;
		else if (strcmp(argv[i], "--model-load") == 0)
			model_load = true;
		else if (strcmp(argv[i], "--model-cost") == 0)
			model_cost = true;
		else if (strcmp(argv[i], "--tsv") == 0 && i + 1 < argc)
			tsv = argv[++i];
	}
	if (runs < 1 || runs > 100 || i == argc) {
		fprintf(stderr, "usage: nise-bench [--runs N] [--parse-only | --no-model] [--model-load] [--model-cost] "
		                "[--tsv FILE] PATH...\n");
		return 2;
	}
	char diag_unused[256];
	struct corpus c = {0};
	cli_for_each_message(argv + i, argc - i, keep, &c);
	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.no_checks = parse_only;
	o.no_model = no_model;
	if (model_load) {
		double t[21];
		for (int k = 0; k < 21; k++) {
			struct nise_model *m = NULL;
			double t0 = now();
			nise_rc rc = nise_model_load(&m, NISE_DATA_DIR "/model.bin", diag_unused, sizeof(diag_unused));
			t[k] = now() - t0;
			/* touch every page once, as the first scans would */
			if (rc == NISE_OK) {
				volatile float sum = 0;
				for (uint32_t j = 0; j < (1u << NISE_FEATURE_BITS); j += 1024)
					sum += nise_model_weight(m, j);
				(void)sum;
			}
			nise_model_free(m);
		}
		qsort(t, 21, sizeof(double), cmpd);
		printf("model load (%s/model.bin): median %.3f ms, max %.3f ms\n", NISE_DATA_DIR,
		       t[10] * 1e3, t[20] * 1e3);
	}
	if (model_cost)
		return measure_model_cost(&c, &o);
	struct nise_engine *e = NULL;
	char diag[256];
	if (nise_engine_new(&e, &o, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "nise-bench: %s\n", diag);
		return 2;
	}
	/* per-message results and latency (one extra pass, not timed as a run) */
	if (tsv) {
		FILE *f = fopen(tsv, "w");
		if (!f) {
			fprintf(stderr, "nise-bench: cannot write %s\n", tsv);
			return 2;
		}
		fprintf(f, "path\tverdict\tscore\tlatency_us\n");
		for (size_t k = 0; k < c.n; k++) {
			struct nise_result *res = NULL;
			double t0 = now();
			nise_rc rc = nise_scan(&res, e, c.bufs[k], c.lens[k]);
			double dt = now() - t0;
			fprintf(f, "%s\t%s\t%.2f\t%.0f\n", c.names[k],
			        rc == NISE_OK ? nise_verdict_name(res->verdict) : "error", rc == NISE_OK ? res->score : 0.0,
			        dt * 1e6);
			if (rc == NISE_OK)
				nise_result_free(res);
		}
		fclose(f);
	}
	double *rate = calloc((size_t)runs, sizeof(double));
	double *cpus = calloc((size_t)runs, sizeof(double));
	for (int r = 0; r < runs; r++) {
		double t0 = now(), c0 = cpu();
		for (size_t k = 0; k < c.n; k++) {
			struct nise_result *res = NULL;
			if (nise_scan(&res, e, c.bufs[k], c.lens[k]) == NISE_OK)
				nise_result_free(res);
		}
		double dt = now() - t0;
		cpus[r] = cpu() - c0;
		rate[r] = (double)c.n / dt;
		printf("run %d: %zu messages in %.3f s wall, %.3f s CPU: %.0f msg/s\n", r + 1, c.n, dt,
		       cpus[r], rate[r]);
	}
	qsort(rate, (size_t)runs, sizeof(double), cmpd);
	qsort(cpus, (size_t)runs, sizeof(double), cmpd);
	double med = rate[runs / 2];
	printf("%s: %zu messages, %.1f MB; median %.0f msg/s (%.1f MB/s), %.1f us/msg CPU\n",
	       parse_only ? "parse-only" : no_model ? "checks-only" : "full-check", c.n, (double)c.bytes / 1e6, med,
	       med * (double)c.bytes / (double)c.n / 1e6, cpus[runs / 2] / (double)c.n * 1e6);
	nise_engine_free(e);
	for (size_t k = 0; k < c.n; k++) {
		free(c.bufs[k]);
		free(c.names[k]);
	}
	free(c.names);
	free(c.bufs);
	free(c.lens);
	free(rate);
	free(cpus);
	return 0;
}
