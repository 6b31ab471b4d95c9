/* SPDX-License-Identifier: MIT */
/*
 * train.c — `nise train`: fit the learned model on labelled mail.
 *
 *   1. Every message is scanned once with the checks and no model; its
 *      hashed features (src/lib/model/features.c) are kept. "phish" is
 *      positive; "ham" and "spam" are negative (spam is unwanted, not
 *      impersonation); other labels are skipped.
 *   2. Grouped k-fold cross-validation: copies of one campaign share a
 *      fold, so the model is never tested on a copy of its training mail.
 *      The group is the dup_group of --groups when the file is listed
 *      there, else a hash of the subject and the start of the body with
 *      digits, spaces and punctuation removed (what changes between
 *      copies of a campaign).
 *   3. Each fold's model is an L2-regularised logistic regression
 *      (liblinear, primal trust-region Newton: deterministic). Platt
 *      scaling is fitted on the out-of-fold margins.
 *   4. Each message is scanned again through the real engine with its
 *      fold's model loaded, so the cross-validated figures for "checks +
 *      model" are those of the code that runs in production, not of a
 *      re-implementation of the verdict rule.
 *   5. The final model is fitted on everything and written with the
 *      calibration and the figures as metadata (--out), plus a Markdown
 *      report (--report) and the out-of-fold predictions (--oof) that
 *      bench/model/plot.sh draws.
 */
#include <linear.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"

#define MAX_SETS 64

struct sample {
	uint32_t *feat;
	size_t nfeat;
	double value;
	int y;              /* +1 phish, -1 not */
	unsigned set;
	uint64_t group;
	unsigned fold;
	double margin;      /* out of fold */
	double check_score;
	int check_verdict;
	double cv_p, cv_score;
	int cv_verdict;
	char *where;
};

struct train {
	struct nise_engine *engine;     /* pass 1 */
	struct nise_engine **fold_eng;  /* pass 2 */
	struct sample *s;
	size_t n, cap, pass2_i;
	char *sets[MAX_SETS];
	unsigned nsets;
	const char *cur_label;
	unsigned cur_set;
	const char *cur_group;
	struct cli_sets in;
	unsigned folds;
	double C;
	bool pass2;
};

static uint64_t fnv64(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* Letters (and any non-ASCII byte) of s, lowercased, up to max bytes. */
static uint64_t shape_hash(uint64_t h, const char *s, size_t max)
{
	size_t taken = 0;
	for (; s && *s && taken < max; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch + 32);
		if ((ch >= 'a' && ch <= 'z') || ch >= 0x80) {
			char c = (char)ch;
			h = fnv64(h, &c, 1);
			taken++;
		}
	}
	return h;
}

static unsigned set_index(struct train *t, const char *name)
{
	for (unsigned i = 0; i < t->nsets; i++)
		if (strcmp(t->sets[i], name) == 0)
			return i;
	if (t->nsets == MAX_SETS)
		return MAX_SETS - 1;
	t->sets[t->nsets] = strdup(name);
	return t->nsets++;
}

