/* SPDX-License-Identifier: MIT */
/*
 * test_model.c — the learned model: file format and its refusals, the
 * features a mail yields, and how the model's probability enters the
 * verdict (points, the two limits on its power, the explanation).
 *
 * Models here are written by the test with known weights, so every
 * probability and score is computed exactly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "nise/nise.h"
#include "t.h"

static char dir[] = "/tmp/nise-test-model-XXXXXX";
static float *w;

static const char *path_of(const char *name)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static struct nise_engine *engine_with(const char *model, bool keep)
{
	struct nise_engine_opts o = {0};
	nise_limits_default(&o.limits);
	o.arena_debug = true;
	o.data_dir = NISE_SOURCE_ROOT "/data";
	o.model_path = model;
	o.no_model = model == NULL;
	o.keep_features = keep;
	static const char *const trusted[] = {"mx.example.net"};
	o.trusted_authserv_ids = trusted;
	o.ntrusted_authserv_ids = 1;
	struct nise_engine *e = NULL;
	char diag[512] = "";
	if (nise_engine_new(&e, &o, diag, sizeof(diag)) != NISE_OK)
		fprintf(stderr, "engine: %s\n", diag);
	return e;
}

static struct nise_result *scan(struct nise_engine *e, const char *mail)
{
	struct nise_result *r = NULL;
	T_INT(nise_scan(&r, e, mail, strlen(mail)), NISE_OK);
	return r;
}

static const struct nise_finding *finding(const struct nise_result *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}

static void write_file(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

static const char plain[] = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n"
                            "Subject: lunch\r\n\r\nPlease verify the time for lunch.\r\n";
/* a display name claiming JCB from another domain: SENDER_BRAND_MISMATCH (4.5) */
static const char jcb[] = "From: \"JCB\" <info@cqf-card.example>\r\nTo: bob@example.net\r\n"
                          "Subject: notice\r\n\r\nhello\r\n";
/* Google's own domain, DMARC pass at the receiver (BRAND_AUTHENTICATED) */
static const char google[] =
	"Authentication-Results: mx.example.net; dmarc=pass header.from=google.com\r\n"
	"From: Google <no-reply@google.com>\r\nTo: bob@example.net\r\n"
	"Subject: lunch\r\n\r\nPlease verify the time for lunch.\r\n";

static void file_format(void)
{
	struct nise_model *m = NULL;
	char diag[512];
	T_INT(nise_model_load(&m, path_of("absent.bin"), diag, sizeof(diag)), NISE_EIO);
	T_CHECK(m == NULL, "no model on error");
	write_file("junk.bin", "this is not a model, just some bytes of text that are long enough to "
	                       "fill a header", 82);
	T_INT(nise_model_load(&m, path_of("junk.bin"), diag, sizeof(diag)), NISE_EPARSE);
	T_CHECK(strstr(diag, "bad magic") != NULL, "diag names the cause: %s", diag);
	write_file("short.bin", "NISEMDL1", 8);
	T_INT(nise_model_load(&m, path_of("short.bin"), diag, sizeof(diag)), NISE_EPARSE);

	size_t dims = nise_model_dims();
	T_INT(dims, (size_t)1 << NISE_FEATURE_BITS);
	T_INT(nise_model_write(path_of("bad.bin"), w, dims - 1, 0, -1, 0, NULL), NISE_EINVAL);
	T_INT(nise_model_write(path_of("ok.bin"), w, dims, 0.5, -1, 0, "{\"x\":1}"), NISE_OK);
	T_INT(nise_model_load(&m, path_of("ok.bin"), diag, sizeof(diag)), NISE_OK);
	if (m) {
		T_STR(nise_model_meta(m), "{\"x\":1}");
		T_CHECK(NEAR(nise_model_prob(m, 0.0), 0.5), "p(0) with A=-1, B=0");
		nise_model_free(m);
	}
	/* truncated: one weight short */
	FILE *f = fopen(path_of("ok.bin"), "rb");
	char *buf = malloc(64 + dims * 4 + 7);
	size_t n = f && buf ? fread(buf, 1, 64 + dims * 4 + 7, f) : 0;
	if (f)
		fclose(f);
	T_INT(n, 64 + dims * 4 + 7);
	write_file("trunc.bin", buf, n - 11);
	T_INT(nise_model_load(&m, path_of("trunc.bin"), diag, sizeof(diag)), NISE_EPARSE);
	T_CHECK(strstr(diag, "size does not match") != NULL, "diag: %s", diag);
	/* another feature version */
	uint32_t v = NISE_FEATURE_VERSION + 1;
	memcpy(buf + 8, &v, 4);
	write_file("oldver.bin", buf, n);
	T_INT(nise_model_load(&m, path_of("oldver.bin"), diag, sizeof(diag)), NISE_EPARSE);
	T_CHECK(strstr(diag, "feature version") != NULL, "diag: %s", diag);
	free(buf);

	/* an engine told to use a broken model does not start */
	T_CHECK(engine_with(path_of("junk.bin"), false) == NULL, "broken model refused");
}

