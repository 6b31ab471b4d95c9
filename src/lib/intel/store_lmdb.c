/* SPDX-License-Identifier: MIT */
/*
 * store_lmdb.c — the embedded store: one LMDB file (the library's only
 * LMDB user).
 *
 * The environment is opened with MDB_NOSUBDIR (PATH and PATH-lock, nothing
 * else) and MDB_NOTLS, so a read transaction is not tied to a thread. Each
 * read call begins its own read transaction and aborts it, which makes
 * reads safe from any number of threads and processes while one writer
 * works; a lookup of a dozen expressions pins one transaction for all of
 * them (lm_read_begin), so it pays one setup, not a dozen. Sets are
 * MDB_DUPSORT | MDB_DUPFIXED tables, read with MDB_GET_MULTIPLE.
 *
 * No pool of reset transactions shared between threads: with one (renewed
 * by whichever thread took it next), lookups in a threaded process while
 * another process imported saw snapshots that lacked old entries — a
 * prefix set built from 1 of 9 keys, a prefix whose record read as absent
 * — about one ASan test run in seven (tests/unit/test_store.c); without
 * it, none in 60 runs. Beginning a read transaction costs ~0.1-0.5 us
 * (bench-intel medians), so the pool bought nothing worth that.
 *
 * Writes outside a batch run in their own write transaction; LMDB
 * serialises writers, across processes too. The map size is 4 GiB of
 * address space; the file grows only with the data.
 *
 * Prefix generation (store.h, pcache.c): META key "gen:prefix", a
 * uint64 incremented in the transaction that adds PREFIX members (once
 * per batch). Reading it costs a read transaction, so prefix_gen first
 * compares the environment's last transaction id (mdb_env_info: the meta
 * page in the shared map, which sees every process's commits) with the
 * one it last read the generation at: unchanged, nothing was committed
 * and the remembered generation holds. A commit that adds no prefix (a
 * recorded campaign) costs one read of the key, not a rebuild.
 */
#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intel/store.h"

#define MAP_SIZE ((size_t)4 << 30)

struct lmdb_store {
	struct nise_store base;
	MDB_env *env;
	MDB_dbi dbi[NISE_T_COUNT];
	MDB_txn *batch; /* open write transaction of a batch, or NULL */
	pthread_mutex_t wlock;
	bool bump;            /* the batch added a PREFIX member */
	pthread_mutex_t glock; /* seen_txnid, seen_gen */
	uint64_t seen_txnid;  /* the generation was seen_gen at this commit */
	uint64_t seen_gen;
};

#define GEN_KEY "gen:prefix"

static const char *const dbnames[NISE_T_COUNT] = {"meta", "url", "prefix", "campaign", "band",
                                                    "list"};

static bool is_set(enum nise_store_table t)
{
	return t == NISE_T_PREFIX || t == NISE_T_BAND;
}

static nise_rc rc_of(int e)
{
	switch (e) {
	case 0: return NISE_OK;
	case MDB_NOTFOUND: return NISE_ENOTFOUND;
	case ENOMEM: return NISE_ENOMEM;
	case MDB_MAP_FULL: return NISE_ELIMIT;
	default: return NISE_EIO;
	}
}

static struct lmdb_store *L(struct nise_store *s)
{
	return (struct lmdb_store *)s;
}

/* The calling thread's pinned read transaction (lm_read_begin). */
static _Thread_local struct {
	struct lmdb_store *owner;
	MDB_txn *txn;
} pin;

/* A read transaction (the thread's pinned one, or a new one), or the
 * batch's write transaction (see store.h). */
static int rd_begin(struct lmdb_store *l, MDB_txn **txn)
{
	if (l->batch) {
		*txn = l->batch;
		return 0;
	}
	if (pin.owner == l && pin.txn) {
		*txn = pin.txn;
		return 0;
	}
	return mdb_txn_begin(l->env, NULL, MDB_RDONLY, txn);
}

static void rd_end(struct lmdb_store *l, MDB_txn *txn)
{
	if (txn == l->batch || (pin.owner == l && txn == pin.txn))
		return;
	mdb_txn_abort(txn);
}

