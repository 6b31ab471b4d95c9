/* SPDX-License-Identifier: MIT */
/*
 * store.c — the store options every command and front end shares:
 * --db PATH, --redis URL, and opening the store they name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"

bool cli_store_arg(struct cli_store_opts *so, int argc, char **argv, int *i)
{
	if (strcmp(argv[*i], "--db") == 0 && *i + 1 < argc) {
		so->db = argv[++*i];
		return true;
	}
	if (strcmp(argv[*i], "--redis") == 0 && *i + 1 < argc) {
		so->redis = argv[++*i];
		return true;
	}
	return false;
}

/* mkdir -p of the directories above path, private to the user (0700) */
static void mkdir_parents(const char *path)
{
	char buf[512];
	size_t n = strlen(path);
	if (n >= sizeof(buf))
		return;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return;
		buf[i] = '/';
	}
}

bool cli_store_open(struct nise_store **out, const struct cli_store_opts *so, bool create,
                    const char *cmd)
{
	char diag[600] = "", def[512];
	*out = NULL;
	const char *spec = so->redis ? so->redis : so->db;
	bool explicit = spec != NULL;
	if (!spec) {
		if (!nise_store_default_path(def, sizeof(def)))
			return true;
		spec = def;
	}
	/* a store nobody named is created only where the user can find it
	 * again: say where */
	bool announce = !explicit && create && access(spec, F_OK) != 0;
	if (announce)
		mkdir_parents(def);
	nise_rc rc = nise_store_open(out, spec, create || explicit, diag, sizeof(diag));
	if (rc == NISE_ENOTFOUND && !explicit && !create)
		return true; /* no store yet: nise works without one */
	if (rc != NISE_OK) {
		fprintf(stderr, "nise %s: cannot open the store: %s\n", cmd, *diag ? diag : nise_strerror(rc));
		return false;
	}
	if (announce)
		fprintf(stderr, "nise %s: created the store %s (--db PATH or --redis URL to use another)\n", cmd,
		        spec);
	return true;
}

bool cli_learned_dir(const struct cli_store_opts *so, char *buf, size_t n)
{
	int k;
	if (so->db && !so->redis) {
		k = snprintf(buf, n, "%s.learned", so->db);
	} else {
		/* Redis, or the default store: this host's data directory (the
		 * mails never leave the host, whatever store is shared) */
		char def[512];
		if (!nise_store_default_path(def, sizeof(def)))
			return false;
		char *slash = strrchr(def, '/');
		if (slash)
			*slash = '\0';
		k = snprintf(buf, n, "%s/learned", def);
	}
	return k > 0 && (size_t)k < n;
}
