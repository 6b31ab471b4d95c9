/* SPDX-License-Identifier: MIT */
/*
 * inifile.h — the one way every configuration file of nise is read
 * (nise.conf, milter.conf, spamd.conf): INI through inih, every key known,
 * every value checked, and any error "FILE:LINE: reason".
 *
 * Comments: a line starting with '#' or ';', and after a value a '#' or
 * ';' that has white space before it (`timeout = 30   # seconds`): the
 * comment and the white space before it are not part of the value. A
 * value that needs " #" or " ;" cannot be written (none of nise's does).
 */
#ifndef NISE_FRONT_INIFILE_H
#define NISE_FRONT_INIFILE_H

#include <stdbool.h>
#include <stddef.h>

struct front_ini;

/* Called per key; returns 1, or 0 after front_ini_fail(). */
typedef int (*front_ini_fn)(struct front_ini *st, const char *section, const char *name,
                            const char *value);

struct front_ini {
	const char *path;   /* set by front_ini_load */
	unsigned line;      /* the line of the key being handled (1-based) */
	char reason[256];   /* the first failure */
	front_ini_fn entry;
	void *user;         /* the handler's settings */
	/* internal */
	void *f;
	unsigned too_long;  /* the first line longer than inih reads */
};

/* Records the reason (the first one wins) and returns 0. */
int front_ini_fail(struct front_ini *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies v into dst[n]; fails ("value for NAME too long") when it does not fit. */
int front_ini_str(struct front_ini *st, char *dst, size_t n, const char *name, const char *v);
/* A whole number from lo to hi into *dst. */
int front_ini_uint(struct front_ini *st, unsigned *dst, const char *name, const char *v, unsigned lo,
                   unsigned hi);
/* "accept" (false) or "tempfail" (true), for on_error and on_limit. */
int front_ini_tempfail(struct front_ini *st, bool *dst, const char *name, const char *v);

/* Reads path with st->entry (st->user as given). 1: read; 0: the file
 * does not exist and optional is true; -1: an error, "FILE:LINE: reason"
 * or "FILE: reason" in err (an unreadable file, a directory, a line too
 * long, a syntax error or the handler's reason). */
int front_ini_load(struct front_ini *st, const char *path, bool optional, char *err, size_t en);

#endif