static nise_rc lm_get(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      nise_store_val_fn fn, void *ctx)
{
	struct lmdb_store *l = L(s);
	MDB_txn *txn;
	int e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_val key = {kn, (void *)(uintptr_t)k}, val;
	e = mdb_get(txn, l->dbi[t], &key, &val);
	if (e == 0)
		fn(ctx, val.mv_data, val.mv_size);
	rd_end(l, txn);
	return rc_of(e);
}

/* Increments the prefix generation inside write transaction txn. */
static int bump_gen(struct lmdb_store *l, MDB_txn *txn)
{
	MDB_val key = {sizeof(GEN_KEY) - 1, (void *)(uintptr_t)GEN_KEY}, val;
	uint64_t g = 0;
	int e = mdb_get(txn, l->dbi[NISE_T_META], &key, &val);
	if (e == 0 && val.mv_size == sizeof(g))
		memcpy(&g, val.mv_data, sizeof(g));
	else if (e != 0 && e != MDB_NOTFOUND)
		return e;
	g++;
	val.mv_size = sizeof(g);
	val.mv_data = &g;
	return mdb_put(txn, l->dbi[NISE_T_META], &key, &val, 0);
}

static nise_rc lm_write(struct lmdb_store *l, enum nise_store_table t, const void *k, size_t kn,
                        const void *v, size_t vn, unsigned flags)
{
	MDB_val key = {kn, (void *)(uintptr_t)k}, val = {vn, (void *)(uintptr_t)v};
	if (kn == 0 || kn > 511)
		return NISE_EINVAL;
	if (l->batch) {
		int e = mdb_put(l->batch, l->dbi[t], &key, &val, flags);
		if (e == 0 && t == NISE_T_PREFIX)
			l->bump = true;
		return e == MDB_KEYEXIST ? NISE_OK : rc_of(e);
	}
	pthread_mutex_lock(&l->wlock);
	MDB_txn *txn;
	int e = mdb_txn_begin(l->env, NULL, 0, &txn);
	if (e == 0) {
		e = mdb_put(txn, l->dbi[t], &key, &val, flags);
		if (e == 0 && t == NISE_T_PREFIX)
			e = bump_gen(l, txn);
		else if (e == MDB_KEYEXIST)
			e = 0;
		if (e == 0)
			e = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	pthread_mutex_unlock(&l->wlock);
	return rc_of(e);
}

static nise_rc lm_put(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      const void *v, size_t vn)
{
	if (is_set(t))
		return NISE_EINVAL;
	return lm_write(L(s), t, k, kn, v, vn, 0);
}

static nise_rc lm_add(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                      const void *m, size_t mn)
{
	if (!is_set(t))
		return NISE_EINVAL;
	return lm_write(L(s), t, k, kn, m, mn, MDB_NODUPDATA);
}

static nise_rc lm_del(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn)
{
	struct lmdb_store *l = L(s);
	if (is_set(t) || kn == 0 || kn > 511)
		return NISE_EINVAL;
	MDB_val key = {kn, (void *)(uintptr_t)k};
	if (l->batch)
		return rc_of(mdb_del(l->batch, l->dbi[t], &key, NULL));
	pthread_mutex_lock(&l->wlock);
	MDB_txn *txn;
	int e = mdb_txn_begin(l->env, NULL, 0, &txn);
	if (e == 0) {
		e = mdb_del(txn, l->dbi[t], &key, NULL);
		if (e == 0)
			e = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	pthread_mutex_unlock(&l->wlock);
	return rc_of(e);
}

static nise_rc lm_members(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
                          nise_store_val_fn fn, void *ctx)
{
	struct lmdb_store *l = L(s);
	if (!is_set(t))
		return NISE_EINVAL;
	MDB_txn *txn;
	int e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_cursor *cur;
	e = mdb_cursor_open(txn, l->dbi[t], &cur);
	if (e) {
		rd_end(l, txn);
		return rc_of(e);
	}
	MDB_val key = {kn, (void *)(uintptr_t)k}, val;
	e = mdb_cursor_get(cur, &key, &val, MDB_SET);
	if (e == 0) {
		/* the member size, then whole pages of members */
		e = mdb_cursor_get(cur, &key, &val, MDB_GET_CURRENT);
		size_t msize = val.mv_size;
		bool more = true;
		int op = MDB_GET_MULTIPLE;
		while (more && e == 0 && msize) {
			if (mdb_cursor_get(cur, &key, &val, op) != 0)
				break;
			for (size_t off = 0; more && off + msize <= val.mv_size; off += msize)
				more = fn(ctx, (const char *)val.mv_data + off, msize);
			op = MDB_NEXT_MULTIPLE;
		}
	}
	mdb_cursor_close(cur);
	rd_end(l, txn);
	return rc_of(e);
}

static nise_rc lm_scan(struct nise_store *s, enum nise_store_table t, nise_store_kv_fn fn, void *ctx)
{
	struct lmdb_store *l = L(s);
	MDB_txn *txn;
	int e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_cursor *cur;
	e = mdb_cursor_open(txn, l->dbi[t], &cur);
	if (e == 0) {
		MDB_val key, val;
		int op = MDB_FIRST;
		while (mdb_cursor_get(cur, &key, &val, op) == 0) {
			if (!fn(ctx, key.mv_data, key.mv_size, val.mv_data, val.mv_size))
				break;
			op = MDB_NEXT;
		}
		mdb_cursor_close(cur);
	}
	rd_end(l, txn);
	return rc_of(e);
}

static nise_rc lm_count(struct nise_store *s, enum nise_store_table t, size_t *out)
{
	struct lmdb_store *l = L(s);
	MDB_txn *txn;
	*out = 0;
	int e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_stat st;
	e = mdb_stat(txn, l->dbi[t], &st);
	if (e == 0)
		*out = st.ms_entries;
	rd_end(l, txn);
	return rc_of(e);
}

static void lm_read_begin(struct nise_store *s)
{
	struct lmdb_store *l = L(s);
	if (pin.owner || l->batch)
		return; /* nested, or a batch: its own transaction serves */
	MDB_txn *txn;
	if (rd_begin(l, &txn) == 0) {
		pin.owner = l;
		pin.txn = txn;
	}
}

static void lm_read_end(struct nise_store *s)
{
	struct lmdb_store *l = L(s);
	if (pin.owner != l)
		return;
	MDB_txn *txn = pin.txn;
	pin.owner = NULL;
	pin.txn = NULL;
	rd_end(l, txn);
}

static nise_rc lm_begin(struct nise_store *s)
{
	struct lmdb_store *l = L(s);
	if (l->batch)
		return NISE_EINVAL;
	pthread_mutex_lock(&l->wlock);
	int e = mdb_txn_begin(l->env, NULL, 0, &l->batch);
	if (e) {
		l->batch = NULL;
		pthread_mutex_unlock(&l->wlock);
	}
	return rc_of(e);
}

static nise_rc lm_commit(struct nise_store *s)
{
	struct lmdb_store *l = L(s);
	if (!l->batch)
		return NISE_EINVAL;
	int e = l->bump ? bump_gen(l, l->batch) : 0;
	if (e == 0)
		e = mdb_txn_commit(l->batch);
	else
		mdb_txn_abort(l->batch);
	l->batch = NULL;
	l->bump = false;
	pthread_mutex_unlock(&l->wlock);
	return rc_of(e);
}

static nise_rc lm_prefix_gen(struct nise_store *s, uint64_t *out)
{
	struct lmdb_store *l = L(s);
	if (l->batch)
		return NISE_EINVAL; /* its uncommitted members are not in any set */
	MDB_envinfo info;
	int e = mdb_env_info(l->env, &info);
	if (e)
		return rc_of(e);
	pthread_mutex_lock(&l->glock);
	bool same = l->seen_txnid != 0 && l->seen_txnid == (uint64_t)info.me_last_txnid;
	*out = l->seen_gen;
	pthread_mutex_unlock(&l->glock);
	if (same)
		return NISE_OK;
	MDB_txn *txn;
	e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_val key = {sizeof(GEN_KEY) - 1, (void *)(uintptr_t)GEN_KEY}, val;
	uint64_t g = 0;
	e = mdb_get(txn, l->dbi[NISE_T_META], &key, &val);
	if (e == 0 && val.mv_size == sizeof(g))
		memcpy(&g, val.mv_data, sizeof(g));
	uint64_t id = (uint64_t)mdb_txn_id(txn);
	rd_end(l, txn);
	if (e != 0 && e != MDB_NOTFOUND)
		return rc_of(e);
	pthread_mutex_lock(&l->glock);
	l->seen_txnid = id;
	l->seen_gen = g;
	pthread_mutex_unlock(&l->glock);
	*out = g;
	return NISE_OK;
}

static nise_rc lm_keys(struct nise_store *s, enum nise_store_table t, nise_store_val_fn fn, void *ctx)
{
	struct lmdb_store *l = L(s);
	if (!is_set(t))
		return NISE_EINVAL;
	MDB_txn *txn;
	int e = rd_begin(l, &txn);
	if (e)
		return rc_of(e);
	MDB_cursor *cur;
	e = mdb_cursor_open(txn, l->dbi[t], &cur);
	if (e == 0) {
		MDB_val key, val;
		int op = MDB_FIRST;
		while (mdb_cursor_get(cur, &key, &val, op) == 0) {
			if (!fn(ctx, key.mv_data, key.mv_size))
				break;
			op = MDB_NEXT_NODUP;
		}
		mdb_cursor_close(cur);
	}
	rd_end(l, txn);
	return rc_of(e);
}

static void lm_close(struct nise_store *s)
{
	struct lmdb_store *l = L(s);
	nise_pcache_fini(&l->base.pcache);
	if (l->batch)
		mdb_txn_abort(l->batch);
	l->batch = NULL;
	if (l->env)
		mdb_env_close(l->env);
	pthread_mutex_destroy(&l->wlock);
	pthread_mutex_destroy(&l->glock);
	free(l);
}

static const struct nise_store_ops lmdb_ops = {
	"lmdb", lm_get, lm_put, lm_add, lm_members, lm_scan, lm_count, lm_begin, lm_commit, lm_close,
	lm_read_begin, lm_read_end, lm_prefix_gen, lm_keys, lm_del, NULL,
};

nise_rc nise_store_lmdb_open(struct nise_store **out, const char *path, bool create, char *diag,
                             size_t dn)
{
	*out = NULL;
	struct stat st;
	if (!create && stat(path, &st) != 0) {
		snprintf(diag, dn, "%s: no such store", path);
		return NISE_ENOTFOUND;
	}
	struct lmdb_store *l = calloc(1, sizeof(*l));
	if (!l)
		return NISE_ENOMEM;
	l->base.ops = &lmdb_ops;
	snprintf(l->base.where, sizeof(l->base.where), "%s", path);
	pthread_mutex_init(&l->wlock, NULL);
	pthread_mutex_init(&l->glock, NULL);
	nise_pcache_init(&l->base.pcache);
	MDB_txn *txn = NULL;
	int e = mdb_env_create(&l->env);
	if (e == 0)
		e = mdb_env_set_maxdbs(l->env, NISE_T_COUNT);
	if (e == 0)
		e = mdb_env_set_mapsize(l->env, MAP_SIZE);
	if (e == 0)
		e = mdb_env_set_maxreaders(l->env, 1022);
	if (e == 0)
		e = mdb_env_open(l->env, path, MDB_NOSUBDIR | MDB_NOTLS, 0644);
	if (e == 0)
		e = mdb_txn_begin(l->env, NULL, 0, &txn);
	for (int t = 0; e == 0 && t < NISE_T_COUNT; t++)
		e = mdb_dbi_open(txn, dbnames[t], MDB_CREATE | (is_set(t) ? MDB_DUPSORT | MDB_DUPFIXED : 0),
		                 &l->dbi[t]);
	if (e == 0) {
		e = mdb_txn_commit(txn);
		txn = NULL;
	}
	if (e) {
		snprintf(diag, dn, "%s: %s", path, mdb_strerror(e));
		if (txn)
			mdb_txn_abort(txn);
		lm_close(&l->base);
		return e == ENOENT ? NISE_ENOTFOUND : NISE_EIO;
	}
	*out = &l->base;
	return NISE_OK;
}
