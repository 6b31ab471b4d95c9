/* SPDX-License-Identifier: MIT */
/*
 * dns.c — one class-IN query through glibc's resolver (res_nquery), with
 * the name server of milter.conf when one is set.
 *
 * Why a wrapper: libspf2's resolver layer and libopendkim's default both
 * read /etc/resolv.conf and nothing else, and an operator (or a test)
 * must be able to point nise at another server without touching the
 * system's. Each thread gets its own res_state (res_nquery is reentrant
 * per state); changing nsaddr_list after res_ninit is the documented way
 * to choose servers. The answer is parsed by the libraries themselves
 * (libresolv's ns_parserr for SPF, libopendkim for DKIM): nothing here
 * reads untrusted bytes.
 */
#include "dns.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

bool mdns_parse_server(struct mdns *out, const char *spec)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	size_t hn = colon ? (size_t)(colon - spec) : strlen(spec);
	if (hn == 0 || hn >= sizeof(host))
		return false;
	memcpy(host, spec, hn);
	host[hn] = '\0';
	unsigned long port = 53;
	if (colon) {
		char *end;
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || port == 0 || port > 65535)
			return false;
	}
	memset(&out->ns, 0, sizeof(out->ns));
	out->ns.sin_family = AF_INET;
	out->ns.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &out->ns.sin_addr) != 1)
		return false;
	out->custom = true;
	return true;
}

static _Thread_local struct __res_state tls_res;
static _Thread_local bool tls_ready;

static res_state thread_state(const struct mdns *d)
{
	if (!tls_ready) {
		memset(&tls_res, 0, sizeof(tls_res));
		if (res_ninit(&tls_res) != 0)
			return NULL;
		tls_ready = true;
	}
	if (d->custom) {
		tls_res.nsaddr_list[0] = d->ns;
		tls_res.nscount = 1;
	}
	tls_res.retrans = (int)(d->timeout_s ? d->timeout_s : 5);
	tls_res.retry = 2;
	return &tls_res;
}

int mdns_query(const struct mdns *d, const char *name, int type, unsigned char *buf, size_t n,
               int *herr)
{
	res_state st = thread_state(d);
	if (!st) {
		*herr = TRY_AGAIN;
		return -1;
	}
	int len = res_nquery(st, name, ns_c_in, type, buf, (int)(n > 65535 ? 65535 : n));
	if (len < 0) {
		*herr = st->res_h_errno == HOST_NOT_FOUND || st->res_h_errno == NO_DATA ? st->res_h_errno
		                                                                        : TRY_AGAIN;
		return -1;
	}
	*herr = NETDB_SUCCESS;
	return len;
}
