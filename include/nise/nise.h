/* SPDX-License-Identifier: MIT */
/*
 * nise.h — the public API of libnise, the only header front ends include.
 *
 * One engine (read-only after nise_engine_new, shared by all threads) scans
 * messages. Each scan owns one arena: every string and array reachable from
 * a struct nise_result lives in it and dies with nise_result_free().
 *
 * All strings in the model are NUL-terminated UTF-8 (charsets never leak
 * past the MIME adapter). Pointers may be NULL when a header or value is
 * absent; arrays come with their counts.
 *
 * Thread-safety: nise_engine_* are not thread-safe while building; a built
 * engine may be used by any number of threads at once. A result belongs to
 * the thread that made it.
 */
#ifndef NISE_NISE_H
#define NISE_NISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NISE_JSON_SCHEMA_VERSION 2

typedef enum nise_rc {
	NISE_OK = 0,
	NISE_ENOMEM = -1,
	NISE_ELIMIT = -2,
	NISE_EINVAL = -3,
	NISE_EIO = -4,
	NISE_EPARSE = -5,
	NISE_ENOTFOUND = -6,
} nise_rc;

/* Never NULL; a static English string. */
const char *nise_strerror(nise_rc rc);

/* Resource limits applied to one message. Exceeding one adds a LIMIT_*
 * anomaly and yields a partial model; it never aborts the process. */
struct nise_limits {
	size_t max_message_bytes;   /* input larger than this is truncated */
	size_t max_mime_depth;      /* nesting of multipart / message/rfc822 */
	size_t max_parts;           /* leaf parts kept */
	size_t max_links;           /* links kept */
	size_t max_headers;         /* header fields kept per message */
	size_t max_header_bytes;    /* one unfolded header value */
	size_t max_text_bytes;      /* decoded text kept per part */
	size_t max_arena_bytes;     /* everything one scan may allocate */
};

/* Fills *out with the defaults documented in docs/limits.md. */
void nise_limits_default(struct nise_limits *out);

struct nise_list_entry;

struct nise_engine_opts {
	struct nise_limits limits;
	const char *data_dir;        /* brands, lexicons, TLD weights; NULL: built-in default */
	bool arena_debug;            /* one malloc per allocation, for sanitizers */
	bool no_checks;              /* build the model only (benchmarks: the parse floor) */
	const char *model_path;      /* learned model file; NULL: <data_dir>/model.bin if present */
	bool no_model;               /* checks alone, no learned model */
	bool keep_features;          /* fill nise_result.features (for nise train) */
	struct nise_store *store;    /* threat intelligence (known-bad URLs, campaigns);
	                                borrowed, must outlive the engine; NULL: none */
	/* authserv-ids whose Authentication-Results are believed (copied);
	 * none: no result counts (docs/trust.md) */
	const char *const *trusted_authserv_ids;
	size_t ntrusted_authserv_ids;
	/* what an administrator sets (nise.conf(5)); 0 / NULL: the defaults */
	double phishing_score;       /* verdict thresholds (default 6 and 3) */
	double suspicious_score;
	const char *const *weight_ids; /* per-check weight overrides: check id */
	const double *weight_values;   /* ... and its weight */
	size_t nweights;
	const struct nise_list_entry *lists; /* allow/block entries of the configuration */
	size_t nlists;
	/* where the compiled pattern tables are kept between processes
	 * (created 0700; docs/data.md); NULL: built in memory every time */
	const char *cache_dir;
};

struct nise_engine;

/* Builds an engine. *out is NULL on failure. diag (may be NULL, size dn)
 * receives a one-line reason on failure. */
nise_rc nise_engine_new(struct nise_engine **out, const struct nise_engine_opts *opts,
                        char *diag, size_t dn);
void nise_engine_free(struct nise_engine *e);

/* ---- message model ------------------------------------------------- */

struct nise_address {
	const char *name;     /* display name, decoded; "" when absent */
	const char *address;  /* local@domain as written (lowercased domain) */
	const char *local;
	const char *domain;   /* lowercase; Unicode form for IDN */
};

struct nise_header {
	const char *name;
	const char *value;    /* unfolded and RFC 2047 decoded */
};

