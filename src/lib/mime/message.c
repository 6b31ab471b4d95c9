/* SPDX-License-Identifier: MIT */
/*
 * message.c — nise's MIME reader: raw bytes to struct nise_message.
 *
 * One forward pass over the bytes, no recursion:
 *   - header blocks are read in place (headers.c); a value is unfolded and
 *     decoded (rfc2047.c, address.c) only for the fields the model keeps;
 *   - multipart boundaries are found by jumping from "\n--" to "\n--"
 *     (memmem) and comparing the line with the open boundaries, innermost
 *     first; open multiparts live on an explicit stack bounded by
 *     max_mime_depth; message/rfc822 is descended in the same loop;
 *   - a leaf's body is a span into the input; it is transfer-decoded
 *     (decode.c) straight into the arena only as far as the model needs it
 *     (the text, the first bytes for sniffing), and into SHA-256 for
 *     attachments;
 *   - every limit is enforced while reading: past max_parts the reader
 *     stops, past max_mime_depth a subtree is skipped with one scan to the
 *     next open boundary, headers past max_headers are not kept, values are
 *     cut at max_header_bytes, text at max_text_bytes. Time is linear in the
 *     input (times the open boundaries, at most max_mime_depth, for lines
 *     that start with "--"); memory is bounded by the limits.
 *
 * The structure follows GMime 3.2, kept as the test oracle
 * (tests/mime_diff): the same parts, types, decoded text, names and
 * hashes for ≥ 99.5 % of the corpus; tests/mime_diff/RESULTS.md lists
 * where and why nise reads differently.
 */
#include "mime/mime.h"

#include <nettle/sha2.h>
#include <string.h>
#include <strings.h>

#include "mime/address.h"
#include "mime/authres.h"
#include "mime/decode.h"
#include "mime/headers.h"
#include "mime/rfc2047.h"
#include "text/charset.h"
#include "text/text.h"

/* bytes an attachment keeps for nise_sniff_type (its deepest magic is
 * ISO 9660's "CD001" at 0x8001) */
#define SNIFF_BYTES (0x8001 + 8)
#define MIME_HEADERS_LISTED 0 /* Content-* fields belong to the body part, as in GMime */

void nise_mime_global_init(void)
{
}

struct frame {
	const char *b;   /* "--" boundary "--" */
	size_t bl;       /* length without the final "--" */
	unsigned depth;  /* of the multipart */
	unsigned alt;
	bool digest;
};

struct ctx {
	struct nise_arena *a;
	const struct nise_limits *lim;
	struct nise_vec *anomalies;
	struct nise_vec parts;
	const char *end;
	struct frame *fr;
	size_t nfr, capfr;
	unsigned alt_groups;
	bool oom, stop;
	bool parts_limited, depth_limited, text_limited;
};

static void anomaly(struct ctx *c, const char *id, const char *detail)
{
	for (size_t i = 0; i < c->anomalies->n; i++) {
		const struct nise_anomaly *an = (const struct nise_anomaly *)c->anomalies->items + i;
		if (strcmp(an->id, id) == 0)
			return; /* one of each kind is enough evidence */
	}
	struct nise_anomaly *an = nise_vec_push(c->a, c->anomalies, sizeof(*an));
	if (!an) {
		c->oom = true;
		return;
	}
	an->id = id;
	an->detail = detail ? nise_arena_strdup(c->a, detail) : "";
}

static const char *decode_header(struct ctx *c, const char *raw, size_t n)
{
	unsigned flags = 0;
	if (n > c->lim->max_header_bytes) {
		n = c->lim->max_header_bytes;
		anomaly(c, "LIMIT_HEADER_BYTES", "a header value was cut");
	}
	const char *v = nise_rfc2047_decode_dup(c->a, raw, n, c->lim->max_header_bytes, &flags);
	if (!v)
		c->oom = true;
	if (flags & NISE_HDR_BAD_ENCODING)
		anomaly(c, "HEADER_BAD_ENCODING", "an encoded-word has invalid base64 or quoted-printable");
	if (flags & NISE_HDR_RAW_8BIT)
		anomaly(c, "HEADER_RAW_8BIT", "a header carries unencoded 8-bit text");
	return v;
}

/* ---- boundaries ------------------------------------------------------- */

