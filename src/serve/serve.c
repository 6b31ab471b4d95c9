/* SPDX-License-Identifier: MIT */
/*
 * serve.c — `nise serve`: the HTTP API and the page (docs/api.md,
 * nise-serve(1)), on libmicrohttpd.
 *
 * One engine, built before the daemon starts, is shared read-only by a
 * pool of MHD threads (internal epoll, one thread per core by default);
 * each request scans with its own arena. SIGHUP builds a new engine from
 * nise.conf, the data directory and the model as they are on disk then
 * (after `nise update` or `nise train`), and swaps it in: a request holds
 * a reference to the generation it started on until it completes, and
 * the last reference frees the old engine. A reload that fails (a bad
 * nise.conf, a model that does not load) keeps the running engine and
 * says why. This file owns the transport:
 * it finds the route (routes.c), checks the token, enforces the limits,
 * collects the body and sends what the handler answered.
 *
 * Limits, each with its answer: a body over --max-body is 413 (at once
 * when Content-Length says so, after the body otherwise); a request line
 * or headers over --max-header bytes get MHD's 431 (414 for the URI);
 * more than --max-connections open connections are refused at accept; a
 * connection silent for --timeout seconds is closed; a body still
 * arriving --request-timeout seconds after the request began is cut off
 * (connection closed; counted as 408). Nothing of a request body is ever
 * logged: the access log is method, path, status, bytes and time.
 *
 * Binding anything but a loopback address needs --token-file: then every
 * /v1/ route and /metrics want "Authorization: Bearer TOKEN".
 *
 * The threat-intelligence store (--db, --redis, else the default one when
 * it exists, as for `nise check`) is opened once and shared by the pool:
 * the engine reads it on every scan (known-bad URLs, campaigns), /v1/report
 * and /v1/campaigns read it, and /v1/check and /v1/view record mails judged
 * phishing unless --no-record. Reads are safe from any number of threads
 * (LMDB: a pool of read transactions not tied to a thread, MDB_NOTLS;
 * Redis: one connection behind a mutex); routes.c lets one request at a
 * time record, since a record is a read-modify-write of the campaign.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "serve.h"

#define TOKEN_MAX 512
#define ALLOW_MAX 16

static const char page_csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
static const char api_csp[] = "default-src 'none'; frame-ancestors 'none'";

/* ---- engine generations --------------------------------------------- */

struct serve_gen {
	struct front_gen base; /* first: front_gen_put frees the whole (daemon.h) */
};

/* What the command line adds to nise.conf, replayed on every build. */
struct gen_args {
	int argc;
	char **argv;
	const char *config;   /* --config, or NULL: the default lookup */
	const char *data_dir; /* --data, or NULL */
	struct nise_store *store;
};

static bool gen_adjust(struct nise_engine_opts *opts, struct cli_config *cc, void *ctx, char *err, size_t en)
{
	const struct gen_args *a = ctx;
	for (int i = 1; i < a->argc; i++) {
		bool bad = false;
		if (!cli_trust_arg(cc, opts, a->argc, a->argv, &i, &bad) && bad) {
			snprintf(err, en, "bad --trust-authserv");
			return false;
		}
	}
	if (a->data_dir)
		opts->data_dir = a->data_dir;
	opts->store = a->store;
	return true;
}

/* Reads nise.conf (--config or the default), applies --trust-authserv and
 * --data, and builds and probes an engine (config.h). NULL with the
 * reason in err. */
static struct serve_gen *gen_build(const struct gen_args *a, unsigned long id, char *err, size_t en)
{
	struct serve_gen *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, en, "out of memory");
		return NULL;
	}
	if (!front_gen_init_with(&g->base, id, a->config, NULL, NULL, gen_adjust, (void *)(uintptr_t)a, err, en)) {
		free(g);
		return NULL;
	}
	return g;
}

static void gen_put(struct serve_gen *g)
{
	front_gen_put(g ? &g->base : NULL);
}

static void gen_reload(const struct gen_args *a, unsigned long *next_id)
{
	char err[1400];
	struct serve_gen *g = gen_build(a, *next_id + 1, err, sizeof(err));
	if (!g) {
		fprintf(stderr, "nise serve: reload failed, keeping generation %lu: %s\n", *next_id, err);
		return;
	}
	++*next_id;
	gen_put((struct serve_gen *)front_gen_swap(&g->base));
	fprintf(stderr, "nise serve: reloaded: generation %lu\n", g->base.id);
}

/* --config FILE as cli_config_apply finds it (the last one), or NULL. */
static const char *config_path(int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0)
			path = argv[i + 1];
	return path;
}

