/* SPDX-License-Identifier: MIT */
/*
 * store_redis.c — the shared store: Redis through hiredis (the library's
 * only hiredis user), for several hosts sharing one state.
 *
 * Layout: a map table is one Redis hash "nise:<table>" (HGET, HSET, HLEN,
 * HSCAN); a set is one Redis set per key, "nise:<table>:<key bytes>"
 * (SADD, SMEMBERS). Binary-safe throughout (%b).
 *
 * One connection behind a mutex serves every thread. A batch pipelines
 * its writes (redisAppendCommand) and reads the replies every PIPE
 * commands and at commit, so an import is not one round trip per entry.
 *
 * Reconnection: a command that fails on the connection (an I/O error,
 * EOF, or no answer within CMD_TIMEOUT) drops the connection and marks
 * the store down (nise_store_health); every call then fails at once with
 * NISE_EIO until the next attempt, which is made by the first call after
 * a back-off (BACKOFF_MIN doubling to BACKOFF_MAX): connect, SELECT the
 * database, PING, each within CONNECT_TIMEOUT. A scan meanwhile skips the
 * store (check_intel.c: STORE_UNAVAILABLE) instead of waiting on it, and
 * nothing waits longer than one timeout with the lock held.
 *
 * URL: redis://HOST[:PORT][/DB] or unix:PATH. A read-modify-write of a
 * campaign by two processes at once can lose one count (no WATCH): the
 * counts are a report, not a ledger.
 *
 * Prefix generation (store.h, pcache.c): the key "nise:gen:prefix",
 * INCRed after the writes that added PREFIX members were acknowledged
 * (at commit for a batch), so a reader that sees the new number reads
 * the new members. prefix_gen is one GET per lookup, where a lookup
 * without the cache made one SMEMBERS per expression; keys is a SCAN
 * MATCH over "nise:prefix:*".
 */
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intel/store.h"

#define PIPE 1024
#define CMD_TIMEOUT_MS 2000
#define CONNECT_TIMEOUT_MS 1000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000

struct redis_store {
	struct nise_store base;
	redisContext *c;
	pthread_mutex_t lock;
	bool batch;
	bool bump; /* the batch added PREFIX members */
	size_t pending;
	/* where to reconnect */
	char host[256];
	int port;
	const char *unix_path; /* into base.where, or NULL */
	long db;
	uint64_t retry_at_ms;  /* no attempt before (monotonic) */
	unsigned backoff_ms;   /* 0: connected */
};

#define GEN_KEY "nise:gen:prefix"

static const char *const tnames[NISE_T_COUNT] = {"nise:meta", "nise:url", "nise:prefix",
                                                 "nise:campaign", "nise:band",
                                                 "nise:list"};

static struct redis_store *R(struct nise_store *s)
{
	return (struct redis_store *)s;
}

