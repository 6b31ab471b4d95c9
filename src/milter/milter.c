/* SPDX-License-Identifier: MIT */
/*
 * milter.c — `nise milter`: judge every message a Postfix or Sendmail
 * receives, through libmilter, and never lose one.
 *
 * Threads. libmilter runs one thread per MTA connection. The engine is
 * built once and shared read-only; a message takes a reference to the
 * current generation (engine + settings) when its envelope starts and
 * drops it at end of message or abort, so SIGHUP can build a new engine
 * and swap it in while old messages finish on the old one; the last
 * reference frees it. Each scan has its own arena (nise_scan).
 *
 * Signals. libmilter's own signal thread stops the milter on SIGHUP, so
 * smfi_main runs in a second thread with HUP/TERM/INT blocked (libmilter
 * blocks them there, and every thread it makes inherits that), while the
 * main thread keeps them unblocked with handlers that write to a pipe:
 * the kernel gives a process-directed signal to the main thread first
 * when it does not block it, so the main thread always sees SIGHUP
 * (reload) and SIGTERM (drain: refuse new messages with 451, wait up to
 * drain_seconds for those in flight, stop).
 *
 * Authentication. Incoming Authentication-Results with our authserv-id
 * are forgeries: removed from the mail and from what we scan. Our own
 * (auth.c) is inserted on top and prepended to the scanned copy, so the
 * checks believe exactly our results (nise.h, nise_authres_authserv_id).
 *
 * Failure. Anything that keeps nise from judging a message (no memory, a
 * limit that cut the scan short while the verdict is not already
 * phishing) takes the operator's on_error / on_limit: accept with
 * "X-Nise-Verdict: unchecked reason=...", or 451 4.3.0 so the client
 * tries again. If the milter is down, Postfix's milter_default_action
 * decides (docs/postfix.md: tempfail). Nothing is dropped silently.
 */
#include "front.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmilter/mfapi.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "daemon.h"
#include "mconf.h"
#include "render.h"

/* ---- generations: engine + settings, reference-counted (daemon.h) */

struct gen {
	struct front_gen base; /* first: front_gen_put frees the whole */
	struct mconf conf;
};

static atomic_bool stopping;
static atomic_uint inflight;
static const char *conf_path;
static bool auth_ready; /* auth_global_init ran: `auth` is read at start only */

static struct gen *gen_get(void)
{
	return (struct gen *)front_gen_get();
}

static void gen_put(struct gen *g)
{
	front_gen_put(g ? &g->base : NULL);
}

/* Builds a generation from the files. NULL with a reason in err. */
static struct front_gen *gen_build(unsigned long id, char *err, size_t en)
{
	struct gen *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, en, "out of memory");
		return NULL;
	}
	/* with auth = yes our own results are on top of every scanned copy
	 * (on_eom): our authserv-id is trusted, with those of nise.conf */
	if (!mconf_load(&g->conf, conf_path, err, en) ||
	    !front_gen_init(&g->base, id, g->conf.nise_config, g->conf.auth ? g->conf.authserv_id : NULL,
	                    g->conf.lang, err, en)) {
		free(g);
		return NULL;
	}
	return &g->base;
}

/* ---- per connection and per message */

struct msg {
	struct gen *gen;
	struct auth_msg *auth;
	char mailfrom[512];
	char *buf;            /* headers (ours first) and body, for the scan */
	size_t n, cap, max;   /* max: the size limit + 1, so the scan sees the excess */
	bool over;            /* more arrived than max */
	bool oom;
	size_t body_start;
	unsigned nar;         /* Authentication-Results seen */
	unsigned *forged;     /* their 1-based indexes that carry our authserv-id */
	unsigned nforged, capforged;
	unsigned nverdict, nfindings, nreason; /* incoming X-Nise-* to remove */
	char *subject;        /* raw value of the first Subject, NULL when none */
	bool have_subject;
	char msgid[256];      /* the first Message-ID, for the log ("" none) */
};

struct conn {
	char ip[INET6_ADDRSTRLEN];
	char helo[256];
	struct msg *msg;
};

