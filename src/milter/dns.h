/* SPDX-License-Identifier: MIT */
/*
 * dns.h — the one resolver SPF (libspf2), DKIM (libopendkim) and DMARC
 * (libopendmarc) share in nise milter: the system's (/etc/resolv.conf),
 * or the one server named by `dns_server` in milter.conf.
 */
#ifndef NISE_MILTER_DNS_H
#define NISE_MILTER_DNS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct mdns {
	bool custom;              /* false: the system resolver */
	struct sockaddr_in ns;    /* the server when custom */
	unsigned timeout_s;       /* per try */
};

/* Parses "IPV4[:PORT]" (port 53 by default) into *out. False on a bad
 * value. */
bool mdns_parse_server(struct mdns *out, const char *spec);

/* One class-IN query, answer into buf. Returns the answer's length, or -1
 * with *herr set to HOST_NOT_FOUND (NXDOMAIN), NO_DATA or TRY_AGAIN.
 * Thread-safe: each thread keeps its own resolver state. */
int mdns_query(const struct mdns *d, const char *name, int type, unsigned char *buf, size_t n,
               int *herr);

#endif