struct hit {
	long k;             /* frame index, -1 at the end of the input */
	bool final;         /* "--b--" */
	const char *line;   /* the boundary line */
	const char *next;   /* the line after it (NULL: it ended the input) */
	bool cr;            /* the line ended in CR LF */
};

static bool lwsp_only(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
	return true;
}

/* Is the line at q a boundary of an open multipart (innermost first)? */
static bool check_line(const struct ctx *c, const char *q, struct hit *h)
{
	const char *nl = memchr(q, '\n', (size_t)(c->end - q));
	const char *le = nl ? nl : c->end;
	size_t len = (size_t)(le - q);
	bool cr = len && q[len - 1] == '\r';
	if (cr)
		len--;
	for (size_t i = c->nfr; i-- > 0;) {
		const struct frame *f = &c->fr[i];
		bool final = len >= f->bl + 2 && memcmp(q, f->b, f->bl + 2) == 0 &&
		             lwsp_only(q + f->bl + 2, q + len);
		if (final || (len >= f->bl && memcmp(q, f->b, f->bl) == 0 && lwsp_only(q + f->bl, q + len))) {
			h->k = (long)i;
			h->final = final;
			h->line = q;
			h->next = nl ? nl + 1 : NULL;
			h->cr = le > q && le[-1] == '\r';
			return true;
		}
	}
	return false;
}

/* The next boundary line at or after p (p is at a line start). */
static struct hit scan(const struct ctx *c, const char *p)
{
	struct hit h = {.k = -1, .line = c->end};
	if (c->nfr == 0)
		return h;
	const char *q = p;
	while (q < c->end) {
		if (c->end - q >= 2 && q[0] == '-' && q[1] == '-' && check_line(c, q, &h))
			return h;
		/* the next "\n--": memchr for the '-' pair (base64 has no '-', so
		 * an encoded attachment is one vectorised pass; glibc's memmem
		 * was 3 % of a pot mail's instructions) */
		const char *m = q;
		for (;;) {
			m = memchr(m, '-', (size_t)(c->end - m));
			if (!m || (m > q && m[-1] == '\n' && c->end - m >= 2 && m[1] == '-'))
				break;
			m++;
		}
		if (!m)
			break;
		q = m;
	}
	h.k = -1;
	h.line = c->end;
	return h;
}

/* The content before a boundary line (its last line end belongs to it). */
static size_t content_len(const char *body, const struct hit *h)
{
	size_t n = (size_t)(h->line - body);
	if (h->k < 0 || n == 0)
		return n;
	size_t strip = h->cr ? 2 : 1;
	return n >= strip ? n - strip : n;
}

/* ---- one entity's MIME headers ---------------------------------------- */

struct ent {
	struct nise_hfield ct1, ct, cd, cte;
	bool has_ct1, has_ct, has_cd, has_cte;
	const char *body;
};

static void read_part_headers(struct ent *e, const char *p, const char *end)
{
	struct nise_hreader r;
	struct nise_hfield f;
	memset(e, 0, sizeof(*e));
	nise_hreader_init(&r, p, end, false);
	while (nise_hreader_next(&r, &f)) {
		if (f.nlen < 8 || strncasecmp(f.name, "content-", 8) != 0)
			continue;
		if (nise_hname_is(&f, "content-type")) {
			if (!e->has_ct1)
				e->ct1 = f, e->has_ct1 = true;
			if (!e->has_ct)
				e->ct = f, e->has_ct = true;
		} else if (nise_hname_is(&f, "content-disposition")) {
			e->cd = f, e->has_cd = true;
		} else if (nise_hname_is(&f, "content-transfer-encoding")) {
			e->cte = f, e->has_cte = true;
		}
	}
	e->body = r.body;
}

/* ---- leaves ----------------------------------------------------------- */

static void sha256_final_hex(char out[65], struct sha256_ctx *md)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char hex[] = "0123456789abcdef";
	sha256_digest(md, sizeof(d), d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/* <meta charset=...> or content="...; charset=..." in the first bytes. */
static const char *html_meta_charset(const char *p, size_t n, char *buf, size_t bn)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + 8 < lim; i++) {
		if (strncasecmp(p + i, "charset=", 8) != 0)
			continue;
		size_t j = i + 8;
		while (j < lim && (p[j] == '"' || p[j] == '\'' || p[j] == ' '))
			j++;
		size_t k = 0;
		while (j < lim && k + 1 < bn &&
		       ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
		        (p[j] >= '0' && p[j] <= '9') || p[j] == '-' || p[j] == '_'))
			buf[k++] = p[j++];
		buf[k] = '\0';
		return k ? buf : NULL;
	}
	return NULL;
}

