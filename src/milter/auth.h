/* SPDX-License-Identifier: MIT */
/*
 * auth.h — receive-time SPF (libspf2), DKIM (libopendkim) and DMARC
 * (libopendmarc) for nise milter, summed up as one Authentication-Results
 * header (RFC 8601).
 */
#ifndef NISE_MILTER_AUTH_H
#define NISE_MILTER_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "dns.h"

/* Process-wide set-up: DKIM library, DMARC library (with the public
 * suffix list at psl_file, for organisational domains), the resolver.
 * Call once before any auth_msg; not thread-safe. On failure writes a
 * reason to err and returns false. */
bool auth_global_init(const struct mdns *dns, const char *psl_file, char *err, size_t en);
void auth_global_fini(void);

struct auth_msg;

/* One message's verification. client_ip may be NULL (unknown client:
 * SPF "none"); helo and mailfrom may be "" (null sender <>). Returns NULL
 * when out of memory. The object belongs to one thread at a time. */
struct auth_msg *auth_msg_new(const char *client_ip, const char *helo, const char *mailfrom);
/* One header field as it arrived: name and value (the value as the MTA
 * sent it, leading space included). */
void auth_msg_header(struct auth_msg *m, const char *name, const char *value);
void auth_msg_eoh(struct auth_msg *m);
void auth_msg_body(struct auth_msg *m, const unsigned char *p, size_t n);
/* Finishes DKIM, runs SPF and DMARC, and returns the value of the
 * Authentication-Results header to prepend (authserv-id first, then one
 * result each for spf, every DKIM signature (or dkim=none) and dmarc, so
 * it always carries at least one result). malloc'd; NULL on no memory. */
char *auth_msg_finish(struct auth_msg *m, const char *authserv_id);
void auth_msg_free(struct auth_msg *m);

#endif
