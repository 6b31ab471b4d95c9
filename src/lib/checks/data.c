/* SPDX-License-Identifier: MIT */
/*
 * data.c — loading the reviewed data of data/ into the engine.
 *
 * Files (docs/data.md describes columns and sources): brands.tsv,
 * shared-senders.tsv, shorteners.tsv, freemail.tsv, lexicon.tsv,
 * tld-risk.tsv, lure-words.txt, simplified-only.txt, org-words.tsv,
 * click-trackers.tsv, popular-domains.tsv. All are UTF-8,
 * tab-separated, '#' comments. Brand names and lexicon phrases are folded
 * (NFKC_Casefold, text.h) at load time with the same function that folds
 * message text, so the two always agree.
 *
 * A malformed line is an error naming file and line: data is reviewed like
 * code, and a silently skipped brand would be a silent false negative.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"
#include "text/charset.h"
#include "text/text.h"

struct reader {
	const char *path;
	unsigned line;
	const char *map; /* the whole file, mapped read-only */
	size_t len, pos;
	size_t lines;   /* how many newlines it holds: the sets are sized by it */
	char *buf;      /* the current row, cut into columns in place */
	char *cols[16];
	int ncols;
};

/* data/ files are mapped whole: the page cache's pages are read where they
 * are (fault-around maps 16 at a time), the row count is known before the
 * sets are filled, and each row is copied into one small buffer to be cut
 * into columns. */
static void close_reader(struct reader *r);

static bool open_reader(struct reader *r, const char *dir, const char *name, char *diag, size_t dn)
{
	char path[4096];
	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r->path = name;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(diag, dn, "%s: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(diag, dn, "%s: not a regular file", path);
		close(fd);
		return false;
	}
	r->len = (size_t)st.st_size;
	if (r->len) {
		void *m = mmap(NULL, r->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			snprintf(diag, dn, "%s: %s", path, strerror(errno));
			close(fd);
			return false;
		}
		r->map = m;
	}
	close(fd);
	/* rows, and the longest: the row buffer is made once, here */
	size_t longest = 0;
	const char *p = r->map, *end = r->map ? r->map + r->len : NULL; /* an empty file: no map */
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > longest)
			longest = n;
		r->lines += nl != NULL;
		p = nl ? nl + 1 : end;
	}
	r->buf = malloc(longest + 1);
	if (!r->buf) {
		snprintf(diag, dn, "%s: out of memory", path);
		close_reader(r);
		return false;
	}
	return true;
}

/* Next non-comment line split on tabs; false at the end. */
static bool next_row(struct reader *r)
{
	while (r->pos < r->len) {
		const char *line = r->map + r->pos;
		const char *nl = memchr(line, '\n', r->len - r->pos);
		size_t len = nl ? (size_t)(nl - line) : r->len - r->pos;
		r->pos += len + (nl ? 1 : 0);
		r->line++;
		while (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		memcpy(r->buf, line, len); /* fits: open_reader measured every row */
		r->buf[len] = '\0';
		r->ncols = 0;
		for (char *q = r->buf; r->ncols < 16;) {
			r->cols[r->ncols++] = q;
			char *t = strchr(q, '\t');
			if (!t)
				break;
			*t = '\0';
			q = t + 1;
		}
		return true;
	}
	return false;
}

static void close_reader(struct reader *r)
{
	if (r->map)
		munmap((void *)(uintptr_t)r->map, r->len);
	r->map = NULL;
	free(r->buf);
	r->buf = NULL;
}

static nise_rc bad(struct reader *r, char *diag, size_t dn, const char *what)
{
	snprintf(diag, dn, "%s:%u: %s", r->path, r->line, what);
	close_reader(r);
	return NISE_EPARSE;
}

/* The loaded data's strings and lists live in d->mem, one arena freed
 * whole with the engine: thousands of names, domains and phrases were a
 * malloc each, and freeing them one by one was a twentieth of a `nise
 * check` start-up. A NULL from it (no memory) fails the load. */

/* Splits "a|b|c" into an array of trimmed, non-empty strings in d->mem;
 * *n 0 and a non-NULL array for "" and "-"; NULL only without memory. */
static char **split_bar(struct nise_detect *d, const char *s, size_t *n)
{
	*n = 0;
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '|';
	char **arr = nise_arena_calloc(d->mem, cap, sizeof(*arr));
	if (!arr || !*s || strcmp(s, "-") == 0)
		return arr;
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (*p == ' '))
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len && !(arr[(*n)++] = nise_arena_strndup(d->mem, p, len)))
			return NULL;
		if (!e)
			break;
		p = e + 1;
	}
	return arr;
}

