/* SPDX-License-Identifier: MIT */
/* Address-list parsing: display names, odd forms, groups. */
#include <string.h>

#include "core/arena.h"
#include "mime/address.h"
#include "t.h"

struct tcase {
	const char *raw;
	size_t count;
	const char *name, *address, *domain; /* of the first address */
};

static const struct tcase cases[] = {
	{"\"Amazon.co.jp\" <apikey@newnamecardamazonmail.cyou>", 1, "Amazon.co.jp",
	 "apikey@newnamecardamazonmail.cyou", "newnamecardamazonmail.cyou"},
	{"=?ISO-2022-JP?B?QW1hem9uLmNvLmpw?= <apikey@newnamecardamazonmail.cyou>", 1, "Amazon.co.jp",
	 "apikey@newnamecardamazonmail.cyou", "newnamecardamazonmail.cyou"},
	/* unquoted dots in a display name */
	{"Amazon.co.jp <x@Example.COM>", 1, "Amazon.co.jp", "x@example.com", "example.com"},
	/* an address inside the display name is just a name */
	{"\"service@amazon.co.jp\" <evil@bad.example>", 1, "service@amazon.co.jp", "evil@bad.example",
	 "bad.example"},
	{"user@example.jp", 1, "", "user@example.jp", "example.jp"},
	{"user@example.jp (Rakuten Card)", 1, "Rakuten Card", "user@example.jp", "example.jp"},
	{"a@x.org, \"B, Bee\" <b@y.org>", 2, "", "a@x.org", "x.org"},
	{"undisclosed-recipients:;", 0, NULL, NULL, NULL},
	{"friends: a@x.org, b@y.org;", 2, "", "a@x.org", "x.org"},
	{"<@route.example:user@final.example>", 1, "", "user@final.example", "final.example"},
	{"\"=?UTF-8?B?44Ki44Oe44K+44Oz?=\" <info@example.net>", 1, "アマゾン", "info@example.net",
	 "example.net"},
	{"Name <a@b.c> <real@evil.example>", 1, "Name", "real@evil.example", "evil.example"},
	{"", 0, NULL, NULL, NULL},
	{"<>", 0, NULL, NULL, NULL},
};

int main(void)
{
	struct nise_arena *a = nise_arena_new(0, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nise_address *out = NULL;
		size_t n = nise_address_parse(&out, a, cases[i].raw, strlen(cases[i].raw), 16);
		T_INT(n, cases[i].count);
		if (n && cases[i].count) {
			T_STR(out[0].name, cases[i].name);
			T_STR(out[0].address, cases[i].address);
			T_STR(out[0].domain, cases[i].domain);
		}
	}
	nise_arena_free(a);
	T_DONE("address");
}