struct nise_auth_prop {
	const char *ptype;    /* smtp, header, body, policy */
	const char *property; /* mailfrom, d, from, i, ... */
	const char *value;
};

/* One resinfo of an RFC 8601 Authentication-Results header. */
struct nise_auth_result {
	const char *authserv_id;
	const char *method;   /* spf, dkim, dmarc, arc, ... lowercase */
	const char *result;   /* pass, fail, softfail, none, ... lowercase */
	const char *reason;
	struct nise_auth_prop *props;
	size_t nprops;
	size_t block;         /* which Authentication-Results field, 0 = topmost */
	bool trusted;         /* set by the scan: in the topmost field of a trusted
	                         authserv-id (docs/trust.md); only these count */
};

struct nise_received {
	const char *from;     /* the "from" clause (HELO and rDNS) */
	const char *by;
	const char *with;
	const char *ip;       /* first IP literal in the from clause, or NULL */
	const char *date;
};

enum nise_part_kind {
	NISE_PART_TEXT = 0,   /* text/plain or unknown text */
	NISE_PART_HTML,
	NISE_PART_ATTACHMENT,
};

struct nise_part {
	enum nise_part_kind kind;
	unsigned depth;
	const char *content_type;      /* lowercase type/subtype */
	const char *declared_charset;  /* as labelled, or NULL */
	const char *charset;           /* what was used to decode */
	const char *filename;          /* decoded, or NULL */
	const char *sniffed_type;      /* from magic bytes, or NULL */
	const char *text;              /* decoded UTF-8 (text and HTML parts) */
	size_t text_len;
	size_t size;                   /* decoded bytes */
	char sha256[65];               /* hex, attachments only; "" otherwise */
	bool charset_guessed;          /* declared charset missing or wrong */
	unsigned alt_group;            /* nonzero: parts with the same value are
	                                  alternatives (multipart/alternative) */
	bool inline_text;              /* shown to the reader as the body */
};

enum nise_link_source {
	NISE_LINK_HTML_ANCHOR = 0,
	NISE_LINK_HTML_AREA,
	NISE_LINK_TEXT,
	NISE_LINK_FORM,
	NISE_LINK_META_REFRESH,
	NISE_LINK_IMAGE,
	NISE_LINK_ATTACHMENT,
	NISE_LINK_HEADER,
};

/* A parsed, normalised URL. */
struct nise_url {
	const char *url;        /* normalised, re-serialised URL */
	const char *scheme;     /* lowercase, no ':' */
	const char *userinfo;   /* NULL if none */
	const char *host;       /* Unicode form (IDNA decoded), lowercase */
	const char *host_ascii; /* punycode form */
	const char *domain;     /* registrable domain (PSL), Unicode; host if none */
	const char *tld;        /* public suffix */
	const char *path;       /* path+query+fragment, percent-decoded for display */
	uint16_t port;          /* 0 when default */
	bool host_is_ip;
	bool host_is_punycode;  /* some label was xn-- */
	bool obfuscated;        /* hxxp, [.], ... were undone */
	bool had_scheme;        /* false for www.example.com / bare domains */
};

struct nise_link {
	enum nise_link_source source;
	const char *text;       /* visible anchor text, or the matched text */
	const char *href;       /* as written (after entity decoding) */
	const char *title;
	struct nise_url url;    /* url.url NULL when href is not a usable URL */
	unsigned part;          /* index into parts */
};

struct nise_form {
	const char *action;     /* resolved; NULL when absent */
	const char *method;
	bool has_password;
	unsigned ninputs;
	unsigned part;
};

struct nise_image {
	const char *src;
	const char *alt;
	unsigned part;
};

struct nise_anomaly {
	const char *id;         /* e.g. LIMIT_PARTS, BAD_BASE64, CHARSET_GUESSED */
	const char *detail;
};