static void features(void)
{
	struct nise_engine *e = engine_with(NULL, true);
	if (!e)
		return;
	struct nise_result *r = scan(e, plain);
	if (r) {
		T_CHECK(r->nfeatures > 5, "features: %zu", r->nfeatures);
		T_CHECK(NEAR(r->features_value, 1.0 / sqrt((double)r->nfeatures)), "value 1/sqrt(n)");
		T_CHECK(r->model_p < 0, "no model: p = -1");
		bool verify = false, time = false, the = false, bob = false;
		for (size_t i = 0; i < r->nfeatures; i++) {
			verify |= r->features[i] == nise_feat_index(NS_WORD, "verify", 6);
			time |= r->features[i] == nise_feat_index(NS_WORD, "time", 4);
			the |= r->features[i] == nise_feat_index(NS_SUBJ_WORD, "lunch", 5);
			/* the recipient's own name is not a feature (phishing@pot) */
			bob |= r->features[i] == nise_feat_index(NS_WORD, "bob", 3);
			for (size_t k = 0; k < i; k++)
				T_CHECK(r->features[k] != r->features[i], "features are distinct");
		}
		T_CHECK(verify && time && the, "words of body and subject present");
		T_CHECK(!bob, "no word that is not in the mail");
		nise_result_free(r);
	}
	const char *to_bob = "From: a@example.org\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\n"
	                     "Dear bob, your mailbox example is full\r\n";
	r = scan(e, to_bob);
	if (r) {
		bool bob = false, example = false, dear = false;
		for (size_t i = 0; i < r->nfeatures; i++) {
			bob |= r->features[i] == nise_feat_index(NS_WORD, "bob", 3);
			example |= r->features[i] == nise_feat_index(NS_WORD, "example", 7);
			dear |= r->features[i] == nise_feat_index(NS_WORD, "dear", 4);
		}
		T_CHECK(!bob && !example && dear, "recipient tokens dropped, other words kept");
		nise_result_free(r);
	}
	nise_engine_free(e);
}

