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

#define NISE_JSON_SCHEMA_VERSION 1

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

struct nise_engine_opts {
	struct nise_limits limits;
	const char *data_dir;        /* brands, lexicons, TLD weights; NULL: built-in default */
	bool arena_debug;            /* one malloc per allocation, for sanitizers */
	bool no_checks;              /* build the model only (benchmarks: the parse floor) */
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
};

const char *nise_verdict_name(enum nise_verdict v);

struct nise_finding {
	const char *id;          /* stable check id, e.g. SENDER_BRAND_MISMATCH */
	double score;
	const char *evidence;    /* the exact text/value that triggered it */
	const char *explain_en;  /* one sentence */
	const char *explain_ja;  /* one sentence */
};

struct nise_result {
	struct nise_message *msg;
	enum nise_verdict verdict;
	double score;
	const char *brand;       /* brand the mail claims to be, or NULL */
	struct nise_finding *findings;
	size_t nfindings;
	bool partial;            /* a limit cut the model short */
	struct nise_arena *arena;
};

/* Scans one RFC 5322 message. On NISE_OK, *out owns its arena; free it with
 * nise_result_free(). On a limit, the result is still returned (partial =
 * true) with NISE_OK. Only allocation failure outside the arena's cap
 * returns an error, with *out NULL. */
nise_rc nise_scan(struct nise_result **out, const struct nise_engine *e,
                  const char *buf, size_t n);
void nise_result_free(struct nise_result *r);

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

#ifdef __cplusplus
}
#endif
#endif