/* One scratch arena for all the folds of a load, reset between them: a
 * new arena per name (thousands at start-up) cost a 64 KiB malloc and free
 * each, and glibc's consolidation with them. Thread-local (two engines may
 * load at once in two threads), freed when nise_data_load returns. */
static _Thread_local struct nise_arena *fold_scratch;

/* s folded with the engine's text folding (the function that folds
 * message text, so the two agree), copied into d->mem; NULL only when
 * memory or ICU failed, which fails the load. */
static char *fold(const struct nise_detect *d, const char *s, bool nospace)
{
	if (!fold_scratch)
		fold_scratch = nise_arena_new(0, false);
	else
		nise_arena_reset(fold_scratch, 0);
	struct nise_arena *a = fold_scratch;
	if (!a)
		return NULL;
	struct nise_buf b;
	nise_buf_init(&b, a, 0);
	if (!nise_text_fold(d->text, &b, s, strlen(s), nospace))
		return NULL;
	return nise_arena_strdup(d->mem, nise_buf_cstr(&b));
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static nise_rc load_brands(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "brands.tsv", diag, dn))
		return NISE_EIO;
	size_t cap = 0;
	nise_rc rc = nise_ac_new(&d->names);
	if (rc != NISE_OK) {
		close_reader(&r);
		return rc;
	}
	while (next_row(&r)) {
		if (r.ncols < 7)
			return bad(&r, diag, dn, "expected 7 tab-separated columns");
		if (d->nbrands == cap) {
			cap = cap ? cap * 2 : 64;
			struct nise_brand *nb = realloc(d->brands, cap * sizeof(*nb));
			if (!nb) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
			d->brands = nb;
		}
		struct nise_brand *b = &d->brands[d->nbrands];
		memset(b, 0, sizeof(*b));
		b->id = nise_arena_strdup(d->mem, r.cols[0]);
		/* explanations name the brand the way the mail does: the first of
		 * its names ("三井住友カード"), not the registry's long label */
		size_t first = strcspn(r.cols[2], "|");
		bool marked = r.cols[2][0] == '=' || r.cols[2][0] == '~';
		const char *nm = marked ? r.cols[2] + 1 : r.cols[2];
		if (marked && first)
			first--;
		b->name = first ? nise_arena_strndup(d->mem, nm, first) : nise_arena_strdup(d->mem, r.cols[1]);
		size_t nd, ns, nn;
		char **doms = split_bar(d, r.cols[3], &nd);
		char **snd = split_bar(d, r.cols[4], &ns);
		char **names = split_bar(d, r.cols[2], &nn);
		b->tokens = split_bar(d, r.cols[5], &b->ntokens);
		b->domains = nise_arena_calloc(d->mem, nd + ns + 1, sizeof(char *));
		b->labels = nise_arena_calloc(d->mem, nd + ns + 1, sizeof(char *));
		b->latin_names = nise_arena_calloc(d->mem, nn + 1, sizeof(char *));
		if (!b->id || !b->name || !doms || !snd || !names || !b->tokens || !b->domains || !b->labels ||
		    !b->latin_names) {
			close_reader(&r);
			return NISE_ENOMEM;
		}
		for (size_t i = 0; i < nd + ns; i++) {
			char *dom = i < nd ? doms[i] : snd[i - nd];
			/* a domain may belong to several brands of one group
			 * (えきねっと and ビューカード are both JR East): the map
			 * keeps the first, nise_ctx_brand_owns() checks each. */
			if (!nise_strset_get(&d->domain_brand, dom, strlen(dom), NULL) &&
			    !nise_strset_put(&d->domain_brand, dom, strlen(dom), (int)d->nbrands)) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
			bool dup = false;
			for (size_t k = 0; k < b->ndomains; k++)
				dup |= strcmp(b->domains[k], dom) == 0;
			if (!dup)
				b->domains[b->ndomains++] = dom;
			/* first label, for typosquat and homograph comparisons */
			const char *dot = strchr(dom, '.');
			size_t ll = dot ? (size_t)(dot - dom) : strlen(dom);
			bool dupl = false;
			for (size_t k = 0; k < b->nlabels; k++)
				dupl |= strlen(b->labels[k]) == ll && strncmp(b->labels[k], dom, ll) == 0;
			if (!dupl && ll >= 4 && !(b->labels[b->nlabels++] = nise_arena_strndup(d->mem, dom, ll))) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
		}
		for (size_t i = 0; i < nn; i++) {
			/* '=' whole word; '~' a name that is also an ordinary
			 * word ("LINE", "ANA"): it counts only standing alone
			 * (detect.c) and is never a homoglyph target */
			bool whole = names[i][0] == '=';
			bool alone = names[i][0] == '~';
			char *f = fold(d, names[i] + (whole || alone), false);
			if (!f) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
			if (!*f)
				continue;
			rc = nise_ac_add(d->names, f, strlen(f),
			                 (uint32_t)(d->nbrands << 2 | (alone ? 2u : 0u) | (whole ? 1u : 0u)));
			if (rc != NISE_OK) {
				close_reader(&r);
				return rc;
			}
			if (!alone && is_ascii(f) && !strchr(f, ' ') && strlen(f) >= 4)
				b->latin_names[b->nlatin++] = f;
		}
		d->nbrands++;
	}
	close_reader(&r);
	return nise_ac_compile_cached(d->names, d->cache_dir);
}

