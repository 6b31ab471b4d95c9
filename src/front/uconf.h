/* SPDX-License-Identifier: MIT */
/*
 * uconf.h — the [update] and [feed NAME] sections of nise.conf, read by
 * config.c and used by nise update (update.c). nise.conf(5) and
 * nise-update(1) document every key.
 */
#ifndef NISE_CLI_UCONF_H
#define NISE_CLI_UCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_FEEDS 32

struct cli_feed_conf {
	char name[32];   /* [A-Za-z0-9._-], stored with each entry */
	char url[1024];  /* https:// */
	char format[24]; /* a nise intel import format */
};

struct cli_update_conf {
	char bundle_url[1024]; /* "" none */
	char public_key[65];   /* 64 hex digits (Ed25519), or "" */
	char ca_file[1024];    /* "" the system's CA certificates */
	char state[1024];      /* ETag / Last-Modified per URL */
	char db[1024];         /* the store for feeds: LMDB path, or */
	char redis[1024];      /* a Redis URL; both "": the default store */
	long timeout;          /* seconds per download */
	size_t max_bytes;      /* per download */
	long feed_expiry_days; /* kept this long after leaving their feed */
	struct cli_feed_conf feeds[CLI_MAX_FEEDS];
	size_t nfeeds;
};

#define CLI_UPDATE_STATE_DEFAULT "/var/lib/nise/update.state"

void cli_update_conf_defaults(struct cli_update_conf *u);

/* One key of section. Returns 1 when taken, 0 on a bad key or value
 * (reason written), -1 when the section is not [update] or [feed ...]. */
int cli_update_conf_entry(struct cli_update_conf *u, const char *section, const char *name,
                          const char *value, char *reason, size_t rn);

/* After the whole file: every [feed] has url and format; a bundle_url has
 * a public_key. False with a reason otherwise. */
bool cli_update_conf_check(const struct cli_update_conf *u, char *reason, size_t rn);

void cli_update_conf_print(const struct cli_update_conf *u, FILE *f);

#endif
