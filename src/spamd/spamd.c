/* SPDX-License-Identifier: MIT */
/*
 * spamd.c — `nise spamd`: the SpamAssassin spamd protocol (SPAMC/1.5)
 * on a socket, so Exim's `spam =` ACL condition, spamc and anything else
 * that speaks it can ask nise (docs/spamd.md, nise-spamd(8)).
 *
 * Threads. A fixed pool of `workers` threads each accept() on the one
 * listening socket and serve one connection at a time: at most `workers`
 * mails are in memory at once, each at most max_message_bytes + 1 (the
 * rest of a longer mail is read and thrown away; the scan marks the
 * limit). Further clients wait in the kernel's backlog. As in the
 * milter, the engine lives in a reference-counted generation: SIGHUP
 * builds a new one from spamd.conf and nise.conf and swaps it in while
 * requests in flight finish on the old one; SIGTERM stops accepting,
 * waits up to drain_seconds for requests in flight, and exits.
 *
 * Failure. A client that stalls longer than `timeout` is dropped. A
 * mail nise cannot vouch for (an internal error; a limit that cut the
 * scan short while the verdict is not already phishing) takes on_error /
 * on_limit: "accept" answers unchecked (score 5.0, the reason as the
 * symbol), "tempfail" answers 75 EX_TEMPFAIL, which makes Exim defer the
 * message (451) and spamc pass it on unchanged. If nise spamd is down,
 * Exim's spam condition defers too (unless the ACL says /defer_ok).
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "render.h"
#include "proto.h"
#include "sconf.h"

/* ---- generations: engine + settings, reference-counted (daemon.h) */

struct gen {
	struct front_gen base; /* first: front_gen_put frees the whole */
	struct sconf conf;
};

static atomic_bool stopping;
static atomic_uint inflight;
static const char *conf_path;
static const char *listen_override;

static struct gen *gen_get(void)
{
	return (struct gen *)front_gen_get();
}

static void gen_put(struct gen *g)
{
	front_gen_put(g ? &g->base : NULL);
}

static struct front_gen *gen_build(unsigned long id, char *err, size_t en)
{
	struct gen *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, en, "out of memory");
		return NULL;
	}
	if (!sconf_load(&g->conf, conf_path, err, en) ||
	    !front_gen_init(&g->base, id, g->conf.nise_config, NULL, g->conf.lang, err, en)) {
		free(g);
		return NULL;
	}
	if (listen_override)
		snprintf(g->conf.listen, sizeof(g->conf.listen), "%s", listen_override);
	return &g->base;
}

/* ---- a growable output buffer */

struct out {
	char *p;
	size_t n, cap;
	bool oom;
};

