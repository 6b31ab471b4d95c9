/* SPDX-License-Identifier: MIT */
/*
 * gmime_oracle.c — the test oracle for src/lib/mime (tests/mime_diff):
 * the GMime adapter libnise used until nise read MIME itself, unchanged
 * except for its function names. Raw bytes to struct nise_message.
 *
 * This is the only file that includes GMime. GMime gives the MIME
 * structure, header fields in order with their raw values, and transfer
 * decoding (base64, quoted-printable, uuencode). Everything a reader sees
 * in a header — unfolding, RFC 2047, charsets — is decoded by our own code
 * (rfc2047.c, address.c, charset.c), because GMime's decoder loses text
 * when a multi-byte character is split between encoded-words. Likewise a
 * text/plain; format=flowed body is reassembled with our RFC 3676 code
 * (flowed.c, tested on its own in tests/attacks/links.sh): GMime has no
 * such decoder, and the comparison is of the text a reader sees.
 *
 * Every string is copied into the arena and every GMime object is released
 * before nise_mime_parse returns: nothing of GMime outlives the call.
 *
 * Limits: header count and size, part count, MIME depth and decoded text
 * size are enforced here; each one hit adds an anomaly and parsing goes on
 * with what was kept.
 */
#include "mime/mime.h"
#include "mime_diff.h"

#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

#include "mime/address.h"
#include "mime/authres.h"
#include "mime/rfc2047.h"
#include "text/charset.h"
#include "text/text.h"

static GOnce init_once = G_ONCE_INIT;

static gpointer do_init(gpointer unused)
{
	(void)unused;
	g_mime_init();
	return NULL;
}

void nise_gmime_init(void)
{
	g_once(&init_once, do_init, NULL);
}

