/* SPDX-License-Identifier: MIT */
/*
 * apply.c — the learned model's part in the verdict.
 *
 * The model's calibrated probability p becomes one more finding: its log
 * odds, scaled and clipped, add points towards phishing (MODEL_PHISHING)
 * or take them away (MODEL_GENUINE), next to the checks' points:
 *
 *     points = clamp(MODEL_OFFSET + MODEL_SCALE * ln(p / (1 - p)),
 *                    -MODEL_MAX_DOWN, +MODEL_MAX_UP)
 *
 * so p = 0.5 is worth 2.1 points, p = 0.71 the 3 of "suspicious", p = 0.98
 * about 6, and a mail the model finds genuine (p < 0.11) loses points.
 * The offset was chosen on the cross-validated predictions of `make
 * model` (bench/model/oof.tsv.gz): the lowest probability that makes a
 * mail suspicious on its own while ham stays under 0.2 % suspicious.
 *
 * Two rules keep the checks in charge of what they can explain:
 *   - with no check pointing at phishing, the model alone can make a mail
 *     suspicious, never phishing;
 *   - with no check pointing at phishing and the sender a brand's own
 *     domain that passed DMARC (or aligned DKIM), the model adds nothing.
 * The finding names the features that weighed most, so a verdict the
 * model tipped is explained by words and domains, not by a number.
 * (docs/model.md; the constants are chosen on cross-validated
 * predictions, see data/model.md.)
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checks/check.h"
#include "model/model.h"

#define MODEL_OFFSET 2.1
#define MODEL_SCALE 1.0
#define MODEL_MAX_UP 5.0
#define MODEL_MAX_DOWN 3.0
#define MODEL_MIN_POINTS 0.25 /* less than this is not worth a line */
#define TOP_K 5

size_t nise_model_dims(void)
{
	return (size_t)1 << NISE_FEATURE_BITS;
}

/* The k features with the largest contribution in direction sign,
 * leaving out the checks' hits (their findings are listed already). */
static size_t top_features(struct nise_ctx *c, const struct nise_featvec *x, double sign,
                           struct nise_model_feature *out, const char **ja, size_t k)
{
	size_t n = 0;
	double best[TOP_K];
	size_t at[TOP_K];
	for (size_t i = 0; i < x->n; i++) {
		double w = sign * nise_model_weight(c->d->model, x->v[i].idx) * x->value;
		if (w <= 0 || x->v[i].ns == NS_CHECK)
			continue;
		size_t j = n < k ? n++ : k;
		if (j == k) {
			if (w <= best[k - 1])
				continue;
			j = k - 1;
		}
		while (j > 0 && best[j - 1] < w) {
			best[j] = best[j - 1];
			at[j] = at[j - 1];
			j--;
		}
		best[j] = w;
		at[j] = i;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].name = nise_feat_name(c->a, &x->v[at[i]]);
		out[i].weight = sign * best[i];
		ja[i] = nise_feat_name_ja(c->a, &x->v[at[i]]);
	}
	return n;
}

void nise_model_apply(struct nise_ctx *c, double check_score)
{
	struct nise_result *r = c->r;
	struct nise_featvec x;
	nise_features_extract(c, &x);
	if (c->d->keep_features) {
		uint32_t *idx = nise_arena_alloc(c->a, (x.n ? x.n : 1) * sizeof(*idx));
		if (idx) {
			for (size_t i = 0; i < x.n; i++)
				idx[i] = x.v[i].idx;
			r->features = idx;
			r->nfeatures = x.n;
			r->features_value = x.value;
		}
	}
	if (!c->d->model)
		return;
	double margin = nise_model_margin(c->d->model, &x);
	double p = nise_model_prob(c->d->model, margin);
	r->model_margin = margin;
	r->model_p = p;

	double pe = p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
	double pts = MODEL_OFFSET + MODEL_SCALE * log(pe / (1 - pe));
	if (pts > MODEL_MAX_UP)
		pts = MODEL_MAX_UP;
	if (pts < -MODEL_MAX_DOWN)
		pts = -MODEL_MAX_DOWN;
	bool checks_point = false;
	const struct nise_finding *fs = c->findings.items;
	for (size_t i = 0; i < c->findings.n; i++)
		checks_point |= fs[i].score > 0;
	if (!checks_point && pts > 0) {
		/* a mailbox provider's domain (gmail.com) is anyone's */
		if (c->from_brand >= 0 && !c->from_freemail && c->from_authenticated)
			pts = 0;
		double room = c->d->w_phishing - 0.05 - check_score;
		if (pts > room)
			pts = room > 0 ? room : 0;
	}
	/* taking points from a mail no check accused says nothing */
	if (fabs(pts) < MODEL_MIN_POINTS || (pts < 0 && check_score <= 0))
		return;

	struct nise_model_feature *top = nise_arena_alloc(c->a, TOP_K * sizeof(*top));
	if (!top)
		return;
	const char *ja[TOP_K];
	r->model_top = top;
	r->nmodel_top = top_features(c, &x, pts > 0 ? 1.0 : -1.0, top, ja, TOP_K);
	struct nise_buf b, bj;
	nise_buf_init(&b, c->a, 0);
	nise_buf_init(&bj, c->a, 0);
	for (size_t i = 0; i < r->nmodel_top; i++) {
		if (i) {
			nise_buf_append(&b, ", ", 2);
			nise_buf_append(&bj, "、", strlen("、"));
		}
		nise_buf_append(&b, top[i].name, strlen(top[i].name));
		nise_buf_append(&bj, ja[i], strlen(ja[i]));
	}
	const char *list = nise_buf_cstr(&b);
	const char *list_ja = nise_buf_cstr(&bj);
	char pct[16];
	/* "100 %" would overstate what a model knows */
	double shown = 100.0 * p < 1 ? 1 : 100.0 * p > 99 ? 99 : 100.0 * p;
	snprintf(pct, sizeof(pct), "%.0f", shown);
	const char *ev = nise_arena_printf(c->a, "p=%.3f; %s", p, list);
	const char *args[2] = {pct, list}, *args_ja[2] = {pct, list_ja};
	nise_ctx_finding_ja(c, pts > 0 ? "MODEL_PHISHING" : "MODEL_GENUINE", fabs(pts), ev, args, args_ja, 2);
}
