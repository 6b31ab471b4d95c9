/* SPDX-License-Identifier: MIT */
/*
 * config.c — nise.conf (docs/man/nise.conf.5.scd) through inih, the only
 * user of inih.
 *
 * The format is INI: [nise] data_dir, lang; [limits] the fields of
 * struct nise_limits; [update] and [feed NAME] for nise update (uconf.c). Every key is known and every value checked: an
 * unknown key or a bad value is an error naming file and line, never a
 * silent default — a typo in a mail filter's configuration must not turn
 * a check off. Command-line flags override the file.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#ifndef NISE_SYSCONF_FILE
#define NISE_SYSCONF_FILE "/etc/nise/nise.conf"
#endif

struct limit_key {
	const char *name;
	size_t offset;
	unsigned long long max;
};

#define LIMIT(f, m) {#f, offsetof(struct nise_limits, f), m}
static const struct limit_key limit_keys[] = {
	LIMIT(max_message_bytes, 1ULL << 32), LIMIT(max_mime_depth, 1024),
	LIMIT(max_parts, 1 << 20),            LIMIT(max_links, 1 << 20),
	LIMIT(max_headers, 1 << 20),          LIMIT(max_header_bytes, 1ULL << 30),
	LIMIT(max_text_bytes, 1ULL << 32),    LIMIT(max_arena_bytes, 1ULL << 36),
};

struct parse_state {
	struct cli_config *c;
	char reason[256];
};

__attribute__((format(printf, 2, 3))) static int fail(struct parse_state *st, const char *fmt, ...)
{
	if (!st->reason[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	struct cli_config *c = st->c;
	if (strcmp(section, "nise") == 0) {
		if (strcmp(name, "data_dir") == 0) {
			if (!*value || strlen(value) >= sizeof(c->data_dir))
				return fail(st, "bad value for %s: '%s' (a directory path)", name, value);
			snprintf(c->data_dir, sizeof(c->data_dir), "%s", value);
			return 1;
		}
		if (strcmp(name, "model") == 0) {
			if (!*value || strlen(value) >= sizeof(c->model))
				return fail(st, "bad value for %s: '%s' (a model file or none)", name, value);
			snprintf(c->model, sizeof(c->model), "%s", value);
			return 1;
		}
		if (strcmp(name, "lang") == 0) {
			if (strcmp(value, "ja") != 0 && strcmp(value, "en") != 0)
				return fail(st, "bad value for %s: '%s' (ja or en)", name, value);
			snprintf(c->lang, sizeof(c->lang), "%s", value);
			return 1;
		}
		return fail(st, "unknown key '%s' in section [%s]", name, section);
	}
	if (strcmp(section, "limits") == 0) {
		for (size_t i = 0; i < sizeof(limit_keys) / sizeof(limit_keys[0]); i++) {
			if (strcmp(name, limit_keys[i].name) != 0)
				continue;
			char *end;
			errno = 0;
			unsigned long long v = strtoull(value, &end, 10);
			if (errno || end == value || *end || v == 0 || v > limit_keys[i].max || value[0] == '-')
				return fail(st, "bad value for %s: '%s' (a positive whole number within range)", name,
				            value);
			*(size_t *)((char *)&c->limits + limit_keys[i].offset) = (size_t)v;
			return 1;
		}
		return fail(st, "unknown key '%s' in section [%s]", name, section);
	}
	int u = cli_update_conf_entry(&c->update, section, name, value, st->reason, sizeof(st->reason));
	if (u >= 0)
		return u;
	return fail(st, "unknown section [%s]", section);
}

bool cli_config_load(struct cli_config *out, const char *explicit_path, char *err, size_t errn)
{
	memset(out, 0, sizeof(*out));
	nise_limits_default(&out->limits);
	cli_update_conf_defaults(&out->update);
	const char *path = explicit_path;
	bool required = path != NULL;
	if (!path && getenv("NISE_CONFIG")) {
		path = getenv("NISE_CONFIG");
		required = true;
	}
	if (!path)
		path = NISE_SYSCONF_FILE;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!required && errno == ENOENT)
			return true; /* no system file: defaults */
		snprintf(err, errn, "%s: %s", path, strerror(errno));
		return false;
	}
	struct parse_state st = {.c = out};
	int line = ini_parse_file(f, on_entry, &st);
	fclose(f);
	if (line != 0) {
		if (line < 0)
			snprintf(err, errn, "%s: cannot read", path);
		else
			snprintf(err, errn, "%s:%d: %s", path, line, st.reason[0] ? st.reason : "syntax error");
		return false;
	}
	char reason[256];
	if (!cli_update_conf_check(&out->update, reason, sizeof(reason))) {
		snprintf(err, errn, "%s: %s", path, reason);
		return false;
	}
	/* nise update switches data_dir (a symbolic link) to a new directory:
	 * an engine built from this configuration reads every file from the
	 * one directory the link named now, never half from the next one */
	char real[PATH_MAX];
	if (out->data_dir[0] && realpath(out->data_dir, real) && strlen(real) < sizeof(out->data_real))
		memcpy(out->data_real, real, strlen(real) + 1);
	out->path = path;
	return true;
}

