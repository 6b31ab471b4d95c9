/* SPDX-License-Identifier: MIT */
/*
 * front.h — the front-end layer (src/front): what every front end of nise
 * (the commands in src/cli, nise milter, nise serve, nise spamd, nise
 * imap) shares, so that none of them includes another's files
 * (tests/lint/frontends.sh). Next to this header: config.h (nise.conf
 * to engine options), render.h (X-Nise-* fields, the filter rewrite),
 * daemon.h (generations, signals, draining, log lines), inifile.h (the
 * checked INI reading of every configuration file), uconf.h, bundle.h.
 */
#ifndef NISE_FRONT_H
#define NISE_FRONT_H

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

/* The language of the locale (LC_ALL, LC_MESSAGES, LANG): ja or en. */
enum cli_lang cli_default_lang(void);
/* <directory of the program>/../share/nise when it holds data, else NULL. */
const char *cli_default_data_dir(void);

/* Writes all of p[n] to fd, again after EINTR; false on an error (errno).
 * A daemon ignores SIGPIPE (daemon.h), so a closed socket is an error. */
bool front_write_all(int fd, const char *p, size_t n);

/* ---- the store (store.c) */
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

/* Where nise learn keeps the mails it learned (DIR/phish, DIR/ham) for
 * nise train --store: "PATH.learned" next to an LMDB store, else
 * $XDG_DATA_HOME/nise/learned (this host's). False when there is none. */
bool cli_learned_dir(const struct cli_store_opts *so, char *buf, size_t n);

/* ---- what a result is shown as */
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
 * must give the same bytes (tests/unit/test_json_writer.c). */
char *cli_json_result(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
char *cli_json_result_jansson(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
/* "html", "text", "form" …: a link's source as both JSON writers name it */
const char *cli_link_source_name(enum nise_link_source s);
/* The same as a jansson value (new reference), for front ends that embed it. */
struct json_t;
struct json_t *cli_json_value(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang);
/* JSON string of s with ill-formed UTF-8 replaced by U+FFFD (new reference). */
struct json_t *cli_json_string(const char *s);

/* ---- the front ends' entry points (argv[0] is the sub-command) */
int cli_filter(int argc, char **argv);  /* src/cli/filter.c */
int cli_milter(int argc, char **argv);  /* src/milter */
int cli_serve(int argc, char **argv);   /* src/serve */
int cli_spamd(int argc, char **argv);   /* src/spamd */
int cli_imap(int argc, char **argv);    /* src/imap */

#endif