struct nise_message {
	const char *subject;
	struct nise_address *from;     /* nfrom entries; the first is "the sender" */
	size_t nfrom;
	struct nise_address *sender;   /* NULL if absent */
	struct nise_address *reply_to; /* nreply_to entries */
	size_t nreply_to;
	struct nise_address *return_path;
	struct nise_address *to;
	size_t nto;
	const char *date;
	const char *message_id;
	struct nise_header *headers;
	size_t nheaders;
	struct nise_received *received;
	size_t nreceived;
	struct nise_auth_result *auth;
	size_t nauth;
	const char *list_id;
	const char *list_unsubscribe;
	struct nise_part *parts;
	size_t nparts;
	struct nise_link *links;
	size_t nlinks;
	struct nise_form *forms;
	size_t nforms;
	struct nise_image *images;
	size_t nimages;
	const char *visible_text;      /* what the reader sees: text parts, or HTML text */
	size_t visible_len;
	const char *hidden_text;       /* HTML text the reader does not see */
	size_t hidden_len;
	struct nise_anomaly *anomalies;
	size_t nanomalies;
};

/* ---- verdict ------------------------------------------------------- */

enum nise_verdict {
	NISE_CLEAN = 0,
	NISE_SUSPICIOUS,
	NISE_PHISHING,
	/* a limit cut the mail (a LIMIT_* anomaly) and what was read is not
	 * suspicious: never "clean" (docs/verdict.md) */
	NISE_UNCHECKED,
};
#define NISE_NVERDICTS 4

const char *nise_verdict_name(enum nise_verdict v);

struct nise_finding {
	const char *id;          /* stable check id, e.g. SENDER_BRAND_MISMATCH */
	double score;
	const char *evidence;    /* the exact text/value that triggered it */
	const char *explain_en;  /* one sentence */
	const char *explain_ja;  /* one sentence */
};

/* One feature of the learned model and how much it moved the model
 * towards phishing (positive) or genuine mail (negative). */
struct nise_model_feature {
	const char *name;        /* "link domain: example.icu", "word: verify", ... */
	double weight;
};

/* What a front end was given (src/lib/mime/input.c, docs/api.md). */
enum nise_input {
	NISE_INPUT_MAIL = 0, /* a header block: read as an RFC 5322 message */
	NISE_INPUT_TEXT,     /* text without headers: judged as the body of a mail */
	NISE_INPUT_EMPTY,    /* nothing, or white space only: not a mail */
	NISE_INPUT_OTHER,    /* an image, a PDF, any binary file: not a mail */
};

/* Classifies buf (reads at most its first 16 KiB; never allocates). When
 * type is not NULL it gets a MIME type: "message/rfc822" for a mail,
 * "text/plain" or "text/html" for text, the sniffed type ("image/png",
 * "application/pdf", "application/octet-stream") for other input, "" for
 * empty input. Front ends refuse EMPTY and OTHER with a clear message
 * instead of a verdict; nise_scan judges TEXT as a mail's body. Thread-safe. */
enum nise_input nise_input_classify(const char *buf, size_t n, const char **type);
/* "mail", "text", "empty", "other". */
const char *nise_input_name(enum nise_input k);

struct nise_result {
	struct nise_message *msg;
	/* what the input was: TEXT is scanned as the body of a mail with no
	 * header (the anomaly TEXT_ONLY says so); EMPTY and OTHER are scanned
	 * as they are and never called clean (NOT_A_MESSAGE) */
	enum nise_input input;
	enum nise_verdict verdict;
	double score;
	const char *brand;       /* brand the mail claims to be, or NULL */
	struct nise_finding *findings;
	size_t nfindings;
	bool partial;            /* a limit cut the model short */
	/* the checks alone, before the learned model */
	double check_score;
	enum nise_verdict check_verdict;
	/* the learned model (docs/model.md); model_p < 0 when none is loaded */
	double model_p;          /* calibrated probability of phishing */
	double model_margin;     /* raw linear score */
	bool model_tipped;       /* the model changed the verdict of the checks */
	struct nise_model_feature *model_top; /* heaviest features, by |weight| */
	size_t nmodel_top;
	/* keep_features only: hashed feature indices (unsorted, distinct),
	 * each with the value features_value */
	const uint32_t *features;
	size_t nfeatures;
	double features_value;
	/* campaign fingerprint of the text, computed during the scan when a
	 * store is attached (nise_intel_fingerprint reuses it); 0: none */
	uint64_t fingerprint;
	/* the sender as the checks saw it (nise_learn reads it) */
	const char *from_domain;     /* registrable domain of From, or NULL */
	bool from_authenticated;     /* From's domain passed authentication the engine trusts */
	bool from_shared;            /* a mailbox provider or shared sending platform */
	bool from_brand;             /* the From domain belongs to a known brand */
	struct nise_arena *arena;
};

