/* SPDX-License-Identifier: MIT */
/*
 * metrics.c — the counters behind GET /metrics, in the Prometheus text
 * exposition format (version 0.0.4).
 *
 * Per route (the route table's index, plus one slot for everything else):
 * requests by status class and a latency histogram. Per verdict: messages
 * judged. Per check id: hits. Counters are 64-bit atomics bumped by the
 * pool threads; only the check-id table takes a mutex, and only to add an
 * id seen for the first time (ids come from a fixed table in libnise, so
 * it stays small; past CHECK_MAX ids, hits count under "other").
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

#define ROUTE_MAX 32
#define CHECK_MAX 128
#define CHECK_ID_MAX 48

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

static const unsigned codes[] = {200, 400, 401, 403, 404, 405, 408, 413, 415, 421, 431, 500, 503};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

struct route_stats {
	uint64_t by_code[NCODES + 1]; /* last: any other status */
	uint64_t bucket[NBUCKETS];    /* cumulative at render time, not here */
	uint64_t count, sum_ns;
};

static struct route_stats routes[ROUTE_MAX + 1];
static uint64_t verdicts[NISE_NVERDICTS], messages_partial, connections_open, budget_refused;
static struct nise_store *store; /* for its health, or NULL */

static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
static char check_ids[CHECK_MAX][CHECK_ID_MAX];
static uint64_t check_hits[CHECK_MAX + 1];
static size_t ncheck; /* read with acquire, written under the lock with release */

