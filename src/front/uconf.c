/* SPDX-License-Identifier: MIT */
/*
 * uconf.c — [update] and [feed NAME] of nise.conf. As for the rest of the
 * file: every key known, every value checked, an error names the line.
 */
#include "uconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"

void cli_update_conf_defaults(struct cli_update_conf *u)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->state, sizeof(u->state), "%s", CLI_UPDATE_STATE_DEFAULT);
	u->timeout = 300;
	u->max_bytes = (size_t)256 << 20;
	u->feed_expiry_days = 14;
}

static int text(char *d, size_t dn, const char *name, const char *value, char *reason, size_t rn)
{
	if (!*value || strlen(value) >= dn) {
		snprintf(reason, rn, "bad value for %s: '%s'", name, value);
		return 0;
	}
	snprintf(d, dn, "%s", value);
	return 1;
}

static int https(char *d, size_t dn, const char *name, const char *value, char *reason, size_t rn)
{
	if (strncmp(value, "https://", 8) != 0 || strpbrk(value, " \t\r\n")) {
		snprintf(reason, rn, "bad value for %s: '%s' (an https:// URL)", name, value);
		return 0;
	}
	return text(d, dn, name, value, reason, rn);
}

static bool number(const char *value, unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	if (errno || end == value || *end || value[0] == '-' || v == 0 || v > max)
		return false;
	*out = v;
	return true;
}

static int update_key(struct cli_update_conf *u, const char *name, const char *value, char *reason, size_t rn)
{
	unsigned long long v;
	if (strcmp(name, "bundle_url") == 0)
		return https(u->bundle_url, sizeof(u->bundle_url), name, value, reason, rn);
	if (strcmp(name, "public_key") == 0) {
		unsigned char pk[32];
		if (!nise_unhex(pk, sizeof(pk), value, strlen(value))) {
			snprintf(reason, rn, "bad value for public_key: '%s' (64 hex digits: nise update keygen)", value);
			return 0;
		}
		return text(u->public_key, sizeof(u->public_key), name, value, reason, rn);
	}
	if (strcmp(name, "ca_file") == 0)
		return text(u->ca_file, sizeof(u->ca_file), name, value, reason, rn);
	if (strcmp(name, "state") == 0)
		return text(u->state, sizeof(u->state), name, value, reason, rn);
	if (strcmp(name, "db") == 0)
		return text(u->db, sizeof(u->db), name, value, reason, rn);
	if (strcmp(name, "redis") == 0)
		return text(u->redis, sizeof(u->redis), name, value, reason, rn);
	if (strcmp(name, "timeout") == 0 || strcmp(name, "max_bytes") == 0 ||
	    strcmp(name, "feed_expiry_days") == 0) {
		unsigned long long max = name[0] == 't' ? 86400 : name[0] == 'm' ? 1ULL << 32 : 3650;
		if (!number(value, max, &v)) {
			snprintf(reason, rn, "bad value for %s: '%s' (1 to %llu)", name, value, max);
			return 0;
		}
		if (name[0] == 't')
			u->timeout = (long)v;
		else if (name[0] == 'm')
			u->max_bytes = (size_t)v;
		else
			u->feed_expiry_days = (long)v;
		return 1;
	}
	snprintf(reason, rn, "unknown key '%s' in section [update]", name);
	return 0;
}

int cli_update_conf_entry(struct cli_update_conf *u, const char *section, const char *name,
                          const char *value, char *reason, size_t rn)
{
	if (strcmp(section, "update") == 0)
		return update_key(u, name, value, reason, rn);
	if (strncmp(section, "feed ", 5) != 0)
		return -1;
	const char *fname = section + 5;
	if (strlen(fname) >= sizeof(u->feeds[0].name) || !nise_bundle_name_ok(fname)) {
		snprintf(reason, rn, "bad feed name [%s] (1-31 of A-Z a-z 0-9 . _ -)", section);
		return 0;
	}
	size_t i = 0;
	while (i < u->nfeeds && strcmp(u->feeds[i].name, fname) != 0)
		i++;
	if (i == u->nfeeds) {
		if (u->nfeeds == CLI_MAX_FEEDS) {
			snprintf(reason, rn, "more than %d feeds", CLI_MAX_FEEDS);
			return 0;
		}
		snprintf(u->feeds[u->nfeeds++].name, sizeof(u->feeds[0].name), "%s", fname);
	}
	struct cli_feed_conf *f = &u->feeds[i];
	if (strcmp(name, "url") == 0)
		return https(f->url, sizeof(f->url), name, value, reason, rn);
	if (strcmp(name, "format") == 0) {
		static const char *const formats[] = {"jpcert",   "phishtank-csv", "phishtank-json",
		                                      "openphish", "urls",          "domains"};
		for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++)
			if (strcmp(value, formats[k]) == 0)
				return text(f->format, sizeof(f->format), name, value, reason, rn);
		snprintf(reason, rn, "bad value for format: '%s' (jpcert, phishtank-csv, phishtank-json, "
		         "openphish, urls, domains)", value);
		return 0;
	}
	snprintf(reason, rn, "unknown key '%s' in section [%s]", name, section);
	return 0;
}

bool cli_update_conf_check(const struct cli_update_conf *u, char *reason, size_t rn)
{
	for (size_t i = 0; i < u->nfeeds; i++)
		if (!u->feeds[i].url[0] || !u->feeds[i].format[0]) {
			snprintf(reason, rn, "[feed %s] needs url and format", u->feeds[i].name);
			return false;
		}
	if (u->bundle_url[0] && !u->public_key[0]) {
		snprintf(reason, rn, "[update] bundle_url needs public_key");
		return false;
	}
	if (u->db[0] && u->redis[0]) {
		snprintf(reason, rn, "[update] db and redis: choose one");
		return false;
	}
	return true;
}

void cli_update_conf_print(const struct cli_update_conf *u, FILE *f)
{
	if (!u->bundle_url[0] && !u->nfeeds)
		return;
	fprintf(f, "\n[update]\n");
	if (u->bundle_url[0])
		fprintf(f, "bundle_url = %s\npublic_key = %s\n", u->bundle_url, u->public_key);
	if (u->ca_file[0])
		fprintf(f, "ca_file = %s\n", u->ca_file);
	fprintf(f, "state = %s\ntimeout = %ld\nmax_bytes = %zu\nfeed_expiry_days = %ld\n", u->state, u->timeout,
	        u->max_bytes, u->feed_expiry_days);
	if (u->db[0])
		fprintf(f, "db = %s\n", u->db);
	if (u->redis[0])
		fprintf(f, "redis = %s\n", u->redis);
	for (size_t i = 0; i < u->nfeeds; i++)
		fprintf(f, "\n[feed %s]\nurl = %s\nformat = %s\n", u->feeds[i].name, u->feeds[i].url,
		        u->feeds[i].format);
}