static const char *param(struct ctx *c, const struct nise_ctype *t, const char *name)
{
	if (!t->params)
		return NULL;
	bool enc = false;
	const char *v = nise_param_get(c->a, t->params, t->nparams, name, c->lim->max_header_bytes, &enc);
	if (v && enc)
		v = decode_header(c, v, strlen(v));
	return v;
}

static void add_leaf(struct ctx *c, const struct ent *e, const char *defct, const char *data,
                     size_t n, unsigned depth, unsigned alt)
{
	if (c->parts.n >= c->lim->max_parts) {
		anomaly(c, "LIMIT_PARTS", "too many MIME parts; the rest were not read");
		c->parts_limited = true;
		c->stop = true;
		return;
	}
	struct nise_part *p = nise_vec_push(c->a, &c->parts, sizeof(*p));
	if (!p) {
		c->oom = true;
		return;
	}
	p->depth = depth;
	p->alt_group = alt;
	struct nise_ctype ct = {0}, cd = {0};
	const char *mt = defct;
	if (e->has_ct) {
		if (nise_ctype_parse(&ct, c->a, e->ct.val, e->ct.vlen))
			mt = nise_arena_printf(c->a, "%s/%s", ct.type, ct.sub);
		else
			mt = "application/octet-stream";
	}
	p->content_type = mt;
	const char *cs = param(c, &ct, "charset");
	p->declared_charset = cs;
	if (e->has_cd)
		nise_cdisp_parse(&cd, c->a, e->cd.val, e->cd.vlen);
	const char *fn = param(c, &cd, "filename");
	if (!fn)
		fn = param(c, &ct, "name");
	p->filename = fn;
	bool attachment = cd.type && strcmp(cd.type, "attachment") == 0;
	bool is_text = mt && strncmp(mt, "text/", 5) == 0;
	bool is_html = is_text && strcmp(mt, "text/html") == 0;
	bool is_plain = is_text && (strcmp(mt, "text/plain") == 0 || strcmp(mt, "text/enriched") == 0 ||
	                            strcmp(mt, "text/rfc822-headers") == 0);
	if ((is_html || is_plain) && !(attachment && p->filename)) {
		p->kind = is_html ? NISE_PART_HTML : NISE_PART_TEXT;
		p->inline_text = true;
	} else {
		p->kind = NISE_PART_ATTACHMENT;
	}

	/* transfer-decode: spans stay spans; encoded bodies stream into the
	 * arena up to the text limit (+1 to see the cut) and into SHA-256 */
	enum nise_cte cte = e->has_cte ? nise_cte_parse(e->cte.val, e->cte.vlen) : NISE_CTE_IDENTITY;
	const char *dec = data;
	size_t size = n, have = n;
	/* SHA-256 by Nettle (SHA-NI where the CPU has it): OpenSSL's
	 * libcrypto, for this alone, was 21,000 of the 33,000 relocations
	 * every `nise check` start-up made (bench/PROFILE.md) */
	struct sha256_ctx mdc, *md = NULL;
	if (p->kind == NISE_PART_ATTACHMENT) {
		md = &mdc;
		sha256_init(md);
	}
	if (cte != NISE_CTE_IDENTITY) {
		/* keep what the model reads: the text of text parts, the first
		 * bytes of other attachments (their type is sniffed from them;
		 * one that sniffs as HTML is decoded again below) */
		bool maybe_text = p->kind != NISE_PART_ATTACHMENT || is_text;
		size_t keep = maybe_text ? c->lim->max_text_bytes + 1 : SNIFF_BYTES;
		size_t est = cte == NISE_CTE_BASE64 ? n / 4 * 3 + 4 : n + 1;
		struct nise_buf b;
		nise_buf_init(&b, c->a, 0);
		b.cap = (est < keep ? est : keep) + 1;
		b.p = nise_arena_alloc_uninit(c->a, b.cap); /* filled by the decoder */
		if (!b.p) {
			c->oom = true;
			return;
		}
		b.p[0] = '\0';
		static struct nise_sink zero;
		struct nise_sink s = zero;
		s.buf = &b;
		s.keep = keep;
		s.md = md;
		nise_cte_decode(&s, cte, data, n);
		if (s.oom)
			c->oom = true;
		dec = b.p ? b.p : "";
		have = b.n;
		size = s.total;
	} else if (md) {
		sha256_update(md, n, (const uint8_t *)data);
	}
	p->size = size;
	p->sniffed_type = nise_sniff_type((const unsigned char *)dec, have);
	if (md)
		sha256_final_hex(p->sha256, md);
	bool want_text = p->kind != NISE_PART_ATTACHMENT || is_text ||
	                 (p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0);
	if (!want_text)
		return;
	if (cte != NISE_CTE_IDENTITY && have < size && have < c->lim->max_text_bytes + 1) {
		/* an attachment that sniffs as HTML: its text after all */
		struct nise_buf b;
		nise_buf_init(&b, c->a, 0);
		static struct nise_sink zero;
		struct nise_sink s = zero;
		s.buf = &b;
		s.keep = c->lim->max_text_bytes + 1;
		nise_cte_decode(&s, cte, data, n);
		if (s.oom)
			c->oom = true;
		dec = b.p ? b.p : "";
		have = b.n;
	}
	size_t tn = have;
	if (size > c->lim->max_text_bytes) {
		tn = c->lim->max_text_bytes;
		if (!c->text_limited)
			anomaly(c, "LIMIT_TEXT", "a text part was cut to the size limit");
		c->text_limited = true;
	}
	const char *label = cs;
	char metabuf[48];
	if (!label && (is_html || (p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0)))
		label = html_meta_charset(dec, tn, metabuf, sizeof(metabuf));
	struct nise_buf b;
	nise_buf_init(&b, c->a, c->lim->max_text_bytes);
	bool guessed = false;
	const char *used = nise_charset_to_utf8(&b, dec, tn, label, &guessed);
	if (!used) {
		c->oom = true;
		return;
	}
	p->charset = used;
	p->charset_guessed = guessed && label;
	if (guessed && label)
		anomaly(c, "CHARSET_MISLABELLED", label);
	p->text = nise_buf_cstr(&b);
	p->text_len = b.n;
	if (is_plain && strcmp(mt, "text/plain") == 0) {
		/* RFC 3676: read it as a flowed reader shows it */
		const char *fmt = param(c, &ct, "format");
		if (fmt && strcasecmp(fmt, "flowed") == 0 && b.p) {
			const char *ds = param(c, &ct, "delsp");
			b.n = nise_text_unflow(b.p, b.p, b.n, ds && strcasecmp(ds, "yes") == 0);
			b.p[b.n] = '\0';
			p->text_len = b.n;
		}
	}
}

