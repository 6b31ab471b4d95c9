/* SPDX-License-Identifier: MIT */
/*
 * address.c — address-list parsing (RFC 5322 §3.4, obsolete forms of §4.4).
 *
 * The parser works on the raw header bytes, so that a display name whose
 * encoded-words decode to '<' or ',' cannot change the structure, and only
 * then decodes display names. It accepts what real mail readers accept:
 * unquoted dots and '@' in display names (`Amazon.co.jp <x@y>`), missing
 * angle brackets, stray quotes, comments as names (`x@y (Amazon)`),
 * several '<' (the last addr-spec wins, as in most readers).
 *
 * What it does not do: source routes are dropped, not reported; it never
 * validates a domain against DNS rules (the URL module judges hosts).
 */
#include "address.h"

#include <string.h>

#include "mime/rfc2047.h"

struct addr_tok {
	struct nise_buf name;    /* raw display-name bytes */
	struct nise_buf comment; /* raw first comment, a name of last resort */
	struct nise_buf spec;    /* addr-spec */
	bool angle;
};

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static bool finish(struct nise_vec *v, struct nise_arena *a, struct addr_tok *t, size_t max)
{
	const char *spec = nise_buf_cstr(&t->spec);
	const char *name = nise_buf_cstr(&t->name);
	/* without angle brackets, the "name" bytes are the address */
	if (!t->angle && t->spec.n == 0 && t->name.n) {
		spec = name;
		name = "";
	}
	/* trim */
	while (*spec == ' ' || *spec == '\t')
		spec++;
	size_t sn = strlen(spec);
	while (sn && (spec[sn - 1] == ' ' || spec[sn - 1] == '\t' || spec[sn - 1] == '.'))
		sn--;
	if (sn == 0 && !*name)
		return true;
	if (v->n >= max)
		return true;
	struct nise_address *ad = nise_vec_push(a, v, sizeof(*ad));
	if (!ad)
		return false;
	/* the entry is in the list from here on: never leave a field NULL,
	 * whatever fails below (a fuzzer found strlen(NULL) on the name) */
	ad->local = ad->domain = ad->address = ad->name = "";
	char *addr = nise_arena_strndup(a, spec, sn);
	if (!addr)
		return false;
	/* spaces inside an addr-spec come from folding or obfuscation */
	size_t w = 0;
	for (size_t r = 0; addr[r]; r++)
		if (addr[r] != ' ' && addr[r] != '\t' && addr[r] != '\r' && addr[r] != '\n')
			addr[w++] = addr[r];
	addr[w] = '\0';
	char *at = strrchr(addr, '@');
	if (at) {
		ad->local = nise_arena_strndup(a, addr, (size_t)(at - addr));
		char *dom = nise_arena_strdup(a, at + 1);
		if (!ad->local || !dom)
			return false;
		lower_ascii(dom);
		/* strip a domain literal's brackets and a trailing dot */
		size_t dn = strlen(dom);
		while (dn && dom[dn - 1] == '.')
			dom[--dn] = '\0';
		ad->domain = dom;
		char *full = nise_arena_printf(a, "%s@%s", ad->local, dom);
		if (!full)
			return false;
		ad->address = full;
	} else {
		ad->local = addr;
		ad->domain = "";
		ad->address = addr;
	}
	const char *rawname = name;
	size_t rn = strlen(rawname);
	if (rn == 0 && t->comment.n) {
		rawname = nise_buf_cstr(&t->comment);
		rn = t->comment.n;
	}
	const char *dn = nise_rfc2047_decode_dup(a, rawname, rn, 1024, NULL);
	ad->name = dn ? dn : "";
	return dn != NULL;
}

size_t nise_address_parse(struct nise_address **out, struct nise_arena *a, const char *raw,
                          size_t n, size_t max)
{
	struct nise_vec v = {0};
	struct addr_tok t;
	*out = NULL;
	nise_buf_init(&t.name, a, 2048);
	nise_buf_init(&t.comment, a, 512);
	nise_buf_init(&t.spec, a, 512);
	t.angle = false;
	bool in_angle = false;
	size_t i = 0;
	while (i < n) {
		char c = raw[i];
		if (c == '"') {
			/* quoted string: copied with its quotes removed */
			struct nise_buf *dst = in_angle ? &t.spec : &t.name;
			i++;
			while (i < n && raw[i] != '"') {
				if (raw[i] == '\\' && i + 1 < n)
					i++;
				if (!nise_buf_putc(dst, raw[i]) && !dst->truncated)
					return 0;
				i++;
			}
			i++;
			continue;
		}
		if (c == '(') {
			/* comment, nested; kept as a name of last resort */
			int depth = 1;
			size_t start = ++i;
			while (i < n && depth > 0) {
				if (raw[i] == '\\' && i + 1 < n)
					i++;
				else if (raw[i] == '(')
					depth++;
				else if (raw[i] == ')')
					depth--;
				i++;
			}
			size_t end = depth == 0 ? i - 1 : i;
			if (t.comment.n == 0 && end > start)
				nise_buf_append(&t.comment, raw + start, end - start);
			continue;
		}
		if (c == '<') {
			/* a second '<' restarts the addr-spec */
			in_angle = true;
			t.angle = true;
			nise_buf_reset(&t.spec);
			i++;
			continue;
		}
		if (c == '>' && in_angle) {
			in_angle = false;
			i++;
			continue;
		}
		if ((c == ',' || c == ';') && !in_angle) {
			if (!finish(&v, a, &t, max))
				break;
			nise_buf_reset(&t.name);
			nise_buf_reset(&t.comment);
			nise_buf_reset(&t.spec);
			t.angle = false;
			i++;
			continue;
		}
		if (c == ':' && !in_angle && !t.angle) {
			/* group name: "undisclosed-recipients:" — not an address */
			const char *gn = nise_buf_cstr(&t.name);
			if (!memchr(gn, '@', t.name.n)) {
				nise_buf_reset(&t.name);
				i++;
				continue;
			}
		}
		if (in_angle) {
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				nise_buf_putc(&t.spec, c);
		} else {
			if (c == '\r' || c == '\n')
				c = ' ';
			nise_buf_putc(&t.name, c);
		}
		i++;
	}
	finish(&v, a, &t, max);
	/* route addresses "<@a,@b:x@y>": keep what follows the last ':' */
	struct nise_address *arr = v.items;
	for (size_t k = 0; k < v.n; k++) {
		const char *col = strrchr(arr[k].address, ':');
		if (col && arr[k].address[0] == '@') {
			size_t nn = 0;
			struct nise_address *one = NULL;
			nn = nise_address_parse(&one, a, col + 1, strlen(col + 1), 1);
			if (nn == 1) {
				const char *name = arr[k].name;
				arr[k] = one[0];
				arr[k].name = name;
			}
		}
	}
	*out = arr;
	return v.n;
}
