/* SPDX-License-Identifier: MIT */
/*
 * cli.h — shared pieces of the nise command-line front end.
 */
#ifndef NISE_CLI_H
#define NISE_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "front.h"
#include "nise/nise.h"

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

int cli_config_cmd(int argc, char **argv);
int cli_update(int argc, char **argv);
/* replaces the process with nise-full running argv (full.c); 2 when not found */
int cli_exec_full(char **argv);
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
int cli_intel(int argc, char **argv);
/* The operator's loop (learn.c): nise learn, nise allow|block. */
int cli_learn(int argc, char **argv);
int cli_allow_block(int argc, char **argv);
/* Prints the list entries (block 0: allow, 1: block, -1: both). */
int cli_list_print(struct nise_store *s, int block);
int cli_campaigns(int argc, char **argv);
int cli_report(int argc, char **argv);


#endif
