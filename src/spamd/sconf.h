/* SPDX-License-Identifier: MIT */
/*
 * sconf.h — spamd.conf, the settings of nise spamd
 * (docs/man/nise-spamd.8.scd documents every key).
 */
#ifndef NISE_SPAMD_SCONF_H
#define NISE_SPAMD_SCONF_H

#include <stdbool.h>
#include <stdio.h>

/* When nise cannot vouch for a message (an internal error, a limit cut
 * the scan short): as the milter, never a silent "clean". */
enum sconf_fail {
	SFAIL_ACCEPT = 0,  /* answer "unchecked": score 5.0, Spam: False, the reason as symbol */
	SFAIL_TEMPFAIL,    /* answer 75 EX_TEMPFAIL: Exim defers (451), spamc passes the mail unchanged */
};

struct sconf {
	const char *path;          /* the file read, NULL: defaults */
	char listen[256];          /* HOST:PORT, [IPv6]:PORT or unix:/path */
	char nise_config[1024];    /* nise.conf for the engine; "" = its default lookup */
	char lang[8];              /* report language: ja, en, "" = nise.conf's, else the locale */
	bool reason;               /* PROCESS/HEADERS add X-Nise-Reason */
	enum sconf_fail on_error, on_limit;
	unsigned timeout;          /* seconds a client may take to send a request or read the answer */
	unsigned workers;          /* requests judged at once (threads) */
	unsigned drain_seconds;    /* SIGTERM: wait this long for requests in flight */
};

/* Defaults, then the file at path (NULL: defaults only). On error writes
 * "FILE:LINE: reason" to err and returns false. */
bool sconf_load(struct sconf *out, const char *path, char *err, size_t en);
void sconf_print(const struct sconf *c, FILE *f);

#endif