static void msg_free(struct msg *m)
{
	if (!m)
		return;
	auth_msg_free(m->auth);
	free(m->buf);
	free(m->subject);
	free(m->forged);
	gen_put(m->gen);
	free(m);
	atomic_fetch_sub(&inflight, 1);
}

static void append(struct msg *m, const char *p, size_t k)
{
	if (m->oom || !k)
		return;
	if (m->n + k > m->max) {
		m->over = true;
		k = m->max > m->n ? m->max - m->n : 0;
		if (!k)
			return;
	}
	if (m->n + k > m->cap) {
		size_t cap = m->cap ? m->cap : 16384;
		while (cap < m->n + k)
			cap *= 2;
		char *np = realloc(m->buf, cap);
		if (!np) {
			m->oom = true;
			return;
		}
		m->buf = np;
		m->cap = cap;
	}
	memcpy(m->buf + m->n, p, k);
	m->n += k;
}

static sfsistat on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c)
		return SMFIS_TEMPFAIL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)sa)->sin_addr, c->ip, sizeof(c->ip));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)sa)->sin6_addr, c->ip, sizeof(c->ip));
	smfi_setpriv(ctx, c);
	return SMFIS_CONTINUE;
}

static sfsistat on_helo(SMFICTX *ctx, char *helo)
{
	struct conn *c = smfi_getpriv(ctx);
	if (c)
		snprintf(c->helo, sizeof(c->helo), "%s", helo ? helo : "");
	return SMFIS_CONTINUE;
}

static sfsistat on_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	if (!c)
		return SMFIS_TEMPFAIL;
	if (atomic_load(&stopping)) {
		smfi_setreply(ctx, "451", "4.3.2", "nise is restarting, try again later");
		return SMFIS_TEMPFAIL;
	}
	msg_free(c->msg);
	c->msg = NULL;
	struct msg *m = calloc(1, sizeof(*m));
	if (!m)
		return SMFIS_TEMPFAIL;
	atomic_fetch_add(&inflight, 1);
	c->msg = m;
	m->gen = gen_get();
	if (!m->gen)
		return SMFIS_TEMPFAIL;
	size_t lim = m->gen->base.nconf.limits.max_message_bytes;
	m->max = lim < SIZE_MAX - 1 ? lim + 1 : lim;
	snprintf(m->mailfrom, sizeof(m->mailfrom), "%s", argv && argv[0] ? argv[0] : "");
	if (m->gen->conf.auth && auth_ready) {
		m->auth = auth_msg_new(c->ip[0] ? c->ip : NULL, c->helo, m->mailfrom);
		if (!m->auth)
			m->oom = true;
	}
	return SMFIS_CONTINUE;
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m = c ? c->msg : NULL;
	if (!m)
		return SMFIS_CONTINUE;
	if (m->auth)
		auth_msg_header(m->auth, name, value);
	size_t nl = strlen(name), vl = strlen(value);
	if (strcasecmp(name, "Authentication-Results") == 0) {
		m->nar++;
		char id[256];
		if (nise_authres_authserv_id(id, sizeof(id), value, vl) == NISE_OK &&
		    strcasecmp(id, m->gen->conf.authserv_id) == 0) {
			/* every one is remembered: a forgery we could not remove
			 * would be delivered under our name */
			if (m->nforged == m->capforged) {
				unsigned nc = m->capforged ? m->capforged * 2 : 8;
				unsigned *nf = nc > m->capforged ? realloc(m->forged, nc * sizeof(*nf)) : NULL;
				if (!nf) {
					m->oom = true;
					return SMFIS_CONTINUE;
				}
				m->forged = nf;
				m->capforged = nc;
			}
			m->forged[m->nforged++] = m->nar;
			return SMFIS_CONTINUE; /* not scanned */
		}
	} else if (render_is_own_header(name, nl)) {
		if (strcasecmp(name, RENDER_VERDICT_HDR) == 0)
			m->nverdict++;
		else if (strcasecmp(name, RENDER_FINDINGS_HDR) == 0)
			m->nfindings++;
		else
			m->nreason++;
		return SMFIS_CONTINUE;
	} else if (strcasecmp(name, "Message-ID") == 0 && !m->msgid[0]) {
		const char *v = value;
		while (*v == ' ' || *v == '\t')
			v++;
		snprintf(m->msgid, sizeof(m->msgid), "%s", v);
	} else if (strcasecmp(name, "Subject") == 0 && !m->have_subject) {
		m->have_subject = true;
		m->subject = strdup(value);
		if (!m->subject)
			m->oom = true; /* never tag over a subject we could not keep */
	}
	append(m, name, nl);
	append(m, ":", 1);
	if (vl && value[0] != ' ' && value[0] != '\t')
		append(m, " ", 1);
	append(m, value, vl);
	append(m, "\r\n", 2);
	return SMFIS_CONTINUE;
}