static int label_y(const char *label)
{
	if (strcmp(label, "phish") == 0)
		return 1;
	if (strcmp(label, "ham") == 0 || strcmp(label, "spam") == 0)
		return -1;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool on_message(const struct cli_msg *m, void *vctx)
{
	struct train *t = vctx;
	int y = label_y(t->cur_label);
	if (!y)
		return true;
	if (t->pass2) {
		if (t->pass2_i >= t->n)
			return false;
		struct sample *s = &t->s[t->pass2_i++];
		struct nise_result *r = NULL;
		if (nise_scan(&r, t->fold_eng[s->fold], m->buf, m->n) != NISE_OK)
			return true;
		s->cv_p = r->model_p;
		s->cv_score = r->score;
		s->cv_verdict = (int)r->verdict;
		nise_result_free(r);
		return true;
	}
	struct nise_result *r = NULL;
	if (nise_scan(&r, t->engine, m->buf, m->n) != NISE_OK)
		return true;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 1024;
		struct sample *ns = realloc(t->s, nc * sizeof(*ns));
		if (!ns) {
			nise_result_free(r);
			return false;
		}
		t->s = ns;
		t->cap = nc;
	}
	struct sample *s = &t->s[t->n++];
	memset(s, 0, sizeof(*s));
	s->y = y;
	s->set = t->cur_set;
	s->nfeat = r->nfeatures;
	s->value = r->features_value;
	s->feat = malloc((r->nfeatures ? r->nfeatures : 1) * sizeof(uint32_t));
	if (s->feat) {
		memcpy(s->feat, r->features, r->nfeatures * sizeof(uint32_t));
		qsort(s->feat, s->nfeat, sizeof(uint32_t), cmp_u32);
	} else {
		s->nfeat = 0;
	}
	s->check_score = r->check_score;
	s->check_verdict = (int)r->check_verdict;
	if (t->cur_group) {
		s->group = fnv64(1469598103934665603ull ^ 1, t->cur_group, strlen(t->cur_group));
	} else {
		uint64_t h = shape_hash(1469598103934665603ull, r->msg->subject, 200);
		s->group = shape_hash(h, r->msg->visible_text, 300);
	}
	s->fold = (unsigned)(mix(s->group) % t->folds);
	char where[4200];
	if (m->in_mbox)
		snprintf(where, sizeof(where), "%s#%zu", m->source, m->index);
	else
		snprintf(where, sizeof(where), "%s", m->source);
	s->where = strdup(where);
	nise_result_free(r);
	return true;
}

static void run_path(struct train *t, const char *label, char *path, const char *set)
{
	if (!label_y(label))
		return;
	t->cur_label = label;
	t->cur_set = set_index(t, set);
	t->cur_group = cli_group_of(t->in.groups, path);
	char *inputs[1] = {path};
	cli_for_each_message(inputs, 1, on_message, t);
}

static void on_listed(const char *label, char *path, const char *listed, void *vctx)
{
	if (!listed) { /* LABEL=PATH: the label is the set */
		run_path(vctx, label, path, label);
		return;
	}
	/* the set: the first two components of the listed path (phish/pot) */
	char set[160];
	const char *slash = strchr(listed, '/');
	const char *slash2 = slash ? strchr(slash + 1, '/') : NULL;
	int n = slash2 ? (int)(slash2 - listed) : (int)strlen(listed);
	if (n > 100)
		n = 100;
	/* a folder may hold several labels (jp/nvdimm: phish and spam) */
	snprintf(set, sizeof(set), "%.*s %s", n, listed, label);
	run_path(vctx, label, path, set);
}

static void quiet(const char *s)
{
	(void)s;
}

/* Fits on samples whose fold != skip (skip = folds: all). w receives
 * nise_model_dims() weights; returns the bias. */
/* Returns 1 when fitted, 0 on an error, -1 when the samples outside fold
 * skip hold one label only (a tiny set split into folds). */
static int fit(struct train *t, unsigned skip, float *w, double *bias)
{
	size_t dims = nise_model_dims();
	size_t l = 0, nnz = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i].fold != skip) {
			l++;
			nnz += t->s[i].nfeat + 2;
		}
	struct problem prob = {.l = (int)l, .n = (int)dims + 1, .bias = 1.0};
	prob.y = malloc(l * sizeof(double));
	prob.x = malloc(l * sizeof(struct feature_node *));
	struct feature_node *pool = malloc(nnz * sizeof(struct feature_node));
	if (!prob.y || !prob.x || !pool) {
		free(prob.y);
		free(prob.x);
		free(pool);
		return 0;
	}
	size_t k = 0, at = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct sample *s = &t->s[i];
		if (s->fold == skip)
			continue;
		prob.y[k] = s->y;
		prob.x[k] = &pool[at];
		for (size_t j = 0; j < s->nfeat; j++)
			pool[at++] = (struct feature_node){.index = (int)s->feat[j] + 1, .value = s->value};
		pool[at++] = (struct feature_node){.index = (int)dims + 1, .value = 1.0};
		pool[at++] = (struct feature_node){.index = -1, .value = 0};
		k++;
	}
	struct parameter param = {.solver_type = L2R_LR, .eps = 0.01, .C = t->C};
	set_print_string_function(quiet);
	const char *err = check_parameter(&prob, &param);
	bool ok = !err;
	if (ok) {
		struct model *m = train(&prob, &param);
		if (!m || get_nr_class(m) != 2) {
			/* one label only: liblinear's model then has no weight
			 * vector to read */
			int r = m ? -1 : 0;
			if (m)
				free_and_destroy_model(&m);
			free(prob.y);
			free(prob.x);
			free(pool);
			return r;
		}
		double sign = m->label[0] == 1 ? 1.0 : -1.0;
		for (size_t i = 0; i < dims; i++)
			w[i] = (float)(sign * m->w[i]);
		*bias = sign * m->w[dims];
		free_and_destroy_model(&m);
	} else {
		fprintf(stderr, "nise train: %s\n", err);
	}
	free(prob.y);
	free(prob.x);
	free(pool);
	return ok ? 1 : 0;
}

