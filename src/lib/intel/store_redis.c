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

#include "intel/store.h"

#define PIPE 1024

struct redis_store {
	struct nise_store base;
	redisContext *c;
	pthread_mutex_t lock;
	bool batch;
	bool bump; /* the batch added PREFIX members */
	size_t pending;
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

static nise_rc drain(struct redis_store *r)
{
	nise_rc rc = NISE_OK;
	while (r->pending) {
		void *reply = NULL;
		if (redisGetReply(r->c, &reply) != REDIS_OK)
			return NISE_EIO;
		redisReply *rep = reply;
		if (rep->type == REDIS_REPLY_ERROR)
			rc = NISE_EIO;
		freeReplyObject(rep);
		r->pending--;
	}
	return rc;
}

/* Runs one command (not in a batch: pipelined writes are drained first). */
static redisReply *cmd(struct redis_store *r, const char *fmt, ...)
{
	if (r->pending && drain(r) != NISE_OK)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	redisReply *rep = redisvCommand(r->c, fmt, ap);
	va_end(ap);
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
		if (k)
			redisAppendCommand(r->c, fmt, name, nn, k, kn, v, vn);
		else
			redisAppendCommand(r->c, fmt, name, nn, v, vn);
		if (++r->pending >= PIPE)
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
	NULL, NULL, rd_prefix_gen, rd_keys, rd_del,
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
	struct timeval tv = {5, 0};
	r->c = unix_path ? redisConnectUnixWithTimeout(unix_path, tv)
	                 : redisConnectWithTimeout(host, port, tv);
	if (!r->c || r->c->err) {
		snprintf(diag, dn, "%s: %s", url, r->c ? r->c->errstr : "cannot allocate a connection");
		rd_close(&r->base);
		return NISE_EIO;
	}
	redisSetTimeout(r->c, tv);
	if (db) {
		redisReply *rep = redisCommand(r->c, "SELECT %ld", db);
		bool ok = rep && rep->type == REDIS_REPLY_STATUS;
		if (rep)
			freeReplyObject(rep);
		if (!ok) {
			snprintf(diag, dn, "%s: SELECT %ld failed", url, db);
			rd_close(&r->base);
			return NISE_EIO;
		}
	}
	*out = &r->base;
	return NISE_OK;
}