/* Scans one RFC 5322 message (or text without headers: r->input). On NISE_OK, *out owns its arena; free it with
 * nise_result_free(). On a limit, the result is still returned (partial =
 * true) with NISE_OK. Only allocation failure outside the arena's cap
 * returns an error, with *out NULL. */
nise_rc nise_scan(struct nise_result **out, const struct nise_engine *e,
                  const char *buf, size_t n);
void nise_result_free(struct nise_result *r);

/* s (text from r's message) as it may be shown: every character that
 * could reorder or hide text (bidi controls U+202A–202E, U+2066–2069,
 * U+200E/F, U+061C; U+2060–2064, tags, fillers) replaced by a visible
 * mark such as "⟨U+202E⟩" (docs/checks/BIDI_CONTROL.md). s itself when it
 * has none; NULL for NULL. Allocated in r's arena. */
const char *nise_result_visible(const struct nise_result *r, const char *s);

/* ---- learned model files (nise train) ------------------------------- */

/* Number of weights a model file holds: the size of the hashed feature
 * space of this build. */
size_t nise_model_dims(void);

/* Writes a model file atomically (path.tmp, then rename). w has
 * nise_model_dims() weights; P(phish) = 1 / (1 + exp(platt_a * margin +
 * platt_b)) with margin = bias + w·x; meta is JSON text kept beside the
 * weights (training set, options, figures). NISE_EINVAL: wrong nw. */
nise_rc nise_model_write(const char *path, const float *w, size_t nw, double bias,
                         double platt_a, double platt_b, const char *meta);

/* The metadata of the engine's model, or NULL when it runs without one. */
const char *nise_engine_model_meta(const struct nise_engine *e);

/* ---- receive-time authentication ----------------------------------- */

/* Copies the authserv-id of one Authentication-Results header value (RFC
 * 8601 §2.2: its first token, after comments and white space; a quoted
 * string is unquoted) into out, NUL-terminated, as written. A receiving
 * server uses it to find the headers that claim to be its own (forgeries
 * to remove) before it prepends its own.
 *
 * Which results a scan believes: those carrying the authserv-id of the
 * topmost Authentication-Results header that has at least one result.
 * A front end that verifies SPF/DKIM/DMARC itself (nise milter) removes
 * every incoming header with its own authserv-id and scans the message
 * with its own header prepended, so the scan sees exactly its results.
 *
 * Returns NISE_OK; NISE_EPARSE when the value holds no authserv-id;
 * NISE_ELIMIT when it does not fit in n bytes (out is then ""). Pure
 * function, thread-safe, no allocation. */
nise_rc nise_authres_authserv_id(char *out, size_t n, const char *value, size_t vn);

/* ---- mailbox reading ----------------------------------------------- */

/* Calls fn once per message in an mbox buffer ("From " lines). Handles
 * ">From " unquoting of mboxrd. Returns the first non-OK rc fn returned. */
typedef nise_rc (*nise_message_fn)(const char *buf, size_t n, size_t index, void *ctx);
nise_rc nise_mbox_split(const char *buf, size_t n, nise_message_fn fn, void *ctx);
/* True when buf looks like an mbox (starts with "From "). */
bool nise_is_mbox(const char *buf, size_t n);


/* ---- threat intelligence: known-bad URLs and campaign memory -------- */

/* A store holds the imported phishing-URL feeds and the campaigns nise
 * has judged. Backends: an LMDB file (the default, embedded) or Redis
 * (several hosts sharing one state). Reads are thread-safe; writes
 * (import, record) are serialised by the store. An engine made with
 * opts.store set looks every link up and compares every mail with the
 * recorded campaigns (read-only); recording is an explicit call. */
struct nise_store;

/* spec: a file path (LMDB) or redis://HOST[:PORT][/DB] or unix:PATH.
 * create: make a missing LMDB file (and its directory's last level);
 * otherwise a missing file is NISE_ENOTFOUND. diag gets a reason. */
