/* SPDX-License-Identifier: MIT */
/*
 * imap.c — `nise imap`: watch IMAP mailboxes on a server we do not run,
 * judge each new mail once, and by choice flag it ($Phishing, $Junk),
 * move it, or only log it (docs/imap.md, nise-imap(1)).
 *
 * Client. Our own small IMAP4rev1 client over OpenSSL (docs/imap.md says
 * why not libetpan or libcurl): IMAPS, or STARTTLS on a plain port, the
 * certificate always verified against the host name; LOGIN with a
 * password from a file or the environment, or AUTHENTICATE XOAUTH2 /
 * OAUTHBEARER with a bearer token from a file.
 *
 * Once, exactly. Per mailbox the state file keeps UIDVALIDITY and the
 * last UID judged. A pass walks UIDs from last+1 to UIDNEXT-1 in ranges
 * of 500 (UID FETCH (UID): never a list longer than that in memory),
 * fetches each mail with BODY.PEEK[] (the \Seen flag is left alone), at
 * most max_message_bytes of it kept, judges it, acts, and only then
 * writes the state (rename over the old file): a crash between acting and
 * writing judges that one mail again on restart (the action is
 * idempotent), never skips one. A new UIDVALIDITY means the server
 * renumbered the mailbox: nise starts over from its current UIDNEXT
 * (judging nothing old twice; logged).
 *
 * Waiting. With one mailbox and IDLE, nise idles and wakes on EXISTS, or
 * after poll_seconds at the latest (also the interval without IDLE). Any
 * network or protocol error closes the connection; nise reconnects after
 * a back-off (1 s doubling to 60 s). --once makes one pass and exits (cron).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "render.h"
#include "resp.h"

#define MAX_LINE 65536
#define MAX_MAILBOXES 16

enum act { ACT_LOG, ACT_FLAG, ACT_MOVE };

struct opts {
	const char *host, *port, *tls, *ca_file, *user, *password_file, *password_env, *token_file, *sasl;
	const char *mailboxes[MAX_MAILBOXES];
	int nmailboxes;
	enum act on_phishing, on_suspicious;
	const char *move_to, *state, *nise_config;
	unsigned poll_seconds;
	bool once;
};

struct conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	char buf[16384];
	size_t pos, len;
	unsigned tag;
	bool idle_cap, move_cap;
	char line[MAX_LINE];
	size_t n;
};

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}


/* ---- transport */

