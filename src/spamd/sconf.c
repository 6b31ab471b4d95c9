/* SPDX-License-Identifier: MIT */
/*
 * sconf.c — spamd.conf through inih: one section, [spamd]; as milter.conf
 * every key is known and every value checked, an unknown key is an error
 * naming file and line. The engine's own settings stay in nise.conf.
 */
#include "sconf.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct st {
	struct sconf *c;
	char reason[256];
};

__attribute__((format(printf, 2, 3))) static int fail(struct st *st, const char *fmt, ...)
{
	if (!st->reason[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int set_str(struct st *st, char *dst, size_t n, const char *name, const char *v)
{
	if (strlen(v) >= n)
		return fail(st, "value for %s too long", name);
	memcpy(dst, v, strlen(v) + 1);
	return 1;
}

static int set_uint(struct st *st, unsigned *dst, const char *name, const char *v, unsigned lo,
                    unsigned hi)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || x < lo || x > hi)
		return fail(st, "bad value for %s: '%s' (a whole number from %u to %u)", name, v, lo, hi);
	*dst = (unsigned)x;
	return 1;
}

static int on_entry(void *user, const char *section, const char *name, const char *v)
{
	struct st *st = user;
	struct sconf *c = st->c;
	if (strcmp(section, "spamd") != 0)
		return fail(st, "unknown section [%s]", section);
	if (strcmp(name, "listen") == 0) {
		if (strncmp(v, "unix:/", 6) != 0 && !strrchr(v, ':'))
			return fail(st, "bad value for listen: '%s' (HOST:PORT or unix:/path)", v);
		return set_str(st, c->listen, sizeof(c->listen), name, v);
	}
	if (strcmp(name, "nise_config") == 0)
		return set_str(st, c->nise_config, sizeof(c->nise_config), name, v);
	if (strcmp(name, "lang") == 0) {
		if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0 && *v)
			return fail(st, "bad value for lang: '%s' (ja or en)", v);
		return set_str(st, c->lang, sizeof(c->lang), name, v);
	}
	if (strcmp(name, "on_error") == 0 || strcmp(name, "on_limit") == 0) {
		enum sconf_fail *dst = name[3] == 'e' ? &c->on_error : &c->on_limit;
		if (strcmp(v, "accept") == 0)
			*dst = SFAIL_ACCEPT;
		else if (strcmp(v, "tempfail") == 0)
			*dst = SFAIL_TEMPFAIL;
		else
			return fail(st, "bad value for %s: '%s' (accept or tempfail)", name, v);
		return 1;
	}
	if (strcmp(name, "timeout") == 0)
		return set_uint(st, &c->timeout, name, v, 1, 3600);
	if (strcmp(name, "workers") == 0)
		return set_uint(st, &c->workers, name, v, 1, 256);
	if (strcmp(name, "drain_seconds") == 0)
		return set_uint(st, &c->drain_seconds, name, v, 0, 3600);
	return fail(st, "unknown key '%s' in section [spamd]", name);
}

bool sconf_load(struct sconf *out, const char *path, char *err, size_t en)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->listen, sizeof(out->listen), "127.0.0.1:783");
	out->on_error = SFAIL_ACCEPT;
	out->on_limit = SFAIL_ACCEPT;
	out->timeout = 120;
	out->workers = 4;
	out->drain_seconds = 30;
	if (!path)
		return true;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, en, "%s: %s", path, strerror(errno));
		return false;
	}
	struct st st = {.c = out};
	int line = ini_parse_file(f, on_entry, &st);
	fclose(f);
	if (line != 0) {
		snprintf(err, en, "%s:%d: %s", path, line, st.reason[0] ? st.reason : "syntax error");
		return false;
	}
	out->path = path;
	return true;
}

void sconf_print(const struct sconf *c, FILE *f)
{
	static const char *const fails[] = {"accept", "tempfail"};
	fprintf(f,
	        "# effective configuration (file: %s)\n[spamd]\nlisten = %s\n%snise_config = %s\n"
	        "%slang = %s\non_error = %s\non_limit = %s\ntimeout = %u\nworkers = %u\n"
	        "drain_seconds = %u\n",
	        c->path ? c->path : "none, defaults", c->listen, c->nise_config[0] ? "" : "# ",
	        c->nise_config[0] ? c->nise_config : "(nise.conf lookup)", c->lang[0] ? "" : "# ",
	        c->lang[0] ? c->lang : "(nise.conf, else the locale)", fails[c->on_error],
	        fails[c->on_limit], c->timeout, c->workers, c->drain_seconds);
}