static nise_rc load_set(struct nise_strset *s, const char *dir, const char *name, int mincols,
                        char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, name, diag, dn))
		return NISE_EIO;
	if (!nise_strset_reserve(s, s->n + r.lines + 1)) {
		close_reader(&r);
		return NISE_ENOMEM;
	}
	while (next_row(&r)) {
		if (r.ncols < mincols)
			return bad(&r, diag, dn, "too few columns");
		if (!nise_strset_put(s, r.cols[0], strlen(r.cols[0]), 1)) {
			close_reader(&r);
			return NISE_ENOMEM;
		}
	}
	close_reader(&r);
	return NISE_OK;
}

/* popular-domains.tsv: domain → Tranco rank (feeds never block these
 * whole, urlrep.c) */
static nise_rc load_popular(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "popular-domains.tsv", diag, dn))
		return NISE_EIO;
	if (!nise_strset_reserve(&d->popular, r.lines + 1)) {
		close_reader(&r);
		return NISE_ENOMEM;
	}
	while (next_row(&r)) {
		/* digits only, 1 to 100,000,000 (strtol's locale machinery was
		 * 160 instructions a row) */
		long rank = 0;
		const char *q = r.ncols >= 2 ? r.cols[1] : "";
		for (; *q >= '0' && *q <= '9' && rank <= 100000000; q++)
			rank = rank * 10 + (*q - '0');
		if (r.ncols < 2 || q == r.cols[1] || *q || rank < 1 || rank > 100000000)
			return bad(&r, diag, dn, "expected domain<TAB>rank");
		if (!nise_strset_put(&d->popular, r.cols[0], strlen(r.cols[0]), (int)rank)) {
			close_reader(&r);
			return NISE_ENOMEM;
		}
	}
	close_reader(&r);
	return NISE_OK;
}

static const char *const cat_names[LEX_NCAT] = {"deadline", "threat",   "credential", "payment",
                                                "security_pretext", "action", "delivery", "prize"};