/* ---- the access log ------------------------------------------------ */

static void access_log(const struct request *rq, size_t bytes, uint64_t ns)
{
	if (rq->conf->quiet)
		return;
	/* every field a client chose is escaped (guard.c): no forged line */
	char method[64], path[4 * sizeof(rq->path)], ua[4 * 256];
	const char *m = rq->method ? rq->method : "-";
	const char *u = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	guard_escape(method, sizeof(method), m, strlen(m));
	guard_escape(path, sizeof(path), rq->path, rq->path_n);
	guard_escape(ua, sizeof(ua), u ? u : "-", u ? strnlen(u, 256) : 1);
	fprintf(stderr, "nise serve: %s %s %u in=%zuB %.1fms ua=\"%s\"\n", method, path, rq->status, bytes,
	        (double)ns / 1e6, ua);
}

/* ---- replies --------------------------------------------------------- */

static enum MHD_Result send_reply(struct request *rq, struct reply *r)
{
	/* MHD 0.9 takes void * even for PERSISTENT memory, which it never writes */
	struct MHD_Response *resp = r->owned
		? MHD_create_response_from_buffer(r->n, r->owned, MHD_RESPMEM_MUST_FREE)
		: MHD_create_response_from_buffer(r->n, (void *)(uintptr_t)r->body, MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->owned);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : r->page ? page_csp : api_csp);
	if (r->page)
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"nise\"");
	if (r->retry_after) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%u", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	rq->status = r->status;
	enum MHD_Result ok = MHD_queue_response(rq->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result send_error(struct request *rq, unsigned status, const char *code, const char *msg)
{
	struct reply r = {0};
	serve_error(&r, status, code, msg);
	return send_reply(rq, &r);
}

/* The body budget is spent: 503, try again in a few seconds. */
static enum MHD_Result send_busy(struct request *rq)
{
	struct reply r = {0};
	serve_error(&r, 503, "busy", "the server holds too many request bodies; try again shortly");
	r.retry_after = 2;
	metrics_budget_refused();
	return send_reply(rq, &r);
}

/* ---- authentication -------------------------------------------------- */

static bool token_ok(const struct request *rq)
{
	const char *tok = rq->conf->token;
	if (!tok)
		return true;
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	size_t hn = strlen(h), tn = strlen(tok);
	/* constant time in the token's length */
	unsigned char diff = hn != tn;
	for (size_t i = 0; i < tn; i++)
		diff |= (unsigned char)(tok[i] ^ (i < hn ? h[i] : 0));
	return diff == 0;
}

/* ---- the access handler --------------------------------------------- */

static int find_route(const char *path, const char *method, const char **allow)
{
	static __thread char allowed[128];
	allowed[0] = '\0';
	bool any = false;
	for (size_t i = 0; i < serve_nroutes; i++) {
		const struct route *r = &serve_routes[i];
		if (strcmp(r->path, path) != 0)
			continue;
		if (strcmp(r->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
			return (int)i;
		size_t k = strlen(allowed);
		snprintf(allowed + k, sizeof(allowed) - k, "%s%s", any ? ", " : "", r->method);
		any = true;
	}
	*allow = any ? allowed : NULL;
	return -1;
}

static enum MHD_Result first_call(struct request *rq, const char *url, const char *method)
{
	const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!guard_host_ok(rq->conf, host))
		return send_error(rq, 421, "unknown_host",
		                  "the Host header does not name this server (see --allow-host)");
	const char *allow = NULL;
	int i = find_route(url, method, &allow);
	if (i < 0) {
		rq->route_index = ROUTE_OTHER;
		if (allow) {
			struct reply r = {0};
			serve_error(&r, 405, "method_not_allowed", "this path does not take that method");
			r.allow = allow;
			return send_reply(rq, &r);
		}
		return send_error(rq, 404, "not_found", "no such path");
	}
	rq->route_index = i;
	rq->route = &serve_routes[i];
	const char *why;
	if ((rq->route->flags & (R_API | R_BODY)) && (why = guard_cross_site(rq->conn)))
		return send_error(rq, 403, "cross_site", why);
	if ((rq->route->flags & R_BODY) && !guard_body_form_ok(rq->conn))
		return send_error(rq, 415, "bad_content_type",
		                  "send the mail as Content-Type: message/rfc822 (or with X-Nise-Request: 1)");
	if ((rq->route->flags & R_AUTH) && !token_ok(rq))
		return send_error(rq, 401, "unauthorized", "a valid bearer token is required");
	if (rq->route->flags & R_BODY) {
		const char *cl = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(cl, &end, 10);
			if (errno || end == cl || *end || v > rq->conf->max_body)
				return send_error(rq, 413, "body_too_large", "the body is larger than the server's limit");
			/* the whole announced body is reserved before a byte of it is read */
			if (v && !guard_reserve(rq->conf->body_budget, (size_t)v))
				return send_busy(rq);
			rq->reserved = (size_t)v;
		}
	}
	return MHD_YES;
}

static void drop_body(struct request *rq)
{
	free(rq->body);
	rq->body = NULL;
	rq->n = rq->cap = 0;
}

static bool take_body(struct request *rq, const char *data, size_t n)
{
	if (rq->too_large || rq->over_budget || n > rq->conf->max_body - rq->n) {
		rq->too_large = !rq->over_budget;
		drop_body(rq);
		return true;
	}
	if (rq->n + n > rq->cap) {
		size_t cap = rq->cap ? rq->cap : 16384;
		while (cap < rq->n + n)
			cap *= 2;
		if (cap > rq->conf->max_body)
			cap = rq->conf->max_body;
		if (rq->reserved && cap > rq->reserved && rq->n + n <= rq->reserved)
			cap = rq->reserved; /* Content-Length said how much: no more */
		if (cap > rq->reserved) {
			if (!guard_reserve(rq->conf->body_budget, cap - rq->reserved)) {
				rq->over_budget = true; /* answered 503 once the body is in */
				drop_body(rq);
				return true;
			}
			rq->reserved = cap;
		}
		char *p = realloc(rq->body, cap);
		if (!p)
			return false;
		rq->body = p;
		rq->cap = cap;
	}
	memcpy(rq->body + rq->n, data, n);
	rq->n += n;
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		rq->conf = cls;
		rq->conn = conn;
		rq->gen = (struct serve_gen *)front_gen_get();
		rq->engine = rq->gen->base.engine;
		rq->start_ns = serve_now_ns();
		rq->method = method;
		rq->route_index = ROUTE_OTHER;
		rq->path_n = strnlen(url, sizeof(rq->path));
		memcpy(rq->path, url, rq->path_n);
		*con_cls = rq;
		return first_call(rq, url, method);
	}
	if (rq->status) {
		*upload_size = 0; /* answered already (an error on the first call) */
		return MHD_YES;
	}
	if (*upload_size) {
		if (serve_now_ns() - rq->start_ns > (uint64_t)rq->conf->request_timeout * 1000000000u) {
			rq->status = 408; /* cut off: MHD cannot answer in mid-body */
			return MHD_NO;
		}
		if (!(rq->route->flags & R_BODY)) {
			*upload_size = 0; /* a GET with a body: ignored */
			return MHD_YES;
		}
		if (!take_body(rq, upload_data, *upload_size))
			return MHD_NO;
		*upload_size = 0; /* over budget: the rest is read and dropped, 503 at its end
		                   * (MHD 0.9 cannot answer in mid-body) */
		return MHD_YES;
	}
	if (rq->too_large)
		return send_error(rq, 413, "body_too_large", "the body is larger than the server's limit");
	if (rq->over_budget)
		return send_busy(rq);
	struct reply r = {0};
	rq->route->fn(rq, &r);
	return send_reply(rq, &r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct request *rq = *con_cls;
	if (!rq)
		return;
	if (!rq->status)
		rq->status = why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
	uint64_t ns = serve_now_ns() - rq->start_ns;
	metrics_request(rq->route_index, rq->status, ns);
	access_log(rq, rq->n, ns);
	guard_release(rq->reserved);
	gen_put(rq->gen);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
	metrics_connections(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* MHD's messages may quote what a client sent: escaped like the log. */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512], esc[4 * sizeof(msg)];
	int k = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (k < 0)
		return;
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		n--;
	guard_escape(esc, sizeof(esc), msg, n);
	fprintf(stderr, "nise serve: %s\n", esc);
}

/* ---- start-up ---------------------------------------------------------- */

/* The listening socket, made here rather than by libmicrohttpd: its
 * MHD_OPTION_LISTENING_ADDRESS_REUSE sets SO_REUSEPORT too, with which a
 * second `nise serve` on the same port starts and the kernel shares the
 * connections between both. SO_REUSEADDR alone lets a restart bind while
 * old connections linger in TIME_WAIT, and a second server fail with
 * EADDRINUSE. Returns -1 with errno set. */
static int listen_socket(const struct sockaddr_storage *ss, socklen_t sl)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, sl) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080" into *ss. */
static bool parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl, bool *loopback,
                         unsigned *port_out)
{
	char host[128];
	const char *colon;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof(host))
			return false;
		memcpy(host, s + 1, (size_t)(rb - s - 1));
		host[rb - s - 1] = '\0';
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return false;
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	*port_out = (unsigned)port;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*v4);
		*loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
		return true;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*v6);
		*loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
		return true;
	}
	return false;
}

