/* SPDX-License-Identifier: MIT */
/*
 * routes.c — what `nise serve` answers (docs/api.md): the route table and
 * one small handler per route.
 *
 * A route is a row: method, exact path, flags (takes a body, needs the
 * token, refuses cross-site browsers), handler, argument. A route that
 * takes a body (any POST) always gets guard.c's cross-site and
 * body-form checks, flag or not. serve.c finds the row, enforces the limits
 * and the token, collects the body, then calls the handler once with the
 * whole request; the handler fills a struct reply and never touches the
 * connection. A new endpoint is one handler and one row.
 *
 * Handlers hold no detection logic: they call nise_scan on the shared
 * read-only engine (reentrant, one arena per message) and render with the
 * CLI's JSON (cli_json_value) so the API and `nise check --json` can never
 * drift apart. /v1/report and /v1/campaigns are `nise report` and `nise
 * campaigns --json` the same way (cli_report_render, cli_campaigns_json).
 */
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/view.h"
#include "serve.h"

void serve_error(struct reply *out, unsigned status, const char *code, const char *message)
{
	json_t *o = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", (int)status, "code", code, "message",
	                      message);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	out->status = status;
	out->type = "application/json";
	if (s) {
		out->owned = s;
		out->n = strlen(s);
	} else {
		out->body = "{\"error\":{}}";
		out->n = strlen(out->body);
	}
}

static void reply_json(struct reply *out, json_t *o)
{
	char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(o);
	if (!s) {
		serve_error(out, 500, "internal", "cannot render JSON");
		return;
	}
	out->status = 200;
	out->type = "application/json";
	out->owned = s;
	out->n = strlen(s);
}

/* ?lang=ja|en (default: the server's). */
static bool query_lang(struct request *rq, struct reply *out, enum cli_lang *lang)
{
	*lang = rq->conf->lang;
	const char *l = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (l) {
		if (strcmp(l, "ja") == 0)
			*lang = LANG_JA;
		else if (strcmp(l, "en") == 0)
			*lang = LANG_EN;
		else {
			serve_error(out, 400, "bad_lang", "lang must be ja or en");
			return false;
		}
	}
	return true;
}

/* ?lang=ja|en and ?source=NAME (default "-"). */
static bool query(struct request *rq, struct reply *out, enum cli_lang *lang, const char **source)
{
	if (!query_lang(rq, out, lang))
		return false;
	*source = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "source");
	if (!*source)
		*source = "-";
	if (strlen(*source) > 255) {
		serve_error(out, 400, "bad_source", "source is longer than 255 bytes");
		return false;
	}
	return true;
}

/* Scans the body; on failure fills out and returns NULL. */
static struct nise_result *scan(struct request *rq, struct reply *out)
{
	if (rq->n == 0) {
		serve_error(out, 400, "empty_body", "the request body must be one RFC 5322 message");
		return NULL;
	}
	struct nise_result *r = NULL;
	nise_rc rc = nise_scan(&r, rq->engine, rq->body, rq->n);
	if (rc != NISE_OK) {
		serve_error(out, 500, "scan_failed", nise_strerror(rc));
		return NULL;
	}
	metrics_result(r);
	return r;
}

/* Mails judged phishing become campaign copies, as `nise check` records
 * them. One request records at a time: a record is a read-modify-write of
 * the campaign (find the closest, then put it back counted), which the
 * store does not make atomic, so two pool threads recording copies of one
 * campaign at once could lose a copy or start it twice. */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

static void record(struct request *rq, const struct nise_result *r)
{
	if (!rq->conf->store || !rq->conf->record || r->verdict != NISE_PHISHING)
		return;
	bool recorded;
	pthread_mutex_lock(&record_lock);
	nise_rc rc = nise_intel_record(NULL, &recorded, rq->conf->store, rq->engine, r);
	pthread_mutex_unlock(&record_lock);
	if (rc != NISE_OK)
		fprintf(stderr, "nise serve: cannot record the campaign: %s\n", nise_strerror(rc));
}