static bool out_add(const char *p, size_t k, void *ctx)
{
	struct out *o = ctx;
	if (o->oom)
		return false;
	if (o->n + k + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->n + k + 1)
			cap *= 2;
		char *np = realloc(o->p, cap);
		if (!np) {
			o->oom = true;
			return false;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->n, p, k);
	o->n += k;
	o->p[o->n] = '\0';
	return true;
}

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(struct out *o, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (k > 0)
		out_add(line, (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1, o);
}

/* ---- reading a connection: lines, then Content-length bytes */

struct rd {
	int fd;
	char buf[8192];
	size_t pos, len;
	bool eof, err;
};

static bool rd_fill(struct rd *r)
{
	if (r->eof || r->err)
		return false;
	for (;;) {
		ssize_t k = read(r->fd, r->buf, sizeof(r->buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r->err = true; /* includes the timeout (SO_RCVTIMEO) */
			return false;
		}
		if (k == 0) {
			r->eof = true;
			return false;
		}
		r->pos = 0;
		r->len = (size_t)k;
		return true;
	}
}

/* One line into line[cap]; its length in *n. false at EOF/error before
 * any byte, or when the line does not fit (*n = cap + 1). */
static bool rd_line(struct rd *r, char *line, size_t cap, size_t *n)
{
	*n = 0;
	for (;;) {
		if (r->pos == r->len && !rd_fill(r))
			return *n > 0;
		char c = r->buf[r->pos++];
		if (*n == cap) {
			*n = cap + 1;
			return false;
		}
		line[(*n)++] = c;
		if (c == '\n')
			return true;
	}
}

/* Reads want bytes (want < 0: until EOF), keeping the first max of them in
 * *out and throwing the rest away. False on a read error or a short body. */
static bool rd_body(struct rd *r, long long want, size_t max, struct out *o)
{
	long long got = 0;
	for (;;) {
		if (want >= 0 && got == want)
			return true;
		if (r->pos == r->len && !rd_fill(r))
			return want < 0 && r->eof;
		size_t k = r->len - r->pos;
		if (want >= 0 && (long long)k > want - got)
			k = (size_t)(want - got);
		size_t keep = o->n < max ? (max - o->n < k ? max - o->n : k) : 0;
		if (keep && !out_add(r->buf + r->pos, keep, o))
			return false;
		r->pos += k;
		got += (long long)k;
	}
}

static void reply_error(int fd, int code, const char *why)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {{SPAMD_EX_USAGE, "EX_USAGE"}, {SPAMD_EX_DATAERR, "EX_DATAERR"},
	             {SPAMD_EX_SOFTWARE, "EX_SOFTWARE"}, {SPAMD_EX_TEMPFAIL, "EX_TEMPFAIL"},
	             {SPAMD_EX_PROTOCOL, "EX_PROTOCOL"}};
	const char *name = "EX_SOFTWARE";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			name = names[i].name;
	char line[512];
	int k = snprintf(line, sizeof(line), "SPAMD/1.5 %d %s %s\r\n", code, name, why);
	if (k > 0)
		front_write_all(fd, line, (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1);
}

/* ---- the answer */

static const char *L(enum cli_lang lang, const char *en, const char *ja)
{
	return lang == LANG_JA ? ja : en;
}

static const char *verdict_word(const struct nise_result *r, const struct spamd_verdict *v,
                                enum cli_lang lang)
{
	if (v->unchecked)
		return L(lang, "unchecked", "未確認");
	switch (r->verdict) {
	case NISE_PHISHING: return L(lang, "phishing", "フィッシング");
	case NISE_SUSPICIOUS: return L(lang, "suspicious", "要注意");
	default: return L(lang, "clean", "問題なし");
	}
}

/* The REPORT body: the verdict, then one line per finding, its
 * explanation in lang (docs/spamd.md shows one). */
static void report(struct out *o, const struct nise_result *r, const struct spamd_verdict *v,
                   enum cli_lang lang)
{
	if (v->unchecked) {
		out_printf(o, "%s (%s)\n%s\n", L(lang, "nise: unchecked", "nise: 未確認"), v->unchecked,
		           L(lang, "nise could not check this mail whole: it is not known to be safe.",
		             "nise はこのメールを最後まで確認できませんでした。安全とは判断できません。"));
		return;
	}
	out_printf(o, "nise: %s (%s %.1f)\n\n", verdict_word(r, v, lang), L(lang, "score", "スコア"), r->score);
	if (!r->nfindings) {
		out_printf(o, "%s\n", L(lang, "No finding.", "検出項目はありません。"));
		return;
	}
	out_printf(o, " pts rule name              description\n"
	              "---- ---------------------- --------------------------------------------------\n");
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct nise_finding *f = &r->findings[i];
		const char *ex = lang == LANG_JA ? f->explain_ja : f->explain_en;
		out_printf(o, "%4.1f %-22s %s\n", f->score, f->id, ex ? ex : "");
	}
}

static void symbols(struct out *o, const struct nise_result *r, const struct spamd_verdict *v)
{
	if (v->unchecked) {
		out_printf(o, "%s", strcmp(v->unchecked, "error") == 0 ? "NISE_ERROR" : v->unchecked);
		return;
	}
	size_t shown = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (render_finding_shown(r, i))
			out_printf(o, "%s%s", shown++ ? "," : "", r->findings[i].id);
}

/* The mail with X-Nise-Verdict / X-Nise-Findings; headers_only: up to
 * and including the empty line that ends the header block. */
static void processed(struct out *o, const char *msg, size_t n, const struct nise_result *r,
                      const struct spamd_verdict *v, bool headers_only, bool reason, enum cli_lang lang)
{
	const char *nl = memchr(msg, '\n', n);
	char *hdrs[3];
	size_t nh = render_fields(hdrs, r, v->unchecked, reason && r, lang,
	                          nl && nl > msg && nl[-1] == '\r' ? "\r\n" : "\n");
	if (!nh) {
		o->oom = true;
		return;
	}
	size_t start = o->n;
	render_filter(msg, n, (const char *const *)hdrs, nh, out_add, o);
	render_fields_free(hdrs, nh);
	if (headers_only && !o->oom) {
		const char *p = o->p + start;
		size_t len = o->n - start;
		for (size_t i = 0; i + 1 < len; i++) {
			if (p[i] != '\n')
				continue;
			size_t j = i + 1;
			if (p[j] == '\r' && j + 1 < len && p[j + 1] == '\n') {
				o->n = start + j + 2;
				break;
			}
			if (p[j] == '\n') {
				o->n = start + j + 1;
				break;
			}
		}
	}
}

/* The one log line of a request: method, user, verdict and score (or
 * the reason it is unchecked), the spamd score, sender, Message-ID and
 * findings; what the mail wrote is escaped (front_log_escape). */
static void log_mail(const struct spamd_req *req, const struct nise_result *r, const struct spamd_verdict *v)
{
	char user[200], from[300], id[300], f[600] = "-";
	front_log_escape(user, sizeof(user), req->user);
	front_log_escape(from, sizeof(from), r && r->msg->nfrom ? r->msg->from[0].address : NULL);
	front_log_escape(id, sizeof(id), r ? r->msg->message_id : NULL);
	if (v->unchecked) {
		front_log("spamd", "%s user=%s: verdict=unchecked reason=%s spamd=%.1f/%.1f from=%s msgid=%s",
		          spamd_method_name(req->method), user, v->unchecked, v->score, SPAMD_THRESHOLD, from, id);
		return;
	}
	size_t w = 0;
	for (size_t i = 0; i < r->nfindings && w + 1 < sizeof(f); i++)
		if (render_finding_shown(r, i)) {
			int k = snprintf(f + w, sizeof(f) - w, "%s%s", w ? "," : "", r->findings[i].id);
			w = k > 0 && (size_t)k < sizeof(f) - w ? w + (size_t)k : sizeof(f) - 1;
		}
	front_log("spamd", "%s user=%s: verdict=%s score=%.1f spamd=%.1f/%.1f from=%s msgid=%s findings=%s",
	          spamd_method_name(req->method), user, nise_verdict_name(r->verdict), r->score, v->score,
	          SPAMD_THRESHOLD, from, id, f);
}

static void serve_request(int fd, struct gen *g)
{
	struct rd r = {.fd = fd};
	struct spamd_req req;
	memset(&req, 0, sizeof(req));
	char line[SPAMD_MAX_LINE];
	char why[160] = "";
	size_t n;
	if (!rd_line(&r, line, sizeof(line), &n)) {
		if (n > sizeof(line))
			reply_error(fd, SPAMD_EX_PROTOCOL, "line too long");
		return;
	}
	int code = spamd_req_line(&req, line, n, why, sizeof(why));
	if (code != SPAMD_EX_OK) {
		reply_error(fd, code, why);
		return;
	}
	if (req.method == SPAMD_PING) {
		const char pong[] = "SPAMD/1.5 0 PONG\r\n";
		front_write_all(fd, pong, sizeof(pong) - 1);
		return;
	}
	while (!req.done) {
		if (!rd_line(&r, line, sizeof(line), &n)) {
			reply_error(fd, SPAMD_EX_PROTOCOL, n > sizeof(line) ? "line too long" : "headers cut short");
			return;
		}
		code = spamd_req_line(&req, line, n, why, sizeof(why));
		if (code != SPAMD_EX_OK) {
			reply_error(fd, code, why);
			return;
		}
	}
	if (req.method == SPAMD_SKIP)
		return;
	size_t lim = g->base.nconf.limits.max_message_bytes;
	size_t max = lim < SIZE_MAX - 1 ? lim + 1 : lim;
	struct out mail = {0};
	bool whole = rd_body(&r, req.content_length, max, &mail);
	if (!whole) {
		reply_error(fd, SPAMD_EX_DATAERR, r.err ? "timeout or read error" : "message shorter than Content-length");
		front_log("spamd", "%s: request cut short (%s)", spamd_method_name(req.method), r.err ? "timeout or read error" : "EOF");
		free(mail.p);
		return;
	}
	bool cut = mail.n == max; /* more came than we keep */
	if (cut && (req.method == SPAMD_PROCESS || req.method == SPAMD_HEADERS)) {
		reply_error(fd, SPAMD_EX_DATAERR, "message larger than max_message_bytes: not rewritten");
		front_log("spamd", "%s: message over max_message_bytes, not rewritten", spamd_method_name(req.method));
		free(mail.p);
		return;
	}
	struct nise_result *res = NULL;
	nise_rc rc = mail.oom ? NISE_ENOMEM : nise_scan(&res, g->base.engine, mail.p ? mail.p : "", mail.n);
	const char *lim_id = rc == NISE_OK ? render_unchecked_limit(res) : NULL;
	struct spamd_verdict v;
	spamd_map(&v, rc == NISE_OK ? res : NULL, lim_id);
	enum sconf_fail policy = rc != NISE_OK ? g->conf.on_error : g->conf.on_limit;
	if (v.unchecked && policy == SFAIL_TEMPFAIL) {
		front_log("spamd", "%s user=%s: unchecked (%s), tempfail", spamd_method_name(req.method),
		         req.user[0] ? req.user : "-", v.unchecked);
		reply_error(fd, SPAMD_EX_TEMPFAIL, "nise could not check this message, try again later");
		goto out;
	}
	enum cli_lang lang = req.lang[0] ? (req.lang[0] == 'j' ? LANG_JA : LANG_EN) : g->base.lang;
	struct out body = {0};
	switch (req.method) {
	case SPAMD_SYMBOLS: symbols(&body, res, &v); break;
	case SPAMD_REPORT: report(&body, res, &v, lang); break;
	case SPAMD_REPORT_IFSPAM:
		if (v.spam)
			report(&body, res, &v, lang);
		break;
	case SPAMD_PROCESS:
	case SPAMD_HEADERS: processed(&body, mail.p ? mail.p : "", mail.n, res, &v, req.method == SPAMD_HEADERS,
		          g->conf.reason, lang);
		break;
	default: break;
	}
	if (body.oom) {
		reply_error(fd, SPAMD_EX_SOFTWARE, "out of memory");
		free(body.p);
		goto out;
	}
	/* "Spam:" right after the status line: Exim's parser wants it there */
	struct out head = {0};
	out_printf(&head, "SPAMD/1.1 0 EX_OK\r\nSpam: %s ; %.1f / %.1f\r\n", v.spam ? "True" : "False",
	           v.score, SPAMD_THRESHOLD);
	if (req.method != SPAMD_CHECK)
		out_printf(&head, "Content-length: %zu\r\n", body.n);
	out_add("\r\n", 2, &head);
	if (!head.oom && front_write_all(fd, head.p, head.n) && body.n)
		front_write_all(fd, body.p, body.n);
	free(head.p);
	free(body.p);
	log_mail(&req, res, &v);
out:
	nise_result_free(res);
	free(mail.p);
}

/* ---- listening and the worker pool */

static int listen_fd = -1;

static int open_listener(const char *spec, char *err, size_t en)
{
	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sun;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(spec + 5) >= sizeof(sun.sun_path)) {
			snprintf(err, en, "socket path too long: %s", spec + 5);
			return -1;
		}
		memcpy(sun.sun_path, spec + 5, strlen(spec + 5) + 1);
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		unlink(sun.sun_path);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 || listen(fd, 128) != 0) {
			snprintf(err, en, "cannot listen on %s: %s", spec, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		return fd;
	}
	char host[256];
	const char *colon = strrchr(spec, ':');
	size_t hl = colon ? (size_t)(colon - spec) : 0;
	if (!colon || hl >= sizeof(host) || !colon[1]) {
		snprintf(err, en, "bad listen address '%s' (HOST:PORT or unix:/path)", spec);
		return -1;
	}
	memcpy(host, spec, hl);
	host[hl] = '\0';
	char *h = host;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h[hl - 1] = '\0';
		h++;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int gai = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &ai);
	if (gai != 0) {
		snprintf(err, en, "bad listen address '%s': %s", spec, gai_strerror(gai));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
		snprintf(err, en, "cannot listen on %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stopping)) {
		struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
		int k = poll(&pfd, 1, 200);
		if (k <= 0)
			continue;
		/* the listening socket is non-blocking: when another worker
		 * took the connection this one goes back to poll (and sees a
		 * stop) instead of blocking in accept; the accepted socket is
		 * blocking, with SO_RCVTIMEO/SO_SNDTIMEO */
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		atomic_fetch_add(&inflight, 1);
		struct gen *g = gen_get();
		if (atomic_load(&stopping) || !g) {
			reply_error(fd, SPAMD_EX_TEMPFAIL, "nise is restarting, try again later");
		} else {
			struct timeval tv = {.tv_sec = (time_t)g->conf.timeout};
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
			serve_request(fd, g);
		}
		gen_put(g);
		close(fd);
		atomic_fetch_sub(&inflight, 1);
	}
	return NULL;
}