static double margin_of(const struct sample *s, const float *w, double bias)
{
	double m = 0;
	for (size_t j = 0; j < s->nfeat; j++)
		m += w[s->feat[j]];
	return bias + m * s->value;
}

/* Platt scaling (Lin, Lin and Weng's robust Newton form): A, B such that
 * P(y=1|f) = 1 / (1 + exp(A f + B)). */
static void platt(const struct train *t, double *A, double *B)
{
	double prior1 = 0, prior0 = 0;
	for (size_t i = 0; i < t->n; i++)
		*(t->s[i].y > 0 ? &prior1 : &prior0) += 1;
	double hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2);
	double a = 0, b = log((prior0 + 1) / (prior1 + 1)), fval = 0;
	for (size_t i = 0; i < t->n; i++) {
		double tt = t->s[i].y > 0 ? hi : lo, fApB = t->s[i].margin * a + b;
		fval += fApB >= 0 ? tt * fApB + log(1 + exp(-fApB)) : (tt - 1) * fApB + log(1 + exp(fApB));
	}
	for (int it = 0; it < 100; it++) {
		double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
		for (size_t i = 0; i < t->n; i++) {
			double f = t->s[i].margin, tt = t->s[i].y > 0 ? hi : lo, fApB = f * a + b;
			double p = fApB >= 0 ? exp(-fApB) / (1 + exp(-fApB)) : 1 / (1 + exp(fApB));
			double q = 1 - p, d2 = p * q, d1 = tt - p;
			h11 += f * f * d2;
			h22 += d2;
			h21 += f * d2;
			g1 += f * d1;
			g2 += d1;
		}
		if (fabs(g1) < 1e-5 && fabs(g2) < 1e-5)
			break;
		double det = h11 * h22 - h21 * h21;
		double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
		double gd = g1 * dA + g2 * dB, step = 1;
		while (step >= 1e-10) {
			double na = a + step * dA, nb = b + step * dB, nf = 0;
			for (size_t i = 0; i < t->n; i++) {
				double tt = t->s[i].y > 0 ? hi : lo, fApB = t->s[i].margin * na + nb;
				nf += fApB >= 0 ? tt * fApB + log(1 + exp(-fApB)) : (tt - 1) * fApB + log(1 + exp(fApB));
			}
			if (nf < fval + 1e-4 * step * gd) {
				a = na;
				b = nb;
				fval = nf;
				break;
			}
			step /= 2;
		}
		if (step < 1e-10)
			break;
	}
	*A = a;
	*B = b;
}

struct tally {
	size_t n, pos, check[3], model[2], comb[3];
};

