/* SPDX-License-Identifier: MIT */
/*
 * inifile.c — checked INI reading for every configuration file (inifile.h).
 *
 * inih reads the lines through our reader so that the handler knows the
 * line it is called for (FILE:LINE for errors found after a key, such as
 * a model file that does not load) and so that a line longer than inih's
 * buffer is an error at its own line instead of being read as two lines.
 * inih strips "  ; comment" itself; " # comment" is stripped here.
 */
#include "inifile.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int front_ini_fail(struct front_ini *st, const char *fmt, ...)
{
	if (!st->reason[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
		va_end(ap);
	}
	return 0;
}

int front_ini_str(struct front_ini *st, char *dst, size_t n, const char *name, const char *v)
{
	size_t k = strlen(v);
	if (k >= n)
		return front_ini_fail(st, "value for %s too long", name);
	memcpy(dst, v, k + 1);
	return 1;
}

int front_ini_uint(struct front_ini *st, unsigned *dst, const char *name, const char *v, unsigned lo,
                   unsigned hi)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || x < lo || x > hi)
		return front_ini_fail(st, "bad value for %s: '%s' (a whole number from %u to %u)", name, v, lo, hi);
	*dst = (unsigned)x;
	return 1;
}

int front_ini_tempfail(struct front_ini *st, bool *dst, const char *name, const char *v)
{
	if (strcmp(v, "accept") == 0)
		*dst = false;
	else if (strcmp(v, "tempfail") == 0)
		*dst = true;
	else
		return front_ini_fail(st, "bad value for %s: '%s' (accept or tempfail)", name, v);
	return 1;
}

/* inih's reader: one line a call, counted; an over-long line is cut
 * (and remembered) so that its rest is not read as a line of its own. */
static char *reader(char *buf, int num, void *stream)
{
	struct front_ini *st = stream;
	FILE *f = st->f;
	if (!fgets(buf, num, f))
		return NULL;
	st->line++;
	size_t k = strlen(buf);
	if (k + 1 == (size_t)num && buf[k - 1] != '\n') {
		int c;
		while ((c = fgetc(f)) != EOF && c != '\n')
			;
		if (!st->too_long)
			st->too_long = st->line;
	}
	return buf;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct front_ini *st = user;
	char v[1024];
	size_t k = strlen(value);
	if (k >= sizeof(v))
		return front_ini_fail(st, "value for %s too long", name);
	memcpy(v, value, k + 1);
	/* " # comment" after a value: inih only knows ';' */
	for (size_t i = 1; i < k; i++)
		if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
			k = i;
			break;
		}
	while (k && (v[k - 1] == ' ' || v[k - 1] == '\t'))
		k--;
	v[k] = '\0';
	if (v[0] == '#')
		v[0] = '\0'; /* "key = # comment": an empty value */
	return st->entry(st, section, name, v);
}

int front_ini_load(struct front_ini *st, const char *path, bool optional, char *err, size_t en)
{
	st->path = path;
	st->line = 0;
	st->reason[0] = '\0';
	st->too_long = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (optional && errno == ENOENT)
			return 0;
		snprintf(err, en, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* a directory opens, reads as nothing and would mean "defaults" */
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || S_ISDIR(sb.st_mode)) {
		snprintf(err, en, "%s: a directory, not a configuration file", path);
		fclose(f);
		return -1;
	}
	st->f = f;
	int line = ini_parse_stream(reader, st, on_entry, st);
	bool rerr = ferror(f) != 0;
	fclose(f);
	st->f = NULL;
	if (st->too_long && (line == 0 || (unsigned)line >= st->too_long)) {
		snprintf(err, en, "%s:%u: line too long", path, st->too_long);
		return -1;
	}
	if (line < 0 || rerr) {
		snprintf(err, en, "%s: cannot read", path);
		return -1;
	}
	if (line > 0) {
		snprintf(err, en, "%s:%d: %s", path, line, st->reason[0] ? st->reason : "syntax error");
		return -1;
	}
	return 1;
}