nise_rc nise_store_open(struct nise_store **out, const char *spec, bool create, char *diag,
                        size_t dn);
void nise_store_close(struct nise_store *s);
/* "lmdb" or "redis". */
const char *nise_store_backend(const struct nise_store *s);
/* Whether the store can be reached now. A Redis store whose connection
 * failed or timed out is down: its reads fail at once (NISE_EIO; a scan
 * then carries STORE_UNAVAILABLE) and it reconnects with back-off (0.25 s
 * doubling to 5 s) on later calls. An LMDB store is always up. */
struct nise_store_health {
	bool up;             /* the last attempt reached the store */
	uint64_t reconnects; /* connections re-established after a loss */
	uint64_t failures;   /* operations that failed because the store was unreachable */
};
void nise_store_health(const struct nise_store *s, struct nise_store_health *out);
/* One round trip to the store (Redis: PING, reconnecting when the
 * back-off allows; LMDB: nothing), so a health check notices a store that
 * came back while nothing else used it. NISE_EIO: unreachable. */
nise_rc nise_store_ping(struct nise_store *s);
/* $XDG_DATA_HOME/nise/nise.lmdb, else $HOME/.local/share/nise/nise.lmdb,
 * into buf; false when neither variable is set or buf is too small. */
bool nise_store_default_path(char *buf, size_t bn);

struct nise_intel_import_stats {
	size_t read;       /* entries in the file */
	size_t stored;     /* entries stored (a URL listed twice counts twice) */
	size_t bad;        /* malformed rows */
	size_t unparsable; /* rows whose URL has no host */
	size_t refused;    /* whole-host entries for a public suffix, a shortener, shared or
	                      free host, a popular domain or a brand's domain */
};

/* Imports a feed file. format: "jpcert", "phishtank-csv",
 * "phishtank-json", "openphish", "urls", "domains". The engine supplies
 * the public suffix list and the reviewed shortener / shared-hosting
 * lists (never blocked wholesale). NISE_EPARSE when the file is not of
 * the format; NISE_EINVAL for an unknown format. */
nise_rc nise_intel_import(struct nise_intel_import_stats *out, struct nise_store *s,
                          const struct nise_engine *e, const char *format, const char *buf,
                          size_t n, char *diag, size_t dn);

/* A refused whole-host entry: its host and why ("a popular domain
 * (Tranco rank 1)", "owned by the brand Google (brands.tsv)", ...). */
typedef void (*nise_intel_refused_fn)(void *ctx, const char *host, const char *why);

struct nise_intel_feed_opts {
	const char *name;   /* the source stored with each entry (1-31 bytes, no tab);
	                       NULL: the format name, as nise_intel_import */
	int64_t now;        /* first/last-seen time (Unix seconds); 0: time(NULL) */
	int64_t expire;     /* seconds an entry is kept once an import of this feed
	                       no longer lists it (nise_intel_expire); 0: forever */
	nise_intel_refused_fn refused; /* may be NULL */
	void *ctx;
};

/* nise_intel_import with a source name, times and expiry: each entry
 * records the feed name, the first and the latest import that listed it;
 * a URL listed again keeps its first-seen time. With a name, an import
 * that stores at least one entry also records the feed's import time,
 * which nise_intel_expire compares against. Errors as nise_intel_import,
 * plus NISE_EINVAL for a bad name. */
nise_rc nise_intel_import_feed(struct nise_intel_import_stats *out, struct nise_store *s,
                               const struct nise_engine *e, const char *format, const char *buf,
                               size_t n, const struct nise_intel_feed_opts *o, char *diag, size_t dn);

/* Removes the entries of feed `name` that its latest import did not list
 * and that were last listed at least their expire seconds before now
 * (0: time(NULL)); *out: how many. Entries with expire 0 stay. Their
 * PREFIX hashes stay too (sets never shrink): a lookup that reaches one
 * finds no record and is a miss. */
nise_rc nise_intel_expire(size_t *out, struct nise_store *s, const char *name, int64_t now);
/* The time of feed name's latest import that stored an entry in s;
 * NISE_ENOTFOUND when this store never imported it. */
