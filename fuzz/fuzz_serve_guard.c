/* SPDX-License-Identifier: MIT */
/*
 * fuzz_serve_guard.c — libFuzzer target for what `nise serve` reads from
 * a request before any route runs (src/serve/guard.c): the Host check and
 * the access-log escaping.
 *
 * The input is a Host header (up to the first NUL, as MHD hands it over)
 * and, whole, a log field. Beyond memory safety it traps when the escaped
 * text breaks its promise: no byte below 0x20, no DEL, no '"', only valid
 * UTF-8 without C1 or bidi controls, NUL-terminated within the buffer,
 * and the same output for the same input at any buffer size it fits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_escaped(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (strlen(s) != n)
		abort();
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c < 0x20 || c == 0x7F || c == '"')
			abort();
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c < 0xC2 || c > 0xF4 || i + len > n)
			abort();
		unsigned cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				abort();
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xDFFF))
			abort();
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allow[] = {"nise.example", "mail-tools"};
	struct serve_conf conf = {.port = 8080, .allow_hosts = allow, .nallow = 2};
	char *host = malloc(size + 1);
	if (!host)
		return 0;
	memcpy(host, data, size);
	host[size] = '\0';
	(void)guard_host_ok(&conf, host);
	conf.port = 80;
	(void)guard_host_ok(&conf, host);
	free(host);

	size_t cap = 4 * size + 1;
	char *big = malloc(cap);
	char small[37];
	if (!big)
		return 0;
	size_t n = guard_escape(big, cap, (const char *)data, size);
	check_escaped(big, n);
	size_t m = guard_escape(small, sizeof(small), (const char *)data, size);
	check_escaped(small, m);
	if (m > n || memcmp(small, big, m) != 0)
		abort(); /* a shorter buffer holds a prefix of the same text */
	free(big);
	return 0;
}