static sfsistat on_eoh(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m = c ? c->msg : NULL;
	if (!m)
		return SMFIS_CONTINUE;
	if (m->auth)
		auth_msg_eoh(m->auth);
	append(m, "\r\n", 2);
	m->body_start = m->n;
	return SMFIS_CONTINUE;
}

static sfsistat on_body(SMFICTX *ctx, unsigned char *p, size_t k)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m = c ? c->msg : NULL;
	if (!m)
		return SMFIS_CONTINUE;
	if (m->auth)
		auth_msg_body(m->auth, p, k);
	append(m, (const char *)p, k);
	return SMFIS_CONTINUE;
}

/* Removes every incoming X-Nise-* field (forgeries). */
static void remove_own(SMFICTX *ctx, const struct msg *m)
{
	for (unsigned i = m->nverdict; i > 0; i--)
		smfi_chgheader(ctx, RENDER_VERDICT_HDR, (int)i, NULL);
	for (unsigned i = m->nfindings; i > 0; i--)
		smfi_chgheader(ctx, RENDER_FINDINGS_HDR, (int)i, NULL);
	for (unsigned i = m->nreason; i > 0; i--)
		smfi_chgheader(ctx, RENDER_REASON_HDR, (int)i, NULL);
}

/* The one log line of a message: queue id, verdict and score (or the
 * reason it is unchecked), the action, sender, Message-ID, findings;
 * what the mail wrote is escaped (front_log_escape). */
static void log_mail(const char *qid, const struct msg *m, const struct nise_result *r, const char *unchecked,
                     const char *action)
{
	char q[64], from[300], id[300], f[600] = "-";
	size_t w = 0;
	for (size_t i = 0; r && !unchecked && i < r->nfindings && w + 1 < sizeof(f); i++)
		if (render_finding_shown(r, i)) {
			int k = snprintf(f + w, sizeof(f) - w, "%s%s", w ? "," : "", r->findings[i].id);
			w = k > 0 && (size_t)k < sizeof(f) - w ? w + (size_t)k : sizeof(f) - 1;
		}
	front_log_escape(q, sizeof(q), qid);
	/* the envelope sender without the <> of MAIL FROM */
	char env[sizeof(m->mailfrom)];
	size_t el = strlen(m->mailfrom);
	if (el >= 2 && m->mailfrom[0] == '<' && m->mailfrom[el - 1] == '>')
		snprintf(env, sizeof(env), "%.*s", (int)(el - 2), m->mailfrom + 1);
	else
		snprintf(env, sizeof(env), "%s", m->mailfrom);
	front_log_escape(from, sizeof(from), env);
	front_log_escape(id, sizeof(id), m->msgid);
	if (unchecked)
		front_log("milter", "%s: verdict=unchecked reason=%s action=%s from=%s msgid=%s", q, unchecked, action,
		          from, id);
	else
		front_log("milter", "%s: verdict=%s score=%.1f action=%s from=%s msgid=%s findings=%s", q,
		          nise_verdict_name(r->verdict), r->score, action, from, id, f);
}

/* 451 or accept-with-header for a message nise cannot vouch for. */
static sfsistat cannot_judge(SMFICTX *ctx, struct msg *m, enum mconf_fail policy,
                             const char *reason, const char *qid)
{
	log_mail(qid, m, NULL, reason, policy == MFAIL_TEMPFAIL ? "tempfail" : "accept");
	if (policy == MFAIL_TEMPFAIL) {
		smfi_setreply(ctx, "451", "4.3.0", "nise could not check this message, try again later");
		return SMFIS_TEMPFAIL;
	}
	char v[300];
	snprintf(v, sizeof(v), " unchecked reason=%s", reason);
	remove_own(ctx, m);
	smfi_addheader(ctx, RENDER_VERDICT_HDR, v);
	return SMFIS_ACCEPT;
}

