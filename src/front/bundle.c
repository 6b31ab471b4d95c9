/* SPDX-License-Identifier: MIT */
/*
 * bundle.c — the signed data bundle's container (format in bundle.h and
 * docs/update.md). Reads untrusted bytes (a download): every length is
 * checked against what is left before it is used, nothing recurses, and
 * nothing here allocates. Fuzz target: fuzz/fuzz_bundle.c.
 */
#include "bundle.h"

#include <stdio.h>
#include <string.h>

static const char HEAD[] = "nise-bundle 1\n";

void nise_hex(char *out, const unsigned char *b, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool nise_unhex(unsigned char *out, size_t n, const char *s, size_t sn)
{
	if (sn != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
		if (h < 0 || l < 0)
			return false;
		out[i] = (unsigned char)(h << 4 | l);
	}
	return true;
}

bool nise_bundle_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool nise_bundle_split(const char *buf, size_t n, size_t *signed_n, unsigned char sig[64], char *why,
                       size_t wn)
{
	/* "sig " + 128 hex + "\n" at the very end */
	const size_t tl = 4 + 128 + 1;
	if (n < sizeof(HEAD) - 1 || memcmp(buf, HEAD, sizeof(HEAD) - 1) != 0) {
		snprintf(why, wn, "not a nise data bundle (no \"nise-bundle 1\" header)");
		return false;
	}
	if (n < sizeof(HEAD) - 1 + tl || memcmp(buf + n - tl, "sig ", 4) != 0 || buf[n - 1] != '\n' ||
	    (n > tl && buf[n - tl - 1] != '\n')) {
		snprintf(why, wn, "no signature at the end (truncated?)");
		return false;
	}
	if (!nise_unhex(sig, 64, buf + n - tl + 4, 128)) {
		snprintf(why, wn, "malformed signature line");
		return false;
	}
	*signed_n = n - tl;
	return true;
}

/* The next line of [*p, end) without its '\n' into a NUL-terminated
 * copy of at most ln-1 bytes; false when there is no '\n' or it is longer. */
static bool line(char *l, size_t ln, const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (size_t)(nl - *p) >= ln)
		return false;
	memcpy(l, *p, (size_t)(nl - *p));
	l[nl - *p] = '\0';
	*p = nl + 1;
	return true;
}

/* A decimal without sign or leading zeros (but "0"), at most 18 digits. */
static bool decimal(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool nise_bundle_parse(const char *buf, size_t n, int64_t *created, nise_bundle_file_fn fn, void *ctx,
                       char *why, size_t wn)
{
	const char *p = buf, *end = buf + n;
	char l[128], prev[72] = "";
	uint64_t v;
	if (!line(l, sizeof(l), &p, end) || strcmp(l, "nise-bundle 1") != 0) {
		snprintf(why, wn, "not a nise data bundle (no \"nise-bundle 1\" header)");
		return false;
	}
	if (!line(l, sizeof(l), &p, end) || strncmp(l, "created ", 8) != 0 ||
	    !decimal(l + 8, strlen(l + 8), &v)) {
		snprintf(why, wn, "no \"created\" line");
		return false;
	}
	*created = (int64_t)v;
	for (int files = 0;; files++) {
		if (!line(l, sizeof(l), &p, end)) {
			snprintf(why, wn, "file %d: header line missing or too long", files + 1);
			return false;
		}
		if (strcmp(l, "end") == 0)
			break;
		char *sp = strncmp(l, "file ", 5) == 0 ? strchr(l + 5, ' ') : NULL;
		if (!sp) {
			snprintf(why, wn, "file %d: expected \"file NAME SIZE\" or \"end\"", files + 1);
			return false;
		}
		*sp = '\0';
		const char *name = l + 5;
		if (!nise_bundle_name_ok(name) || strcmp(name, prev) <= 0) {
			snprintf(why, wn, "file %d: bad or repeated name (names ascend, [A-Za-z0-9._-])", files + 1);
			return false;
		}
		if (files >= NISE_BUNDLE_MAX_FILES) {
			snprintf(why, wn, "more than %d files", NISE_BUNDLE_MAX_FILES);
			return false;
		}
		if (!decimal(sp + 1, strlen(sp + 1), &v) || v >= (uint64_t)(end - p) || p[v] != '\n') {
			snprintf(why, wn, "%s: bad size or data cut short", name);
			return false;
		}
		if (!fn(ctx, name, p, (size_t)v)) {
			snprintf(why, wn, "stopped");
			return false;
		}
		memcpy(prev, name, strlen(name) + 1); /* <= 64: name_ok */
		p += v + 1;
	}
	if (p != end) {
		snprintf(why, wn, "bytes after \"end\"");
		return false;
	}
	return true;
}