static void add(uint64_t *c, uint64_t v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

uint64_t serve_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void metrics_init(struct nise_store *s)
{
	memset(routes, 0, sizeof(routes));
	store = s;
}

void metrics_budget_refused(void)
{
	add(&budget_refused, 1);
}

void metrics_connections(int delta)
{
	if (delta >= 0)
		add(&connections_open, (uint64_t)delta);
	else
		__atomic_fetch_sub(&connections_open, (uint64_t)-delta, __ATOMIC_RELAXED);
}

void metrics_request(int route_index, unsigned status, uint64_t ns)
{
	if (route_index < 0 || route_index > ROUTE_MAX || (size_t)route_index > serve_nroutes)
		route_index = (int)serve_nroutes < ROUTE_MAX ? (int)serve_nroutes : ROUTE_MAX;
	struct route_stats *s = &routes[route_index];
	size_t c = NCODES;
	for (size_t i = 0; i < NCODES; i++)
		if (codes[i] == status)
			c = i;
	add(&s->by_code[c], 1);
	double sec = (double)ns / 1e9;
	for (size_t i = 0; i < NBUCKETS; i++)
		if (sec <= buckets[i]) {
			add(&s->bucket[i], 1);
			break;
		}
	add(&s->count, 1);
	add(&s->sum_ns, ns);
}

static size_t check_slot(const char *id)
{
	size_t n = __atomic_load_n(&ncheck, __ATOMIC_ACQUIRE);
	for (size_t i = 0; i < n; i++)
		if (strcmp(check_ids[i], id) == 0)
			return i;
	if (strlen(id) >= CHECK_ID_MAX)
		return CHECK_MAX;
	pthread_mutex_lock(&check_lock);
	size_t slot = CHECK_MAX;
	n = ncheck;
	for (size_t i = 0; i < n && slot == CHECK_MAX; i++)
		if (strcmp(check_ids[i], id) == 0)
			slot = i;
	if (slot == CHECK_MAX && n < CHECK_MAX) {
		snprintf(check_ids[n], CHECK_ID_MAX, "%s", id);
		slot = n;
		__atomic_store_n(&ncheck, n + 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&check_lock);
	return slot;
}

void metrics_result(const struct nise_result *r)
{
	if ((unsigned)r->verdict < NISE_NVERDICTS)
		add(&verdicts[r->verdict], 1);
	if (r->partial)
		add(&messages_partial, 1);
	for (size_t i = 0; i < r->nfindings; i++)
		add(&check_hits[check_slot(r->findings[i].id)], 1);
}

/* ---- rendering ------------------------------------------------------- */

struct out {
	char *p;
	size_t n, cap;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	if (o->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
		va_end(ap);
		if (k < 0) {
			o->failed = true;
			return;
		}
		if ((size_t)k < o->cap - o->n) {
			o->n += (size_t)k;
			return;
		}
		size_t cap = o->cap * 2 + (size_t)k;
		char *p = realloc(o->p, cap);
		if (!p) {
			o->failed = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
}

static const char *route_label(size_t i)
{
	return i < serve_nroutes ? serve_routes[i].path : "other";
}

char *metrics_render(size_t *n)
{
	struct out o = {.cap = 8192};
	o.p = malloc(o.cap);
	if (!o.p)
		return NULL;
	o.p[0] = '\0';
	size_t nr = serve_nroutes < ROUTE_MAX ? serve_nroutes : ROUTE_MAX;

	put(&o, "# HELP nise_messages_total Messages judged, by verdict.\n# TYPE nise_messages_total counter\n");
	for (unsigned v = 0; v < NISE_NVERDICTS; v++)
		put(&o, "nise_messages_total{verdict=\"%s\"} %llu\n", nise_verdict_name((enum nise_verdict)v),
		    (unsigned long long)get(&verdicts[v]));
	put(&o, "# HELP nise_messages_partial_total Messages a limit cut short.\n"
	        "# TYPE nise_messages_partial_total counter\nnise_messages_partial_total %llu\n",
	    (unsigned long long)get(&messages_partial));

	put(&o, "# HELP nise_check_hits_total Findings, by check id.\n# TYPE nise_check_hits_total counter\n");
	size_t nc = __atomic_load_n(&ncheck, __ATOMIC_ACQUIRE);
	for (size_t i = 0; i < nc; i++)
		put(&o, "nise_check_hits_total{check=\"%s\"} %llu\n", check_ids[i],
		    (unsigned long long)get(&check_hits[i]));
	if (get(&check_hits[CHECK_MAX]))
		put(&o, "nise_check_hits_total{check=\"other\"} %llu\n",
		    (unsigned long long)get(&check_hits[CHECK_MAX]));

	put(&o, "# HELP nise_http_requests_total HTTP requests answered, by route and status.\n"
	        "# TYPE nise_http_requests_total counter\n");
	for (size_t r = 0; r <= nr; r++)
		for (size_t c = 0; c <= NCODES; c++) {
			uint64_t v = get(&routes[r].by_code[c]);
			if (!v)
				continue;
			if (c < NCODES)
				put(&o, "nise_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n", route_label(r),
				    codes[c], (unsigned long long)v);
			else
				put(&o, "nise_http_requests_total{route=\"%s\",code=\"other\"} %llu\n", route_label(r),
				    (unsigned long long)v);
		}

	put(&o, "# HELP nise_http_request_duration_seconds Time from the request line to the reply, by route.\n"
	        "# TYPE nise_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= nr; r++) {
		uint64_t cum = 0;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cum += get(&routes[r].bucket[b]);
			put(&o, "nise_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			    route_label(r), buckets[b], (unsigned long long)cum);
		}
		uint64_t count = get(&routes[r].count);
		put(&o, "nise_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
		    route_label(r), (unsigned long long)count);
		put(&o, "nise_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_label(r),
		    (double)get(&routes[r].sum_ns) / 1e9);
		put(&o, "nise_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_label(r),
		    (unsigned long long)count);
	}
	put(&o, "# HELP nise_http_connections Open connections.\n# TYPE nise_http_connections gauge\n"
	        "nise_http_connections %llu\n",
	    (unsigned long long)get(&connections_open));
	put(&o, "# HELP nise_http_body_bytes Bytes of request bodies held (reserved) now, all connections.\n"
	        "# TYPE nise_http_body_bytes gauge\nnise_http_body_bytes %zu\n"
	        "# HELP nise_http_body_budget_refused_total Requests answered 503 because --max-body-total was spent.\n"
	        "# TYPE nise_http_body_budget_refused_total counter\nnise_http_body_budget_refused_total %llu\n",
	    guard_in_flight(), (unsigned long long)get(&budget_refused));
	if (store) {
		struct nise_store_health h;
		nise_store_health(store, &h);
		put(&o, "# HELP nise_store_up Whether the threat store can be reached (1) or not (0).\n"
		        "# TYPE nise_store_up gauge\nnise_store_up %d\n"
		        "# HELP nise_store_reconnects_total Connections to the store re-established after a loss.\n"
		        "# TYPE nise_store_reconnects_total counter\nnise_store_reconnects_total %llu\n"
		        "# HELP nise_store_failures_total Store operations that failed because it was unreachable.\n"
		        "# TYPE nise_store_failures_total counter\nnise_store_failures_total %llu\n",
		    h.up ? 1 : 0, (unsigned long long)h.reconnects, (unsigned long long)h.failures);
	}
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	*n = o.n;
	return o.p;
}