/* Adds name with " value" (value malloc'd, freed; NULL: nothing). */
static void add_value(SMFICTX *ctx, char *name, char *value)
{
	size_t k = value ? strlen(value) + 2 : 0;
	char *v = value ? malloc(k) : NULL;
	if (v) {
		snprintf(v, k, " %s", value);
		smfi_addheader(ctx, name, v);
	}
	free(v);
	free(value);
}

static void insert_ar(SMFICTX *ctx, const char *ar)
{
	size_t k = strlen(ar) + 2;
	char *v = malloc(k);
	if (v) {
		snprintf(v, k, " %s", ar);
		smfi_insheader(ctx, 0, "Authentication-Results", v);
	}
	free(v);
}

static sfsistat on_eom(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m = c ? c->msg : NULL;
	if (!m)
		return SMFIS_CONTINUE;
	const char *qid = smfi_getsymval(ctx, "i");
	if (!qid)
		qid = "-";
	const struct mconf *conf = &m->gen->conf;
	sfsistat ret = SMFIS_ACCEPT;
	char *ar = NULL;
	char *scan = NULL;
	struct nise_result *r = NULL;

	/* forged Authentication-Results go first, whatever happens next */
	for (unsigned i = m->nforged; i > 0; i--)
		smfi_chgheader(ctx, "Authentication-Results", (int)m->forged[i - 1], NULL);
	if (m->auth) {
		ar = auth_msg_finish(m->auth, conf->authserv_id);
		if (!ar)
			m->oom = true;
		else
			insert_ar(ctx, ar);
	}
	if (m->oom) {
		ret = cannot_judge(ctx, m, conf->on_error, "error", qid);
		goto out;
	}
	/* the scanned copy: our Authentication-Results on top */
	size_t sn = m->n;
	if (ar) {
		/* "\n\t" folds become "\r\n\t" for the scan */
		size_t extra = strlen("Authentication-Results: \r\n") + 2 * strlen(ar);
		scan = malloc(sn + extra);
		if (!scan) {
			ret = cannot_judge(ctx, m, conf->on_error, "error", qid);
			goto out;
		}
		size_t w = 0;
		memcpy(scan, "Authentication-Results: ", 24);
		w = 24;
		for (const char *p = ar; *p; p++) {
			if (*p == '\n')
				scan[w++] = '\r';
			scan[w++] = *p;
		}
		scan[w++] = '\r';
		scan[w++] = '\n';
		if (m->n)
			memcpy(scan + w, m->buf, m->n);
		sn = w + m->n;
	}
	nise_rc rc = nise_scan(&r, m->gen->base.engine, scan ? scan : m->buf ? m->buf : "", sn);
	if (rc != NISE_OK) {
		ret = cannot_judge(ctx, m, conf->on_error, nise_strerror(rc), qid);
		goto out;
	}
	const char *lim = render_unchecked_limit(r);
	if (lim) {
		ret = cannot_judge(ctx, m, conf->on_limit, lim, qid);
		goto out;
	}
	enum mconf_action act = MACT_HEADER;
	if (r->verdict == NISE_PHISHING)
		act = conf->on_phishing;
	else if (r->verdict == NISE_SUSPICIOUS)
		act = conf->on_suspicious;
	char verdict[64];
	render_verdict(verdict + 1, sizeof(verdict) - 1, r);
	verdict[0] = ' '; /* SMFIP_HDR_LEADSPC: values we add carry their leading space */
	log_mail(qid, m, r, NULL, mconf_action_name(act));
	if (act == MACT_REJECT) {
		char text[160];
		snprintf(text, sizeof(text), "Message rejected as %s by nise (score %.1f)",
		         nise_verdict_name(r->verdict), r->score);
		smfi_setreply(ctx, "550", "5.7.1", text);
		ret = SMFIS_REJECT;
		goto out;
	}
	remove_own(ctx, m);
	smfi_addheader(ctx, RENDER_VERDICT_HDR, verdict);
	add_value(ctx, RENDER_FINDINGS_HDR, render_findings(r, "\n\t"));
	if (conf->reason)
		add_value(ctx, RENDER_REASON_HDR, render_reason(r, m->gen->base.lang, "\n "));
	if (act == MACT_TAG) {
		char *s = render_subject(mconf_tag(conf, m->gen->base.lang == LANG_JA), m->subject,
		                         r->msg->subject, "\n ");
		size_t k = s ? strlen(s) + 2 : 0;
		char *v = s ? malloc(k) : NULL;
		if (v) {
			snprintf(v, k, " %s", s);
			if (m->have_subject)
				smfi_chgheader(ctx, "Subject", 1, v);
			else
				smfi_addheader(ctx, "Subject", v);
		}
		free(v);
		free(s);
	} else if (act == MACT_QUARANTINE) {
		char why[96];
		snprintf(why, sizeof(why), "nise:%s", verdict);
		smfi_quarantine(ctx, why);
	}
out:
	nise_result_free(r);
	free(scan);
	free(ar);
	msg_free(m);
	c->msg = NULL;
	return ret;
}

