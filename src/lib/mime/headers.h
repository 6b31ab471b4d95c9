/* SPDX-License-Identifier: MIT */
/*
 * headers.h — header blocks read in place: fields are spans into the raw
 * bytes, found with one forward scan and unfolded only when a value is
 * decoded. The same reader serves the scan (message.c) and `nise filter`
 * (which must see exactly the fields the scan sees).
 *
 * The rules are those of GMime 3.2 (the test oracle) except where a mail
 * program reads more: a field is NAME [WSP] ':' value, NAME without spaces
 * or control characters (RFC 5322 obs-field allows space before the colon;
 * GMime drops such a field, Postfix and mail programs keep it); lines
 * starting with space or tab continue the field; an empty line ends the
 * block. A line that is not a field is dropped with its continuation
 * lines, unless a message header (Subject, From, Date, To, Cc) — or, in a
 * MIME part, Content-Type — was already seen: then the body starts at that
 * line (a mailer forgot the empty line). A continuation line before any
 * field is dropped (GMime refuses the whole message).
 */
#ifndef NISE_MIME_HEADERS_H
#define NISE_MIME_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct nise_hfield {
	const char *name; /* not NUL-terminated */
	size_t nlen;
	const char *val;  /* after the colon, folded, without the last line end */
	size_t vlen;
	const char *start; /* first byte of the field's first line */
	const char *end;   /* one past the field's last line end */
};

struct nise_hreader {
	const char *p, *end;
	const char *body;   /* set when next() returns false */
	bool message;       /* top-level header block: stricter first line */
	bool error;         /* top-level block whose first line is not a field */
	bool seen_msg, seen_ct;
	size_t nfields;
};

void nise_hreader_init(struct nise_hreader *r, const char *p, const char *end, bool message);
/* The next field; false at the end of the block (r->body is then where
 * the body starts). Time: linear in the bytes of the block. */
bool nise_hreader_next(struct nise_hreader *r, struct nise_hfield *f);

bool nise_hname_is(const struct nise_hfield *f, const char *name);

/* Content-Type / Content-Disposition values. */
struct nise_ctype {
	const char *type, *sub; /* lowercase, in the arena; NULL when unparsable */
	const char *params;     /* raw parameter list (after type/subtype) */
	size_t nparams;
};
/* Parses "type/subtype; params" (RFC 2045, with the leniency of mail
 * readers: comments, missing subtype for text and multipart). */
bool nise_ctype_parse(struct nise_ctype *ct, struct nise_arena *a, const char *v, size_t n);
/* Disposition token ("attachment", lowercase) and params. */
bool nise_cdisp_parse(struct nise_ctype *cd, struct nise_arena *a, const char *v, size_t n);
/* One parameter's value, RFC 2231 continuations and charsets decoded to
 * UTF-8, RFC 2047 encoded-words decoded; NULL when absent. *raw8 set when
 * the value was 8-bit or encoded (needs header decoding). */
const char *nise_param_get(struct nise_arena *a, const char *params, size_t n, const char *name,
                           size_t max, bool *decoded);

#endif
