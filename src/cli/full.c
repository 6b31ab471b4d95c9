/* SPDX-License-Identifier: MIT */
/*
 * full.c — the daemons and `update` live in nise-full, not in `nise`.
 *
 * `nise check` is started once per mail or per batch, and the dynamic
 * linker used to load 55 libraries for it: libcurl and its twenty
 * dependencies, libmicrohttpd, libmilter, libspf2, OpenDKIM, OpenDMARC,
 * libsodium, OpenSSL — a third of the instructions of a one-mail check,
 * for code only `serve`, `milter`, `spamd`, `imap` and `update` run
 * (bench/RESULTS.md, run 4). Those commands are in nise-full; `nise`
 * replaces itself with it (execv: same process, same arguments, same
 * signals), looked up next to the running binary (the build tree), in
 * ../libexec/nise/ from it (an installed tree, wherever its prefix), then
 * at the configured libexecdir.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static bool try_exec(const char *path, char **argv)
{
	if (access(path, X_OK) != 0)
		return false;
	execv(path, argv);
	return false; /* execv returns only on failure */
}

int cli_exec_full(char **argv)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char path[PATH_MAX + 64];
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/nise-full", self);
			if (try_exec(path, argv))
				return 2;
			snprintf(path, sizeof(path), "%s/../libexec/nise/nise-full", self);
			if (try_exec(path, argv))
				return 2;
		}
	}
	if (try_exec(NISE_LIBEXEC_FULL, argv))
		return 2;
	fprintf(stderr, "nise: %s is in nise-full, which was not found next to nise, in ../libexec/nise or at %s (%s)\n",
	        argv[1], NISE_LIBEXEC_FULL, strerror(errno));
	return 2;
}