static nise_rc load_lexicon(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "lexicon.tsv", diag, dn))
		return NISE_EIO;
	nise_rc rc = nise_ac_new(&d->lexicon);
	if (rc != NISE_OK) {
		close_reader(&r);
		return rc;
	}
	size_t cap = 0;
	while (next_row(&r)) {
		if (r.ncols < 4)
			return bad(&r, diag, dn, "expected lang, category, phrase, weight");
		int cat = -1;
		for (int k = 0; k < LEX_NCAT; k++)
			if (strcmp(r.cols[1], cat_names[k]) == 0)
				cat = k;
		if (cat < 0)
			return bad(&r, diag, dn, "unknown category");
		char *end;
		double w = strtod(r.cols[3], &end);
		if (*end || w <= 0 || w > 10)
			return bad(&r, diag, dn, "weight must be a number in (0, 10]");
		if (d->nlex == cap) {
			cap = cap ? cap * 2 : 128;
			struct lex_entry *nl = realloc(d->lex, cap * sizeof(*nl));
			if (!nl) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
			d->lex = nl;
		}
		bool ja = strcmp(r.cols[0], "ja") == 0;
		char *f = fold(d, r.cols[2], true);
		if (!f) {
			close_reader(&r);
			return NISE_ENOMEM;
		}
		if (!*f)
			continue;
		struct lex_entry *e = &d->lex[d->nlex];
		e->phrase = f;
		e->cat = (enum lex_cat)cat;
		e->weight = w;
		e->ja = ja;
		nise_ac_add(d->lexicon, f, strlen(f), (uint32_t)d->nlex);
		d->nlex++;
	}
	close_reader(&r);
	return nise_ac_compile_cached(d->lexicon, d->cache_dir);
}

static nise_rc load_org_words(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "org-words.tsv", diag, dn))
		return NISE_EIO;
	nise_rc rc = nise_ac_new(&d->org_ac);
	if (rc != NISE_OK) {
		close_reader(&r);
		return rc;
	}
	size_t cap = 0;
	while (next_row(&r)) {
		if (r.ncols < 3)
			return bad(&r, diag, dn, "expected word, kind, pos");
		enum org_kind kind = strcmp(r.cols[1], "corp") == 0     ? ORG_CORP
		                     : strcmp(r.cols[1], "sector") == 0 ? ORG_SECTOR
		                     : strcmp(r.cols[1], "generic") == 0 ? ORG_GENERIC
		                                                        : (enum org_kind)-1;
		if ((int)kind < 0)
			return bad(&r, diag, dn, "kind must be corp, sector or generic");
		if (strcmp(r.cols[2], "any") != 0 && strcmp(r.cols[2], "end") != 0)
			return bad(&r, diag, dn, "pos must be any or end");
		if (d->norg == cap) {
			cap = cap ? cap * 2 : 128;
			struct org_word *no = realloc(d->org, cap * sizeof(*no));
			if (!no) {
				close_reader(&r);
				return NISE_ENOMEM;
			}
			d->org = no;
		}
		char *f = fold(d, r.cols[0], false);
		if (!f) {
			close_reader(&r);
			return NISE_ENOMEM;
		}
		if (!*f)
			continue;
		struct org_word *w = &d->org[d->norg];
		w->word = f;
		w->kind = kind;
		w->end = strcmp(r.cols[2], "end") == 0;
		w->latin = is_ascii(f);
		nise_ac_add(d->org_ac, f, strlen(f), (uint32_t)d->norg);
		d->norg++;
	}
	close_reader(&r);
	return nise_ac_compile_cached(d->org_ac, d->cache_dir);
}

