/* SPDX-License-Identifier: MIT */
/*
 * resp.c — the few pieces of IMAP responses nise imap reads. A response
 * is a line, possibly with literals; the reader (imap.c) cuts lines and
 * reads literals by length, so this file only scans one bounded line.
 * It never follows parenthesised structure: FETCH data is searched for
 * the "UID" token at depth one by counting, not by recursion, so a server
 * cannot make it nest.
 */
#include "resp.h"

#include <string.h>
#include <strings.h>

static bool digits(const char *p, size_t n, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	size_t k = 0;
	while (*i < n && p[*i] >= '0' && p[*i] <= '9') {
		if (++k > 12)
			return false;
		v = v * 10 + (uint64_t)(p[*i] - '0');
		(*i)++;
	}
	if (!k)
		return false;
	*out = v;
	return true;
}

bool imap_literal_len(const char *line, size_t n, uint64_t *len)
{
	if (n < 3 || line[n - 1] != '}')
		return false;
	size_t end = n - 1;
	if (line[end - 1] == '+')
		end--;
	size_t i = end;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
		i--;
	if (i == end || i == 0 || line[i - 1] != '{' || end - i > 12)
		return false;
	uint64_t v;
	size_t j = i;
	if (!digits(line, end, &j, &v) || v > ((uint64_t)1 << 40))
		return false;
	*len = v;
	return true;
}

bool imap_resp_code(const char *line, size_t n, const char *code, uint64_t *out)
{
	size_t cl = strlen(code);
	for (size_t i = 0; i + cl + 2 < n; i++) {
		if (line[i] != '[' || strncasecmp(line + i + 1, code, cl) != 0 || line[i + 1 + cl] != ' ')
			continue;
		size_t j = i + cl + 2;
		return digits(line, n, &j, out);
	}
	return false;
}

bool imap_exists(const char *line, size_t n, uint64_t *out)
{
	if (n < 3 || line[0] != '*' || line[1] != ' ')
		return false;
	size_t i = 2;
	uint64_t v;
	if (!digits(line, n, &i, &v))
		return false;
	if (n - i != 7 || strncasecmp(line + i, " EXISTS", 7) != 0)
		return false;
	*out = v;
	return true;
}

bool imap_fetch_uid(const char *line, size_t n, uint64_t *out)
{
	if (n < 3 || line[0] != '*' || line[1] != ' ')
		return false;
	size_t i = 2;
	uint64_t seq;
	if (!digits(line, n, &i, &seq) || n - i < 8 || strncasecmp(line + i, " FETCH (", 8) != 0)
		return false;
	i += 8;
	unsigned depth = 1;
	bool quoted = false;
	bool at_item = true; /* at the start of an item name */
	for (; i < n; i++) {
		char c = line[i];
		if (quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (c == '"') {
			quoted = true;
		} else if (c == '(' || c == '[') {
			depth++;
		} else if (c == ')' || c == ']') {
			if (depth)
				depth--;
		} else if (depth == 1 && at_item && n - i > 4 && strncasecmp(line + i, "UID ", 4) == 0) {
			size_t j = i + 4;
			return digits(line, n, &j, out);
		}
		at_item = c == ' ' || c == '(';
	}
	return false;
}

bool imap_has_cap(const char *line, size_t n, const char *cap)
{
	size_t cl = strlen(cap);
	for (size_t i = 0; i + cl <= n; i++) {
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == '[') && strncasecmp(line + i, cap, cl) == 0 &&
		    (i + cl == n || line[i + cl] == ' ' || line[i + cl] == ']'))
			return true;
	}
	return false;
}

char imap_tagged(const char *line, size_t n, const char *tag)
{
	size_t tl = strlen(tag);
	if (n < tl + 3 || memcmp(line, tag, tl) != 0 || line[tl] != ' ')
		return 0;
	const char *s = line + tl + 1;
	size_t k = n - tl - 1;
	if (k >= 2 && strncasecmp(s, "OK", 2) == 0 && (k == 2 || s[2] == ' '))
		return 'O';
	if (k >= 2 && strncasecmp(s, "NO", 2) == 0 && (k == 2 || s[2] == ' '))
		return 'N';
	if (k >= 3 && strncasecmp(s, "BAD", 3) == 0 && (k == 3 || s[3] == ' '))
		return 'B';
	return 0;
}

bool imap_quote(char *out, size_t cap, const char *s)
{
	size_t w = 0;
	if (cap < 3)
		return false;
	out[w++] = '"';
	for (; *s; s++) {
		if (*s == '\r' || *s == '\n')
			return false;
		if (*s == '"' || *s == '\\') {
			if (w + 1 >= cap)
				return false;
			out[w++] = '\\';
		}
		if (w + 2 >= cap)
			return false;
		out[w++] = *s;
	}
	out[w++] = '"';
	out[w] = '\0';
	return true;
}
