/* SPDX-License-Identifier: MIT */
/*
 * paths.c — where an installed nise finds its data: next to itself, at
 * <bindir>/../share/nise, so that the same binary works from /usr, from
 * /usr/local and from a DESTDIR staging tree without the source tree.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front.h"

const char *cli_default_data_dir(void)
{
	static char dir[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char probe[PATH_MAX + 64];
	snprintf(probe, sizeof(probe), "%s/../share/nise/brands.tsv", exe);
	if (access(probe, R_OK) != 0)
		return NULL;
	snprintf(dir, sizeof(dir), "%s/../share/nise", exe);
	return dir;
}
