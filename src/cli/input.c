/* SPDX-License-Identifier: MIT */
/*
 * input.c — reading mail from files, mboxes, directories and stdin.
 *
 * A directory is walked recursively in sorted order, so output order is
 * stable; a Maildir is just a directory with cur/new/tmp. A file that starts
 * with "From " is an mbox and yields one message per postmark line. Files
 * are read whole (mail is small; the engine caps what it looks at).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

char *cli_slurp(FILE *f, size_t *n)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = cap > ((size_t)1 << 30) ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*n = len;
	return buf;
}

struct mbox_ctx {
	const char *source;
	cli_msg_fn fn;
	void *ctx;
	bool stop;
};

static nise_rc on_mbox_msg(const char *buf, size_t n, size_t index, void *vctx)
{
	struct mbox_ctx *mc = vctx;
	struct cli_msg m = {.source = mc->source, .index = index, .in_mbox = true, .buf = buf, .n = n};
	if (!mc->fn(&m, mc->ctx)) {
		mc->stop = true;
		return NISE_ELIMIT;
	}
	return NISE_OK;
}

/* Returns 0 on success, 1 on a read error; *stop when fn asked to stop. */
static int do_file(const char *path, FILE *f, cli_msg_fn fn, void *ctx, bool *stop)
{
	size_t n = 0;
	char *buf = cli_slurp(f, &n);
	if (!buf) {
		fprintf(stderr, "nise: %s: cannot read: %s\n", path, strerror(errno ? errno : EIO));
		return 1;
	}
	if (nise_is_mbox(buf, n)) {
		struct mbox_ctx mc = {.source = path, .fn = fn, .ctx = ctx};
		nise_mbox_split(buf, n, on_mbox_msg, &mc);
		*stop = mc.stop;
	} else {
		struct cli_msg m = {.source = path, .buf = buf, .n = n};
		*stop = !fn(&m, ctx);
	}
	free(buf);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_path(const char *path, cli_msg_fn fn, void *ctx, bool *stop, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 32)
			return 0;
		DIR *d = opendir(path);
		if (!d) {
			fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
			return 1;
		}
		char **names = NULL;
		size_t nn = 0, cap = 0;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			if (nn == cap) {
				cap = cap ? cap * 2 : 64;
				char **nb = realloc(names, cap * sizeof(*names));
				if (!nb)
					break;
				names = nb;
			}
			names[nn] = strdup(de->d_name);
			if (names[nn])
				nn++;
		}
		closedir(d);
		qsort(names, nn, sizeof(*names), cmpstr);
		int errs = 0;
		for (size_t i = 0; i < nn; i++) {
			if (!*stop) {
				size_t len = strlen(path) + strlen(names[i]) + 2;
				char *sub = malloc(len);
				if (sub) {
					snprintf(sub, len, "%s/%s", path, names[i]);
					errs += do_path(sub, fn, ctx, stop, depth + 1);
					free(sub);
				}
			}
			free(names[i]);
		}
		free(names);
		return errs;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	/* sidecar files of the corpora are not mail */
	size_t pl = strlen(path);
	if ((pl > 4 && (strcmp(path + pl - 4, ".tsv") == 0 || strcmp(path + pl - 4, ".csv") == 0 ||
	                strcmp(path + pl - 3, ".md") == 0 || strcmp(path + pl - 5, ".json") == 0)) &&
	    depth > 0)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
		return 1;
	}
	int r = do_file(path, f, fn, ctx, stop);
	fclose(f);
	return r;
}

int cli_for_each_message(char *const *inputs, int ninputs, cli_msg_fn fn, void *ctx)
{
	int errs = 0;
	bool stop = false;
	if (ninputs == 0) {
		errs += do_file("-", stdin, fn, ctx, &stop);
		return errs;
	}
	for (int i = 0; i < ninputs && !stop; i++) {
		if (strcmp(inputs[i], "-") == 0)
			errs += do_file("-", stdin, fn, ctx, &stop);
		else
			errs += do_path(inputs[i], fn, ctx, &stop, 0);
	}
	return errs;
}
