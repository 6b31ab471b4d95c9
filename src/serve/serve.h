/* SPDX-License-Identifier: MIT */
/*
 * serve.h — the pieces of `nise serve` (docs/api.md): the daemon
 * (serve.c), the route table and handlers (routes.c), the counters
 * (metrics.c), the page's assets (www/, embedded at build time).
 */
#ifndef NISE_SERVE_H
#define NISE_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "front.h"

struct MHD_Connection;

/* Settings fixed at start; read-only while serving. */
struct serve_conf {
	struct nise_store *store;         /* threat intelligence (campaigns), or NULL */
	bool record;                      /* record mails judged phishing as campaigns */
	enum cli_lang lang;               /* default language of "explain" */
	const char *token;                /* bearer token, or NULL: no authentication */
	size_t max_body;                  /* bytes of a request body */
	unsigned request_timeout;         /* seconds to receive one request's body */
	bool quiet;                       /* no access log */
	unsigned port;                    /* the port it listens on (Host must name it) */
	const char *const *allow_hosts;   /* --allow-host names Host may carry */
	size_t nallow;
	size_t body_budget;               /* bytes of bodies in memory, all requests (--max-body-total) */
	const char *learned_dir;          /* where /v1/feedback keeps reported mails, or NULL */
};

/* What a handler answers: body is static, or owned (malloc'd, freed once
 * sent); owned wins when set. */
struct reply {
	unsigned status;
	unsigned retry_after; /* seconds, for 503; 0: no Retry-After */
	const char *type;
	const char *body;
	char *owned;
	size_t n;
	const char *allow;  /* for 405: the Allow header */
	bool page;          /* send the page's Content-Security-Policy */
	const char *csp;    /* a Content-Security-Policy of its own (wins over page) */
};

/* The engine requests use: built at start and again on SIGHUP (serve.c);
 * a request holds a reference from its first byte to its completion, so
 * a reload never frees an engine a scan is using. */
struct serve_gen;

/* One request being received. */
struct request {
	const struct serve_conf *conf;
	struct serve_gen *gen;
	const struct nise_engine *engine; /* gen's engine, shared read-only */
	struct MHD_Connection *conn;
	const struct route *route;
	int route_index;      /* into routes[], or ROUTE_OTHER */
	char *body;
	size_t n, cap;
	uint64_t start_ns;
	bool too_large;
	bool over_budget;     /* the body budget ran out while it arrived */
	size_t reserved;      /* bytes of the body budget this request holds */
	unsigned status;      /* sent, for the log and the metrics */
	const char *method;
	char path[128];      /* the first bytes of the URL, not NUL-terminated */
	size_t path_n;
};

typedef void (*route_fn)(struct request *rq, struct reply *out);

enum {
	R_BODY = 1,  /* takes a request body (POST) */
	R_AUTH = 2,  /* needs the bearer token when one is configured */
	R_API = 4,   /* refuses cross-site browser requests (R_BODY routes always do) */
};

struct route {
	const char *method;
	const char *path;
	unsigned flags;
	route_fn fn;
	const void *arg;
};

extern const struct route serve_routes[];
extern const size_t serve_nroutes;
#define ROUTE_OTHER ((int)serve_nroutes) /* 404, 405 and requests cut short */

/* routes.c: error replies as {"error": {"status": N, "code": C, "message": M}} */
void serve_error(struct reply *out, unsigned status, const char *code, const char *message);

/* metrics.c (thread-safe; lock-free except the per-check table) */
void metrics_init(struct nise_store *store); /* store: for its health gauges, or NULL */
void metrics_request(int route_index, unsigned status, uint64_t ns);
void metrics_result(const struct nise_result *r);
void metrics_connections(int delta);
/* Prometheus text exposition format 0.0.4; malloc'd. */
char *metrics_render(size_t *n);

void metrics_budget_refused(void);

uint64_t serve_now_ns(void);

/* guard.c: Host, cross-site and body-form checks, the body budget, log escaping */
bool guard_host_ok(const struct serve_conf *conf, const char *host);
const char *guard_cross_site(struct MHD_Connection *conn); /* NULL: not cross-site; else why */
bool guard_body_form_ok(struct MHD_Connection *conn);
bool guard_reserve(size_t budget, size_t n);
void guard_release(size_t n);
size_t guard_in_flight(void);
/* src[0..sn) into dst (NUL-terminated, at most dn - 1 bytes), bytes a
 * terminal or a log reader could misread written as \xHH */
size_t guard_escape(char *dst, size_t dn, const char *src, size_t sn);

/* the embedded page (generated from www/ by tools/embed.py) */
struct serve_asset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t n;
};
extern const struct serve_asset serve_assets[];
extern const size_t serve_nassets;

#endif
