/* SPDX-License-Identifier: MIT */
/*
 * store.h — the one interface to nise's persistent state (internal).
 *
 * Two kinds of tables:
 *
 *   maps   key → value            NISE_T_META, NISE_T_URL, NISE_T_CAMPAIGN,
 *                                  NISE_T_LIST
 *   sets   key → {member, ...}    NISE_T_PREFIX, NISE_T_BAND
 *
 * Keys and values are bytes. Set members of one table have one fixed size
 * (32 bytes for PREFIX: a full SHA-256; 16 for BAND: campaign id +
 * fingerprint). Backends: LMDB (store_lmdb.c, one file, the default) and
 * Redis (store_redis.c, shared by several hosts). Everything above this
 * interface (urlrep.c, campaign.c) is backend-blind, and the same test
 * suite runs against both (tests/unit/test_store.c).
 *
 * Thread-safety: get/members/scan/count may be called by any number of
 * threads at once (LMDB: a read transaction per call; Redis: one
 * connection behind a mutex). Writes are serialised by the backend; a
 * batch (begin ... commit) belongs to the thread that began it, and no
 * other thread may use the store until it commits.
 *
 * Prefix cache (pcache.c): a store whose backend has prefix_gen and keys
 * keeps its PREFIX keys in memory, rebuilt when the prefix generation
 * changes; every write that adds a PREFIX member must change it (in the
 * same transaction, or after the member is readable), and members are
 * never removed.
 *
 * Callbacks receive pointers valid only during the call.
 */
#ifndef NISE_INTEL_STORE_H
#define NISE_INTEL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intel/pcache.h"
#include "nise/nise.h"

enum nise_store_table {
	NISE_T_META = 0,
	NISE_T_URL,
	NISE_T_PREFIX,
	NISE_T_CAMPAIGN,
	NISE_T_BAND,
	NISE_T_LIST, /* the operator's loop (lists.c): "kind:value" → record */
	NISE_T_COUNT
};

typedef bool (*nise_store_val_fn)(void *ctx, const void *v, size_t n);
typedef bool (*nise_store_kv_fn)(void *ctx, const void *k, size_t kn, const void *v, size_t vn);

struct nise_store;

struct nise_store_ops {
	const char *name;
	/* fn once with the value; NISE_ENOTFOUND when absent */
	nise_rc (*get)(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
	               nise_store_val_fn fn, void *ctx);
	nise_rc (*put)(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
	               const void *v, size_t vn);
	/* adds member m to the set at k (no duplicates) */
	nise_rc (*add)(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
	               const void *m, size_t mn);
	/* fn once per member; NISE_ENOTFOUND when the set is empty */
	nise_rc (*members)(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn,
	                   nise_store_val_fn fn, void *ctx);
	/* fn once per entry of a map, in no defined order */
	nise_rc (*scan)(struct nise_store *s, enum nise_store_table t, nise_store_kv_fn fn, void *ctx);
	nise_rc (*count)(struct nise_store *s, enum nise_store_table t, size_t *out);
	nise_rc (*begin)(struct nise_store *s);
	nise_rc (*commit)(struct nise_store *s);
	void (*close)(struct nise_store *s);
	/* Optional (NULL: nothing to do): reads of the calling thread between
	 * read_begin and read_end share one snapshot (LMDB: one transaction),
	 * so a lookup of a dozen expressions sets up one, not a dozen. */
	void (*read_begin)(struct nise_store *s);
	void (*read_end)(struct nise_store *s);
	/* Optional (both NULL: no prefix cache, every expression asks the
	 * store). prefix_gen: a number that changes whenever a committed write
	 * added a PREFIX member (it may change more often); called once per
	 * lookup, so cheap; an error (e.g. inside a batch) skips the cache.
	 * keys: fn once per distinct key of a set table (fn may see a key
	 * twice), in no defined order. */
	nise_rc (*prefix_gen)(struct nise_store *s, uint64_t *out);
	nise_rc (*keys)(struct nise_store *s, enum nise_store_table t, nise_store_val_fn fn, void *ctx);
	/* Removes key k of a map: NISE_ENOTFOUND when it was absent (in a
	 * Redis batch, where the reply comes later, NISE_OK); sets are never
	 * shrunk (the prefix cache relies on it). In a batch or alone. */
	nise_rc (*del)(struct nise_store *s, enum nise_store_table t, const void *k, size_t kn);
	/* Optional (NULL: always reachable): one round trip to the store,
	 * reconnecting if the back-off allows (nise_store_ping). */
	nise_rc (*ping)(struct nise_store *s);
};

struct nise_store {
	const struct nise_store_ops *ops;
	struct nise_pcache pcache; /* backends init it at open, fini at close */
	char where[512]; /* the path or URL it was opened from */
	/* health (nise_store_health), atomics: a backend that can lose its
	 * connection (Redis) sets down while it cannot reach the store */
	int down;
	uint64_t reconnects, failures;
};

/* Backends. create: make the database when it does not exist (else
 * NISE_ENOTFOUND). diag gets a one-line reason on failure. */
nise_rc nise_store_lmdb_open(struct nise_store **out, const char *path, bool create, char *diag,
                             size_t dn);
nise_rc nise_store_redis_open(struct nise_store **out, const char *url, char *diag, size_t dn);

#endif