/* The token: the file's first line, which must be the only thing in a file
 * nobody else can read. */
static char *read_token(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "nise serve: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
		fprintf(stderr, "nise serve: %s: readable by others (chmod 600 it)\n", path);
		fclose(f);
		return NULL;
	}
	char *buf = calloc(1, TOKEN_MAX + 2);
	if (!buf || !fgets(buf, TOKEN_MAX + 2, f)) {
		fprintf(stderr, "nise serve: %s: empty\n", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (n < 16 || n > TOKEN_MAX) {
		fprintf(stderr, "nise serve: %s: the token must be 16 to %d characters\n", path, TOKEN_MAX);
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] <= ' ' || (unsigned char)buf[i] >= 0x7F) {
			fprintf(stderr, "nise serve: %s: the token must be printable ASCII without spaces\n", path);
			free(buf);
			return NULL;
		}
	return buf;
}

static bool num_arg(const char *opt, const char *v, unsigned long long lo, unsigned long long hi,
                    unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || x < lo || x > hi) {
		fprintf(stderr, "nise serve: %s wants a whole number from %llu to %llu\n", opt, lo, hi);
		return false;
	}
	*out = x;
	return true;
}

static void usage(void)
{
	fputs("usage: nise serve [--listen ADDR:PORT] [--token-file FILE] [--threads N]\n"
	      "                  [--max-body BYTES] [--max-body-total BYTES] [--max-header BYTES]\n"
	      "                  [--max-connections N] [--allow-host NAME]...\n"
	      "                  [--timeout SECONDS] [--request-timeout SECONDS] [--lang ja|en]\n"
	      "                  [--db PATH | --redis URL] [--no-record]\n"
	      "                  [--config FILE] [--data DIR] [--trust-authserv ID]... [--quiet]\n",
	      stderr);
}