nise_rc nise_intel_feed_time(int64_t *out, struct nise_store *s, const char *name);

struct nise_intel_match {
	char feed[32];     /* the source: format name, or the feed's configured name */
	char date[11];     /* YYYY-MM-DD the feed listed it, or "" */
	char brand[128];   /* impersonated brand, or "" */
	char expr[512];    /* the listed Safe Browsing expression (host/path) */
	int64_t first;     /* first and latest import that listed it (Unix seconds), */
	int64_t last;      /* 0 for entries of older versions */
	int64_t expire;    /* seconds kept after it leaves its feed; 0 forever */
};

/* Looks url up the Safe Browsing way (canonicalise, host-suffix x
 * path-prefix expressions, SHA-256, 4-byte prefix then full hash).
 * NISE_OK on a match, NISE_ENOTFOUND on none, NISE_EPARSE for a URL
 * without a host. Thread-safe. */
nise_rc nise_intel_lookup(struct nise_intel_match *out, struct nise_store *s, const char *url,
                          size_t n);
/* A link's two spellings: its normalised URL and, when that is not
 * listed, the href as written — looked up only when canonicalisation
 * makes it a different URL (href may be NULL). */
nise_rc nise_intel_lookup_link(struct nise_intel_match *out, struct nise_store *s, const char *url,
                               size_t n, const char *href, size_t hn);

/* Per feed: how many URL entries the store holds. */
typedef bool (*nise_intel_feed_fn)(void *ctx, const char *feed, size_t count);
nise_rc nise_intel_stats(struct nise_store *s, size_t *urls, size_t *campaigns,
                         nise_intel_feed_fn fn, void *ctx);

#define NISE_CAMPAIGN_ITEMS 8

/* One campaign: mails judged phishing whose normalised text and
 * structure are close (docs/intel.md). */
struct nise_campaign {
	uint64_t id;
	uint64_t fingerprint;      /* of its first mail */
	char first_seen[11];       /* YYYY-MM-DD (the mails' Date headers) */
	char last_seen[11];
	unsigned long copies;
	char brand[128];
	char subjects[NISE_CAMPAIGN_ITEMS][256];
	size_t nsubjects;
	char senders[NISE_CAMPAIGN_ITEMS][128];   /* From domains */
	size_t nsenders;
	char links[NISE_CAMPAIGN_ITEMS][128];     /* link domains */
	size_t nlinks;
	unsigned distance;         /* differing fingerprint bits, for a match */
};

/* The campaign r's mail belongs to. NISE_ENOTFOUND when none is close
 * enough or the mail has too little text to tell. */
nise_rc nise_campaign_match(struct nise_campaign *out, struct nise_store *s,
                            const struct nise_engine *e, const struct nise_result *r);

/* Records a judged mail: joins the closest campaign or starts one. Only
 * mails judged phishing are recorded (others: NISE_OK, nothing written,
 * *recorded false). out (may be NULL) receives the campaign. */
nise_rc nise_intel_record(struct nise_campaign *out, bool *recorded, struct nise_store *s,
                          const struct nise_engine *e, const struct nise_result *r);

/* Every campaign, in no defined order. */
typedef bool (*nise_campaign_fn)(void *ctx, const struct nise_campaign *c);
nise_rc nise_campaigns_list(struct nise_store *s, nise_campaign_fn fn, void *ctx);

/* The 64-bit fingerprint of r's mail (0: too little text). */
uint64_t nise_intel_fingerprint(const struct nise_engine *e, const struct nise_result *r);

/* Every URL entry (feeds, learned, block list), in no defined order. */
typedef bool (*nise_intel_entry_fn)(void *ctx, const struct nise_intel_match *m);
nise_rc nise_intel_each(struct nise_store *s, nise_intel_entry_fn fn, void *ctx);
/* Removes the entry listing exactly url's Safe Browsing expression (a
 * whole-host entry: "http://host/"), whatever feed put it there.
 * NISE_ENOTFOUND when there is none. */
nise_rc nise_intel_remove(struct nise_store *s, const char *url, char *expr_out, size_t en);

/* ---- the operator's loop: learned, allowed and blocked entries ------ */

