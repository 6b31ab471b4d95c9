/* SPDX-License-Identifier: MIT */
/*
 * arena.c — bump allocator in chunks, with a byte cap and destructors.
 *
 * Normal mode carves allocations out of chunks of at least 64 KiB; debug
 * mode mallocs each allocation separately and keeps them on a list so that
 * sanitizers see every object's bounds. Both count bytes against the cap the
 * same way, so limits behave identically in both modes.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer the chunks of a normal arena are poisoned and each
 * allocation unpoisoned, with a poisoned redzone after it: an overflow from
 * one object into the next, or a use of memory after a reset, is reported
 * as it would be with one malloc per object (debug mode), at a fraction of
 * its cost (the message fuzz target: bench/PROFILE.md). */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define REDZONE ((size_t)16)
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define REDZONE ((size_t)0)
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK_MIN ((size_t)64 * 1024)
#define ALIGN ((size_t)16)

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct dtor {
	struct dtor *next;
	nise_dtor_fn fn;
	void *obj;
};

struct nise_arena {
	struct chunk *chunks;
	struct chunk *spare; /* kept by a reset, used before malloc */
	struct dtor *dtors;
	size_t used, cap;
	bool debug, exhausted;
};

struct nise_arena *nise_arena_new(size_t cap, bool debug)
{
	struct nise_arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->cap = cap;
	a->debug = debug;
	return a;
}

void nise_arena_free(struct nise_arena *a)
{
	if (!a)
		return;
	for (struct dtor *d = a->dtors; d;) {
		struct dtor *next = d->next;
		d->fn(d->obj);
		if (a->debug)
			free(d);
		d = next;
	}
	for (int l = 0; l < 2; l++) {
		for (struct chunk *c = l ? a->spare : a->chunks; c;) {
			struct chunk *next = c->next;
			if (!a->debug)
				UNPOISON(c->data, c->size);
			free(c);
			c = next;
		}
	}
	free(a);
}

/* Chunks of the minimum size kept by a reset: enough for a typical mail
 * (the scan of a 25 KB HTML mail uses ~300 KiB) without holding on to
 * what one big mail needed. */
#define KEEP_CHUNKS 8

void nise_arena_reset(struct nise_arena *a, size_t cap)
{
	for (struct dtor *d = a->dtors; d;) {
		struct dtor *next = d->next;
		d->fn(d->obj);
		if (a->debug)
			free(d);
		d = next;
	}
	a->dtors = NULL;
	struct chunk *keep = a->spare;
	size_t kept = 0;
	for (struct chunk *c = keep; c; c = c->next)
		kept++;
	for (struct chunk *c = a->chunks; c;) {
		struct chunk *next = c->next;
		if (!a->debug && c->size == CHUNK_MIN && kept < KEEP_CHUNKS) {
			c->used = 0;
			POISON(c->data, c->size); /* a use after the reset is caught */
			c->next = keep;
			keep = c;
			kept++;
		} else {
			if (!a->debug)
				UNPOISON(c->data, c->size);
			free(c);
		}
		c = next;
	}
	a->chunks = NULL;
	a->spare = keep;
	a->used = 0;
	a->cap = cap;
	a->exhausted = false;
}

bool nise_arena_is_debug(const struct nise_arena *a)
{
	return a->debug;
}

static bool charge(struct nise_arena *a, size_t n)
{
	if (a->exhausted)
		return false;
	if (a->cap && (n > a->cap || a->used > a->cap - n)) {
		a->exhausted = true;
		return false;
	}
	a->used += n;
	return true;
}