static sfsistat on_abort(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	if (c) {
		msg_free(c->msg);
		c->msg = NULL;
	}
	return SMFIS_CONTINUE;
}

static sfsistat on_close(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	if (c) {
		msg_free(c->msg);
		free(c);
		smfi_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}

static sfsistat on_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
                             unsigned long f3, unsigned long *pf0, unsigned long *pf1,
                             unsigned long *pf2, unsigned long *pf3)
{
	const unsigned long want = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE;
	if ((f0 & want) != want)
		return SMFIS_REJECT;
	*pf0 = want;
	/* header values exactly as sent (DKIM simple canonicalisation) */
	*pf1 = f1 & SMFIP_HDR_LEADSPC;
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
	.xxfi_name = "nise",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	.xxfi_connect = on_connect,
	.xxfi_helo = on_helo,
	.xxfi_envfrom = on_envfrom,
	.xxfi_header = on_header,
	.xxfi_eoh = on_eoh,
	.xxfi_body = on_body,
	.xxfi_eom = on_eom,
	.xxfi_abort = on_abort,
	.xxfi_close = on_close,
	.xxfi_negotiate = on_negotiate,
};

/* In sanitizer builds, a leak check before _exit (which skips LSan's own
 * at-exit check): the tests run the milter under ASan and fail on a leak. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NISE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NISE_ASAN 1
#endif
#ifdef NISE_ASAN
int __lsan_do_recoverable_leak_check(void);
static bool leak_check(void)
{
	/* what the current generation holds is reachable, not leaked */
	return __lsan_do_recoverable_leak_check() != 0;
}
#else
static bool leak_check(void)
{
	return false;
}
#endif

/* ---- the main thread */

static void *milter_thread(void *arg)
{
	int *rc = arg;
	*rc = smfi_main();
	return NULL;
}

static void reloaded(const struct front_gen *old_base, const struct front_gen *new_base)
{
	const struct gen *old = (const struct gen *)old_base, *g = (const struct gen *)new_base;
	/* settings read once at start cannot change under a running milter */
	if (strcmp(old->conf.socket, g->conf.socket) != 0 || (g->conf.auth && !auth_ready) ||
	    strcmp(old->conf.dns_server, g->conf.dns_server) != 0 ||
	    strcmp(old->conf.psl_file, g->conf.psl_file) != 0)
		front_log("milter", "reload: socket, dns_server, psl_file and turning auth on take effect at the next start");
}

static void usage(FILE *f)
{
	fputs("usage: nise milter [--config FILE] [--socket SPEC] [--check-config]\n"
	      "  --config FILE   milter.conf (default " NISE_MILTER_CONF ")\n"
	      "  --socket SPEC   inet:PORT@HOST or unix:/path (overrides the file)\n"
	      "  --check-config  validate the files, build the engine, print the settings, exit\n"
	      "Signals: SIGHUP reloads milter.conf, nise.conf and the data; SIGTERM drains and stops.\n",
	      f);
}

