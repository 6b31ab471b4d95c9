/* SPDX-License-Identifier: MIT */
/*
 * ac.c — Aho-Corasick as a full DFA over byte classes.
 *
 * Why our own and not Vectorscan/PCRE2: every pattern nise matches in text
 * is a literal (after folding), and a literal-only DFA is one table load
 * per input byte with no dependency. Bytes that occur in no pattern share
 * class 0, so the table is states × (distinct pattern bytes + 1) int32s —
 * a few MB for the whole lexicon and brand registry (half that in 16 bits).
 *
 * Construction: a trie with sparse children, then breadth-first failure
 * links, then the dense DFA (delta(s, c) = goto(s, c) or delta(fail(s), c)),
 * stored in 16 bits per entry when the states allow it.
 * Outputs: each state keeps its own pattern ids and a link to the nearest
 * failure-ancestor that has outputs, so reporting all matches costs only
 * what is reported.
 */
#include "core/ac.h"

#include <stdlib.h>
#include <string.h>

struct pat {
	uint32_t id;
	uint32_t len;
	int32_t next; /* next pattern ending in the same state, -1 */
};

struct node {
	int32_t first_child, next_sibling;
	uint8_t byte;
	int32_t fail;
	int32_t out;      /* first pattern index ending here, -1 */
	int32_t out_link; /* nearest fail-ancestor with outputs, -1 */
};

struct nise_ac {
	struct node *nodes;
	size_t nnodes, cap;
	struct pat *pats;
	size_t npats, patcap;
	uint8_t cls[256];
	unsigned nclasses;
	/* nnodes * nclasses next states, 16-bit while the states fit in 15
	 * bits (every automaton nise builds from data/: half the memory and
	 * cache footprint of 32-bit), else 32-bit; the top bit of an entry
	 * marks a state with something to report */
	void *delta;
	unsigned width; /* 2 or 4 bytes per entry */
	int32_t *report; /* per state: itself if it has outputs, else out_link; -1 none */
	bool compiled;
};

static int32_t new_node(struct nise_ac *ac, uint8_t byte)
{
	if (ac->nnodes == ac->cap) {
		size_t cap = ac->cap ? ac->cap * 2 : 256;
		struct node *n = realloc(ac->nodes, cap * sizeof(*n));
		if (!n)
			return -1;
		ac->nodes = n;
		ac->cap = cap;
	}
	struct node *n = &ac->nodes[ac->nnodes];
	n->first_child = n->next_sibling = -1;
	n->byte = byte;
	n->fail = 0;
	n->out = n->out_link = -1;
	return (int32_t)ac->nnodes++;
}

nise_rc nise_ac_new(struct nise_ac **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return NISE_ENOMEM;
	if (new_node(*out, 0) < 0) {
		free(*out);
		*out = NULL;
		return NISE_ENOMEM;
	}
	return NISE_OK;
}

void nise_ac_free(struct nise_ac *ac)
{
	if (!ac)
		return;
	free(ac->nodes);
	free(ac->pats);
	free(ac->delta);
	free(ac->report);
	free(ac);
}

static int32_t child(const struct nise_ac *ac, int32_t s, uint8_t b)
{
	for (int32_t c = ac->nodes[s].first_child; c >= 0; c = ac->nodes[c].next_sibling)
		if (ac->nodes[c].byte == b)
			return c;
	return -1;
}

nise_rc nise_ac_add(struct nise_ac *ac, const char *pat, size_t n, uint32_t id)
{
	if (ac->compiled || n == 0 || n > UINT32_MAX)
		return NISE_EINVAL;
	int32_t s = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)pat[i];
		int32_t c = child(ac, s, b);
		if (c < 0) {
			c = new_node(ac, b);
			if (c < 0)
				return NISE_ENOMEM;
			ac->nodes[c].next_sibling = ac->nodes[s].first_child;
			ac->nodes[s].first_child = c;
		}
		s = c;
	}
	if (ac->npats == ac->patcap) {
		size_t cap = ac->patcap ? ac->patcap * 2 : 64;
		struct pat *p = realloc(ac->pats, cap * sizeof(*p));
		if (!p)
			return NISE_ENOMEM;
		ac->pats = p;
		ac->patcap = cap;
	}
	struct pat *p = &ac->pats[ac->npats];
	p->id = id;
	p->len = (uint32_t)n;
	p->next = ac->nodes[s].out;
	ac->nodes[s].out = (int32_t)ac->npats++;
	return NISE_OK;
}

size_t nise_ac_states(const struct nise_ac *ac)
{
	return ac->nnodes;
}

static uint32_t dget(const unsigned char *d, unsigned w, size_t i)
{
	if (w == 2) {
		uint16_t v;
		memcpy(&v, d + i * 2, 2);
		return v;
	}
	uint32_t v;
	memcpy(&v, d + i * 4, 4);
	return v;
}

static void dset(unsigned char *d, unsigned w, size_t i, uint32_t v)
{
	if (w == 2) {
		uint16_t x = (uint16_t)v;
		memcpy(d + i * 2, &x, 2);
	} else {
		memcpy(d + i * 4, &v, 4);
	}
}

