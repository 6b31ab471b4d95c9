/* SPDX-License-Identifier: MIT */
/*
 * parser.h — the state shared by the tokenizer (html.c) and the tree
 * rules (tree.c) of the HTML adapter. Private to src/lib/html.
 *
 * The tokenizer owns the input position, the text sinks and the current
 * tag; the tree rules own the open-element stack and the list of active
 * formatting elements, and record links, forms and images.
 */
#ifndef NISE_HTML_PARSER_H
#define NISE_HTML_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "html/html.h"
#include "html/html_int.h"

#define STACK_MAX 256  /* open elements tracked */
#define AFE_MAX 16     /* active formatting elements tracked */
#define SUSP_MAX 8      /* links nested in links tracked */
#define ANCHOR_TEXT_MAX 1024
#define ATTR_MAX ((size_t)32 * 1024)

/* attributes we look at */
enum {
	A_HREF, A_TITLE, A_STYLE, A_HIDDEN, A_SRC, A_ALT, A_ACTION, A_METHOD,
	A_TYPE, A_CHARSET, A_HTTP_EQUIV, A_CONTENT, A_COLOR, A_FACE, A_SIZE,
	A_XLINK_HREF, A_FORMACTION,
	A_COUNT
};

/* open-element flags */
enum {
	E_HARD = 1,    /* hides its content whatever descendants say */
	E_INVIS = 2,   /* content not rendered at all */
	E_ANCHOR = 4,  /* the open <a> being recorded */
	E_FOREIGN = 8, /* an svg/math element or inside one */
	E_FZ = 16,     /* effective font-size: 0 */
	E_VH = 32,     /* effective visibility: hidden */
	E_SC = 64,     /* effective colour on same background */
};

struct entry {
	uint32_t hash, uid;
	uint16_t id, tflags;
	uint8_t flags;
	int8_t fz, vh, sc; /* declared here: -1 inherit, 0 show, 1 hide */
};

/* an active formatting element (or a marker) */
struct afe {
	struct entry en;
	long anchor; /* the link record an <a> clones, or -1 */
	bool marker, on_stack;
};

/* a link whose recording waits for a nested one to end */
struct susp {
	long idx;
	uint32_t uid;
	bool hidden;
};

struct sink {
	struct nise_buf b;
	bool sp, nl;
};

struct span {
	const char *p;
	size_t n;
	bool set;
};

struct tag {
	char name[16];
	size_t nlen;
	uint32_t hash;
	bool self_closing;
	struct span at[A_COUNT];
};

enum { SC_DEFAULT, SC_BUTTON, SC_LIST, SC_TABLE, SC_OTHER, SC_LI, SC_ANY, SC_N };

/* hashes of the names the tree rules refer to */
enum { H_A, H_P, H_H1, H_DD, H_TD, H_TR, H_TBODY, H_DIV, H_ADDRESS, H_TABLE, H_N };

/* what follows a start tag */
enum content { C_MARKUP, C_RAW, C_RAW_SHOW, C_RCDATA, C_RCDATA_SHOW, C_PLAINTEXT };

struct parser {
	struct nise_arena *a;
	const char *end;
	struct sink vis, hid, anc;
	struct nise_buf scratch;
	struct nise_vec anchors, forms, images, submits;
	size_t max_items;
	bool truncated, in_raw;
	long cur_anchor, cur_form;
	uint32_t anchor_uid; /* the stack entry of the link being recorded */
	bool anchor_hidden;
	struct susp susp[SUSP_MAX];
	size_t nsusp;
	struct entry stack[STACK_MAX];
	size_t depth;
	struct afe afe[AFE_MAX];
	size_t nafe;
	unsigned hard, invis, foreign;
	uint32_t ver, uid;
	uint16_t open_count[256];
	struct {
		uint32_t ver, hash;
	} fail[SC_N][256], /* searches that failed on stack version ver */
	  adopt_fail;        /* same for the uid an end tag looked for */
	uint32_t h[H_N];
	struct tag t;
	struct nise_html_doc *out;
	const struct nise_html_hook *hook; /* NULL unless rendering */
};

static inline bool nise_html_is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

static inline char nise_html_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}

static inline bool nise_html_hidden(const struct parser *ps)
{
	if (ps->hard)
		return true;
	if (ps->depth == 0)
		return false;
	return (ps->stack[ps->depth - 1].flags & (E_FZ | E_VH | E_SC)) != 0;
}

/* html.c */
uint32_t nise_html_hash(const char *s, size_t n);
bool nise_html_ieq(const char *s, size_t n, const char *lit);
void nise_html_sink_put(struct sink *k, const char *p, size_t n, bool nl_ok);
void nise_html_emit_block(struct parser *ps);
/* The attribute's value, references decoded, NUL as U+FFFD, optionally
 * trimmed; NULL when absent or on arena exhaustion. */
char *nise_html_attr(struct parser *ps, int k, bool trim);

/* tree.c */
void nise_html_tree_init(struct parser *ps);
enum content nise_html_start_tag(struct parser *ps);
void nise_html_end_tag(struct parser *ps);
/* Reopens formatting elements closed by misnesting before text goes in. */
void nise_html_reconstruct(struct parser *ps);
void nise_html_tree_finish(struct parser *ps);

#endif
