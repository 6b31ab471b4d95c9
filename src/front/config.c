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
#include "front.h"
#include "inifile.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
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

static bool parse_score(const char *value, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

static int on_verdict(struct front_ini *st, const char *name, const char *value)
{
	struct cli_config *c = st->user;
	if (strcmp(name, "phishing_score") == 0 || strcmp(name, "suspicious_score") == 0) {
		double *dst = name[0] == 'p' ? &c->phishing_score : &c->suspicious_score;
		if (!parse_score(value, 0.01, 1000, dst))
			return front_ini_fail(st, "bad value for %s: '%s' (a number of points above 0)", name, value);
		return 1;
	}
	if (strncmp(name, "weight.", 7) == 0) {
		const char *id = name + 7;
		if (!nise_check_weight(id, NULL))
			return front_ini_fail(st, "unknown check '%s' in %s (see docs/checks/)", id, name);
		double v;
		if (!parse_score(value, -100, 100, &v))
			return front_ini_fail(st, "bad value for %s: '%s' (a number of points from -100 to 100)", name, value);
		size_t i = 0;
		while (i < c->nweights && strcmp(c->weight_ids[i], id) != 0)
			i++;
		if (i == c->nweights) {
			if (c->nweights >= sizeof(c->weight_ids) / sizeof(c->weight_ids[0]))
				return front_ini_fail(st, "too many weight overrides");
			snprintf(c->weight_buf[i], sizeof(c->weight_buf[i]), "%s", id);
			c->weight_ids[i] = c->weight_buf[i];
			c->nweights++;
		}
		c->weight_values[i] = v;
		return 1;
	}
	return front_ini_fail(st, "unknown key '%s' in section [verdict]", name);
}

static int on_list(struct front_ini *st, bool block, const char *name, const char *value)
{
	struct cli_config *c = st->user;
	char kind[32];
	snprintf(kind, sizeof(kind), "%s", name);
	for (char *p = kind; *p; p++)
		if (*p == '_')
			*p = '-';
	enum nise_list_kind k;
	if (!nise_list_kind_parse(kind, &k))
		return front_ini_fail(st, "unknown key '%s' in section [%s] (sender, sender_domain, link_domain, url, campaign)",
		            name, block ? "block" : "allow");
	if (c->nlists >= 4096)
		return front_ini_fail(st, "too many list entries");
	struct nise_list_entry *n = realloc(c->lists, (c->nlists + 1) * sizeof(*n));
	if (!n)
		return front_ini_fail(st, "out of memory");
	c->lists = n;
	struct nise_list_entry *e = &c->lists[c->nlists];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->block = block;
	if (nise_list_normalise(k, value, e->value, sizeof(e->value)) != NISE_OK)
		return front_ini_fail(st, "bad value for %s: '%s' (not a %s)", name, value, kind);
	snprintf(e->source, sizeof(e->source), "config");
	snprintf(e->who, sizeof(e->who), "nise.conf");
	snprintf(e->note, sizeof(e->note), "%s", st->path);
	c->nlists++;
	return 1;
}

static int on_entry(struct front_ini *st, const char *section, const char *name, const char *value)
{
	struct cli_config *c = st->user;
	if (strcmp(section, "verdict") == 0)
		return on_verdict(st, name, value);
	if (strcmp(section, "allow") == 0 || strcmp(section, "block") == 0)
		return on_list(st, section[0] == 'b', name, value);
	if (strcmp(section, "nise") == 0) {
		if (strcmp(name, "data_dir") == 0) {
			if (!*value || strlen(value) >= sizeof(c->data_dir))
				return front_ini_fail(st, "bad value for %s: '%s' (a directory path)", name, value);
			snprintf(c->data_dir, sizeof(c->data_dir), "%s", value);
			c->data_dir_line = st->line;
			return 1;
		}
		if (strcmp(name, "model") == 0) {
			if (!*value || strlen(value) >= sizeof(c->model))
				return front_ini_fail(st, "bad value for %s: '%s' (a model file or none)", name, value);
			snprintf(c->model, sizeof(c->model), "%s", value);
			c->model_line = st->line;
			return 1;
		}
		if (strcmp(name, "trusted_authserv_ids") == 0) {
			char buf[1024];
			if (strlen(value) >= sizeof(buf))
				return front_ini_fail(st, "bad value for %s: too long", name);
			snprintf(buf, sizeof(buf), "%s", value);
			char *save = NULL;
			size_t added = 0;
			for (char *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
				if (!cli_config_trust(c, tok))
					return front_ini_fail(st, "bad value for %s: '%s' (at most %d authserv-ids, each one token)",
					            name, tok, CLI_MAX_TRUSTED);
				added++;
			}
			if (!added)
				return front_ini_fail(st, "bad value for %s: empty (leave the key out to trust nothing)", name);
			return 1;
		}
		if (strcmp(name, "lang") == 0) {
			if (strcmp(value, "ja") != 0 && strcmp(value, "en") != 0)
				return front_ini_fail(st, "bad value for %s: '%s' (ja or en)", name, value);
			snprintf(c->lang, sizeof(c->lang), "%s", value);
			return 1;
		}
		return front_ini_fail(st, "unknown key '%s' in section [%s]", name, section);
	}
	if (strcmp(section, "limits") == 0) {
		for (size_t i = 0; i < sizeof(limit_keys) / sizeof(limit_keys[0]); i++) {
			if (strcmp(name, limit_keys[i].name) != 0)
				continue;
			char *end;
			errno = 0;
			unsigned long long v = strtoull(value, &end, 10);
			if (errno || end == value || *end || v == 0 || v > limit_keys[i].max || value[0] == '-')
				return front_ini_fail(st, "bad value for %s: '%s' (a positive whole number within range)", name,
				            value);
			*(size_t *)((char *)&c->limits + limit_keys[i].offset) = (size_t)v;
			c->limit_line[i] = st->line;
			return 1;
		}
		return front_ini_fail(st, "unknown key '%s' in section [%s]", name, section);
	}
	int u = cli_update_conf_entry(&c->update, section, name, value, st->reason, sizeof(st->reason));
	if (u >= 0)
		return u;
	return front_ini_fail(st, "unknown section [%s]", section);
}

void cli_config_free(struct cli_config *c)
{
	free(c->lists);
	c->lists = NULL;
	c->nlists = 0;
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
	struct front_ini st = {.entry = on_entry, .user = out};
	int got = front_ini_load(&st, path, !required, err, errn);
	if (got == 0)
		return true; /* no system file: defaults */
	if (got < 0) {
		cli_config_free(out);
		return false;
	}
	if (out->suspicious_score > (out->phishing_score ? out->phishing_score : 6.0)) {
		snprintf(err, errn, "%s: suspicious_score %g is above phishing_score %g", path, out->suspicious_score,
		         out->phishing_score ? out->phishing_score : 6.0);
		cli_config_free(out);
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
	if (c->ntrusted) {
		fprintf(f, "trusted_authserv_ids =");
		for (size_t i = 0; i < c->ntrusted; i++)
			fprintf(f, "%s %s", i ? "," : "", c->trusted[i]);
		fprintf(f, "\n");
	} else {
		fprintf(f, "# trusted_authserv_ids = (none: no Authentication-Results count)\n");
	}
	fprintf(f, "\n[verdict]\n");
	if (c->phishing_score > 0)
		fprintf(f, "phishing_score = %g\n", c->phishing_score);
	else
		fprintf(f, "# phishing_score = 6\n");
	if (c->suspicious_score > 0)
		fprintf(f, "suspicious_score = %g\n", c->suspicious_score);
	else
		fprintf(f, "# suspicious_score = 3\n");
	for (size_t i = 0; i < c->nweights; i++)
		fprintf(f, "weight.%s = %g\n", c->weight_ids[i], c->weight_values[i]);
	for (int block = 0; block <= 1; block++) {
		bool any = false;
		for (size_t i = 0; i < c->nlists; i++) {
			if (c->lists[i].block != (block == 1))
				continue;
			if (!any)
				fprintf(f, "\n[%s]\n", block ? "block" : "allow");
			any = true;
			char key[32];
			snprintf(key, sizeof(key), "%s", nise_list_kind_name(c->lists[i].kind));
			for (char *p = key; *p; p++)
				if (*p == '-')
					*p = '_';
			fprintf(f, "%s = %s\n", key, c->lists[i].value);
		}
	}
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

/* Where compiled pattern tables are kept between runs (docs/data.md):
 * $NISE_CACHE_DIR ("off" or empty: nowhere), else $XDG_CACHE_HOME/nise,
 * else $HOME/.cache/nise; NULL when none is set or the path is relative. */
static const char *default_cache_dir(void)
{
	static char buf[4096];
	const char *env = getenv("NISE_CACHE_DIR");
	if (env)
		return env[0] == '/' ? env : NULL;
	const char *base = getenv("XDG_CACHE_HOME"), *sub = "/nise";
	if (!base || base[0] != '/') {
		base = getenv("HOME");
		sub = "/.cache/nise";
	}
	if (!base || base[0] != '/')
		return NULL;
	int n = snprintf(buf, sizeof(buf), "%s%s", base, sub);
	return n > 0 && (size_t)n < sizeof(buf) ? buf : NULL;
}

void cli_config_to_opts(const struct cli_config *conf, struct nise_engine_opts *opts)
{
	opts->limits = conf->limits;
	opts->phishing_score = conf->phishing_score;
	opts->suspicious_score = conf->suspicious_score;
	opts->weight_ids = conf->weight_ids;
	opts->weight_values = conf->weight_values;
	opts->nweights = conf->nweights;
	opts->lists = conf->lists;
	opts->nlists = conf->nlists;
	opts->arena_debug = getenv("NISE_ARENA_DEBUG") != NULL;
	if (strcmp(conf->model, "none") == 0)
		opts->no_model = true;
	else if (conf->model[0])
		opts->model_path = conf->model;
	opts->trusted_authserv_ids = conf->ntrusted ? conf->trusted_ptr : NULL;
	opts->ntrusted_authserv_ids = conf->ntrusted;
	opts->data_dir = getenv("NISE_DATA_DIR") ? NULL
	                 : conf->data_real[0]      ? conf->data_real
	                 : conf->data_dir[0]       ? conf->data_dir
	                                           : cli_default_data_dir();
	opts->cache_dir = default_cache_dir();
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

bool cli_config_trust(struct cli_config *conf, const char *id)
{
	size_t n = strlen(id);
	if (!n || n >= sizeof(conf->trusted[0]) || conf->ntrusted >= CLI_MAX_TRUSTED)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)id[i];
		if (ch <= ' ' || ch >= 0x7f || ch == ';' || ch == '(' || ch == ')' || ch == '"' || ch == ',')
			return false;
	}
	for (size_t i = 0; i < conf->ntrusted; i++)
		if (strcmp(conf->trusted[i], id) == 0)
			return true;
	memcpy(conf->trusted[conf->ntrusted], id, n + 1);
	conf->trusted_ptr[conf->ntrusted] = conf->trusted[conf->ntrusted];
	conf->ntrusted++;
	return true;
}

bool cli_trust_arg(struct cli_config *conf, struct nise_engine_opts *opts, int argc, char **argv,
                   int *i, bool *bad)
{
	if (strcmp(argv[*i], "--trust-authserv") != 0)
		return false;
	if (*i + 1 >= argc || !cli_config_trust(conf, argv[*i + 1])) {
		fprintf(stderr, "nise: --trust-authserv needs one authserv-id (a host name, at most %d)\n",
		        CLI_MAX_TRUSTED);
		*bad = true;
		return false;
	}
	++*i;
	opts->trusted_authserv_ids = conf->trusted_ptr;
	opts->ntrusted_authserv_ids = conf->ntrusted;
	return true;
}

/* The anomaly a limit gives when it cuts a mail, per limit_keys entry. */
static const char *const limit_anomaly[][2] = {
	{"LIMIT_MESSAGE_BYTES", "max_message_bytes"}, {"LIMIT_MIME_DEPTH", "max_mime_depth"},
	{"LIMIT_PARTS", "max_parts"},                 {"LIMIT_LINKS", "max_links"},
	{"LIMIT_HEADERS", "max_headers"},             {"LIMIT_HEADER_BYTES", "max_header_bytes"},
	{"LIMIT_TEXT", "max_text_bytes"},             {"LIMIT_HTML", "max_text_bytes"},
	{"LIMIT_ARENA", "max_arena_bytes"},
};

static const char *first_limit(const struct nise_result *r)
{
	for (size_t i = 0; i < r->msg->nanomalies; i++)
		if (strncmp(r->msg->anomalies[i].id, "LIMIT_", 6) == 0)
			return r->msg->anomalies[i].id;
	return NULL;
}

/* "FILE:LINE" of what set key k (a limit_keys name), else "FILE". */
static void where(char *out, size_t n, const struct cli_config *c, unsigned line)
{
	const char *path = c->path ? c->path : "(defaults)";
	if (line)
		snprintf(out, n, "%s:%u", path, line);
	else
		snprintf(out, n, "%s", path);
}

bool cli_config_engine(struct nise_engine **out, const struct cli_config *conf,
                       const struct nise_engine_opts *opts, char *err, size_t en)
{
	*out = NULL;
	char at[1100], diag[256] = "";
	struct nise_engine *e = NULL;
	nise_rc rc = nise_engine_new(&e, opts, diag, sizeof(diag));
	if (rc != NISE_OK) {
		/* the model or the data? without the model it tells */
		struct nise_engine_opts bare = *opts;
		bare.no_model = true;
		struct nise_engine *b = NULL;
		char bdiag[256] = "";
		bool model_at_fault = !opts->no_model && nise_engine_new(&b, &bare, bdiag, sizeof(bdiag)) == NISE_OK;
		nise_engine_free(b);
		bool from_file = opts->model_path && strcmp(opts->model_path, conf->model) == 0;
		if (model_at_fault && from_file) {
			where(at, sizeof(at), conf, conf->model_line);
			snprintf(err, en, "%s: model: %s", at, *diag ? diag : nise_strerror(rc));
		} else if (model_at_fault && opts->model_path) {
			snprintf(err, en, "--model %s: %s", opts->model_path, *diag ? diag : nise_strerror(rc));
		} else if (model_at_fault) {
			snprintf(err, en, "the model next to the data: %s", *diag ? diag : nise_strerror(rc));
		} else {
			where(at, sizeof(at), conf, conf->data_dir_line);
			snprintf(err, en, "%s: data: %s", at, *diag ? diag : nise_strerror(rc));
		}
		return false;
	}
	/* the limits must leave room to read one small mail */
	static const char probe[] = "From: a@example.com\r\nSubject: probe\r\nContent-Type: text/html\r\n\r\n"
	                            "<p>Hello <a href=\"https://example.com/\">example.com</a></p>\r\n";
	struct nise_result *r = NULL;
	rc = nise_scan(&r, e, probe, sizeof(probe) - 1);
	if (rc == NISE_OK && !r->partial) {
		nise_result_free(r);
		*out = e;
		return true;
	}
	const char *id = rc == NISE_OK ? first_limit(r) : "LIMIT_ARENA";
	const char *key = NULL;
	for (size_t i = 0; i < sizeof(limit_anomaly) / sizeof(limit_anomaly[0]) && id; i++)
		if (strcmp(limit_anomaly[i][0], id) == 0)
			key = limit_anomaly[i][1];
	unsigned line = 0;
	size_t value = 0;
	for (size_t i = 0; key && i < sizeof(limit_keys) / sizeof(limit_keys[0]); i++)
		if (strcmp(limit_keys[i].name, key) == 0) {
			line = conf->limit_line[i];
			value = *(const size_t *)((const char *)&opts->limits + limit_keys[i].offset);
		}
	where(at, sizeof(at), conf, line);
	if (key)
		snprintf(err, en, "%s: %s = %zu is too small to read a one-line mail (%s; see docs/limits.md)", at,
		         key, value, id);
	else
		snprintf(err, en, "%s: [limits] too small to read a one-line mail (%s; see docs/limits.md)", at,
		         id ? id : nise_strerror(rc));
	nise_result_free(r);
	nise_engine_free(e);
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
	char err[1400];
	if (!cli_config_load(&c, path, err, sizeof(err))) {
		fprintf(stderr, "nise: %s\n", err);
		return 2;
	}
	/* the data and the model it names must load and the limits must
	 * leave room for a mail, as every command would need them (attack
	 * rows 17-19: a config check that passes, then a command that fails
	 * or judges nothing) */
	struct nise_engine_opts o = {0};
	cli_config_to_opts(&c, &o);
	struct nise_engine *e = NULL;
	if (!cli_config_engine(&e, &c, &o, err, sizeof(err))) {
		fprintf(stderr, "nise: %s\n", err);
		cli_config_free(&c);
		return 2;
	}
	nise_engine_free(e);
	cli_config_print(&c, stdout);
	cli_config_free(&c);
	return 0;
}
