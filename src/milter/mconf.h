/* SPDX-License-Identifier: MIT */
/*
 * mconf.h — milter.conf, the settings of nise milter
 * (docs/man/nise-milter.8.scd documents every key).
 */
#ifndef NISE_MILTER_MCONF_H
#define NISE_MILTER_MCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What to do with a message judged phishing or suspicious. */
enum mconf_action {
	MACT_HEADER = 0,   /* add X-Nise-* headers only */
	MACT_TAG,          /* headers, and prefix the Subject */
	MACT_QUARANTINE,   /* headers, and smfi_quarantine (Postfix: hold queue) */
	MACT_REJECT,       /* 550 5.7.1 at end of data */
};

/* What to do when nise cannot vouch for a message (internal error, a
 * limit cut the scan short): never a silent drop. */
enum mconf_fail {
	MFAIL_ACCEPT = 0,  /* deliver with X-Nise-Verdict: unchecked reason=... */
	MFAIL_TEMPFAIL,    /* 451 4.3.0: the client retries later */
};

struct mconf {
	const char *path;            /* the file read */
	char socket[256];            /* libmilter spec: inet:PORT@HOST, unix:/path */
	char authserv_id[256];       /* ours, in Authentication-Results */
	char nise_config[1024];      /* nise.conf for the engine; "" = its default lookup */
	char dns_server[64];         /* "IPv4[:port]"; "" = /etc/resolv.conf */
	char psl_file[1024];         /* public suffix list for DMARC */
	char tag[64];                /* subject prefix for MACT_TAG; "" = by lang */
	char lang[8];                /* X-Nise-Reason and the default tag: ja, en, "" = nise.conf's, else the locale */
	bool reason;                 /* add X-Nise-Reason */
	bool auth;                   /* verify SPF/DKIM/DMARC */
	enum mconf_action on_phishing, on_suspicious;
	enum mconf_fail on_error, on_limit;
	unsigned timeout;            /* seconds libmilter waits on the MTA */
	unsigned drain_seconds;      /* SIGTERM: wait this long for messages in flight */
};

/* Defaults, then the file at path. On error writes "FILE:LINE: reason" to
 * err and returns false. */
bool mconf_load(struct mconf *out, const char *path, char *err, size_t en);
void mconf_print(const struct mconf *c, FILE *f);
const char *mconf_action_name(enum mconf_action a);
/* The subject tag: tag, else "[phishing]" (en) or "[詐欺注意]" (ja). */
const char *mconf_tag(const struct mconf *c, bool ja);

#endif
