/* SPDX-License-Identifier: MIT */
/*
 * store.c — opening a store by its spec (a path or a Redis URL), and the
 * default location.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intel/store.h"

nise_rc nise_store_open(struct nise_store **out, const char *spec, bool create, char *diag,
                        size_t dn)
{
	char tmp[8];
	if (!diag || !dn) {
		diag = tmp;
		dn = sizeof(tmp);
	}
	*out = NULL;
	if (!spec || !*spec) {
		snprintf(diag, dn, "empty store name");
		return NISE_EINVAL;
	}
	if (strncmp(spec, "redis://", 8) == 0 || strncmp(spec, "unix:", 5) == 0)
		return nise_store_redis_open(out, spec, diag, dn);
	if (create) {
		/* the directory itself, one level (~/.local/share/nise) */
		char dir[512];
		snprintf(dir, sizeof(dir), "%s", spec);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				snprintf(diag, dn, "%s: %s", dir, strerror(errno));
				return NISE_EIO;
			}
		}
	}
	return nise_store_lmdb_open(out, spec, create, diag, dn);
}

void nise_store_close(struct nise_store *s)
{
	if (s)
		s->ops->close(s);
}

const char *nise_store_backend(const struct nise_store *s)
{
	return s->ops->name;
}

nise_rc nise_store_ping(struct nise_store *s)
{
	return s->ops->ping ? s->ops->ping(s) : NISE_OK;
}

void nise_store_health(const struct nise_store *s, struct nise_store_health *out)
{
	out->up = !__atomic_load_n(&s->down, __ATOMIC_RELAXED);
	out->reconnects = __atomic_load_n(&s->reconnects, __ATOMIC_RELAXED);
	out->failures = __atomic_load_n(&s->failures, __ATOMIC_RELAXED);
}

bool nise_store_default_path(char *buf, size_t bn)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	int w;
	if (xdg && *xdg == '/') {
		w = snprintf(buf, bn, "%s/nise/nise.lmdb", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home)
			return false;
		w = snprintf(buf, bn, "%s/.local/share/nise/nise.lmdb", home);
	}
	return w > 0 && (size_t)w < bn;
}
