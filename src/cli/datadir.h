/* SPDX-License-Identifier: MIT */
/*
 * datadir.h — atomic replacement of the data directory by nise update
 * (datadir.c).
 */
#ifndef NISE_CLI_DATADIR_H
#define NISE_CLI_DATADIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct cli_data_file {
	char name[72];
	const char *data;
	size_t n;
};

/* Can dir be replaced: it is a symbolic link, or does not exist (its
 * parent does)? False with a reason when it is a real directory or
 * anything else. */
bool cli_datadir_swappable(const char *dir, char *why, size_t wn);

/* The "created" time of the bundle installed in dir (its .bundle file),
 * or -1 when there is none. */
int64_t cli_datadir_created(const char *dir);

/* Writes files (and .bundle) into a new sibling directory of dir, loads
 * an engine from it with conf's settings (the data must work before it
 * is used), then points the symbolic link dir at it with one rename(2)
 * and removes the directory it pointed at before (when nise update made
 * it). On any failure the new directory is removed and dir is untouched;
 * false with the reason in why. */
bool cli_datadir_install(const char *dir, const struct cli_data_file *files, size_t nfiles,
                         int64_t created, const struct cli_config *conf, char *why, size_t wn);

#endif