static void *alloc(struct nise_arena *a, size_t n, bool zero)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN - sizeof(struct chunk))
		return NULL;
	size_t rounded = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (!charge(a, rounded))
		return NULL;
	if (a->debug) {
		struct chunk *c = malloc(sizeof(*c) + n);
		if (!c) {
			a->exhausted = true;
			return NULL;
		}
		c->used = c->size = n;
		c->next = a->chunks;
		a->chunks = c;
		memset(c->data, 0, n); /* debug mode: always defined bytes */
		return c->data;
	}
	struct chunk *c = a->chunks;
	size_t need = rounded + REDZONE; /* the redzone is not charged: limits as without ASan */
	if (!c || c->size - c->used < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (size == CHUNK_MIN && a->spare) {
			c = a->spare;
			a->spare = c->next;
		} else {
			c = malloc(sizeof(*c) + size);
		}
		if (!c) {
			a->exhausted = true;
			return NULL;
		}
		c->used = 0;
		c->size = size;
		POISON(c->data, size);
		/* A big one-off block goes behind the current chunk so the
		 * current chunk keeps serving small allocations. */
		if (a->chunks && need > CHUNK_MIN / 2) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	void *p = c->data + c->used;
	c->used += need;
	UNPOISON(p, n); /* bytes n .. rounded + REDZONE stay poisoned */
	if (zero)
		memset(p, 0, n);
	return p;
}

void *nise_arena_alloc(struct nise_arena *a, size_t n)
{
	return alloc(a, n, true);
}

void *nise_arena_alloc_uninit(struct nise_arena *a, size_t n)
{
	return alloc(a, n, false);
}

void *nise_arena_calloc(struct nise_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return nise_arena_alloc(a, count * size);
}

char *nise_arena_strndup(struct nise_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = nise_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *nise_arena_strdup(struct nise_arena *a, const char *s)
{
	return s ? nise_arena_strndup(a, s, strlen(s)) : NULL;
}

char *nise_arena_printf(struct nise_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	char *p = nise_arena_alloc(a, (size_t)len + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

bool nise_arena_defer(struct nise_arena *a, nise_dtor_fn dtor, void *obj)
{
	struct dtor *d = a->debug ? malloc(sizeof(*d)) : nise_arena_alloc(a, sizeof(*d));
	if (!d) {
		dtor(obj);
		return false;
	}
	d->fn = dtor;
	d->obj = obj;
	d->next = a->dtors;
	a->dtors = d;
	return true;
}

bool nise_arena_exhausted(const struct nise_arena *a)
{
	return a->exhausted;
}

size_t nise_arena_used(const struct nise_arena *a)
{
	return a->used;
}

void *nise_vec_push(struct nise_arena *a, struct nise_vec *v, size_t elem)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void *items = nise_arena_calloc(a, cap, elem);
		if (!items)
			return NULL;
		if (v->n)
			memcpy(items, v->items, v->n * elem);
		v->items = items;
		v->cap = cap;
	}
	return (char *)v->items + elem * v->n++;
}

void nise_buf_init(struct nise_buf *b, struct nise_arena *a, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->max = max;
}

static bool buf_reserve(struct nise_buf *b, size_t extra)
{
	if (b->cap - b->n > extra)
		return true;
	size_t want = b->n + extra + 1;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	char *p = alloc(b->a, cap, false); /* a buffer's bytes past n are never read */
	if (!p)
		return false;
	if (b->n)
		memcpy(p, b->p, b->n);
	b->p = p;
	b->cap = cap;
	return true;
}

bool nise_buf_append(struct nise_buf *b, const char *s, size_t n)
{
	if (b->max && n > b->max - b->n) {
		b->truncated = true;
		n = b->max - b->n;
		/* never cut a UTF-8 sequence in half */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		if (n == 0)
			return false;
	}
	if (!buf_reserve(b, n))
		return false;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return true;
}

bool nise_buf_putc_slow(struct nise_buf *b, char c)
{
	return nise_buf_append(b, &c, 1);
}

bool nise_buf_put_utf8_slow(struct nise_buf *b, uint32_t cp)
{
	char s[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return nise_buf_append(b, s, n);
}

void nise_buf_reset(struct nise_buf *b)
{
	b->n = 0;
	b->truncated = false;
	if (b->p)
		b->p[0] = '\0';
}

const char *nise_buf_cstr(struct nise_buf *b)
{
	return b->p ? b->p : "";
}