/* Per set, then all phish and all other mail: [MAX_SETS] and [MAX_SETS + 1]. */
static json_t *figures(const struct train *t, struct tally *tl)
{
	memset(tl, 0, sizeof(*tl) * (MAX_SETS + 2));
	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		struct tally *xs[2] = {&tl[s->set], &tl[s->y > 0 ? MAX_SETS : MAX_SETS + 1]};
		for (unsigned k = 0; k < 2; k++) {
			struct tally *x = xs[k];
			x->n++;
			x->pos += s->y > 0;
			x->check[s->check_verdict]++;
			x->model[s->cv_p >= 0.5]++;
			x->comb[s->cv_verdict]++;
		}
	}
	json_t *o = json_object();
	for (unsigned k = 0; k < MAX_SETS + 2; k++) {
		const struct tally *x = &tl[k];
		if (k >= t->nsets && k < MAX_SETS)
			continue;
		const char *name = k < MAX_SETS ? t->sets[k] : k == MAX_SETS ? "all phish" : "all other";
		/* [phishing, suspicious, clean]; model: [flagged, not] */
		json_object_set_new(o, name,
		    json_pack("{s:i,s:i,s:[i,i,i],s:[i,i],s:[i,i,i]}", "messages", (json_int_t)x->n,
		              "phish", (json_int_t)x->pos, "checks", (json_int_t)x->check[2],
		              (json_int_t)x->check[1], (json_int_t)x->check[0], "model",
		              (json_int_t)x->model[1], (json_int_t)x->model[0], "combined",
		              (json_int_t)x->comb[2], (json_int_t)x->comb[1], (json_int_t)x->comb[0]));
	}
	return o;
}

static void pct(FILE *f, size_t a, size_t n)
{
	fprintf(f, " %6.2f%% |", n ? 100.0 * (double)a / (double)n : 0.0);
}

static void report_md(FILE *f, const struct train *t, const struct tally *tl, double A, double B)
{
	fprintf(f, "Cross-validated (%u folds, campaigns kept in one fold), C = %g, Platt A = %.4f, B = %.4f.\n\n",
	        t->folds, t->C, A, B);
	fprintf(f, "Flagged = phishing or suspicious; \"model alone\" flags at p >= 0.5.\n\n");
	fprintf(f, "| set | messages | checks: phishing | checks: flagged | model alone: flagged | checks + model: phishing | checks + model: flagged |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned k = 0; k < MAX_SETS + 2; k++) {
		const struct tally *x = &tl[k];
		if (k >= t->nsets && k < MAX_SETS)
			continue;
		const char *name = k < MAX_SETS ? t->sets[k] : k == MAX_SETS ? "**all phish**" : "**all ham and spam**";
		fprintf(f, "| %s | %zu |", name, x->n);
		pct(f, x->check[2], x->n);
		pct(f, x->check[2] + x->check[1], x->n);
		pct(f, x->model[1], x->n);
		pct(f, x->comb[2], x->n);
		pct(f, x->comb[2] + x->comb[1], x->n);
		fputc('\n', f);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nise train [--manifest TSV --root DIR [--only PREFIX]] [--groups TSV]\n"
	                "                  [--folds K] [--C C] [--out MODEL] [--report MD] [--oof TSV]\n"
	                "                  [--cv-json FILE]\n"
	                "                  [LABEL=PATH]...\n"
	                "       --store [--db PATH|--redis URL]: also the mails nise learn kept (phish, ham)\n");
}

/* argv plus "phish=DIR/phish" and "ham=DIR/ham" for the directories of
 * learned mails that exist (cli_learned_dir). */
static bool store_sets(const struct cli_store_opts *so, int argc, char **argv, char ***out, int *outc,
                       char *extra[2])
{
	char dir[1024];
	if (!cli_learned_dir(so, dir, sizeof(dir))) {
		fprintf(stderr, "nise train: --store: no store named (--db PATH or --redis URL)\n");
		return false;
	}
	char **a = calloc((size_t)argc + 3, sizeof(*a));
	if (!a)
		return false;
	memcpy(a, argv, (size_t)argc * sizeof(*a));
	int n = argc;
	const char *labels[2] = {"phish", "ham"};
	for (int k = 0; k < 2; k++) {
		size_t len = strlen(dir) + 16;
		extra[k] = malloc(len);
		if (!extra[k])
			continue;
		snprintf(extra[k], len, "%s=%s/%s", labels[k], dir, labels[k]);
		struct stat st;
		if (stat(strchr(extra[k], '=') + 1, &st) == 0 && S_ISDIR(st.st_mode))
			a[n++] = extra[k];
		else
			fprintf(stderr, "nise train: --store: no learned %s mail (%s)\n", labels[k], strchr(extra[k], '=') + 1);
	}
	a[n] = NULL;
	*out = a;
	*outc = n;
	return true;
}

