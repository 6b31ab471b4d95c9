/* SPDX-License-Identifier: MIT */
/*
 * check.h — what every check sees (internal to src/lib/checks/).
 *
 * struct nise_detect is the engine's read-only detection data; struct
 * nise_ctx is built once per message (folded texts, the brand the mail
 * claims, the sender's authentication) so that checks stay small and
 * do no repeated work. A check is one function that appends findings with
 * nise_ctx_finding(); the table in table.c lists them all.
 */
#ifndef NISE_CHECKS_CHECK_H
#define NISE_CHECKS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "nise/nise.h"
#include "core/ac.h"
#include "core/arena.h"
#include "core/strset.h"

struct nise_textctx;
struct nise_urlctx;
struct nise_model;

struct nise_brand {
	char *id;
	char *name;
	char **domains; /* registrable domains it owns (incl. senders) */
	size_t ndomains;
	char **tokens;  /* combosquat tokens; a leading '=' means whole label part */
	size_t ntokens;
	char **labels;  /* first labels of its domains, for edit distance and skeletons */
	size_t nlabels;
	char **latin_names; /* folded Latin names, for homoglyph words */
	size_t nlatin;
};

enum lex_cat {
	LEX_DEADLINE = 0,
	LEX_THREAT,
	LEX_CREDENTIAL,
	LEX_PAYMENT,
	LEX_SECURITY,
	LEX_ACTION,
	LEX_DELIVERY,
	LEX_PRIZE,
	LEX_NCAT
};

struct lex_entry {
	char *phrase; /* folded, spaces removed: what is matched (evidence
	               * shows the mail's own words, see check_text.c) */
	enum lex_cat cat;
	double weight;
	bool ja;      /* matched against space-free text, no word boundaries */
};

enum org_kind { ORG_CORP = 0, ORG_SECTOR, ORG_GENERIC };

struct org_word {
	char *word;      /* folded */
	enum org_kind kind;
	bool end;        /* must end the name or a word (省, 庁, 局) */
	bool latin;      /* ASCII: whole words only */
};

#define LABEL_BINS 38 /* a-z, 0-9, '-', anything else */
struct brand_label {
	const char *label;
	size_t len;
	int brand;
	/* how often each letter occurs: an edit moves at most two counts, so
	 * half the histograms' L1 distance bounds the edit distance from
	 * below and most labels are ruled out without computing it */
	uint8_t hist[LABEL_BINS];
	/* which bins occur at all: a substitution changes at most two of
	 * them, an insertion or deletion one, so popcount(a ^ b) / 2 is a
	 * weaker bound, but one XOR away (most labels fail it) */
	uint64_t mask;
};
void nise_label_hist(uint8_t hist[LABEL_BINS], const char *s, size_t n);
uint64_t nise_label_mask(const uint8_t hist[LABEL_BINS]);

struct nise_detect {
	const char *cache_dir; /* nise_engine_opts.cache_dir, during nise_data_load only */
	struct nise_arena *mem; /* the loaded data's strings and lists (data.c), freed whole */
	struct nise_brand *brands;
	size_t nbrands;
	struct nise_ac *names;   /* folded brand names; id = brand << 2 | alone << 1 | whole_word */
	struct nise_strset domain_brand; /* registrable domain → brand index */
	struct nise_strset shared;       /* shared senders / ESPs / hosting → 1 */
	struct nise_strset shorteners;
	struct nise_strset freemail;
	struct nise_strset free_hosting; /* host suffixes of free hosting and tunnels */
	struct nise_strset tld_weight;   /* tld → weight * 100 */
	struct nise_strset popular;      /* registrable domain → Tranco rank (popular-domains.tsv) */
	struct lex_entry *lex;
	size_t nlex;
	struct nise_ac *lexicon; /* id = index into lex */
	unsigned char *simplified; /* bitmap over U+4E00..U+9FFF: simplified-only Han */
	char **words;                    /* lure words and brand names, as listed */
	size_t nwords;
	struct nise_strset word_skeleton; /* skeleton → index into words (+ brand flag, see data.c) */
	struct nise_ac *tokens;          /* combosquat tokens; id = brand << 1 | whole_part */
	struct brand_label *labels;      /* brand labels of >= 6 letters, sorted by length */
	size_t nlabels;
	struct nise_strset label_skeleton; /* UTS #39 skeleton of a brand domain label → brand */
	struct org_word *org;            /* data/org-words.tsv */
	size_t norg;
	struct nise_ac *org_ac;          /* id = index into org */
	struct nise_strset trackers;     /* data/click-trackers.tsv */
	struct nise_textctx *text;
	double w_phishing, w_suspicious; /* verdict thresholds */
	struct nise_model *model;        /* learned model, or NULL */
	bool keep_features;              /* hand the features to the caller */
	struct nise_store *store;        /* threat intelligence, or NULL (check_intel.c) */
	char **trusted;                  /* trusted authserv-ids (check_auth.c) */
	size_t ntrusted;
	double *weights;                 /* per check of table.c, overrides applied */
	struct nise_list_entry *lists;   /* allow/block entries of the configuration */
	size_t nlists;
};