/* The key of a set: "nise:<table>:" + key bytes. */
static size_t set_key(char *buf, size_t bn, enum nise_store_table t, const void *k, size_t kn)
{
	size_t tl = strlen(tnames[t]);
	if (tl + 1 + kn > bn)
		return 0;
	memcpy(buf, tnames[t], tl);
	buf[tl] = ':';
	memcpy(buf + tl + 1, k, kn);
	return tl + 1 + kn;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct timeval ms_tv(unsigned ms)
{
	struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
	return tv;
}

/* A new connection, database selected and answering PING, or NULL with
 * the reason in diag. */
static redisContext *dial(const struct redis_store *r, unsigned timeout_ms, char *diag, size_t dn)
{
	struct timeval tv = ms_tv(timeout_ms);
	redisContext *c = r->unix_path ? redisConnectUnixWithTimeout(r->unix_path, tv)
	                               : redisConnectWithTimeout(r->host, r->port, tv);
	if (!c || c->err) {
		snprintf(diag, dn, "%s: %s", r->base.where, c ? c->errstr : "cannot allocate a connection");
		if (c)
			redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, tv);
	redisReply *rep = r->db ? redisCommand(c, "SELECT %ld", r->db) : NULL;
	bool ok = !r->db || (rep && rep->type == REDIS_REPLY_STATUS);
	if (rep)
		freeReplyObject(rep);
	rep = ok ? redisCommand(c, "PING") : NULL;
	ok = rep && rep->type == REDIS_REPLY_STATUS;
	if (rep)
		freeReplyObject(rep);
	if (!ok) {
		snprintf(diag, dn, "%s: %s", r->base.where, c->err ? c->errstr : r->db ? "SELECT failed" : "no PONG");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, ms_tv(CMD_TIMEOUT_MS));
	return c;
}

/* The connection failed: drop it, count it, wait before the next try
 * (the caller holds the lock). */
static void lost(struct redis_store *r)
{
	if (r->c)
		redisFree(r->c);
	r->c = NULL;
	r->pending = 0;
	r->backoff_ms = r->backoff_ms ? r->backoff_ms : BACKOFF_MIN_MS;
	r->retry_at_ms = now_ms() + r->backoff_ms;
	__atomic_store_n(&r->base.down, 1, __ATOMIC_RELAXED);
}

/* A connection to use, reconnecting when the back-off allows; false:
 * the store is unreachable now (counted as a failure). */
static bool ensure(struct redis_store *r)
{
	if (r->c)
		return true;
	if (now_ms() >= r->retry_at_ms) {
		char diag[300];
		r->c = dial(r, CONNECT_TIMEOUT_MS, diag, sizeof(diag));
		if (r->c) {
			r->backoff_ms = 0;
			__atomic_store_n(&r->base.down, 0, __ATOMIC_RELAXED);
			__atomic_fetch_add(&r->base.reconnects, 1, __ATOMIC_RELAXED);
			return true;
		}
		r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : r->backoff_ms * 2;
		r->retry_at_ms = now_ms() + r->backoff_ms;
	}
	__atomic_fetch_add(&r->base.failures, 1, __ATOMIC_RELAXED);
	return false;
}

static nise_rc drain(struct redis_store *r)
{
	nise_rc rc = NISE_OK;
	while (r->pending && r->c) {
		void *reply = NULL;
		if (redisGetReply(r->c, &reply) != REDIS_OK) {
			lost(r);
			__atomic_fetch_add(&r->base.failures, 1, __ATOMIC_RELAXED);
			return NISE_EIO;
		}
		redisReply *rep = reply;
		if (rep->type == REDIS_REPLY_ERROR)
			rc = NISE_EIO;
		freeReplyObject(rep);
		r->pending--;
	}
	return rc;
}

/* Runs one command (not in a batch: pipelined writes are drained first);
 * NULL when the store cannot be reached. */
static redisReply *cmd(struct redis_store *r, const char *fmt, ...)
{
	if (r->pending && drain(r) != NISE_OK)
		return NULL;
	if (!ensure(r))
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	redisReply *rep = redisvCommand(r->c, fmt, ap);
	va_end(ap);
	if (!rep) {
		lost(r);
		__atomic_fetch_add(&r->base.failures, 1, __ATOMIC_RELAXED);
	}
	return rep;
}

static nise_rc rd_get(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      nise_store_val_fn fn, void *ctx)
{
	struct redis_store *r = R(s);
	pthread_mutex_lock(&r->lock);
	redisReply *rep = cmd(r, "HGET %s %b", tnames[t], k, kn);
	nise_rc rc = NISE_EIO;
	if (rep && rep->type == REDIS_REPLY_STRING) {
		fn(ctx, rep->str, rep->len);
		rc = NISE_OK;
	} else if (rep && rep->type == REDIS_REPLY_NIL) {
		rc = NISE_ENOTFOUND;
	}
	if (rep)
		freeReplyObject(rep);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc write_cmd(struct redis_store *r, const char *fmt, const char *name, size_t nn,
                         const void *k, size_t kn, const void *v, size_t vn)
{
	nise_rc rc = NISE_OK;
	pthread_mutex_lock(&r->lock);
	if (r->batch) {
		if (!ensure(r))
			rc = NISE_EIO;
		else if (k)
			redisAppendCommand(r->c, fmt, name, nn, k, kn, v, vn);
		else
			redisAppendCommand(r->c, fmt, name, nn, v, vn);
		if (rc == NISE_OK && ++r->pending >= PIPE)
			rc = drain(r);
	} else {
		redisReply *rep = k ? cmd(r, fmt, name, nn, k, kn, v, vn) : cmd(r, fmt, name, nn, v, vn);
		if (!rep || rep->type == REDIS_REPLY_ERROR)
			rc = NISE_EIO;
		if (rep)
			freeReplyObject(rep);
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* Increments the prefix generation (the caller holds the lock, no batch
 * replies pending). */
static nise_rc bump_gen(struct redis_store *r)
{
	redisReply *rep = cmd(r, "INCR %s", GEN_KEY);
	nise_rc rc = rep && rep->type == REDIS_REPLY_INTEGER ? NISE_OK : NISE_EIO;
	if (rep)
		freeReplyObject(rep);
	return rc;
}

static nise_rc rd_put(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      const void *v, size_t vn)
{
	return write_cmd(R(s), "HSET %b %b %b", tnames[t], strlen(tnames[t]), k, kn, v, vn);
}

static nise_rc rd_add(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      const void *m, size_t mn)
{
	char key[600];
	size_t n = set_key(key, sizeof(key), t, k, kn);
	if (!n)
		return NISE_EINVAL;
	struct redis_store *r = R(s);
	nise_rc rc = write_cmd(r, "SADD %b %b", key, n, NULL, 0, m, mn);
	if (t == NISE_T_PREFIX) {
		pthread_mutex_lock(&r->lock);
		if (r->batch)
			r->bump = true;
		else if (rc == NISE_OK)
			rc = bump_gen(r);
		pthread_mutex_unlock(&r->lock);
	}
	return rc;
}

static nise_rc rd_members(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                          nise_store_val_fn fn, void *ctx)
{
	struct redis_store *r = R(s);
	char key[600];
	size_t n = set_key(key, sizeof(key), t, k, kn);
	if (!n)
		return NISE_EINVAL;
	pthread_mutex_lock(&r->lock);
	redisReply *rep = cmd(r, "SMEMBERS %b", key, n);
	nise_rc rc = NISE_EIO;
	if (rep && rep->type == REDIS_REPLY_ARRAY) {
		rc = rep->elements ? NISE_OK : NISE_ENOTFOUND;
		for (size_t i = 0; i < rep->elements; i++)
			if (rep->element[i]->type == REDIS_REPLY_STRING &&
			    !fn(ctx, rep->element[i]->str, rep->element[i]->len))
				break;
	}
	if (rep)
		freeReplyObject(rep);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_scan(struct nise_store *s, enum nise_store_table t, nise_store_kv_fn fn, void *ctx)
{
	struct redis_store *r = R(s);
	char cursor[32] = "0";
	nise_rc rc = NISE_OK;
	bool more = true;
	pthread_mutex_lock(&r->lock);
	do {
		redisReply *rep = cmd(r, "HSCAN %s %s COUNT 1000", tnames[t], cursor);
		if (!rep || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
		    rep->element[0]->type != REDIS_REPLY_STRING ||
		    rep->element[1]->type != REDIS_REPLY_ARRAY) {
			if (rep)
				freeReplyObject(rep);
			rc = NISE_EIO;
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", rep->element[0]->str);
		redisReply *kv = rep->element[1];
		for (size_t i = 0; more && i + 1 < kv->elements; i += 2)
			more = fn(ctx, kv->element[i]->str, kv->element[i]->len, kv->element[i + 1]->str,
			          kv->element[i + 1]->len);
		freeReplyObject(rep);
	} while (more && strcmp(cursor, "0") != 0);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_count(struct nise_store *s, enum nise_store_table t, size_t *out)
{
	struct redis_store *r = R(s);
	*out = 0;
	pthread_mutex_lock(&r->lock);
	redisReply *rep = cmd(r, "HLEN %s", tnames[t]);
	nise_rc rc = NISE_EIO;
	if (rep && rep->type == REDIS_REPLY_INTEGER) {
		*out = (size_t)rep->integer;
		rc = NISE_OK;
	}
	if (rep)
		freeReplyObject(rep);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_begin(struct nise_store *s)
{
	struct redis_store *r = R(s);
	pthread_mutex_lock(&r->lock);
	bool was = r->batch;
	r->batch = true;
	pthread_mutex_unlock(&r->lock);
	return was ? NISE_EINVAL : NISE_OK;
}

static nise_rc rd_commit(struct nise_store *s)
{
	struct redis_store *r = R(s);
	pthread_mutex_lock(&r->lock);
	nise_rc rc = drain(r);
	/* even after an error: some members may have been written */
	nise_rc brc = r->bump ? bump_gen(r) : NISE_OK;
	if (rc == NISE_OK)
		rc = brc;
	r->batch = false;
	r->bump = false;
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_prefix_gen(struct nise_store *s, uint64_t *out)
{
	struct redis_store *r = R(s);
	*out = 0;
	pthread_mutex_lock(&r->lock);
	nise_rc rc = NISE_EINVAL; /* in a batch: its members are not in any set yet */
	if (!r->batch) {
		redisReply *rep = cmd(r, "GET %s", GEN_KEY);
		rc = NISE_EIO;
		if (rep && rep->type == REDIS_REPLY_NIL) {
			rc = NISE_OK;
		} else if (rep && rep->type == REDIS_REPLY_STRING) {
			char *end;
			*out = strtoull(rep->str, &end, 10);
			if (end != rep->str && *end == '\0')
				rc = NISE_OK;
		}
		if (rep)
			freeReplyObject(rep);
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_keys(struct nise_store *s, enum nise_store_table t, nise_store_val_fn fn, void *ctx)
{
	struct redis_store *r = R(s);
	if (t != NISE_T_PREFIX && t != NISE_T_BAND)
		return NISE_EINVAL;
	char cursor[32] = "0", match[64];
	size_t skip = strlen(tnames[t]) + 1;
	snprintf(match, sizeof(match), "%s:*", tnames[t]);
	nise_rc rc = NISE_OK;
	bool more = true;
	pthread_mutex_lock(&r->lock);
	do {
		redisReply *rep = cmd(r, "SCAN %s MATCH %s COUNT 1000", cursor, match);
		if (!rep || rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
		    rep->element[0]->type != REDIS_REPLY_STRING ||
		    rep->element[1]->type != REDIS_REPLY_ARRAY) {
			if (rep)
				freeReplyObject(rep);
			rc = NISE_EIO;
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", rep->element[0]->str);
		redisReply *ks = rep->element[1];
		for (size_t i = 0; more && i < ks->elements; i++)
			if (ks->element[i]->type == REDIS_REPLY_STRING && ks->element[i]->len > skip)
				more = fn(ctx, ks->element[i]->str + skip, ks->element[i]->len - skip);
		freeReplyObject(rep);
	} while (more && strcmp(cursor, "0") != 0);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static nise_rc rd_ping(struct nise_store *s)
{
	struct redis_store *r = R(s);
	pthread_mutex_lock(&r->lock);
	nise_rc rc = NISE_EINVAL; /* in a batch: its replies are pending */
	if (!r->batch) {
		redisReply *rep = cmd(r, "PING");
		rc = rep && rep->type == REDIS_REPLY_STATUS ? NISE_OK : NISE_EIO;
		if (rep)
			freeReplyObject(rep);
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static void rd_close(struct nise_store *s)
{
	struct redis_store *r = R(s);
	nise_pcache_fini(&r->base.pcache);
	if (r->c) {
		if (r->pending)
			drain(r);
		redisFree(r->c);
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Alone: the caller learns whether it existed (NISE_ENOTFOUND). In a
 * batch the command is pipelined like every other write (a reply read
 * here would be another command's), so absence cannot be told: NISE_OK. */
static nise_rc rd_del(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn)
{
	if (t == NISE_T_PREFIX || t == NISE_T_BAND)
		return NISE_EINVAL;
	struct redis_store *r = R(s);
	pthread_mutex_lock(&r->lock);
	bool batch = r->batch;
	pthread_mutex_unlock(&r->lock);
	if (batch)
		return write_cmd(r, "HDEL %b %b", tnames[t], strlen(tnames[t]), NULL, 0, k, kn);
	pthread_mutex_lock(&r->lock);
	redisReply *rep = cmd(r, "HDEL %s %b", tnames[t], k, kn);
	nise_rc rc = !rep || rep->type != REDIS_REPLY_INTEGER ? NISE_EIO
	             : rep->integer == 0                       ? NISE_ENOTFOUND
	                                                       : NISE_OK;
	if (rep)
		freeReplyObject(rep);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static const struct nise_store_ops redis_ops = {
	"redis", rd_get, rd_put, rd_add, rd_members, rd_scan, rd_count, rd_begin, rd_commit, rd_close,
	NULL, NULL, rd_prefix_gen, rd_keys, rd_del, rd_ping,
};

nise_rc nise_store_redis_open(struct nise_store **out, const char *url, char *diag, size_t dn)
{
	*out = NULL;
	char host[256] = "127.0.0.1";
	int port = 6379;
	long db = 0;
	const char *unix_path = NULL;
	if (strncmp(url, "unix:", 5) == 0) {
		unix_path = url + 5;
	} else if (strncmp(url, "redis://", 8) == 0) {
		const char *p = url + 8;
		size_t hl = strcspn(p, ":/");
		if (hl == 0 || hl >= sizeof(host)) {
			snprintf(diag, dn, "%s: bad host", url);
			return NISE_EINVAL;
		}
		memcpy(host, p, hl);
		host[hl] = '\0';
		p += hl;
		if (*p == ':') {
			char *end;
			long v = strtol(p + 1, &end, 10);
			if (end == p + 1 || v <= 0 || v > 65535 || (*end && *end != '/')) {
				snprintf(diag, dn, "%s: bad port", url);
				return NISE_EINVAL;
			}
			port = (int)v;
			p = end;
		}
		if (*p == '/' && p[1]) {
			char *end;
			db = strtol(p + 1, &end, 10);
			if (*end || db < 0 || db > 1000) {
				snprintf(diag, dn, "%s: bad database number", url);
				return NISE_EINVAL;
			}
		}
	} else {
		snprintf(diag, dn, "%s: expected redis://HOST[:PORT][/DB] or unix:PATH", url);
		return NISE_EINVAL;
	}
	struct redis_store *r = calloc(1, sizeof(*r));
	if (!r)
		return NISE_ENOMEM;
	r->base.ops = &redis_ops;
	snprintf(r->base.where, sizeof(r->base.where), "%s", url);
	pthread_mutex_init(&r->lock, NULL);
	nise_pcache_init(&r->base.pcache);
	memcpy(r->host, host, sizeof(r->host));
	r->port = port;
	r->db = db;
	if (unix_path)
		r->unix_path = r->base.where + 5;
	r->c = dial(r, 5000, diag, dn);
	if (!r->c) {
		rd_close(&r->base);
		return NISE_EIO;
	}
	*out = &r->base;
	return NISE_OK;
}
