/* SPDX-License-Identifier: MIT */
/*
 * config.h — /etc/nise/nise.conf, read by every front end, and the engine
 * it describes.
 */
#ifndef NISE_FRONT_CONFIG_H
#define NISE_FRONT_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "nise/nise.h"
#include "uconf.h"

#define CLI_MAX_TRUSTED 16

struct cli_config {
	const char *path;      /* the file read, or NULL when none was */
	char data_dir[1024];   /* "" when not set */
	char data_real[4096];  /* data_dir with its symbolic links resolved when loaded, or "" */
	char lang[8];          /* "ja", "en" or "" (locale) */
	char model[1024];      /* learned model file, "none", or "" (data_dir/model.bin) */
	struct nise_limits limits;
	/* trusted_authserv_ids, then every --trust-authserv (docs/trust.md) */
	char trusted[CLI_MAX_TRUSTED][256];
	const char *trusted_ptr[CLI_MAX_TRUSTED];
	size_t ntrusted;
	/* [verdict]: thresholds (0: the defaults) and weight.CHECK_ID overrides */
	double phishing_score, suspicious_score;
	const char *weight_ids[64];
	double weight_values[64];
	char weight_buf[64][64];
	size_t nweights;
	/* [allow] / [block]: sender, sender_domain, link_domain, url, campaign */
	struct nise_list_entry *lists; /* malloc'd, owned */
	size_t nlists;
	struct cli_update_conf update; /* [update], [feed NAME] (uconf.h) */
	/* the lines that set data_dir, model and each [limits] key (0: not
	 * set by the file), for "FILE:LINE: reason" after the file was read */
	unsigned data_dir_line, model_line, limit_line[8];
};

/* Frees what cli_config_load allocated. */
void cli_config_free(struct cli_config *c);

/* Loads the configuration: `explicit_path` when given (it must exist),
 * else $NISE_CONFIG, else the system file when it exists. Defaults fill
 * what the file does not set. On an unknown section or key, a bad value
 * or an unreadable file, writes "FILE:LINE: reason" to err and returns
 * false. */
bool cli_config_load(struct cli_config *out, const char *explicit_path, char *err, size_t errn);

/* Prints the effective configuration as a valid nise.conf. */
void cli_config_print(const struct cli_config *c, FILE *f);

int cli_config_cmd(int argc, char **argv);

/* For a sub-command: finds --config FILE in argv, loads the configuration
 * into *conf and sets opts' limits and data directory from it ($NISE_DATA_DIR
 * and the data next to the program count as the documented fallbacks).
 * On error prints "nise: FILE:LINE: reason" and returns false. */
bool cli_config_apply(struct cli_config *conf, struct nise_engine_opts *opts, int argc, char **argv);

/* What a loaded configuration means for an engine: limits, data
 * directory, learned model ("none": none), and the arena's debug mode
 * ($NISE_ARENA_DEBUG). Every front end (check, filter, serve, milter)
 * builds its engine options through this. */
void cli_config_to_opts(const struct cli_config *conf, struct nise_engine_opts *opts);

/* Builds the engine of opts (cli_config_to_opts of conf, with the
 * command line's changes) and checks that it can read a one-line mail
 * whole. On failure writes to err, naming the line that set what failed
 * when the file set it: "FILE:LINE: model = PATH: not a nise model (bad
 * magic)", "FILE:LINE: max_arena_bytes = 1 is too small to read a
 * one-line mail (LIMIT_ARENA)"; *out is NULL then. What `nise config
 * check` and every front end run at start (attack rows 17-19). */
bool cli_config_engine(struct nise_engine **out, const struct cli_config *conf,
                       const struct nise_engine_opts *opts, char *err, size_t en);

/* --model FILE and --no-model at argv[*i]: sets opts, advances *i past
 * the option's argument and returns true; false when argv[*i] is neither. */
bool cli_model_arg(struct nise_engine_opts *opts, int argc, char **argv, int *i);

/* --trust-authserv ID at argv[*i]: adds ID to conf's trusted authserv-ids
 * and opts, advances *i and returns true (false with *bad set when the ID
 * is not one token or too many were given); false when argv[*i] is
 * something else. */
bool cli_trust_arg(struct cli_config *conf, struct nise_engine_opts *opts, int argc, char **argv,
                   int *i, bool *bad);

/* Adds one authserv-id (a token: no space, ';', '(' or '"'); false when
 * it is not one or the list is full. */
bool cli_config_trust(struct cli_config *conf, const char *id);

#endif