static void verdicts(void)
{
	size_t dims = nise_model_dims();
	memset(w, 0, dims * sizeof(float));
	/* bias 3: p = 1/(1+e^-3) = 0.952574; points = 2 + 3 = 5 */
	T_INT(nise_model_write(path_of("b3.bin"), w, dims, 3.0, -1, 0, NULL), NISE_OK);
	struct nise_engine *e = engine_with(path_of("b3.bin"), false);
	if (!e)
		return;
	struct nise_result *r = scan(e, plain);
	if (r) {
		T_CHECK(NEAR(r->model_p, 1 / (1 + exp(-3.0))), "p = %f", r->model_p);
		T_INT(r->check_verdict, NISE_CLEAN);
		T_INT(r->verdict, NISE_SUSPICIOUS);
		T_CHECK(r->model_tipped, "tipped");
		const struct nise_finding *f = finding(r, "MODEL_PHISHING");
		T_CHECK(f && NEAR(f->score, 5.0), "MODEL_PHISHING 5 points");
		if (f)
			T_STR(f->explain_en, "A model trained on real phishing and genuine mail puts the chance "
			                     "that this is phishing at 95%; what weighed most: .");
		nise_result_free(r);
	}
	/* with a check pointing at phishing the model may make it phishing */
	r = scan(e, jcb);
	if (r) {
		T_INT(r->check_verdict, NISE_SUSPICIOUS);
		T_INT(r->verdict, NISE_PHISHING);
		T_CHECK(NEAR(r->score, 9.5), "4.5 + 5: %f", r->score);
		nise_result_free(r);
	}
	/* a brand's own domain that passed DMARC: the model adds nothing
	 * (the result is from mx.example.net, a trusted authserv-id) */
	r = scan(e, google);
	if (r) {
		T_INT(r->verdict, NISE_CLEAN);
		T_CHECK(!finding(r, "MODEL_PHISHING"), "no model finding for authenticated brand mail");
		T_CHECK(!r->model_tipped, "not tipped");
		nise_result_free(r);
	}
	nise_engine_free(e);

	/* bias 30: points capped at 5, never phishing on the model alone */
	T_INT(nise_model_write(path_of("b30.bin"), w, dims, 30.0, -1, 0, NULL), NISE_OK);
	e = engine_with(path_of("b30.bin"), false);
	if (e) {
		r = scan(e, plain);
		if (r) {
			T_INT(r->verdict, NISE_SUSPICIOUS);
			T_CHECK(NEAR(r->score, 5.0), "capped: %f", r->score);
			nise_result_free(r);
		}
		nise_engine_free(e);
	}

	/* bias -6: p = 0.00247, points 2 - 6 = -4, clipped to -3; the JCB
	 * mail's 4.5 becomes 1.5, clean, with MODEL_GENUINE saying why */
	int32_t verify = (int32_t)nise_feat_index(NS_WORD, "verify", 6);
	w[verify] = -2.0f;
	T_INT(nise_model_write(path_of("neg.bin"), w, dims, -6.0, -1, 0, NULL), NISE_OK);
	e = engine_with(path_of("neg.bin"), false);
	if (e) {
		r = scan(e, jcb);
		if (r) {
			T_INT(r->check_verdict, NISE_SUSPICIOUS);
			T_INT(r->verdict, NISE_CLEAN);
			T_CHECK(r->model_tipped, "tipped down");
			const struct nise_finding *f = finding(r, "MODEL_GENUINE");
			T_CHECK(f && NEAR(f->score, -3.0), "MODEL_GENUINE -3");
			nise_result_free(r);
		}
		/* nothing accused: no MODEL_GENUINE line; the heaviest feature is
		 * named with its contribution */
		r = scan(e, plain);
		if (r) {
			T_CHECK(!finding(r, "MODEL_GENUINE"), "no line when nothing to counter");
			T_INT(r->verdict, NISE_CLEAN);
			nise_result_free(r);
		}
		nise_engine_free(e);
	}
	w[verify] = 40.0f;
	T_INT(nise_model_write(path_of("verify.bin"), w, dims, 0.0, -1, 0, NULL), NISE_OK);
	e = engine_with(path_of("verify.bin"), false);
	if (e) {
		r = scan(e, plain);
		if (r) {
			T_CHECK(r->nmodel_top == 1, "one feature weighed: %zu", r->nmodel_top);
			if (r->nmodel_top)
				T_STR(r->model_top[0].name, "word: verify");
			T_CHECK(r->model_p > 0.99, "p: %f", r->model_p);
			nise_result_free(r);
		}
		nise_engine_free(e);
	}
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	w = calloc(nise_model_dims(), sizeof(float));
	if (!w)
		return 1;
	file_format();
	features();
	verdicts();
	free(w);
	const char *names[] = {"absent.bin", "junk.bin", "short.bin", "bad.bin", "ok.bin", "trunc.bin",
	                       "oldver.bin", "b3.bin", "b30.bin", "neg.bin", "verify.bin"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path_of(names[i]));
	rmdir(dir);
	T_DONE("model");
}