enum nise_list_kind {
	NISE_LIST_SENDER = 0,    /* a sender address, local@domain */
	NISE_LIST_SENDER_DOMAIN, /* the registrable domain of From */
	NISE_LIST_LINK_DOMAIN,   /* a link host and every host below it */
	NISE_LIST_URL,           /* a link URL (its Safe Browsing expression) */
	NISE_LIST_CAMPAIGN,      /* a campaign fingerprint, 16 hex digits */
	NISE_LIST_NKIND
};

struct nise_list_entry {
	enum nise_list_kind kind;
	bool block;        /* true: block (phishing); false: allow (genuine) */
	char value[512];   /* normalised by nise_list_normalise */
	char source[16];   /* "learned", "admin" (nise allow|block), "config" */
	char who[64];
	char when[21];     /* YYYY-MM-DDTHH:MM:SSZ */
	char note[256];
	char brand[128];   /* a genuine sender domain: the brand it speaks for */
	char campaign[17]; /* learned phishing: the campaign it joined, hex */
};

/* "sender", "sender-domain", "link-domain", "url", "campaign". */
const char *nise_list_kind_name(enum nise_list_kind k);
bool nise_list_kind_parse(const char *s, enum nise_list_kind *out);
/* The stored form of a value: lowercase address or domain (a leading
 * "*." or "." dropped), a URL's Safe Browsing expression, 16 lowercase
 * hex digits. NISE_EINVAL when in is not of the kind. */
nise_rc nise_list_normalise(enum nise_list_kind k, const char *in, char *out, size_t on);
/* Adds or replaces (one entry per kind and value) e; e->value must be
 * normalised, e->when "" means now. A blocked URL or link domain is also
 * a URL entry (feed "learned" or "blocklist") so that INTEL_URL_MATCH
 * finds it the Safe Browsing way. */
nise_rc nise_list_add(struct nise_store *s, const struct nise_list_entry *e);
/* Removes the entry and what it added (URL entry, campaign, band).
 * NISE_ENOTFOUND when there is none. value is normalised first. */
nise_rc nise_list_remove(struct nise_store *s, enum nise_list_kind k, const char *value);
nise_rc nise_list_get(struct nise_list_entry *out, struct nise_store *s, enum nise_list_kind k,
                      const char *value);
typedef bool (*nise_list_fn)(void *ctx, const struct nise_list_entry *e);
nise_rc nise_list_each(struct nise_store *s, nise_list_fn fn, void *ctx);

struct nise_learned {
	uint64_t fingerprint;  /* 0: too little text for campaign memory */
	size_t urls;           /* link URLs stored (phishing) */
	bool sender;           /* the sender address was stored */
	bool sender_domain;    /* the sender domain was stored */
	bool campaign;         /* the fingerprint was stored */
	char skipped[256];     /* why something was not stored, for the operator */
};

/* The operator says r's mail is phishing (phishing true) or genuine.
 * Phishing: its campaign (recorded whatever the verdict), its link URLs
 * (not those at a brand's own domains), its sender address and, unless a
 * mailbox provider, a shared platform or a brand's domain, its sender
 * domain, each with source "learned", who, now and note. Genuine: an
 * allow entry for the fingerprint and, only when From passed
 * authentication and is not a shared platform, for the sender domain
 * (with the brand). docs/intel.md, "The operator's loop". */
nise_rc nise_learn(struct nise_learned *out, struct nise_store *s, const struct nise_engine *e,
                   const struct nise_result *r, bool phishing, const char *who, const char *note);

/* Keeps a reported mail's bytes for retraining (nise train --store):
 * DIR/phish/ or DIR/ham/ (created 0700), named by the campaign
 * fingerprint and a hash of the bytes, written to a temporary name and
 * renamed, so a reader never sees half a mail and two reports of the same
 * bytes leave one file; a report with the other label moves it. The path
 * written goes to path (when pn > 0). NISE_EIO with errno set when it
 * cannot be written. */
nise_rc nise_learned_keep(const char *dir, bool phishing, uint64_t fingerprint, const char *buf, size_t n,
                          char *path, size_t pn);

/* A check id's default weight; false for an unknown id. */
bool nise_check_weight(const char *id, double *out);

#ifdef __cplusplus
}
#endif
#endif