/* ---- structure: one loop, an explicit stack of open multiparts ---------- */

static bool is_message_part(const char *type, const char *sub)
{
	return strcmp(type, "message") == 0 &&
	       (strcmp(sub, "rfc822") == 0 || strcmp(sub, "rfc2822") == 0 || strcmp(sub, "news") == 0 ||
	        strcmp(sub, "global") == 0);
}

static bool push(struct ctx *c, const char *bnd, unsigned depth, unsigned alt, bool digest)
{
	if (!c->fr) {
		c->capfr = c->lim->max_mime_depth + 2;
		c->fr = nise_arena_calloc(c->a, c->capfr, sizeof(*c->fr));
		if (!c->fr) {
			c->oom = true;
			return false;
		}
	}
	if (c->nfr >= c->capfr)
		return false; /* cannot happen: depth is checked first */
	struct frame *f = &c->fr[c->nfr];
	size_t bn = strlen(bnd);
	char *b = nise_arena_alloc(c->a, bn + 5);
	if (!b) {
		c->oom = true;
		return false;
	}
	b[0] = b[1] = '-';
	memcpy(b + 2, bnd, bn);
	b[bn + 2] = b[bn + 3] = '-';
	f->b = b;
	f->bl = bn + 2;
	f->depth = depth;
	f->alt = alt;
	f->digest = digest;
	c->nfr++;
	return true;
}