enum claim_where {
	CLAIM_NONE = 0,
	CLAIM_BODY,
	CLAIM_SUBJECT,
	CLAIM_LOCALPART,
	CLAIM_DISPLAY,
};

struct nise_ctx {
	const struct nise_detect *d;
	const struct nise_urlctx *u;
	struct nise_result *r;
	struct nise_message *m;
	struct nise_arena *a;
	/* folded texts */
	const char *subject_f, *display_f, *body_f, *body_nospace, *subject_nospace;
	size_t body_f_len, body_nospace_len, subject_nospace_len;
	/* the brand the mail claims */
	int brand;              /* index, -1 none */
	enum claim_where where;
	const char *claim_text; /* the words that claim it, as written */
	/* the sender */
	const char *from_domain;     /* registrable domain of From, or NULL */
	int from_brand;              /* brand owning the From domain, -1 */
	bool from_freemail;          /* From is at a mailbox provider or shared platform */
	bool bulk;                   /* list or bulk mail: List-*, Precedence: list/bulk */
	bool impersonation;          /* a check found the sender is not who it claims to be */
	bool subject_lure;           /* the subject itself uses lure wording */
	bool spoof_proven;           /* ... beyond an innocent explanation (forged HELO, no rDNS) */
	bool from_authenticated;     /* DMARC pass or aligned DKIM pass for From */
	bool from_auth_failed;       /* DMARC fail, or SPF fail with no DKIM pass */
	bool asks_details;           /* the body asks for login or payment details (check_claims.c) */
	const struct nise_auth_result *auth_evidence;
	int lists_state;             /* check_lists.c: 0 unknown, 1 none in the store, 2 some */
	struct nise_vec findings;
};

/* Appends a finding for check id (its weight from the table, scaled by
 * factor), with evidence and explanation arguments (%1$s, %2$s, ...
 * in the table's templates). */
void nise_ctx_finding(struct nise_ctx *c, const char *id, double factor, const char *evidence,
                      const char *const *args, size_t nargs);
/* The same, when the Japanese sentence needs its own arguments (words the
 * finding names in Japanese). */
void nise_ctx_finding_ja(struct nise_ctx *c, const char *id, double factor, const char *evidence,
                         const char *const *args, const char *const *args_ja, size_t nargs);

/* Registrable domain of a host (arena); host itself when it has none. */
const char *nise_ctx_registrable(struct nise_ctx *c, const char *host);
/* Brand index owning a registrable domain, or -1. */
int nise_ctx_domain_brand(const struct nise_ctx *c, const char *domain);
bool nise_ctx_is_shared(const struct nise_ctx *c, const char *domain);
/* Does brand b (>= 0) own registrable domain d? */
bool nise_ctx_brand_owns(const struct nise_ctx *c, int b, const char *d);

/* Loads data files; diag names file and line on error. */
nise_rc nise_data_load(struct nise_detect *d, const char *dir, char *diag, size_t dn);
void nise_data_free(struct nise_detect *d);

/* The checks (one file per family). */
void check_sender(struct nise_ctx *c);
void check_links(struct nise_ctx *c);
void check_domains(struct nise_ctx *c);
void check_text(struct nise_ctx *c);
/* Marks the trusted Authentication-Results and reads what they say about
 * the From domain (from_authenticated, from_auth_failed, auth_evidence). */
void nise_ctx_read_auth(struct nise_ctx *c);
void check_auth(struct nise_ctx *c);
void check_html(struct nise_ctx *c);
/* The learned model's finding (src/lib/model/apply.c), after the checks. */
void nise_model_apply(struct nise_ctx *c, double check_score);
void check_intel(struct nise_ctx *c);
/* Allow and block lists, learned senders and genuine reports (check_lists.c). */
void check_lists_sender(struct nise_ctx *c);
/* REPORTED_GENUINE / ALLOWLISTED for r->fingerprint; true when found. */
bool check_lists_genuine(struct nise_ctx *c);
void check_lists_blocked_link(struct nise_ctx *c, const char *url, const struct nise_list_entry *e);
/* Is the link allowed (its URL or a domain above its host)? Then no
 * URL finding from intel names it. */
bool check_lists_link_allowed(struct nise_ctx *c, const struct nise_link *l);
/* The configuration's block entry matching the link, or NULL. */
const struct nise_list_entry *check_lists_link_blocked(struct nise_ctx *c, const struct nise_link *l);
/* Claims the registry cannot decide (check_claims.c): an organisation
 * nise has no row for, and mail consistent with its brand; after the
 * other checks, whose findings the second one reads. */
void check_org_claim(struct nise_ctx *c);
void check_brand_consistent(struct nise_ctx *c);

/* Translation of an English message id into Japanese (po/ja.po compiled
 * in); returns msgid when untranslated. */
const char *nise_ja(const char *msgid);

#endif