int cli_serve(int argc, char **argv)
{
	struct serve_conf conf = {.lang = cli_default_lang(), .max_body = (size_t)10 << 20, .request_timeout = 30,
	                          .record = true, .body_budget = (size_t)64 << 20};
	const char *allow[ALLOW_MAX];
	size_t nallow = 0;
	struct cli_store_opts so = {0};
	const char *listen = "127.0.0.1:8080", *token_file = NULL;
	unsigned long long threads = 0, max_header = 16384, max_conn = 256, timeout = 15, v;
	struct nise_engine_opts opts = {0};
	struct cli_config cc;
	if (!cli_config_apply(&cc, &opts, argc, argv))
		return 2;
	if (cc.lang[0])
		conf.lang = strcmp(cc.lang, "ja") == 0 ? LANG_JA : LANG_EN;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--quiet") == 0) {
			conf.quiet = true;
			continue;
		}
		if (strcmp(a, "--no-record") == 0) {
			conf.record = false;
			continue;
		}
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		bool bad = false;
		if (cli_trust_arg(&cc, &opts, argc, argv, &i, &bad))
			continue;
		if (bad)
			return 2;
		if (strcmp(a, "--help") == 0) {
			usage();
			return 0;
		}
		if (!val || a[0] != '-') {
			fprintf(stderr, "nise serve: unknown or incomplete option '%s'\n", a);
			usage();
			return 2;
		}
		i++;
		if (strcmp(a, "--listen") == 0)
			listen = val;
		else if (strcmp(a, "--allow-host") == 0) {
			if (nallow == ALLOW_MAX || !*val || strlen(val) > 253 || strpbrk(val, ":/[] \t")) {
				fprintf(stderr, "nise serve: --allow-host wants a host name without port (at most %d), not '%s'\n",
				        ALLOW_MAX, val);
				return 2;
			}
			allow[nallow++] = val;
		} else if (strcmp(a, "--max-body-total") == 0) {
			if (!num_arg(a, val, 1024, (unsigned long long)1 << 40, &v))
				return 2;
			conf.body_budget = (size_t)v;
		}
		else if (strcmp(a, "--token-file") == 0)
			token_file = val;
		else if (strcmp(a, "--config") == 0)
			;
		else if (strcmp(a, "--data") == 0)
			opts.data_dir = val;
		else if (strcmp(a, "--lang") == 0 && (strcmp(val, "ja") == 0 || strcmp(val, "en") == 0))
			conf.lang = strcmp(val, "ja") == 0 ? LANG_JA : LANG_EN;
		else if (strcmp(a, "--threads") == 0) {
			if (!num_arg(a, val, 1, 256, &threads))
				return 2;
		} else if (strcmp(a, "--max-body") == 0) {
			if (!num_arg(a, val, 1024, (unsigned long long)1 << 30, &v))
				return 2;
			conf.max_body = (size_t)v;
		} else if (strcmp(a, "--max-header") == 0) {
			if (!num_arg(a, val, 4096, (unsigned long long)1 << 20, &max_header))
				return 2;
		} else if (strcmp(a, "--max-connections") == 0) {
			if (!num_arg(a, val, 1, 100000, &max_conn))
				return 2;
		} else if (strcmp(a, "--timeout") == 0) {
			if (!num_arg(a, val, 1, 3600, &timeout))
				return 2;
		} else if (strcmp(a, "--request-timeout") == 0) {
			if (!num_arg(a, val, 1, 3600, &v))
				return 2;
			conf.request_timeout = (unsigned)v;
		} else {
			fprintf(stderr, "nise serve: unknown or bad option '%s %s'\n", a, val);
			usage();
			return 2;
		}
	}
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	bool loopback = false;
	if (!parse_listen(listen, &ss, &sl, &loopback, &conf.port)) {
		fprintf(stderr, "nise serve: --listen wants ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), not '%s'\n",
		        listen);
		return 2;
	}
	char *token = NULL;
	if (token_file && !(token = read_token(token_file)))
		return 2;
	if (!loopback && !token) {
		fprintf(stderr, "nise serve: %s is not a loopback address: give --token-file\n", listen);
		return 2;
	}
	conf.token = token;
	conf.allow_hosts = allow;
	conf.nallow = nallow;
	if (conf.body_budget < conf.max_body) {
		fprintf(stderr, "nise serve: --max-body-total (%zu) is smaller than --max-body (%zu)\n", conf.body_budget,
		        conf.max_body);
		free(token);
		return 2;
	}
	/* bodies are freed back to the system, not kept by malloc: a fixed
	 * mmap threshold (glibc raises it after each large free otherwise) */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned long long)n : 1;
	}

	struct nise_store *store = NULL;
	if (!cli_store_open(&store, &so, false, "serve")) {
		free(token);
		return 2;
	}
	conf.store = store;
	char learned_dir[1024];
	if (store && cli_learned_dir(&so, learned_dir, sizeof(learned_dir)))
		conf.learned_dir = learned_dir;
	struct gen_args ga = {.argc = argc, .argv = argv, .config = config_path(argc, argv),
	                      .data_dir = opts.data_dir, .store = store};
	unsigned long gen_id = 1;
	char err[1400];
	struct serve_gen *first = gen_build(&ga, gen_id, err, sizeof(err));
	front_gen_swap(first ? &first->base : NULL);
	if (!first) {
		fprintf(stderr, "nise serve: cannot start: %s\n", err);
		nise_store_close(store);
		free(token);
		return 2;
	}
	metrics_init(store);

	/* the pool threads inherit this mask; the main thread waits for the signals */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	int lfd = listen_socket(&ss, sl);
	if (lfd < 0) {
		fprintf(stderr, "nise serve: cannot listen on %s: %s%s\n", listen, strerror(errno),
		        errno == EADDRINUSE ? " (another server, perhaps another nise serve, is listening there)" : "");
		gen_put((struct serve_gen *)front_gen_swap(NULL));
		nise_store_close(store);
		free(token);
		return 2;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &conf,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, lfd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conn,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)max_header,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_END);
	if (!d) {
		close(lfd);
		fprintf(stderr, "nise serve: cannot listen on %s\n", listen);
		gen_put((struct serve_gen *)front_gen_swap(NULL));
		nise_store_close(store);
		free(token);
		return 2;
	}
	fprintf(stderr, "nise serve: listening on http://%s/ (%llu threads%s)\n", listen, threads,
	        token ? ", bearer token required" : "");
	if (store)
		fprintf(stderr, "nise serve: threat-intelligence store (%s), %s\n", nise_store_backend(store),
		        conf.record ? "recording phishing campaigns" : "not recording (--no-record)");
	else
		fprintf(stderr, "nise serve: no store (no threat intelligence; no campaigns)\n");
	int sig = 0;
	while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP)
		gen_reload(&ga, &gen_id);
	fprintf(stderr, "nise serve: signal %d, stopping\n", sig);
	MHD_stop_daemon(d);
	gen_put((struct serve_gen *)front_gen_swap(NULL));
	nise_store_close(store);
	free(token);
	return 0;
}