int cli_milter(int argc, char **argv)
{
	const char *sock = NULL;
	bool check = false;
	conf_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf_path = argv[++i];
		else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "--check-config") == 0)
			check = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "nise milter: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	/* libmilter runs a thread per MTA connection, and glibc gives threads
	 * their own malloc arenas (up to 8 per core): measured over 10,000
	 * messages (bench/RESULTS.md) RSS kept growing, 38 → 50 MB in the
	 * second half, with the default and stayed flat (31 → 33 MB) with two
	 * arenas, at the same throughput. MALLOC_ARENA_MAX still wins. */
	if (!getenv("MALLOC_ARENA_MAX"))
		mallopt(M_ARENA_MAX, 2);
	if (!conf_path && access(NISE_MILTER_CONF, F_OK) == 0)
		conf_path = NISE_MILTER_CONF;
	char err[1400];
	struct gen *g = (struct gen *)gen_build(1, err, sizeof(err));
	if (!g) {
		fprintf(stderr, "nise milter: %s\n", err);
		return 2;
	}
	if (sock)
		snprintf(g->conf.socket, sizeof(g->conf.socket), "%s", sock);
	if (check) {
		mconf_print(&g->conf, stdout);
		gen_put(g);
		return 0;
	}
	struct mdns dns = {0};
	dns.timeout_s = 5;
	if (g->conf.dns_server[0])
		mdns_parse_server(&dns, g->conf.dns_server);
	if (g->conf.auth) {
		if (!auth_global_init(&dns, g->conf.psl_file, err, sizeof(err))) {
			fprintf(stderr, "nise milter: %s\n", err);
			gen_put(g);
			return 2;
		}
		auth_ready = true;
	}
	front_gen_swap(&g->base);

	if (smfi_register(desc) != MI_SUCCESS || smfi_setconn(g->conf.socket) != MI_SUCCESS ||
	    smfi_settimeout((int)g->conf.timeout) != MI_SUCCESS) {
		fprintf(stderr, "nise milter: cannot set up libmilter on %s\n", g->conf.socket);
		return 2;
	}
	if (strncmp(g->conf.socket, "unix:", 5) == 0 || strncmp(g->conf.socket, "local:", 6) == 0)
		unlink(strchr(g->conf.socket, ':') + 1);
	if (smfi_opensocket(true) != MI_SUCCESS) {
		fprintf(stderr, "nise milter: cannot listen on %s\n", g->conf.socket);
		return 2;
	}
	if (!front_signals_start(err, sizeof(err))) {
		fprintf(stderr, "nise milter: %s\n", err);
		return 2;
	}
	/* the milter thread and all it spawns block our signals */
	sigset_t old;
	front_signals_block(&old);
	pthread_t tid;
	int mrc = 0;
	if (pthread_create(&tid, NULL, milter_thread, &mrc) != 0) {
		fprintf(stderr, "nise milter: cannot start\n");
		return 2;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	front_log("milter", "listening on %s (authserv-id %s, phishing: %s, suspicious: %s)", g->conf.socket,
	         g->conf.authserv_id, mconf_action_name(g->conf.on_phishing),
	         mconf_action_name(g->conf.on_suspicious));

	front_daemon_loop("milter", gen_build, reloaded);
	atomic_store(&stopping, true);
	struct gen *cur = gen_get();
	unsigned drain = cur ? cur->conf.drain_seconds : 30;
	gen_put(cur);
	front_log("milter", "stopping: %u message(s) in flight", atomic_load(&inflight));
	if (!front_drain(&inflight, drain))
		front_log("milter", "stopping with %u message(s) unfinished: the MTA applies milter_default_action",
		          atomic_load(&inflight));
	/* No smfi_stop(): it waits for libmilter's listener to notice (up to
	 * seconds) and gains nothing here. Threads that still hold references
	 * end with the process; the kernel closes their sockets and the MTA
	 * applies milter_default_action to what was unfinished. */
	front_log("milter", "stopped");
	fflush(stderr);
	if (leak_check())
		_exit(1);
	fflush(stderr);
	_exit(0);
}