int cli_train(int argc, char **argv)
{
	struct train t = {.folds = 5, .C = 256.0};
	const char *out = NULL, *report = NULL, *oof = NULL, *cv_json = NULL;
	struct nise_engine_opts opts = {0};
	struct cli_config conf;
	if (!cli_config_apply(&conf, &opts, argc, argv))
		return 2;
	int i = 1;
	bool from_store = false;
	struct cli_store_opts so = {0};
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			i++;
		else if (strcmp(argv[i], "--store") == 0)
			from_store = true;
		else if (cli_store_arg(&so, argc, argv, &i))
			continue;
		else if (cli_sets_arg(&t.in, argc, argv, &i))
			continue;
		else if (strcmp(argv[i], "--folds") == 0 && i + 1 < argc)
			t.folds = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--C") == 0 && i + 1 < argc)
			t.C = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
			report = argv[++i];
		else if (strcmp(argv[i], "--oof") == 0 && i + 1 < argc)
			oof = argv[++i];
		else if (strcmp(argv[i], "--cv-json") == 0 && i + 1 < argc)
			cv_json = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			opts.data_dir = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "nise train: unknown option '%s'\n", argv[i]);
			usage();
			return 2;
		} else
			break;
	}
	/* --store: the mails nise learn kept, as two more LABEL=PATH sets */
	char **args = argv;
	char *extra[2] = {NULL, NULL};
	if (from_store && !store_sets(&so, argc, argv, &args, &argc, extra)) {
		cli_sets_close(&t.in);
		return 2;
	}
	if (t.folds < 2 || t.folds > 20 || !(t.C > 0) || !cli_sets_open(&t.in, "train", argc, args, i)) {
		free(extra[0]);
		free(extra[1]);
		if (args != argv)
			free(args);
		usage();
		cli_sets_close(&t.in);
		return 2;
	}
	opts.no_model = true;
	opts.keep_features = true;
	char diag[512] = "";
	if (nise_engine_new(&t.engine, &opts, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "nise: cannot start: %s\n", diag);
		cli_sets_close(&t.in);
		free(extra[0]);
		free(extra[1]);
		if (args != argv)
			free(args);
		return 2;
	}
	int rc = 2;
	size_t dims = nise_model_dims();
	float *w = malloc(dims * sizeof(float));
	/* each fold's weights stay in memory until the calibration, fitted on
	 * every fold's margins, can be written with them */
	float *fold_w = malloc((size_t)t.folds * dims * sizeof(float));
	double *fold_b = calloc(t.folds, sizeof(double));
	struct tally *tl = calloc(MAX_SETS + 2, sizeof(*tl));
	char tmpdir[] = "/tmp/nise-train-XXXXXX";
	bool have_tmp = false;
	t.fold_eng = calloc(t.folds, sizeof(*t.fold_eng));
	if (!w || !fold_w || !fold_b || !tl || !t.fold_eng || !cli_sets_each(&t.in, "train", on_listed, &t))
		goto out;
	size_t npos = 0;
	for (size_t k = 0; k < t.n; k++)
		npos += t.s[k].y > 0;
	if (!npos || npos == t.n) {
		fprintf(stderr, "nise train: need both phish and ham/spam messages (%zu of %zu phish)\n", npos, t.n);
		goto out;
	}
	fprintf(stderr, "nise train: %zu messages (%zu phish), %u folds\n", t.n, npos, t.folds);
	if (!mkdtemp(tmpdir))
		goto out;
	have_tmp = true;
	/* out-of-fold margins */
	for (unsigned f = 0; f < t.folds; f++) {
		float *fw = fold_w + (size_t)f * dims;
		int fr = fit(&t, f, fw, &fold_b[f]);
		if (fr == 0)
			goto out;
		if (fr < 0) {
			/* too few mails of one label to train without this fold:
			 * its mails get no out-of-fold opinion (p = 0.5) */
			fprintf(stderr, "nise train: fold %u: the other folds hold one label only; its mails are not "
			                "cross-validated (give more mail of each label)\n", f);
			memset(fw, 0, dims * sizeof(*fw));
			fold_b[f] = 0;
		}
		for (size_t k = 0; k < t.n; k++)
			if (t.s[k].fold == f)
				t.s[k].margin = margin_of(&t.s[k], fw, fold_b[f]);
	}
	double A, B;
	platt(&t, &A, &B);
	/* each fold's model, calibrated, loaded by an engine of its own */
	for (unsigned f = 0; f < t.folds; f++) {
		char path[64];
		snprintf(path, sizeof(path), "%s/fold%u.bin", tmpdir, f);
		if (nise_model_write(path, fold_w + (size_t)f * dims, dims, fold_b[f], A, B, NULL) != NISE_OK)
			goto out;
		struct nise_engine_opts po = opts;
		po.keep_features = false;
		po.no_model = false;
		po.model_path = path;
		if (nise_engine_new(&t.fold_eng[f], &po, diag, sizeof(diag)) != NISE_OK) {
			fprintf(stderr, "nise train: %s\n", diag);
			goto out;
		}
	}
	t.pass2 = true;
	if (!cli_sets_each(&t.in, "train", on_listed, &t))
		goto out;
	json_t *cv = figures(&t, tl);
	if (cv_json && json_dump_file(cv, cv_json, JSON_PRESERVE_ORDER | JSON_INDENT(1)) != 0) {
		fprintf(stderr, "nise train: cannot write %s\n", cv_json);
		json_decref(cv);
		goto out;
	}

	double bias;
	if (fit(&t, t.folds, w, &bias) != 1)
		goto out;
	json_t *meta = json_pack("{s:i,s:i,s:s,s:f,s:i,s:{s:f,s:f},s:o}", "format", 1, "dims",
	                         (json_int_t)dims, "solver", "liblinear L2R_LR", "C", t.C, "folds",
	                         (json_int_t)t.folds, "platt", "A", A, "B", B, "cross_validated", cv);
	json_object_set_new(meta, "training_set", json_string(t.in.manifest ? t.in.manifest : "LABEL=PATH arguments"));
	char *ms = json_dumps(meta, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(meta);
	if (out && nise_model_write(out, w, dims, bias, A, B, ms) != NISE_OK) {
		fprintf(stderr, "nise train: cannot write %s\n", out);
		free(ms);
		goto out;
	}
	free(ms);
	report_md(stdout, &t, tl, A, B);
	if (report) {
		FILE *f = fopen(report, "w");
		if (!f) {
			fprintf(stderr, "nise train: cannot write %s\n", report);
			goto out;
		}
		report_md(f, &t, tl, A, B);
		fclose(f);
	}
	if (oof) {
		FILE *f = fopen(oof, "w");
		if (!f) {
			fprintf(stderr, "nise train: cannot write %s\n", oof);
			goto out;
		}
		fprintf(f, "set\tphish\tcheck_score\tmodel_p\tcombined_score\tcombined_verdict\tpath\n");
		for (size_t k = 0; k < t.n; k++) {
			const struct sample *s = &t.s[k];
			fprintf(f, "%s\t%d\t%.3f\t%.5f\t%.3f\t%s\t%s\n", t.sets[s->set], s->y > 0, s->check_score,
			        s->cv_p, s->cv_score, nise_verdict_name((enum nise_verdict)s->cv_verdict), s->where);
		}
		fclose(f);
	}
	rc = 0;
out:
	if (have_tmp) {
		for (unsigned f = 0; f < t.folds; f++) {
			char path[64];
			snprintf(path, sizeof(path), "%s/fold%u.bin", tmpdir, f);
			unlink(path);
		}
		rmdir(tmpdir);
	}
	for (unsigned f = 0; t.fold_eng && f < t.folds; f++)
		nise_engine_free(t.fold_eng[f]);
	free(t.fold_eng);
	for (size_t k = 0; k < t.n; k++) {
		free(t.s[k].feat);
		free(t.s[k].where);
	}
	free(t.s);
	for (unsigned k = 0; k < t.nsets; k++)
		free(t.sets[k]);
	free(w);
	free(fold_w);
	free(fold_b);
	free(tl);
	cli_sets_close(&t.in);
	free(extra[0]);
	free(extra[1]);
	if (args != argv)
		free(args);
	nise_engine_free(t.engine);
	return rc;
}