/* POST /v1/check: exactly what `nise check --json` prints for the body. */
static void h_check(struct request *rq, struct reply *out)
{
	enum cli_lang lang;
	const char *source;
	if (!query(rq, out, &lang, &source))
		return;
	struct nise_result *r = scan(rq, out);
	if (!r)
		return;
	record(rq, r);
	struct cli_msg m = {.source = source, .buf = rq->body, .n = rq->n};
	char *s = cli_json_result(r, &m, lang);
	nise_result_free(r);
	if (!s) {
		serve_error(out, 500, "internal", "cannot render JSON");
		return;
	}
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		serve_error(out, 500, "internal", "out of memory");
		return;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	out->status = 200;
	out->type = "application/json";
	out->owned = t;
	out->n = n + 1;
}

/* A state-changing request from the page or a script, never from another
 * site: an X-Nise-Request header (a cross-site form cannot send one, and
 * a cross-site fetch with one needs a preflight nise never answers), no
 * Sec-Fetch-Site: cross-site, and an Origin, when sent, naming the Host. */
static bool same_site(struct request *rq, struct reply *out)
{
	const char *xr = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Nise-Request");
	const char *sfs = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *origin = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Host");
	if (!xr) {
		serve_error(out, 403, "forbidden", "a state-changing request needs the X-Nise-Request header");
		return false;
	}
	if (sfs && strcmp(sfs, "same-origin") != 0 && strcmp(sfs, "none") != 0) {
		serve_error(out, 403, "forbidden", "cross-site requests are refused");
		return false;
	}
	if (origin && strcmp(origin, "null") != 0) {
		const char *h = strstr(origin, "://");
		h = h ? h + 3 : origin;
		if (!host || strcmp(h, host) != 0) {
			serve_error(out, 403, "forbidden", "the Origin is not this server");
			return false;
		}
	} else if (origin) {
		serve_error(out, 403, "forbidden", "the Origin is not this server");
		return false;
	}
	return true;
}

/* POST /v1/feedback?label=phishing|genuine[&note=TEXT]: the body is one
 * message an operator reports (nise learn). Learning writes to the store,
 * so it needs one; who is "serve" plus the client's address. */
static pthread_mutex_t learn_lock = PTHREAD_MUTEX_INITIALIZER;

static void h_feedback(struct request *rq, struct reply *out)
{
	if (!same_site(rq, out))
		return;
	const char *label = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "label");
	const char *note = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "note");
	bool phishing = label && strcmp(label, "phishing") == 0;
	if (!label || (!phishing && strcmp(label, "genuine") != 0)) {
		serve_error(out, 400, "bad_label", "label must be phishing or genuine");
		return;
	}
	if (note && strlen(note) > 255) {
		serve_error(out, 400, "bad_note", "note is longer than 255 bytes");
		return;
	}
	if (!rq->conf->store) {
		serve_error(out, 409, "no_store", "nise serve runs without a store (--db or --redis)");
		return;
	}
	struct nise_result *r = scan(rq, out);
	if (!r)
		return;
	struct nise_learned l;
	pthread_mutex_lock(&learn_lock);
	nise_rc rc = nise_learn(&l, rq->conf->store, rq->engine, r, phishing, "nise serve", note ? note : "");
	pthread_mutex_unlock(&learn_lock);
	const char *was = nise_verdict_name(r->verdict);
	nise_result_free(r);
	if (rc != NISE_OK) {
		serve_error(out, 500, "learn_failed", nise_strerror(rc));
		return;
	}
	/* the mail itself, for nise train --store; never sent anywhere */
	bool kept = false;
	if (rq->conf->learned_dir) {
		kept = nise_learned_keep(rq->conf->learned_dir, phishing, l.fingerprint, rq->body, rq->n, NULL, 0) == NISE_OK;
		if (!kept)
			fprintf(stderr, "nise serve: feedback: cannot keep the mail for retraining in %s: %s\n",
			        rq->conf->learned_dir, strerror(errno));
	}
	char fp[17];
	snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)l.fingerprint);
	reply_json(out, json_pack("{s:s,s:s,s:s,s:b,s:i,s:b,s:b,s:s,s:b}", "learned", phishing ? "phishing" : "genuine",
	                          "was", was, "campaign", fp, "campaign_stored", l.campaign, "urls", (int)l.urls,
	                          "sender", l.sender, "sender_domain", l.sender_domain, "not_learned", l.skipped,
	                          "kept", kept));
}

