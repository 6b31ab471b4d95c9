/* SPDX-License-Identifier: MIT */
/*
 * sconf.c — spamd.conf, read as every configuration file is (inifile.h): one
 * section, [spamd]; as milter.conf
 * every key is known and every value checked, an unknown key is an error
 * naming file and line. The engine's own settings stay in nise.conf.
 */
#include "sconf.h"

#include <stdlib.h>
#include <string.h>

#include "inifile.h"

static int on_entry(struct front_ini *st, const char *section, const char *name, const char *v)
{
	struct sconf *c = st->user;
	if (strcmp(section, "spamd") != 0)
		return front_ini_fail(st, "unknown section [%s]", section);
	if (strcmp(name, "listen") == 0) {
		if (strncmp(v, "unix:/", 6) != 0 && !strrchr(v, ':'))
			return front_ini_fail(st, "bad value for listen: '%s' (HOST:PORT or unix:/path)", v);
		return front_ini_str(st, c->listen, sizeof(c->listen), name, v);
	}
	if (strcmp(name, "nise_config") == 0)
		return front_ini_str(st, c->nise_config, sizeof(c->nise_config), name, v);
	if (strcmp(name, "lang") == 0) {
		if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0 && *v)
			return front_ini_fail(st, "bad value for lang: '%s' (ja or en)", v);
		return front_ini_str(st, c->lang, sizeof(c->lang), name, v);
	}
	if (strcmp(name, "on_error") == 0 || strcmp(name, "on_limit") == 0) {
		bool temp;
		if (!front_ini_tempfail(st, &temp, name, v))
			return 0;
		*(name[3] == 'e' ? &c->on_error : &c->on_limit) = temp ? SFAIL_TEMPFAIL : SFAIL_ACCEPT;
		return 1;
	}
	if (strcmp(name, "reason") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return front_ini_fail(st, "bad value for reason: '%s' (yes or no)", v);
		c->reason = v[0] == 'y';
		return 1;
	}
	if (strcmp(name, "timeout") == 0)
		return front_ini_uint(st, &c->timeout, name, v, 1, 3600);
	if (strcmp(name, "workers") == 0)
		return front_ini_uint(st, &c->workers, name, v, 1, 256);
	if (strcmp(name, "drain_seconds") == 0)
		return front_ini_uint(st, &c->drain_seconds, name, v, 0, 3600);
	return front_ini_fail(st, "unknown key '%s' in section [spamd]", name);
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
	struct front_ini st = {.entry = on_entry, .user = out};
	if (front_ini_load(&st, path, false, err, en) < 0)
		return false;
	out->path = path;
	return true;
}

void sconf_print(const struct sconf *c, FILE *f)
{
	static const char *const fails[] = {"accept", "tempfail"};
	fprintf(f,
	        "# effective configuration (file: %s)\n[spamd]\nlisten = %s\n%snise_config = %s\n"
	        "%slang = %s\nreason = %s\non_error = %s\non_limit = %s\ntimeout = %u\nworkers = %u\n"
	        "drain_seconds = %u\n",
	        c->path ? c->path : "none, defaults", c->listen, c->nise_config[0] ? "" : "# ",
	        c->nise_config[0] ? c->nise_config : "(nise.conf lookup)", c->lang[0] ? "" : "# ",
	        c->lang[0] ? c->lang : "(nise.conf, else the locale)", c->reason ? "yes" : "no", fails[c->on_error],
	        fails[c->on_limit], c->timeout, c->workers, c->drain_seconds);
}
