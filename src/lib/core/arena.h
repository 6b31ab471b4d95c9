/* SPDX-License-Identifier: MIT */
/*
 * arena.h — one arena per scanned message.
 *
 * Everything derived from a message is allocated here and freed at once.
 * The arena has a byte cap: an allocation that would pass it fails with
 * NULL and sets `exhausted`, which the scan turns into a LIMIT_ARENA
 * anomaly. Foreign objects (ICU, ...) register destructors that run, in
 * reverse order, when the arena is freed.
 *
 * Debug mode makes every allocation its own malloc() so AddressSanitizer
 * sees overflows between objects; sanitizer builds always use it.
 *
 * Not thread-safe: one arena belongs to one scan.
 */
#ifndef NISE_CORE_ARENA_H
#define NISE_CORE_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nise_arena;

typedef void (*nise_dtor_fn)(void *obj);

/* NULL on malloc failure. cap 0 means no cap. */
struct nise_arena *nise_arena_new(size_t cap, bool debug);
void nise_arena_free(struct nise_arena *a);
/* Runs the destructors and empties the arena for the next message, keeping
 * a few chunks so the next one allocates nothing from the system; cap is
 * the new byte cap. */
void nise_arena_reset(struct nise_arena *a, size_t cap);
bool nise_arena_is_debug(const struct nise_arena *a);

/* Zeroed memory, aligned for any type; NULL when the cap is reached. */
void *nise_arena_alloc(struct nise_arena *a, size_t n);
/* As nise_arena_alloc, not zeroed (debug mode zeroes it all the same):
 * for buffers filled before they are read, where zeroing first touched
 * every page of a big one for nothing. */
void *nise_arena_alloc_uninit(struct nise_arena *a, size_t n);
/* n * size with overflow check. */
void *nise_arena_calloc(struct nise_arena *a, size_t count, size_t size);
/* Copies n bytes and appends a NUL. NULL only on exhaustion. */
char *nise_arena_strndup(struct nise_arena *a, const char *s, size_t n);
char *nise_arena_strdup(struct nise_arena *a, const char *s);
/* printf into the arena. */
char *nise_arena_printf(struct nise_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Registers dtor(obj) to run at nise_arena_free. false on exhaustion
 * (then dtor(obj) has already been called). */
bool nise_arena_defer(struct nise_arena *a, nise_dtor_fn dtor, void *obj);

bool nise_arena_exhausted(const struct nise_arena *a);
size_t nise_arena_used(const struct nise_arena *a);

/*
 * Growable array in an arena. Elements are copied in; growth doubles and
 * abandons the old block (arena memory is freed all at once).
 */
struct nise_vec {
	void *items;
	size_t n, cap;
};
/* Returns a pointer to a new zeroed slot, or NULL on exhaustion. */
void *nise_vec_push(struct nise_arena *a, struct nise_vec *v, size_t elem);

/*
 * Growable byte buffer with a maximum; appends past max are dropped and
 * set `truncated`. Memory from the arena.
 */
struct nise_buf {
	char *p;
	size_t n, cap, max;
	bool truncated;
	struct nise_arena *a;
};
void nise_buf_init(struct nise_buf *b, struct nise_arena *a, size_t max);
bool nise_buf_append(struct nise_buf *b, const char *s, size_t n);
bool nise_buf_putc_slow(struct nise_buf *b, char c);
bool nise_buf_put_utf8_slow(struct nise_buf *b, uint32_t cp);

/* Appends one byte. Inline: text decoding calls this per byte. */
static inline bool nise_buf_putc(struct nise_buf *b, char c)
{
	if (b->cap - b->n > 1 && (!b->max || b->n < b->max)) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
		return true;
	}
	return nise_buf_putc_slow(b, c);
}

/* Appends one code point as UTF-8 (surrogates and out-of-range become
 * U+FFFD). Inline for ASCII, the common case. */
static inline bool nise_buf_put_utf8(struct nise_buf *b, uint32_t cp)
{
	if (cp < 0x80)
		return nise_buf_putc(b, (char)cp);
	return nise_buf_put_utf8_slow(b, cp);
}
/* Empties the buffer (keeps its memory). */
void nise_buf_reset(struct nise_buf *b);
/* NUL-terminated view of the content ("" when empty). */
const char *nise_buf_cstr(struct nise_buf *b);

#endif
