/* SPDX-License-Identifier: MIT */
/*
 * cli.h — shared pieces of the nise command-line front end.
 */
#ifndef NISE_CLI_H
#define NISE_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "nise/nise.h"

enum cli_lang { LANG_EN, LANG_JA };

/* One message read from an input: its bytes and where it came from. */
struct cli_msg {
	const char *source;  /* path, or "-" */
	size_t index;        /* position in an mbox, 0 otherwise */
	bool in_mbox;
	const char *buf;
	size_t n;
};

/* Called per message; returns false to stop. */
typedef bool (*cli_msg_fn)(const struct cli_msg *m, void *ctx);

/* Reads every message of each input (file, mbox, directory tree, Maildir,
 * or "-" for stdin) in a stable order (sorted directory entries), each
 * file once (symbolic link loops end), Maildir folders as mail folders;
 * an empty input is refused (input.c).
 * Returns the number of inputs that could not be read (reported on stderr). */
int cli_for_each_message(char *const *inputs, int ninputs, cli_msg_fn fn, void *ctx);
/* 0 bytes, or nothing but blank lines: not a mail (refused by every command). */
bool cli_is_empty_input(const char *buf, size_t n);

/* help.c: true when argv (a sub-command's arguments, argv[0] the
 * command) asks for --help or -h before any "--"; cli_print_help prints
 * that command's help on stdout and returns false for a command it has
 * none for (milter answers --help itself). */
bool cli_wants_help(int argc, char **argv);
bool cli_print_help(const char *cmd);

enum cli_lang cli_default_lang(void);
/* <directory of the program>/../share/nise when it holds data, else NULL. */
const char *cli_default_data_dir(void);
int cli_config_cmd(int argc, char **argv);
int cli_update(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_train(int argc, char **argv);

/* Labelled sets (manifest.c). fn gets the label, the path joined to
 * root, and the path as listed (NULL for a LABEL=PATH argument, see
 * cli_sets_each). Returns the number of rows, -1 when the manifest cannot
 * be read. */
typedef void (*cli_labelled_fn)(const char *label, char *path, const char *listed, void *ctx);
int cli_manifest_each(const char *manifest, const char *root, const char *only,
                      cli_labelled_fn fn, void *ctx);
/* Labelled sets as eval and train take them: --manifest TSV [--root DIR]
 * [--only PREFIX] [--groups TSV] and LABEL=PATH arguments. */
struct cli_sets {
	const char *manifest, *root, *only, *groups_path;
	char **pairs; /* LABEL=PATH */
	int npairs;
	json_t *groups; /* file -> dup_group, or NULL */
};
/* Takes one of the options above at argv[*i] (advancing *i); false when
 * argv[*i] is none of them. */
bool cli_sets_arg(struct cli_sets *s, int argc, char **argv, int *i);
/* Takes argv[first..argc) as LABEL=PATH pairs and loads --groups. Prints
 * "nise CMD: ..." and returns false on a bad pair or an unreadable file;
 * also false (without a message) when no set was named at all. */
bool cli_sets_open(struct cli_sets *s, const char *cmd, int argc, char **argv, int first);
/* Calls fn for every manifest row, then every pair (listed = NULL for a
 * pair). False when the manifest cannot be read (message printed). */
bool cli_sets_each(struct cli_sets *s, const char *cmd, cli_labelled_fn fn, void *ctx);
void cli_sets_close(struct cli_sets *s);
/* file name -> dup_group of a groups TSV; NULL when unreadable. */
json_t *cli_groups_load(const char *path);
/* The group of path (by its file name), or NULL. */
const char *cli_group_of(json_t *groups, const char *path);

/* Reads all of f (malloc'd; NULL on error or over 2 GiB). */
char *cli_slurp(FILE *f, size_t *n);

/* ---- threat intelligence (intel.c) ---- */
/* Store options every command shares: --db PATH, --redis URL. */
struct cli_store_opts {
	const char *db;
	const char *redis;
};
/* Consumes argv[*i] (and its value) when it is --db or --redis; true then. */
bool cli_store_arg(struct cli_store_opts *so, int argc, char **argv, int *i);
/* Opens the store: --redis, --db (created when create), else the default
 * file when it exists (created only when create). *out NULL and true when
 * there is none and none was asked for; false (message printed) on error. */
bool cli_store_open(struct nise_store **out, const struct cli_store_opts *so, bool create,
                    const char *cmd);
int cli_intel(int argc, char **argv);
/* The operator's loop (learn.c): nise learn, nise allow|block. */
int cli_learn(int argc, char **argv);
/* Where nise learn keeps the mails it learned (DIR/phish, DIR/ham) for
 * nise train --store: "PATH.learned" next to an LMDB store, else
 * $XDG_DATA_HOME/nise/learned (this host's). False when there is none. */
bool cli_learned_dir(const struct cli_store_opts *so, char *buf, size_t n);
int cli_allow_block(int argc, char **argv);
/* Prints the list entries (block 0: allow, 1: block, -1: both). */
int cli_list_print(struct nise_store *s, int block);
int cli_campaigns(int argc, char **argv);
int cli_report(int argc, char **argv);
/* The campaigns of store s (NULL: none), oldest first, only those of
 * brand when it is not NULL (case-insensitive): a new JSON array of the
 * objects `nise campaigns --json` prints. NULL (*rc says why) on error. */
json_t *cli_campaigns_json(struct nise_store *s, const char *brand, nise_rc *rc);
/* The article `nise report` writes about the scanned result r (engine e;
 * the campaign from store s, which may be NULL), NUL-terminated and
 * malloc'd, its length in *n. NULL when out of memory. */
enum cli_report_fmt { CLI_REPORT_MD, CLI_REPORT_HTML };
/* The report's "The threat" paragraph for r and its "What to do" steps
 * (up to max into out; returns how many), static strings: what the page
 * shows as advice (nise serve's /v1/view), so both say the same. */
const char *cli_report_threat(const struct nise_result *r, enum cli_lang lang);
size_t cli_report_advice(const char **out, size_t max, enum cli_lang lang);
char *cli_report_render(struct nise_store *s, const struct nise_engine *e, const struct nise_result *r,
                        enum cli_report_fmt fmt, enum cli_lang lang, size_t *n);

/* JSON of one result (one line, no newline). Caller frees with free().
 * Written directly (jsonw.c); the _jansson one dumps cli_json_value and
 * must give the same bytes (tests/json_writer.c). */
char *cli_json_result(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
char *cli_json_result_jansson(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
/* The same as a jansson value (new reference), for front ends that embed it. */
struct json_t;
struct json_t *cli_json_value(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
/* JSON string of s with ill-formed UTF-8 replaced by U+FFFD (new reference). */
struct json_t *cli_json_string(const char *s);

int cli_serve(int argc, char **argv); /* src/serve/serve.c */

#endif