struct ctx {
	struct nise_arena *a;
	const struct nise_limits *lim;
	struct nise_vec *anomalies;
	struct nise_vec parts;
	unsigned alt_groups;
	bool oom;
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

static const char *decode_header(struct ctx *c, const char *raw)
{
	unsigned flags = 0;
	size_t n = strlen(raw);
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

static void sha256_hex(char out[65], const unsigned char *p, size_t n)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		out[0] = '\0';
		return;
	}
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
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

static char *lowerdup(struct ctx *c, const char *s)
{
	char *d = nise_arena_strdup(c->a, s ? s : "");
	if (!d) {
		c->oom = true;
		return NULL;
	}
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

static void add_leaf(struct ctx *c, GMimePart *part, unsigned depth, unsigned alt_group)
{
	if (c->parts.n >= c->lim->max_parts) {
		if (!c->parts_limited)
			anomaly(c, "LIMIT_PARTS", "too many MIME parts; the rest were not read");
		c->parts_limited = true;
		return;
	}
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	struct nise_part *p = nise_vec_push(c->a, &c->parts, sizeof(*p));
	if (!p) {
		g_free(mt);
		c->oom = true;
		return;
	}
	p->depth = depth;
	p->alt_group = alt_group;
	p->content_type = lowerdup(c, mt ? mt : "text/plain");
	g_free(mt);
	const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");
	p->declared_charset = cs ? nise_arena_strdup(c->a, cs) : NULL;
	const char *fn = g_mime_part_get_filename(part);
	if (fn) {
		/* GMime leaves some non-conforming encoded-words in names */
		p->filename = strstr(fn, "=?") ? decode_header(c, fn) : nise_arena_strdup(c->a, fn);
	}
	const char *disp = g_mime_object_get_disposition(obj);
	bool attachment = disp && strcasecmp(disp, "attachment") == 0;
	bool is_text = p->content_type && strncmp(p->content_type, "text/", 5) == 0;
	bool is_html = is_text && strcmp(p->content_type, "text/html") == 0;
	bool is_plain = is_text && (strcmp(p->content_type, "text/plain") == 0 ||
	                            strcmp(p->content_type, "text/enriched") == 0 ||
	                            strcmp(p->content_type, "text/rfc822-headers") == 0);

	/* transfer-decode */
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem = g_mime_stream_mem_new();
	if (w)
		g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	const unsigned char *data = ba ? ba->data : NULL;
	size_t size = ba ? ba->len : 0;
	if (!data)
		data = (const unsigned char *)"";
	p->size = size;
	p->sniffed_type = nise_sniff_type(data, size);

	if ((is_html || is_plain) && !(attachment && p->filename)) {
		p->kind = is_html ? NISE_PART_HTML : NISE_PART_TEXT;
		p->inline_text = true;
	} else {
		p->kind = NISE_PART_ATTACHMENT;
		sha256_hex(p->sha256, data, size);
	}
	/* Text is decoded for text parts and for attachments that are text
	 * (an HTML attachment is a page the reader will open). */
	bool want_text = p->kind != NISE_PART_ATTACHMENT || is_text ||
	                 (p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0);
	if (want_text) {
		size_t tn = size;
		if (tn > c->lim->max_text_bytes) {
			tn = c->lim->max_text_bytes;
			if (!c->text_limited)
				anomaly(c, "LIMIT_TEXT", "a text part was cut to the size limit");
			c->text_limited = true;
		}
		const char *label = cs;
		char metabuf[48];
		if (!label && (is_html || (p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0)))
			label = html_meta_charset((const char *)data, tn, metabuf, sizeof(metabuf));
		struct nise_buf b;
		nise_buf_init(&b, c->a, c->lim->max_text_bytes);
		bool guessed = false;
		const char *used = nise_charset_to_utf8(&b, (const char *)data, tn, label, &guessed);
		if (!used) {
			c->oom = true;
		} else {
			p->charset = used;
			p->charset_guessed = guessed && label;
			if (guessed && label)
				anomaly(c, "CHARSET_MISLABELLED", label);
			p->text = nise_buf_cstr(&b);
			p->text_len = b.n;
			const char *fmt = g_mime_object_get_content_type_parameter(obj, "format");
			if (b.p && strcmp(p->content_type, "text/plain") == 0 && fmt &&
			    strcasecmp(fmt, "flowed") == 0) {
				const char *ds = g_mime_object_get_content_type_parameter(obj, "delsp");
				b.n = nise_text_unflow(b.p, b.p, b.n, ds && strcasecmp(ds, "yes") == 0);
				b.p[b.n] = '\0';
				p->text_len = b.n;
			}
		}
	}
	g_object_unref(mem);
}

static void walk(struct ctx *c, GMimeObject *obj, unsigned depth, unsigned alt_group)
{
	if (c->oom || !obj)
		return;
	if (depth > c->lim->max_mime_depth) {
		if (!c->depth_limited)
			anomaly(c, "LIMIT_MIME_DEPTH", "MIME nesting too deep; inner parts were not read");
		c->depth_limited = true;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
		unsigned group = alt_group;
		if (sub && strcasecmp(sub, "alternative") == 0)
			group = ++c->alt_groups;
		int count = g_mime_multipart_get_count(mp);
		for (int i = 0; i < count && !c->parts_limited; i++)
			walk(c, g_mime_multipart_get_part(mp, i), depth + 1, group);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner)
			walk(c, g_mime_message_get_mime_part(inner), depth + 1, 0);
		return;
	}
	if (GMIME_IS_PART(obj))
		add_leaf(c, GMIME_PART(obj), depth, alt_group);
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

static void read_headers(struct ctx *c, struct nise_message *msg, GMimeObject *obj)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int count = hl ? g_mime_header_list_get_count(hl) : 0;
	struct nise_vec headers = {0}, received = {0}, auth = {0};
	if ((size_t)count > c->lim->max_headers) {
		anomaly(c, "LIMIT_HEADERS", "too many header fields; the rest were not read");
		count = (int)c->lim->max_headers;
	}
	for (int i = 0; i < count && !c->oom; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *raw = g_mime_header_get_raw_value(h);
		if (!name || !raw)
			continue;
		struct nise_header *hd = nise_vec_push(c->a, &headers, sizeof(*hd));
		if (!hd) {
			c->oom = true;
			break;
		}
		hd->name = nise_arena_strdup(c->a, name);
		hd->value = decode_header(c, raw);
		size_t rn = strlen(raw);
		if (rn > c->lim->max_header_bytes)
			rn = c->lim->max_header_bytes;
		if (strcasecmp(name, "Subject") == 0 && !msg->subject) {
			msg->subject = hd->value;
		} else if (strcasecmp(name, "From") == 0 && !msg->from) {
			msg->nfrom = nise_address_parse(&msg->from, c->a, raw, rn, 16);
		} else if (strcasecmp(name, "Sender") == 0 && !msg->sender) {
			msg->sender = one_address(c, raw);
		} else if (strcasecmp(name, "Reply-To") == 0 && !msg->reply_to) {
			msg->nreply_to = nise_address_parse(&msg->reply_to, c->a, raw, rn, 16);
		} else if (strcasecmp(name, "Return-Path") == 0 && !msg->return_path) {
			msg->return_path = one_address(c, raw);
		} else if (strcasecmp(name, "To") == 0 && !msg->to) {
			msg->nto = nise_address_parse(&msg->to, c->a, raw, rn, 64);
		} else if (strcasecmp(name, "Date") == 0 && !msg->date) {
			msg->date = hd->value;
		} else if (strcasecmp(name, "Message-ID") == 0 && !msg->message_id) {
			msg->message_id = trimmed(c, raw);
		} else if (strcasecmp(name, "List-Id") == 0 && !msg->list_id) {
			msg->list_id = hd->value;
		} else if (strcasecmp(name, "List-Unsubscribe") == 0 && !msg->list_unsubscribe) {
			msg->list_unsubscribe = trimmed(c, raw);
		} else if (strcasecmp(name, "Received") == 0) {
			struct nise_received *r = nise_vec_push(c->a, &received, sizeof(*r));
			if (!r || !nise_received_parse(r, c->a, raw, rn))
				c->oom = true;
		} else if (strcasecmp(name, "Authentication-Results") == 0) {
			if (!nise_authres_parse(&auth, c->a, raw, rn))
				c->oom = true;
		}
	}
	msg->headers = headers.items;
	msg->nheaders = headers.n;
	msg->received = received.items;
	msg->nreceived = received.n;
	msg->auth = auth.items;
	msg->nauth = auth.n;
}

nise_rc nise_mime_parse_gmime(struct nise_message *msg, struct nise_arena *a,
                        const struct nise_limits *lim, const char *buf, size_t n,
                        struct nise_vec *anomalies)
{
	struct ctx c = {.a = a, .lim = lim, .anomalies = anomalies};
	nise_gmime_init();
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(buf, n);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_respect_content_length(parser, FALSE);
	GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
	if (!m) {
		anomaly(&c, "NOT_A_MESSAGE", "no header block could be read");
	} else {
		read_headers(&c, msg, GMIME_OBJECT(m));
		walk(&c, g_mime_message_get_mime_part(m), 0, 0);
		g_object_unref(m);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	msg->parts = c.parts.items;
	msg->nparts = c.parts.n;
	if (!msg->subject)
		msg->subject = "";
	return c.oom ? NISE_ENOMEM : NISE_OK;
}