static nise_rc load_tlds(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "tld-risk.tsv", diag, dn))
		return NISE_EIO;
	while (next_row(&r)) {
		if (r.ncols < 2)
			return bad(&r, diag, dn, "expected tld, weight");
		char *end;
		double w = strtod(r.cols[1], &end);
		if (*end || w < 0 || w > 10)
			return bad(&r, diag, dn, "weight must be a number in [0, 10]");
		const char *tld = r.cols[0][0] == '.' ? r.cols[0] + 1 : r.cols[0];
		nise_strset_put(&d->tld_weight, tld, strlen(tld), (int)(w * 100 + 0.5));
	}
	close_reader(&r);
	return NISE_OK;
}

static nise_rc load_simplified(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "simplified-only.txt", diag, dn))
		return NISE_EIO;
	d->simplified = calloc((0x9FFF - 0x4E00 + 1 + 7) / 8, 1);
	if (!d->simplified) {
		close_reader(&r);
		return NISE_ENOMEM;
	}
	while (next_row(&r)) {
		const char *s = r.cols[0];
		size_t n = strlen(s);
		for (size_t i = 0; i < n;) {
			size_t len;
			unsigned cp = nise_utf8_decode(s + i, n - i, &len);
			i += len;
			if (cp >= 0x4E00 && cp <= 0x9FFF)
				d->simplified[(cp - 0x4E00) / 8] |= (unsigned char)(1u << ((cp - 0x4E00) % 8));
		}
	}
	close_reader(&r);
	return NISE_OK;
}

/* Adds a word to the homoglyph dictionary: skeleton → index * 2 + is_brand. */
static nise_rc add_word(struct nise_detect *d, struct nise_arena *a, const char *w, bool brand)
{
	char **nw = realloc(d->words, (d->nwords + 1) * sizeof(*nw));
	if (!nw)
		return NISE_ENOMEM;
	d->words = nw;
	d->words[d->nwords] = nise_arena_strdup(d->mem, w);
	if (!d->words[d->nwords])
		return NISE_ENOMEM;
	const char *sk = nise_text_skeleton(d->text, a, w, strlen(w));
	if (sk && !nise_strset_get(&d->word_skeleton, sk, strlen(sk), NULL))
		nise_strset_put(&d->word_skeleton, sk, strlen(sk), (int)(d->nwords * 2 + (brand ? 1 : 0)));
	d->nwords++;
	return NISE_OK;
}

static nise_rc load_words(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	struct reader r;
	if (!open_reader(&r, dir, "lure-words.txt", diag, dn))
		return NISE_EIO;
	struct nise_arena *a = nise_arena_new(0, false);
	nise_rc rc = a ? NISE_OK : NISE_ENOMEM;
	while (rc == NISE_OK && next_row(&r)) {
		char *f = fold(d, r.cols[0], false);
		if (!f)
			rc = NISE_ENOMEM;
		else if (strlen(f) >= 4)
			rc = add_word(d, a, f, false);
	}
	for (size_t i = 0; rc == NISE_OK && i < d->nbrands; i++)
		for (size_t k = 0; rc == NISE_OK && k < d->brands[i].nlatin; k++)
			rc = add_word(d, a, d->brands[i].latin_names[k], true);
	nise_arena_free(a);
	close_reader(&r);
	return rc;
}

/* by length, then brand order (the registry's order decides ties) */
static int cmp_label(const void *a, const void *b)
{
	const struct brand_label *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->brand - y->brand;
}

static nise_rc data_load(struct nise_detect *d, const char *dir, char *diag, size_t dn);

nise_rc nise_data_load(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	nise_rc rc = data_load(d, dir, diag, dn);
	nise_arena_free(fold_scratch); /* the folds' scratch lives for one load */
	fold_scratch = NULL;
	return rc;
}