static void walk(struct ctx *c, struct ent *e)
{
	unsigned depth = 0, alt = 0;
	bool in_digest = false;
	for (;;) {
		if (c->stop || c->oom)
			return;
		struct nise_ctype st;
		bool ok = e->has_ct1 && nise_ctype_parse(&st, c->a, e->ct1.val, e->ct1.vlen);
		const char *type = ok ? st.type : in_digest ? "message" : "text";
		const char *sub = ok ? st.sub : in_digest ? "rfc822" : "plain";
		const char *defct = in_digest ? "message/rfc822" : "text/plain";
		bool skip = depth > c->lim->max_mime_depth;
		if (skip) {
			if (!c->depth_limited)
				anomaly(c, "LIMIT_MIME_DEPTH", "MIME nesting too deep; inner parts were not read");
			c->depth_limited = true;
		}
		struct hit h;
		if (strcmp(type, "multipart") == 0) {
			if (!skip) {
				struct nise_ctype oct;
				const char *bnd = NULL;
				if (e->has_ct && nise_ctype_parse(&oct, c->a, e->ct.val, e->ct.vlen))
					bnd = param(c, &oct, "boundary");
				unsigned group = alt;
				if (strcmp(sub, "alternative") == 0)
					group = ++c->alt_groups;
				if (bnd && !push(c, bnd, depth, group, strcmp(sub, "digest") == 0))
					return;
			}
			h = scan(c, e->body); /* the preface */
		} else if (!skip && is_message_part(type, sub)) {
			if (c->nfr && e->body >= c->end)
				return;
			if (c->nfr && check_line(c, e->body, &h))
				goto boundary; /* an empty message part */
			read_part_headers(e, e->body, c->end);
			depth++;
			alt = 0;
			in_digest = false;
			continue;
		} else {
			h = scan(c, e->body);
			if (!skip)
				add_leaf(c, e, defct, e->body, content_len(e->body, &h), depth, alt);
		}
	boundary:
		for (;;) {
			if (c->stop || c->oom || h.k < 0)
				return;
			c->nfr = (size_t)h.k + 1; /* a boundary closes the parts inside it */
			const struct frame *f = &c->fr[h.k];
			if (!h.final) {
				if (!h.next)
					return;
				read_part_headers(e, h.next, c->end);
				depth = f->depth + 1;
				alt = f->alt;
				in_digest = f->digest;
				break;
			}
			c->nfr = (size_t)h.k; /* the epilogue runs to an outer boundary */
			if (!h.next)
				return;
			h = scan(c, h.next);
		}
	}
}

/* ---- the message's own header fields ----------------------------------- */

static char *rawdup(struct ctx *c, const struct nise_hfield *f)
{
	size_t n = f->vlen < c->lim->max_header_bytes ? f->vlen : c->lim->max_header_bytes;
	char *s = nise_arena_strndup(c->a, f->val, n);
	if (!s)
		c->oom = true;
	return s;
}

static struct nise_address *one_address(struct ctx *c, const char *raw)
{
	struct nise_address *arr = NULL;
	size_t n = nise_address_parse(&arr, c->a, raw, strlen(raw), 1);
	return n ? &arr[0] : NULL;
}

static const char *trimmed(struct ctx *c, const char *raw)
{
	while (*raw == ' ' || *raw == '\t' || *raw == '\r' || *raw == '\n')
		raw++;
	size_t n = strlen(raw);
	while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t' || raw[n - 1] == '\r' || raw[n - 1] == '\n'))
		n--;
	return nise_arena_strndup(c->a, raw, n);
}

static bool is(const struct nise_hfield *f, const char *name)
{
	return nise_hname_is(f, name);
}