static ssize_t raw_read(struct conn *c, void *p, size_t n)
{
	if (c->ssl) {
		int k = SSL_read(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
		return k > 0 ? k : -1;
	}
	ssize_t k;
	do
		k = read(c->fd, p, n);
	while (k < 0 && errno == EINTR);
	return k > 0 ? k : -1;
}

static bool send_all(struct conn *c, const char *p, size_t n)
{
	while (n) {
		ssize_t k;
		if (c->ssl) {
			int r = SSL_write(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
			k = r > 0 ? r : -1;
		} else {
			k = send(c->fd, p, n, MSG_NOSIGNAL);
			if (k < 0 && errno == EINTR)
				continue;
		}
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static bool fill(struct conn *c)
{
	ssize_t k = raw_read(c, c->buf, sizeof(c->buf));
	if (k <= 0)
		return false;
	c->pos = 0;
	c->len = (size_t)k;
	return true;
}

/* One response line into c->line (CRLF removed). False on EOF, error, or
 * a line longer than MAX_LINE (a server we do not follow). */
static bool read_line(struct conn *c)
{
	c->n = 0;
	for (;;) {
		if (c->pos == c->len && !fill(c))
			return false;
		char ch = c->buf[c->pos++];
		if (ch == '\n') {
			if (c->n && c->line[c->n - 1] == '\r')
				c->n--;
			c->line[c->n] = '\0';
			return true;
		}
		if (c->n + 1 >= sizeof(c->line))
			return false;
		c->line[c->n++] = ch;
	}
}

/* Reads a literal of len bytes, keeping the first max in *out (NULL: none). */
static bool read_literal(struct conn *c, uint64_t len, char **out, size_t *outn, size_t max)
{
	size_t keep = len < max ? (size_t)len : max;
	char *b = out ? malloc(keep + 1) : NULL;
	if (out && !b)
		return false;
	uint64_t got = 0;
	while (got < len) {
		if (c->pos == c->len && !fill(c)) {
			free(b);
			return false;
		}
		size_t k = c->len - c->pos;
		if (k > len - got)
			k = (size_t)(len - got);
		if (b && got < keep) {
			size_t cp = keep - (size_t)got < k ? keep - (size_t)got : k;
			memcpy(b + got, c->buf + c->pos, cp);
		}
		c->pos += k;
		got += k;
	}
	if (out) {
		b[keep] = '\0';
		*out = b;
		*outn = keep;
	}
	return true;
}

static void conn_close(struct conn *c)
{
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->fd >= 0)
		close(c->fd);
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	c->ssl = NULL;
	c->ctx = NULL;
	c->fd = -1;
	c->pos = c->len = 0;
}

static bool tls_start(struct conn *c, const struct opts *o)
{
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx)
		return false;
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if (o->ca_file ? SSL_CTX_load_verify_locations(c->ctx, o->ca_file, NULL) != 1
	               : SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		front_log("imap", "cannot load the CA certificates%s%s", o->ca_file ? " from " : "", o->ca_file ? o->ca_file : "");
		return false;
	}
	c->ssl = SSL_new(c->ctx);
	char sni[256]; /* SSL_set_tlsext_host_name takes a non-const name */
	snprintf(sni, sizeof(sni), "%s", o->host);
	if (!c->ssl || SSL_set1_host(c->ssl, o->host) != 1 || SSL_set_tlsext_host_name(c->ssl, sni) != 1 ||
	    SSL_set_fd(c->ssl, c->fd) != 1)
		return false;
	if (SSL_connect(c->ssl) != 1) {
		long v = SSL_get_verify_result(c->ssl);
		front_log("imap", "TLS with %s failed: %s", o->host,
		      v != X509_V_OK ? X509_verify_cert_error_string(v) : ERR_reason_error_string(ERR_get_error()));
		return false;
	}
	return true;
}

/* Sends "TAG cmd" and reads until its tagged status; each untagged line
 * goes to fn (with any literal it announces already read into lit when
 * want_lit, else skipped). Returns 'O', 'N', 'B', or 0 on a broken link. */
typedef void (*line_fn)(struct conn *c, const char *lit, size_t litn, void *ctx);

static char command(struct conn *c, line_fn fn, void *ctx, size_t lit_max, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static char command(struct conn *c, line_fn fn, void *ctx, size_t lit_max, const char *fmt, ...)
{
	char tag[16], cmd[2048];
	snprintf(tag, sizeof(tag), "n%u", ++c->tag);
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(cmd))
		return 0;
	char out[2100];
	int m = snprintf(out, sizeof(out), "%s %s\r\n", tag, cmd);
	if (!send_all(c, out, (size_t)m))
		return 0;
	for (;;) {
		if (!read_line(c))
			return 0;
		char st = imap_tagged(c->line, c->n, tag);
		if (st) {
			if (st != 'O')
				front_log("imap", "%s: %s", strncmp(cmd, "LOGIN", 5) == 0 ? "LOGIN" : cmd, c->line);
			return st;
		}
		uint64_t len;
		char *lit = NULL;
		size_t litn = 0;
		if (imap_literal_len(c->line, c->n, &len)) {
			char saved[512];
			size_t sn = c->n < sizeof(saved) ? c->n : sizeof(saved) - 1;
			memcpy(saved, c->line, sn);
			saved[sn] = '\0';
			if (!read_literal(c, len, lit_max ? &lit : NULL, &litn, lit_max))
				return 0;
			/* the rest of the response after the literal (")" for
			 * FETCH); further literals in it are read and dropped */
			for (;;) {
				if (!read_line(c)) {
					free(lit);
					return 0;
				}
				if (!imap_literal_len(c->line, c->n, &len))
					break;
				if (!read_literal(c, len, NULL, NULL, 0)) {
					free(lit);
					return 0;
				}
			}
			memcpy(c->line, saved, sn + 1);
			c->n = sn;
		}
		if (fn)
			fn(c, lit, litn, ctx);
		free(lit);
	}
}

static void caps_fn(struct conn *c, const char *lit, size_t litn, void *ctx)
{
	(void)lit, (void)litn, (void)ctx;
	if (imap_has_cap(c->line, c->n, "IDLE"))
		c->idle_cap = true;
	if (imap_has_cap(c->line, c->n, "MOVE"))
		c->move_cap = true;
}

static char *read_secret(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *s = calloc(1, 8192);
	if (s && !fgets(s, 8192, f))
		s[0] = '\0';
	fclose(f);
	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static bool b64(char *out, size_t cap, const unsigned char *in, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t w = 0;
	for (size_t i = 0; i < n; i += 3) {
		if (w + 5 > cap)
			return false;
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
		             (i + 2 < n ? in[i + 2] : 0);
		out[w++] = t[v >> 18 & 63];
		out[w++] = t[v >> 12 & 63];
		out[w++] = i + 1 < n ? t[v >> 6 & 63] : '=';
		out[w++] = i + 2 < n ? t[v & 63] : '=';
	}
	out[w] = '\0';
	return true;
}

static bool login(struct conn *c, const struct opts *o)
{
	if (o->token_file) {
		char *tok = read_secret(o->token_file);
		if (!tok) {
			front_log("imap", "cannot read the token file %s: %s", o->token_file, strerror(errno));
			return false;
		}
		char raw[9000], enc[12100];
		bool bearer = o->sasl && strcmp(o->sasl, "oauthbearer") == 0;
		int k = bearer ? snprintf(raw, sizeof(raw), "n,a=%s,\001auth=Bearer %s\001\001", o->user, tok)
		               : snprintf(raw, sizeof(raw), "user=%s\001auth=Bearer %s\001\001", o->user, tok);
		free(tok);
		if (k < 0 || (size_t)k >= sizeof(raw) || !b64(enc, sizeof(enc), (unsigned char *)raw, (size_t)k))
			return false;
		/* SASL-IR (RFC 4959): the response on the command line */
		char tag[16];
		snprintf(tag, sizeof(tag), "n%u", ++c->tag);
		char head[64];
		int h = snprintf(head, sizeof(head), "%s AUTHENTICATE %s ", tag, bearer ? "OAUTHBEARER" : "XOAUTH2");
		if (!send_all(c, head, (size_t)h) || !send_all(c, enc, strlen(enc)) || !send_all(c, "\r\n", 2))
			return false;
		for (;;) {
			if (!read_line(c))
				return false;
			if (c->line[0] == '+') /* an error challenge: answer empty, get the NO */
				send_all(c, "\r\n", 2);
			char st = imap_tagged(c->line, c->n, tag);
			if (st) {
				if (st != 'O')
					front_log("imap", "AUTHENTICATE: %s", c->line);
				return st == 'O';
			}
		}
	}
	char *pw = o->password_file ? read_secret(o->password_file) : NULL;
	const char *env = getenv(o->password_env ? o->password_env : "NISE_IMAP_PASSWORD");
	if (!pw && env)
		pw = strdup(env);
	if (!pw) {
		front_log("imap", "no password: --password-file FILE, or $%s", o->password_env ? o->password_env : "NISE_IMAP_PASSWORD");
		return false;
	}
	char qu[600], qp[4200];
	bool ok = imap_quote(qu, sizeof(qu), o->user) && imap_quote(qp, sizeof(qp), pw);
	free(pw);
	if (!ok)
		return false;
	return command(c, caps_fn, NULL, 0, "LOGIN %s %s", qu, qp) == 'O';
}

static bool connect_to(struct conn *c, const struct opts *o)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	int g = getaddrinfo(o->host, o->port, &hints, &ai);
	if (g != 0) {
		front_log("imap", "%s: %s", o->host, gai_strerror(g));
		return false;
	}
	for (struct addrinfo *p = ai; p && c->fd < 0; p = p->ai_next) {
		c->fd = socket(p->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd >= 0 && connect(c->fd, p->ai_addr, p->ai_addrlen) != 0) {
			close(c->fd);
			c->fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (c->fd < 0) {
		front_log("imap", "cannot connect to %s:%s: %s", o->host, o->port, strerror(errno));
		return false;
	}
	struct timeval tv = {.tv_sec = 120};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	bool starttls = o->tls && strcmp(o->tls, "starttls") == 0;
	if (!starttls && !tls_start(c, o))
		return false;
	if (!read_line(c) || strncmp(c->line, "* OK", 4) != 0)
		return false;
	if (starttls) {
		if (command(c, NULL, NULL, 0, "STARTTLS") != 'O' || !tls_start(c, o))
			return false;
	}
	if (!login(c, o))
		return false;
	c->idle_cap = c->move_cap = false;
	return command(c, caps_fn, NULL, 0, "CAPABILITY") == 'O';
}

/* ---- the state: an append-only journal, one line per event, each
 * written with one write() and fsync'd, so a kill leaves every line
 * whole or absent:
 *   V MAILBOX UIDVALIDITY LAST       a baseline: judged up to LAST
 *   J MAILBOX UIDVALIDITY UID PACT VERDICT   judged UID; action PACT pending
 *   D MAILBOX UIDVALIDITY UID        the action of UID is done
 * (tab-separated). A J line is the judgement: it is written before the
 * log line and the action, so counting J lines counts judgements, and a
 * restart resumes after the last one. At start the journal is compacted
 * to one V (and a pending J) per mailbox. */

struct mstate {
	uint64_t uidvalidity, last;
	uint64_t pending;     /* judged, action maybe not done yet; 0: none */
	unsigned pact;        /* its action: 1 flag $Phishing, 2 flag $Junk, 3 move phishing */
};

static int journal_fd = -1;

static void state_load(const struct opts *o, struct mstate *st)
{
	FILE *f = fopen(o->state, "r");
	if (!f)
		return;
	char line[1200];
	while (fgets(line, sizeof(line), f)) {
		char *fld[6] = {0};
		size_t nf = 0;
		for (char *p = line; p && nf < 6; nf++) {
			fld[nf] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (nf < 4 || fld[0][1] != '\0')
			continue;
		for (int i = 0; i < o->nmailboxes; i++) {
			if (strcmp(fld[1], o->mailboxes[i]) != 0)
				continue;
			uint64_t uv = strtoull(fld[2], NULL, 10), uid = strtoull(fld[3], NULL, 10);
			if (fld[0][0] == 'V') {
				st[i] = (struct mstate){.uidvalidity = uv, .last = uid};
			} else if (fld[0][0] == 'J' && nf >= 5) {
				unsigned pact = (unsigned)strtoul(fld[4], NULL, 10) % 4;
				st[i] = (struct mstate){.uidvalidity = uv, .last = uid, .pending = pact ? uid : 0, .pact = pact};
			} else if (fld[0][0] == 'D' && st[i].pending == uid && st[i].uidvalidity == uv) {
				st[i].pending = 0;
				st[i].pact = 0;
			}
		}
	}
	fclose(f);
}

static bool journal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool journal(const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (k <= 0 || (size_t)k >= sizeof(line) || journal_fd < 0)
		return false;
	ssize_t w;
	do
		w = write(journal_fd, line, (size_t)k);
	while (w < 0 && errno == EINTR);
	if (w != k || fsync(journal_fd) != 0) {
		front_log("imap", "cannot write the state file: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Rewrites the journal as one baseline per mailbox and opens it for
 * appending. False when the file cannot be written. */
static bool state_open(const struct opts *o, const struct mstate *st)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->state);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return false;
	for (int i = 0; i < o->nmailboxes; i++) {
		if (!st[i].uidvalidity)
			continue;
		if (st[i].pending)
			fprintf(f, "J\t%s\t%llu\t%llu\t%u\tpending\n", o->mailboxes[i],
			        (unsigned long long)st[i].uidvalidity, (unsigned long long)st[i].last, st[i].pact);
		else
			fprintf(f, "V\t%s\t%llu\t%llu\n", o->mailboxes[i], (unsigned long long)st[i].uidvalidity,
			        (unsigned long long)st[i].last);
	}
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, o->state) != 0)
		return false;
	journal_fd = open(o->state, O_WRONLY | O_APPEND | O_CLOEXEC);
	return journal_fd >= 0;
}

/* ---- one pass over one mailbox */

struct sel {
	uint64_t uidvalidity, uidnext, exists;
};

static void select_fn(struct conn *c, const char *lit, size_t litn, void *ctx)
{
	(void)lit, (void)litn;
	struct sel *s = ctx;
	imap_resp_code(c->line, c->n, "UIDVALIDITY", &s->uidvalidity);
	imap_resp_code(c->line, c->n, "UIDNEXT", &s->uidnext);
	imap_exists(c->line, c->n, &s->exists);
}

struct uids {
	uint64_t v[500];
	size_t n;
};

static void uids_fn(struct conn *c, const char *lit, size_t litn, void *ctx)
{
	(void)lit, (void)litn;
	struct uids *u = ctx;
	uint64_t uid;
	if (u->n < 500 && imap_fetch_uid(c->line, c->n, &uid))
		u->v[u->n++] = uid;
}

struct body {
	char *p;
	size_t n;
	bool got;
};

static void body_fn(struct conn *c, const char *lit, size_t litn, void *ctx)
{
	struct body *b = ctx;
	if (lit && !b->got) {
		b->p = malloc(litn + 1);
		if (b->p) {
			memcpy(b->p, lit, litn);
			b->n = litn;
			b->got = true;
		}
	}
	(void)c;
}

struct run {
	const struct opts *o;
	struct nise_engine *engine;
	size_t max;
	unsigned long judged;
};

/* The action recorded for a judged mail: STORE the keyword, MOVE.
 * Idempotent, so it may run again after a crash. False: link broke. */
static bool apply(struct conn *c, const struct opts *o, uint64_t uid, unsigned pact)
{
	if (!pact)
		return true;
	const char *kw = pact == 2 ? "$Junk" : "$Phishing";
	if (command(c, NULL, NULL, 0, "UID STORE %llu +FLAGS.SILENT (%s)", (unsigned long long)uid, kw) == 0)
		return false;
	if (pact != 3)
		return true;
	char q[600];
	if (!imap_quote(q, sizeof(q), o->move_to))
		return true;
	if (c->move_cap)
		return command(c, NULL, NULL, 0, "UID MOVE %llu %s", (unsigned long long)uid, q) != 0;
	return command(c, NULL, NULL, 0, "UID COPY %llu %s", (unsigned long long)uid, q) == 'O' &&
	       command(c, NULL, NULL, 0, "UID STORE %llu +FLAGS.SILENT (\\Deleted)", (unsigned long long)uid) == 'O' &&
	       command(c, NULL, NULL, 0, "UID EXPUNGE %llu", (unsigned long long)uid) != 0;
}

/* Judges one UID of mailbox i, records it in the state (last = uid, the
 * action pending), logs it, acts, and clears the pending action. A crash
 * before the state is written judges it again (unlogged the first time);
 * after, the restart only redoes the action. False: the link broke. */
static bool one_mail(struct conn *c, struct run *r, int i, struct mstate *st, uint64_t uid)
{
	const char *mbox = r->o->mailboxes[i];
	struct body b = {0};
	char cst = command(c, body_fn, &b, r->max, "UID FETCH %llu BODY.PEEK[]", (unsigned long long)uid);
	if (cst != 'O') {
		free(b.p);
		return cst != 0;
	}
	if (!b.got) { /* expunged in between */
		st[i].last = uid;
		journal("V\t%s\t%llu\t%llu\n", mbox, (unsigned long long)st[i].uidvalidity, (unsigned long long)uid);
		return true;
	}
	struct nise_result *res = NULL;
	nise_rc rc = nise_scan(&res, r->engine, b.p, b.n);
	free(b.p);
	const char *lim = rc == NISE_OK ? render_unchecked_limit(res) : NULL;
	enum nise_verdict v = rc == NISE_OK ? res->verdict : NISE_CLEAN;
	const char *vname = rc != NISE_OK || lim ? "unchecked" : nise_verdict_name(v);
	enum act a = ACT_LOG;
	if (rc == NISE_OK && !lim && v == NISE_PHISHING)
		a = r->o->on_phishing;
	else if (rc == NISE_OK && !lim && v == NISE_SUSPICIOUS)
		a = r->o->on_suspicious;
	unsigned pact = a == ACT_LOG ? 0 : a == ACT_MOVE ? 3 : v == NISE_PHISHING ? 1 : 2;
	st[i].last = uid;
	st[i].pending = pact ? uid : 0;
	st[i].pact = pact;
	journal("J\t%s\t%llu\t%llu\t%u\t%s\n", mbox, (unsigned long long)st[i].uidvalidity,
	        (unsigned long long)uid, pact, vname);
	r->judged++;
	/* one line a mail: what the mail wrote is escaped */
	char from[300], id[300], f[600] = "-";
	size_t w = 0;
	for (size_t k = 0; rc == NISE_OK && !lim && k < res->nfindings && w + 1 < sizeof(f); k++)
		if (render_finding_shown(res, k)) {
			int q = snprintf(f + w, sizeof(f) - w, "%s%s", w ? "," : "", res->findings[k].id);
			w = q > 0 && (size_t)q < sizeof(f) - w ? w + (size_t)q : sizeof(f) - 1;
		}
	front_log_escape(from, sizeof(from), rc == NISE_OK && res->msg->nfrom ? res->msg->from[0].address : NULL);
	front_log_escape(id, sizeof(id), rc == NISE_OK ? res->msg->message_id : NULL);
	front_log("imap", "judged %s uid=%llu verdict=%s%s%s score=%.1f action=%s from=%s msgid=%s findings=%s", mbox,
	          (unsigned long long)uid, vname, lim ? " reason=" : rc != NISE_OK ? " reason=error" : "",
	          lim ? lim : "", rc == NISE_OK ? res->score : 0.0, pact == 0 ? "log" : pact == 3 ? "move" : "flag",
	          from, id, f);
	nise_result_free(res);
	if (!apply(c, r->o, uid, pact))
		return false;
	if (pact)
		journal("D\t%s\t%llu\t%llu\n", mbox, (unsigned long long)st[i].uidvalidity, (unsigned long long)uid);
	st[i].pending = 0;
	st[i].pact = 0;
	return true;
}

/* One pass over mailbox i. False: the connection broke. */
static bool pass(struct conn *c, struct run *r, int i, struct mstate *st)
{
	char q[600];
	const char *mbox = r->o->mailboxes[i];
	if (!imap_quote(q, sizeof(q), mbox))
		return false;
	struct sel s = {0};
	char rc = command(c, select_fn, &s, 0, "SELECT %s", q);
	if (rc != 'O')
		return rc != 0;
	if (!s.uidvalidity || !s.uidnext)
		return false;
	if (st[i].uidvalidity != s.uidvalidity) {
		if (st[i].uidvalidity)
			front_log("imap", "%s: UIDVALIDITY changed (%llu → %llu): the server renumbered it, starting after UID %llu",
			      mbox, (unsigned long long)st[i].uidvalidity, (unsigned long long)s.uidvalidity,
			      (unsigned long long)s.uidnext - 1);
		/* a mailbox seen for the first time: every mail in it is new to us */
		st[i].last = st[i].uidvalidity ? s.uidnext - 1 : 0;
		st[i].pending = 0;
		st[i].uidvalidity = s.uidvalidity;
		journal("V\t%s\t%llu\t%llu\n", mbox, (unsigned long long)st[i].uidvalidity,
		        (unsigned long long)st[i].last);
	} else if (st[i].pending) {
		/* judged before a crash, its action perhaps not done */
		if (!apply(c, r->o, st[i].pending, st[i].pact))
			return false;
		front_log("imap", "%s uid=%llu: action redone after a restart", mbox, (unsigned long long)st[i].pending);
		journal("D\t%s\t%llu\t%llu\n", mbox, (unsigned long long)st[i].uidvalidity,
		        (unsigned long long)st[i].pending);
		st[i].pending = 0;
		st[i].pact = 0;
	}
	while (st[i].last + 1 < s.uidnext && !stop_flag) {
		uint64_t lo = st[i].last + 1, hi = lo + 499 < s.uidnext - 1 ? lo + 499 : s.uidnext - 1;
		struct uids u = {0};
		if (command(c, uids_fn, &u, 0, "UID FETCH %llu:%llu (UID)", (unsigned long long)lo,
		            (unsigned long long)hi) != 'O')
			return false;
		/* servers answer in sequence order, which is UID order */
		for (size_t k = 0; k < u.n && !stop_flag; k++) {
			if (u.v[k] <= st[i].last || u.v[k] > hi)
				continue;
			if (!one_mail(c, r, i, st, u.v[k]))
				return false;
		}
		if (!stop_flag && st[i].last < hi) {
			st[i].last = hi; /* the rest of the range is gone (expunged) */
			journal("V\t%s\t%llu\t%llu\n", mbox, (unsigned long long)st[i].uidvalidity, (unsigned long long)hi);
		}
	}
	return true;
}

/* IDLE on the selected mailbox until EXISTS, poll_seconds or a stop.
 * False: the connection broke. */
static bool idle(struct conn *c, const struct opts *o)
{
	char tag[16];
	snprintf(tag, sizeof(tag), "n%u", ++c->tag);
	char cmd[32];
	int k = snprintf(cmd, sizeof(cmd), "%s IDLE\r\n", tag);
	if (!send_all(c, cmd, (size_t)k) || !read_line(c) || c->line[0] != '+')
		return false;
	time_t until = time(NULL) + (time_t)o->poll_seconds;
	bool news = false;
	while (!news && !stop_flag && time(NULL) < until) {
		if (c->pos == c->len && !(c->ssl && SSL_pending(c->ssl))) {
			struct pollfd p = {.fd = c->fd, .events = POLLIN};
			int pr = poll(&p, 1, 500);
			if (pr < 0 && errno != EINTR)
				return false;
			if (pr <= 0)
				continue;
		}
		if (!read_line(c))
			return false;
		uint64_t n;
		if (imap_exists(c->line, c->n, &n))
			news = true;
	}
	if (!send_all(c, "DONE\r\n", 6))
		return false;
	for (;;) {
		if (!read_line(c))
			return false;
		if (imap_tagged(c->line, c->n, tag))
			return true;
	}
}

static enum act parse_act(const char *v, bool *ok)
{
	if (strcmp(v, "log") == 0)
		return ACT_LOG;
	if (strcmp(v, "flag") == 0)
		return ACT_FLAG;
	if (strcmp(v, "move") == 0)
		return ACT_MOVE;
	*ok = false;
	return ACT_LOG;
}

static void usage(FILE *f)
{
	fputs("usage: nise imap --host HOST [--port N] [--tls imaps|starttls] [--ca-file PEM]\n"
	      "                 --user USER (--password-file F | --password-env VAR | --token-file F [--sasl xoauth2|oauthbearer])\n"
	      "                 [--mailbox NAME]... [--on-phishing log|flag|move] [--on-suspicious log|flag]\n"
	      "                 [--move-to FOLDER] --state FILE [--poll SECONDS] [--once] [--config nise.conf]\n"
	      "Judges each new mail once; flag sets $Phishing (phishing) or $Junk (suspicious), move also\n"
	      "moves phishing to --move-to (default Junk). Password default: $NISE_IMAP_PASSWORD.\n",
	      f);
}

int cli_imap(int argc, char **argv)
{
	struct opts o = {.port = NULL, .tls = "imaps", .on_phishing = ACT_FLAG, .on_suspicious = ACT_LOG,
	                 .move_to = "Junk", .poll_seconds = 300};
	bool ok = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--once") == 0) {
			o.once = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			ok = false;
			break;
		}
		i++;
		if (strcmp(a, "--host") == 0) o.host = v;
		else if (strcmp(a, "--port") == 0) o.port = v;
		else if (strcmp(a, "--tls") == 0) o.tls = v;
		else if (strcmp(a, "--ca-file") == 0) o.ca_file = v;
		else if (strcmp(a, "--user") == 0) o.user = v;
		else if (strcmp(a, "--password-file") == 0) o.password_file = v;
		else if (strcmp(a, "--password-env") == 0) o.password_env = v;
		else if (strcmp(a, "--token-file") == 0) o.token_file = v;
		else if (strcmp(a, "--sasl") == 0) o.sasl = v;
		else if (strcmp(a, "--mailbox") == 0 && o.nmailboxes < MAX_MAILBOXES) o.mailboxes[o.nmailboxes++] = v;
		else if (strcmp(a, "--on-phishing") == 0) o.on_phishing = parse_act(v, &ok);
		else if (strcmp(a, "--on-suspicious") == 0) o.on_suspicious = parse_act(v, &ok);
		else if (strcmp(a, "--move-to") == 0) o.move_to = v;
		else if (strcmp(a, "--state") == 0) o.state = v;
		else if (strcmp(a, "--config") == 0) o.nise_config = v;
		else if (strcmp(a, "--poll") == 0) o.poll_seconds = (unsigned)strtoul(v, NULL, 10);
		else ok = false;
	}
	if (!o.nmailboxes)
		o.mailboxes[o.nmailboxes++] = "INBOX";
	for (int i = 0; i < o.nmailboxes; i++)
		if (strpbrk(o.mailboxes[i], "\t\r\n") || strlen(o.mailboxes[i]) > 500)
			ok = false; /* not a name the state file or a quoted string can hold */
	if (!o.port)
		o.port = strcmp(o.tls, "starttls") == 0 ? "143" : "993";
	if (o.on_suspicious == ACT_MOVE || (strcmp(o.tls, "imaps") != 0 && strcmp(o.tls, "starttls") != 0))
		ok = false;
	if (!ok || !o.host || !o.user || !o.state || !o.poll_seconds) {
		usage(stderr);
		return 2;
	}
	struct cli_config nconf;
	char err[1400];
	if (!cli_config_load(&nconf, o.nise_config, err, sizeof(err))) {
		fprintf(stderr, "nise imap: %s\n", err);
		return 2;
	}
	struct nise_engine_opts eo = {0};
	cli_config_to_opts(&nconf, &eo);
	struct run r = {.o = &o};
	if (!cli_config_engine(&r.engine, &nconf, &eo, err, sizeof(err))) {
		fprintf(stderr, "nise imap: %s\n", err);
		cli_config_free(&nconf);
		return 2;
	}
	size_t lim = nconf.limits.max_message_bytes;
	r.max = lim < SIZE_MAX - 1 ? lim + 1 : lim;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct mstate st[MAX_MAILBOXES];
	memset(st, 0, sizeof(st));
	state_load(&o, st);
	if (!state_open(&o, st)) {
		fprintf(stderr, "nise imap: cannot write the state file %s: %s\n", o.state, strerror(errno));
		nise_engine_free(r.engine);
		return 2;
	}
	unsigned backoff = 1;
	int status = 0;
	while (!stop_flag) {
		struct conn c;
		bool up = connect_to(&c, &o);
		if (up) {
			front_log("imap", "connected to %s:%s as %s (IDLE %s, MOVE %s)", o.host, o.port, o.user,
			      c.idle_cap ? "yes" : "no", c.move_cap ? "yes" : "no");
			backoff = 1;
		}
		while (up && !stop_flag) {
			for (int i = 0; i < o.nmailboxes && up && !stop_flag; i++)
				up = pass(&c, &r, i, st);
			if (!up || o.once)
				break;
			if (o.nmailboxes == 1 && c.idle_cap) {
				up = idle(&c, &o);
			} else {
				for (unsigned s = 0; s < o.poll_seconds * 2 && !stop_flag; s++) {
					struct timespec ts = {0, 500 * 1000 * 1000};
					nanosleep(&ts, NULL);
				}
			}
		}
		if (up)
			command(&c, NULL, NULL, 0, "LOGOUT");
		conn_close(&c);
		if (o.once) {
			status = up ? 0 : 1;
			break;
		}
		if (!stop_flag) {
			front_log("imap", "connection lost; reconnecting in %u s", backoff);
			for (unsigned s = 0; s < backoff * 10 && !stop_flag; s++) {
				struct timespec ts = {0, 100 * 1000 * 1000};
				nanosleep(&ts, NULL);
			}
			backoff = backoff < 60 ? backoff * 2 : 60;
		}
	}
	front_log("imap", "stopped: %lu mail(s) judged", r.judged);
	close(journal_fd);
	journal_fd = -1;
	nise_engine_free(r.engine);
	return status;
}