void cli_config_print(const struct cli_config *c, FILE *f)
{
	fprintf(f, "# effective configuration (file: %s)\n[nise]\n", c->path ? c->path : "none, defaults");
	if (c->data_dir[0])
		fprintf(f, "data_dir = %s\n", c->data_dir);
	else
		fprintf(f, "# data_dir = (next to the program: ../share/nise)\n");
	fprintf(f, "%slang = %s\n", c->lang[0] ? "" : "# ", c->lang[0] ? c->lang : "(from the locale)");
	fprintf(f, "%smodel = %s\n", c->model[0] ? "" : "# ", c->model[0] ? c->model : "(data_dir/model.bin)");
	fprintf(f, "\n[limits]\n");
	for (size_t i = 0; i < sizeof(limit_keys) / sizeof(limit_keys[0]); i++)
		fprintf(f, "%s = %zu\n", limit_keys[i].name,
		        *(const size_t *)((const char *)&c->limits + limit_keys[i].offset));
	cli_update_conf_print(&c->update, f);
}

bool cli_config_apply(struct cli_config *conf, struct nise_engine_opts *opts, int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0)
			path = argv[i + 1];
	char err[512];
	if (!cli_config_load(conf, path, err, sizeof(err))) {
		fprintf(stderr, "nise: %s\n", err);
		return false;
	}
	cli_config_to_opts(conf, opts);
	return true;
}

void cli_config_to_opts(const struct cli_config *conf, struct nise_engine_opts *opts)
{
	opts->limits = conf->limits;
	opts->arena_debug = getenv("NISE_ARENA_DEBUG") != NULL;
	if (strcmp(conf->model, "none") == 0)
		opts->no_model = true;
	else if (conf->model[0])
		opts->model_path = conf->model;
	opts->data_dir = getenv("NISE_DATA_DIR") ? NULL
	                 : conf->data_real[0]      ? conf->data_real
	                 : conf->data_dir[0]       ? conf->data_dir
	                                           : cli_default_data_dir();
}

bool cli_model_arg(struct nise_engine_opts *opts, int argc, char **argv, int *i)
{
	if (strcmp(argv[*i], "--model") == 0 && *i + 1 < argc) {
		opts->model_path = argv[++*i];
		opts->no_model = false;
		return true;
	}
	if (strcmp(argv[*i], "--no-model") == 0) {
		opts->no_model = true;
		return true;
	}
	return false;
}

int cli_config_cmd(int argc, char **argv)
{
	const char *path = NULL;
	int i = 1;
	if (i < argc && strcmp(argv[i], "check") == 0)
		i++;
	else {
		fprintf(stderr, "usage: nise config check [--config FILE]\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else {
			fprintf(stderr, "nise config: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	struct cli_config c;
	char err[512];
	if (!cli_config_load(&c, path, err, sizeof(err))) {
		fprintf(stderr, "nise: %s\n", err);
		return 2;
	}
	/* the data it names must load too */
	struct nise_engine_opts o = {.limits = c.limits, .data_dir = c.data_dir[0] ? c.data_dir : NULL};
	struct nise_engine *e = NULL;
	char diag[256] = "";
	if (!o.data_dir)
		o.data_dir = cli_default_data_dir();
	if (nise_engine_new(&e, &o, diag, sizeof(diag)) != NISE_OK) {
		fprintf(stderr, "nise: %s: data: %s\n", c.path ? c.path : "(defaults)", diag);
		return 2;
	}
	nise_engine_free(e);
	cli_config_print(&c, stdout);
	return 0;
}