static json_t *segs_json(const struct nise_view_text *t)
{
	json_t *a = json_array();
	for (size_t i = 0; i < t->n; i++) {
		const struct nise_view_seg *s = &t->segs[i];
		json_t *o = json_object();
		switch (s->kind) {
		case NISE_VIEW_BREAK:
			json_object_set_new(o, "br", json_true());
			break;
		case NISE_VIEW_IMAGE:
			json_object_set_new(o, "image", cli_json_string(s->text ? s->text : ""));
			break;
		case NISE_VIEW_TEXT:
			json_object_set_new(o, "text", cli_json_string(s->text ? s->text : ""));
			break;
		}
		if (s->link >= 0)
			json_object_set_new(o, "link", json_integer(s->link));
		if (s->glyph)
			json_object_set_new(o, "glyph", cli_json_string(s->glyph));
		json_array_append_new(a, o);
	}
	return a;
}

/* POST /v1/view: the check JSON and the safe rendering the page shows. */
static void h_view(struct request *rq, struct reply *out)
{
	enum cli_lang lang;
	const char *source;
	if (!query(rq, out, &lang, &source))
		return;
	struct nise_result *r = scan(rq, out);
	if (!r)
		return;
	record(rq, r);
	struct cli_msg m = {.source = source, .buf = rq->body, .n = rq->n};
	struct nise_view v;
	nise_rc rc = nise_view_build(&v, rq->engine, r);
	json_t *vo = json_object();
	json_object_set_new(vo, "subject", segs_json(&v.subject));
	json_object_set_new(vo, "from_name", segs_json(&v.from_name));
	json_object_set_new(vo, "body", segs_json(&v.body));
	json_t *links = json_array();
	for (size_t i = 0; v.links && i < r->msg->nlinks; i++) {
		json_t *ids = json_array();
		for (size_t k = 0; k < v.links[i].nfindings; k++)
			json_array_append_new(ids, json_integer((json_int_t)v.links[i].findings[k]));
		json_array_append_new(links, json_pack("{s:o}", "findings", ids));
	}
	json_object_set_new(vo, "links", links);
	json_object_set_new(vo, "complete", json_boolean(rc == NISE_OK));
	json_t *o = json_object();
	json_object_set_new(o, "check", cli_json_value(r, &m, lang));
	json_object_set_new(o, "view", vo);
	nise_result_free(r);
	reply_json(out, o);
}

/* An HTML report holds no script, style or reference to anything: it may
 * load nothing, and opened on its own it runs sandboxed. */
static const char report_csp[] =
	"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/* POST /v1/report?format=md|html&lang=ja|en: what `nise report` writes. */
static void h_report(struct request *rq, struct reply *out)
{
	enum cli_lang lang;
	if (!query_lang(rq, out, &lang))
		return;
	enum cli_report_fmt fmt = CLI_REPORT_MD;
	const char *f = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "format");
	if (f && strcmp(f, "html") == 0) {
		fmt = CLI_REPORT_HTML;
	} else if (f && strcmp(f, "md") != 0) {
		serve_error(out, 400, "bad_format", "format must be md or html");
		return;
	}
	struct nise_result *r = scan(rq, out);
	if (!r)
		return;
	size_t n = 0;
	char *s = cli_report_render(rq->conf->store, rq->engine, r, fmt, lang, &n);
	nise_result_free(r);
	if (!s) {
		serve_error(out, 500, "internal", "out of memory");
		return;
	}
	out->status = 200;
	out->owned = s;
	out->n = n;
	if (fmt == CLI_REPORT_HTML) {
		out->type = "text/html; charset=utf-8";
		out->csp = report_csp;
	} else {
		out->type = "text/markdown; charset=utf-8";
	}
}