nise_rc nise_ac_compile(struct nise_ac *ac)
{
	/* byte classes */
	bool used[256] = {false};
	for (size_t i = 1; i < ac->nnodes; i++)
		used[ac->nodes[i].byte] = true;
	ac->nclasses = 1;
	for (int b = 0; b < 256; b++)
		ac->cls[b] = used[b] ? (uint8_t)ac->nclasses++ : 0;
	if (ac->nclasses > 256)
		return NISE_EINVAL;
	size_t ncls = ac->nclasses;
	if (ac->nnodes > SIZE_MAX / ncls / sizeof(int32_t))
		return NISE_ENOMEM;
	/* built in its final width: the start-up of every process that
	 * loads the data pays for each byte of it (bench/PROFILE.md) */
	unsigned w = ac->nnodes <= 0x7FFF ? 2 : 4;
	size_t total = ac->nnodes * ncls;
	if (total > SIZE_MAX / w)
		return NISE_ENOMEM;
	unsigned char *delta = malloc(total * w);
	int32_t *queue = malloc(ac->nnodes * sizeof(int32_t));
	if (!delta || !queue) {
		free(delta);
		free(queue);
		return NISE_ENOMEM;
	}
	memset(delta, 0, ncls * w); /* root: missing transitions loop to root */
	/* An entry carries the flag bit of its target (anything to report
	 * there?), known as soon as the target's failure link is: rows copied
	 * from a failure state keep their flags, no pass over the table. */
	uint32_t flag = w == 2 ? 0x8000u : 0x80000000u;
	size_t qh = 0, qt = 0;
	for (int32_t c = ac->nodes[0].first_child; c >= 0; c = ac->nodes[c].next_sibling) {
		struct node *cn = &ac->nodes[c];
		cn->fail = 0;
		cn->out_link = -1; /* the root reports nothing */
		dset(delta, w, ac->cls[cn->byte], (uint32_t)c | (cn->out >= 0 ? flag : 0));
		queue[qt++] = c;
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		struct node *n = &ac->nodes[s];
		int32_t f = n->fail;
		/* inherit the failure state's row, then override with children */
		memcpy(delta + (size_t)s * ncls * w, delta + (size_t)f * ncls * w, ncls * w);
		for (int32_t c = n->first_child; c >= 0; c = ac->nodes[c].next_sibling) {
			struct node *cn = &ac->nodes[c];
			uint8_t k = ac->cls[cn->byte];
			cn->fail = (int32_t)(dget(delta, w, (size_t)f * ncls + k) & ~flag);
			if (cn->fail == c)
				cn->fail = 0;
			/* the failure state is shallower: its own link is set */
			const struct node *fn = &ac->nodes[cn->fail];
			cn->out_link = fn->out >= 0 ? cn->fail : fn->out_link;
			bool rep = cn->out >= 0 || cn->out_link >= 0;
			dset(delta, w, (size_t)s * ncls + k, (uint32_t)c | (rep ? flag : 0));
			queue[qt++] = c;
		}
	}
	free(queue);
	/* one compact array answers "what is there to report here?" */
	ac->report = malloc(ac->nnodes * sizeof(int32_t));
	if (!ac->report) {
		free(delta);
		return NISE_ENOMEM;
	}
	for (size_t i = 0; i < ac->nnodes; i++)
		ac->report[i] = ac->nodes[i].out >= 0 ? (int32_t)i : ac->nodes[i].out_link;
	ac->delta = delta;
	ac->width = w;
	ac->compiled = true;
	return NISE_OK;
}

/* Reports every match ending at state st (flag bit cleared) after byte i;
 * false when fn asked to stop. */
static bool report(const struct nise_ac *ac, uint32_t st, size_t i, nise_ac_fn fn, void *ctx)
{
	for (int32_t o = ac->report[st]; o >= 0; o = ac->nodes[o].out_link) {
		for (int32_t p = ac->nodes[o].out; p >= 0; p = ac->pats[p].next) {
			size_t len = ac->pats[p].len;
			if (!fn(ctx, ac->pats[p].id, i + 1 - len, len))
				return false;
		}
	}
	return true;
}

void nise_ac_scan(const struct nise_ac *ac, const char *s, size_t n, nise_ac_fn fn, void *ctx)
{
	if (!ac || !ac->compiled)
		return;
	const uint8_t *cls = ac->cls;
	size_t ncls = ac->nclasses;
	if (ac->width == 2) {
		const uint16_t *delta = ac->delta;
		uint32_t st = 0;
		for (size_t i = 0; i < n; i++) {
			st = delta[(size_t)st * ncls + cls[(uint8_t)s[i]]];
			if (st & 0x8000) {
				st &= 0x7FFF;
				if (!report(ac, st, i, fn, ctx))
					return;
			}
		}
		return;
	}
	const uint32_t *delta = ac->delta;
	uint32_t st = 0;
	for (size_t i = 0; i < n; i++) {
		st = delta[(size_t)st * ncls + cls[(uint8_t)s[i]]];
		if (st & 0x80000000u) {
			st &= 0x7FFFFFFFu;
			if (!report(ac, st, i, fn, ctx))
				return;
		}
	}
}