static nise_rc data_load(struct nise_detect *d, const char *dir, char *diag, size_t dn)
{
	d->mem = nise_arena_new(0, false);
	if (!d->mem)
		return NISE_ENOMEM;
	nise_rc rc = nise_textctx_new(&d->text);
	if (rc != NISE_OK) {
		snprintf(diag, dn, "ICU normaliser or spoof checker unavailable");
		return rc;
	}
	if ((rc = load_brands(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_set(&d->shared, dir, "shared-senders.tsv", 1, diag, dn)) != NISE_OK ||
	    (rc = load_set(&d->shorteners, dir, "shorteners.tsv", 1, diag, dn)) != NISE_OK ||
	    (rc = load_set(&d->freemail, dir, "freemail.tsv", 1, diag, dn)) != NISE_OK ||
	    (rc = load_set(&d->free_hosting, dir, "free-hosting.tsv", 1, diag, dn)) != NISE_OK ||
	    (rc = load_popular(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_lexicon(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_tlds(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_simplified(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_org_words(d, dir, diag, dn)) != NISE_OK ||
	    (rc = load_set(&d->trackers, dir, "click-trackers.tsv", 1, diag, dn)) != NISE_OK ||
	    (rc = load_words(d, dir, diag, dn)) != NISE_OK)
		return rc;
	/* combosquat tokens in one automaton; labels by length for typosquats */
	rc = nise_ac_new(&d->tokens);
	if (rc != NISE_OK)
		return rc;
	size_t nl = 0;
	for (size_t i = 0; i < d->nbrands; i++) {
		for (size_t k = 0; k < d->brands[i].ntokens; k++) {
			const char *t = d->brands[i].tokens[k];
			bool whole = t[0] == '=';
			if (t[whole])
				nise_ac_add(d->tokens, t + whole, strlen(t + whole), (uint32_t)(i << 1 | (whole ? 1u : 0u)));
		}
		nl += d->brands[i].nlabels;
	}
	if ((rc = nise_ac_compile_cached(d->tokens, d->cache_dir)) != NISE_OK)
		return rc;
	d->labels = calloc(nl + 1, sizeof(*d->labels));
	if (!d->labels)
		return NISE_ENOMEM;
	for (size_t i = 0; i < d->nbrands; i++)
		for (size_t k = 0; k < d->brands[i].nlabels; k++) {
			size_t len = strlen(d->brands[i].labels[k]);
			if (len < 6)
				continue;
			struct brand_label *bl = &d->labels[d->nlabels++];
			*bl = (struct brand_label){d->brands[i].labels[k], len, (int)i, {0}, 0};
			nise_label_hist(bl->hist, bl->label, len);
			bl->mask = nise_label_mask(bl->hist);
		}
	qsort(d->labels, d->nlabels, sizeof(*d->labels), cmp_label);
	/* skeletons of brand labels, for homograph domains */
	struct nise_arena *a = nise_arena_new(0, false);
	if (!a)
		return NISE_ENOMEM;
	for (size_t i = 0; i < d->nbrands; i++)
		for (size_t k = 0; k < d->brands[i].nlabels; k++) {
			const char *l = d->brands[i].labels[k];
			const char *sk = nise_text_skeleton(d->text, a, l, strlen(l));
			if (sk && !nise_strset_get(&d->label_skeleton, sk, strlen(sk), NULL))
				nise_strset_put(&d->label_skeleton, sk, strlen(sk), (int)i);
		}
	nise_arena_free(a);
	return NISE_OK;
}

void nise_data_free(struct nise_detect *d)
{
	free(d->brands);
	free(d->lex);
	free(d->org);
	nise_ac_free(d->org_ac);
	nise_strset_fini(&d->trackers);
	nise_ac_free(d->names);
	nise_ac_free(d->lexicon);
	nise_ac_free(d->tokens);
	free(d->labels);
	nise_strset_fini(&d->domain_brand);
	nise_strset_fini(&d->shared);
	nise_strset_fini(&d->shorteners);
	nise_strset_fini(&d->freemail);
	nise_strset_fini(&d->free_hosting);
	nise_strset_fini(&d->popular);
	nise_strset_fini(&d->tld_weight);
	nise_strset_fini(&d->word_skeleton);
	free(d->words);
	nise_strset_fini(&d->label_skeleton);
	free(d->simplified);
	nise_textctx_free(d->text);
	nise_arena_free(d->mem); /* every string and list the arrays above pointed to */
}