static void one_field(struct ctx *c, struct nise_message *msg, const struct nise_hfield *f,
                      struct nise_vec *headers, struct nise_vec *received, struct nise_vec *auth)
{
	struct nise_header *hd = nise_vec_push(c->a, headers, sizeof(*hd));
	if (!hd) {
		c->oom = true;
		return;
	}
	hd->name = nise_arena_strndup(c->a, f->name, f->nlen);
	hd->value = decode_header(c, f->val, f->vlen);
	char first = (char)(f->name[0] | 0x20);
	if (!first || !strchr("sfrtdlma", first))
		return; /* no field the model keeps */
	if (is(f, "Subject")) {
		if (!msg->subject)
			msg->subject = hd->value;
	} else if (is(f, "From")) {
		if (!msg->from) {
			const char *raw = rawdup(c, f);
			if (raw)
				msg->nfrom = nise_address_parse(&msg->from, c->a, raw, strlen(raw), 16);
		}
	} else if (is(f, "Sender")) {
		if (!msg->sender) {
			const char *raw = rawdup(c, f);
			msg->sender = raw ? one_address(c, raw) : NULL;
		}
	} else if (is(f, "Reply-To")) {
		if (!msg->reply_to) {
			const char *raw = rawdup(c, f);
			if (raw)
				msg->nreply_to = nise_address_parse(&msg->reply_to, c->a, raw, strlen(raw), 16);
		}
	} else if (is(f, "Return-Path")) {
		if (!msg->return_path) {
			const char *raw = rawdup(c, f);
			msg->return_path = raw ? one_address(c, raw) : NULL;
		}
	} else if (is(f, "To")) {
		if (!msg->to) {
			const char *raw = rawdup(c, f);
			if (raw)
				msg->nto = nise_address_parse(&msg->to, c->a, raw, strlen(raw), 64);
		}
	} else if (is(f, "Date")) {
		if (!msg->date)
			msg->date = hd->value;
	} else if (is(f, "Message-ID")) {
		if (!msg->message_id) {
			const char *raw = rawdup(c, f);
			msg->message_id = raw ? trimmed(c, raw) : NULL;
		}
	} else if (is(f, "List-Id")) {
		if (!msg->list_id)
			msg->list_id = hd->value;
	} else if (is(f, "List-Unsubscribe")) {
		if (!msg->list_unsubscribe) {
			const char *raw = rawdup(c, f);
			msg->list_unsubscribe = raw ? trimmed(c, raw) : NULL;
		}
	} else if (is(f, "Received")) {
		struct nise_received *r = nise_vec_push(c->a, received, sizeof(*r));
		const char *raw = rawdup(c, f);
		if (!r || !raw || !nise_received_parse(r, c->a, raw, strlen(raw)))
			c->oom = true;
	} else if (is(f, "Authentication-Results")) {
		const char *raw = rawdup(c, f);
		if (!raw || !nise_authres_parse(auth, c->a, raw, strlen(raw)))
			c->oom = true;
	}
}

nise_rc nise_mime_parse(struct nise_message *msg, struct nise_arena *a,
                        const struct nise_limits *lim, const char *buf, size_t n,
                        struct nise_vec *anomalies)
{
	struct ctx c = {.a = a, .lim = lim, .anomalies = anomalies, .end = buf + n};
	struct nise_vec headers = {0}, received = {0}, auth = {0};
	struct nise_hreader r;
	struct nise_hfield f;
	struct ent top;
	memset(&top, 0, sizeof(top));
	nise_hreader_init(&r, buf, buf + n, true);
	while (nise_hreader_next(&r, &f) && !c.oom) {
		if (f.nlen >= 8 && strncasecmp(f.name, "content-", 8) == 0) {
			if (nise_hname_is(&f, "content-type")) {
				if (!top.has_ct1)
					top.ct1 = f, top.has_ct1 = true;
				if (!top.has_ct)
					top.ct = f, top.has_ct = true;
			} else if (nise_hname_is(&f, "content-disposition")) {
				top.cd = f, top.has_cd = true;
			} else if (nise_hname_is(&f, "content-transfer-encoding")) {
				top.cte = f, top.has_cte = true;
			}
			if (!MIME_HEADERS_LISTED)
				continue;
		}
		if (headers.n >= lim->max_headers) {
			anomaly(&c, "LIMIT_HEADERS", "too many header fields; the rest were not read");
			continue;
		}
		one_field(&c, msg, &f, &headers, &received, &auth);
	}
	if (r.error || n == 0) {
		anomaly(&c, "NOT_A_MESSAGE", "no header block could be read");
	} else {
		top.body = r.body;
		walk(&c, &top);
	}
	msg->headers = headers.items;
	msg->nheaders = headers.n;
	msg->received = received.items;
	msg->nreceived = received.n;
	msg->auth = auth.items;
	msg->nauth = auth.n;
	msg->parts = c.parts.items;
	msg->nparts = c.parts.n;
	if (!msg->subject)
		msg->subject = "";
	return c.oom ? NISE_ENOMEM : NISE_OK;
}