/* GET /v1/campaigns?brand=B: what `nise campaigns --json [--brand B]`
 * prints, as one array. */
static void h_campaigns(struct request *rq, struct reply *out)
{
	const char *brand = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "brand");
	if (brand && !*brand)
		brand = NULL; /* an empty search box: every campaign */
	if (brand && strlen(brand) > 255) {
		serve_error(out, 400, "bad_brand", "brand is longer than 255 bytes");
		return;
	}
	nise_rc rc;
	json_t *a = cli_campaigns_json(rq->conf->store, brand, &rc);
	if (!a) {
		if (rc == NISE_EIO) {
			serve_error(out, 503, "store_unavailable", "the threat store is unreachable; try again shortly");
			out->retry_after = 5;
		} else {
			serve_error(out, 500, "store_failed", nise_strerror(rc));
		}
		return;
	}
	reply_json(out, json_pack("{s:o}", "campaigns", a));
}

/* GET /healthz: 200 while the server answers. With a store that cannot
 * be reached the body says "degraded" (still 200: mails are judged, only
 * without the store; a balancer should not drop every server at once
 * because their shared Redis is down). */
static void h_healthz(struct request *rq, struct reply *out)
{
	static const char ok[] = "ok\n", degraded[] = "degraded: the threat store is unreachable\n";
	struct nise_store_health h = {.up = true};
	if (rq->conf->store) {
		nise_store_ping(rq->conf->store); /* reconnects when the back-off allows */
		nise_store_health(rq->conf->store, &h);
	}
	out->status = 200;
	out->type = "text/plain; charset=utf-8";
	out->body = h.up ? ok : degraded;
	out->n = h.up ? sizeof(ok) - 1 : sizeof(degraded) - 1;
}

static void h_metrics(struct request *rq, struct reply *out)
{
	size_t n = 0;
	char *s = metrics_render(&n);
	if (!s) {
		serve_error(out, 500, "internal", "out of memory");
		return;
	}
	out->status = 200;
	out->type = "text/plain; version=0.0.4; charset=utf-8";
	out->owned = s;
	out->n = n;
}

static void h_asset(struct request *rq, struct reply *out)
{
	const struct serve_asset *a = NULL;
	for (size_t i = 0; i < serve_nassets && !a; i++)
		if (strcmp(serve_assets[i].path, rq->route->arg) == 0)
			a = &serve_assets[i];
	if (!a) {
		serve_error(out, 500, "internal", "asset missing from the build");
		return;
	}
	out->status = 200;
	out->type = a->type;
	out->body = (const char *)a->data;
	out->n = a->n;
	out->page = true;
}

/* The table: a new endpoint is one row. */
const struct route serve_routes[] = {
	{"POST", "/v1/check", R_BODY | R_AUTH | R_API, h_check, NULL},
	{"POST", "/v1/view", R_BODY | R_AUTH | R_API, h_view, NULL},
	{"POST", "/v1/report", R_BODY | R_AUTH | R_API, h_report, NULL},
	{"GET", "/v1/campaigns", R_AUTH | R_API, h_campaigns, NULL},
	{"POST", "/v1/feedback", R_BODY | R_AUTH | R_API, h_feedback, NULL},
	{"GET", "/healthz", 0, h_healthz, NULL},
	{"GET", "/metrics", R_AUTH | R_API, h_metrics, NULL},
	{"GET", "/", 0, h_asset, "/index.html"},
	{"GET", "/app.js", 0, h_asset, "/app.js"},
	{"GET", "/style.css", 0, h_asset, "/style.css"},
	{"GET", "/favicon.svg", 0, h_asset, "/favicon.svg"},
};
const size_t serve_nroutes = sizeof(serve_routes) / sizeof(serve_routes[0]);