static void reloaded(const struct front_gen *old_base, const struct front_gen *new_base)
{
	const struct gen *old = (const struct gen *)old_base, *g = (const struct gen *)new_base;
	if (strcmp(old->conf.listen, g->conf.listen) != 0 || old->conf.workers != g->conf.workers)
		front_log("spamd", "reload: listen and workers take effect at the next start");
}

static void usage(FILE *f)
{
	fputs("usage: nise spamd [--config FILE] [--listen HOST:PORT|unix:/path] [--check-config]\n"
	      "  --config FILE   spamd.conf (default " NISE_SPAMD_CONF " when it exists)\n"
	      "  --listen ADDR   where spamd clients connect (default 127.0.0.1:783)\n"
	      "  --check-config  validate the files, build the engine, print the settings, exit\n"
	      "Signals: SIGHUP reloads spamd.conf, nise.conf and the data; SIGTERM drains and stops.\n",
	      f);
}

int cli_spamd(int argc, char **argv)
{
	bool check = false;
	conf_path = NULL;
	listen_override = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf_path = argv[++i];
		else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			listen_override = argv[++i];
		else if (strcmp(argv[i], "--check-config") == 0)
			check = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "nise spamd: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!conf_path && access(NISE_SPAMD_CONF, F_OK) == 0)
		conf_path = NISE_SPAMD_CONF;
	char err[1400];
	struct gen *g = (struct gen *)gen_build(1, err, sizeof(err));
	if (!g) {
		fprintf(stderr, "nise spamd: %s\n", err);
		return 2;
	}
	if (check) {
		sconf_print(&g->conf, stdout);
		gen_put(g);
		return 0;
	}
	listen_fd = open_listener(g->conf.listen, err, sizeof(err));
	if (listen_fd < 0) {
		fprintf(stderr, "nise spamd: %s\n", err);
		gen_put(g);
		return 2;
	}
	front_gen_swap(&g->base);
	if (!front_signals_start(err, sizeof(err))) {
		fprintf(stderr, "nise spamd: %s\n", err);
		return 2;
	}
	/* workers block the signals: the main thread takes them */
	sigset_t old;
	front_signals_block(&old);
	unsigned nw = g->conf.workers;
	pthread_t *tids = calloc(nw, sizeof(*tids));
	unsigned started = 0;
	for (; tids && started < nw; started++)
		if (pthread_create(&tids[started], NULL, worker, NULL) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!started) {
		fprintf(stderr, "nise spamd: cannot start worker threads\n");
		return 2;
	}
	front_log("spamd", "listening on %s (%u workers, threshold %.1f, on_error %s, on_limit %s)", g->conf.listen,
	         started, SPAMD_THRESHOLD, g->conf.on_error == SFAIL_TEMPFAIL ? "tempfail" : "accept",
	         g->conf.on_limit == SFAIL_TEMPFAIL ? "tempfail" : "accept");
	front_daemon_loop("spamd", gen_build, reloaded);
	atomic_store(&stopping, true);
	struct gen *cur = gen_get();
	unsigned drain = cur ? cur->conf.drain_seconds : 30;
	gen_put(cur);
	front_log("spamd", "stopping: %u request(s) in flight", atomic_load(&inflight));
	if (!front_drain(&inflight, drain)) {
		front_log("spamd", "stopping with %u request(s) unfinished: their clients see the connection close",
		          atomic_load(&inflight));
		fflush(stderr);
		_exit(1);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	close(listen_fd);
	struct gen *last = (struct gen *)front_gen_swap(NULL);
	if (strncmp(last->conf.listen, "unix:", 5) == 0)
		unlink(last->conf.listen + 5);
	gen_put(last);
	front_log("spamd", "stopped");
	return 0;
}
