/* SPDX-License-Identifier: MIT */
/*
 * input.c — reading mail from files, mboxes, directories and stdin.
 *
 * A directory is walked in sorted order, so output order is stable. A
 * Maildir folder (a directory with cur/ or new/) is read as a mail folder:
 * the files of cur/ and new/ only, then its subfolders, Maildir++
 * ("./.Junk/", "./.Sent/") or directory layout ("./Junk/"), that are
 * Maildir folders themselves; tmp/ (mail being delivered) and the
 * server's files (dovecot.index*, dovecot-uidlist, subscriptions,
 * maildirfolder, ...) are never read. Any other directory is walked
 * whole, without its hidden (dot) entries and with the same server files
 * skipped.
 *
 * Symbolic links are followed, to files and directories, wherever they
 * point (a link to a file outside the tree is judged like a file in it).
 * Each file and each directory is read once per run, by device and
 * inode: a link loop ("a/up -> ..") or a second path to the same mail
 * adds nothing, and no walk goes deeper than WALK_DEPTH directories (what
 * is deeper is reported and counted as unreadable). A link that points
 * nowhere is reported and counted as unreadable.
 *
 * An empty input (0 bytes, or nothing but blank lines) is not a mail: it
 * is reported and counted as unreadable (check exits 2), never judged.
 *
 * A file that starts with "From " is an mbox and yields one message per
 * postmark line. Files are read whole (mail is small; the engine caps
 * what it looks at).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool cli_is_empty_input(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != '\n' && buf[i] != '\r' && buf[i] != ' ' && buf[i] != '\t')
			return false;
	return true;
}

/* Returns 0 on success, 1 on a read error or an empty input; *stop when
 * fn asked to stop. */
static int do_file(const char *path, FILE *f, cli_msg_fn fn, void *ctx, bool *stop)
{
	size_t n = 0;
	char *buf = cli_slurp(f, &n);
	if (!buf) {
		fprintf(stderr, "nise: %s: cannot read: %s\n", path, strerror(errno ? errno : EIO));
		return 1;
	}
	if (cli_is_empty_input(buf, n)) {
		fprintf(stderr, "nise: %s: empty input (%zu bytes%s): not a mail, not judged\n",
		        strcmp(path, "-") == 0 ? "standard input" : path, n, n ? ", only blank lines" : "");
		free(buf);
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

#define WALK_DEPTH 32

/* the files and directories read so far: an open-addressing set of
 * (device, inode) */
struct seen {
	struct {
		dev_t dev;
		ino_t ino;
		bool used;
	} *slot;
	size_t cap, n;
};

struct walk {
	cli_msg_fn fn;
	void *ctx;
	bool stop;
	struct seen seen;
};

static size_t seen_hash(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4Full;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds st's file to the set: false when it was there already. On no
 * memory the file counts as new (read again rather than lost). */
static bool seen_add(struct seen *s, const struct stat *st)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct seen t = {calloc(nc, sizeof(*t.slot)), nc, 0};
		if (!t.slot)
			return true;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i].used)
				continue;
			size_t h = seen_hash(s->slot[i].dev, s->slot[i].ino, nc);
			while (t.slot[h].used)
				h = (h + 1) & (nc - 1);
			t.slot[h] = s->slot[i];
			t.n++;
		}
		free(s->slot);
		*s = t;
	}
	size_t h = seen_hash(st->st_dev, st->st_ino, s->cap);
	while (s->slot[h].used) {
		if (s->slot[h].dev == st->st_dev && s->slot[h].ino == st->st_ino)
			return false;
		h = (h + 1) & (s->cap - 1);
	}
	s->slot[h].dev = st->st_dev;
	s->slot[h].ino = st->st_ino;
	s->slot[h].used = true;
	s->n++;
	return true;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory path, sorted, without "." and ".."; NULL with
 * *nn 0 when it cannot be read (reported). */
static char **list_dir(const char *path, size_t *nn)
{
	*nn = 0;
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*nn == cap) {
			cap = cap ? cap * 2 : 64;
			char **nb = realloc(names, cap * sizeof(*names));
			if (!nb)
				break;
			names = nb;
		}
		names[*nn] = strdup(de->d_name);
		if (names[*nn])
			(*nn)++;
	}
	closedir(d);
	if (*nn)
		qsort(names, *nn, sizeof(*names), cmpstr);
	return names;
}

static void free_names(char **names, size_t nn)
{
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
}

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return p;
}

static bool is_dir(const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct stat st;
	bool r = p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return r;
}

/* A Maildir folder: a directory with cur/ or new/. */
static bool is_maildir(const char *path)
{
	return is_dir(path, "cur") || is_dir(path, "new");
}

/* Files a mail server keeps next to mail, never mail themselves. */
static bool server_file(const char *name)
{
	return strncmp(name, "dovecot", 7) == 0 || strcmp(name, "subscriptions") == 0 ||
	       strcmp(name, "maildirfolder") == 0 || strncmp(name, "courier", 7) == 0 ||
	       strcmp(name, "maildirsize") == 0;
}

static int walk_path(struct walk *w, const char *path, int depth);

/* The messages of a Maildir folder's cur/ or new/: files only. */
static int walk_maildir_sub(struct walk *w, const char *dir, int depth)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || !seen_add(&w->seen, &st))
		return 0;
	size_t nn;
	char **names = list_dir(dir, &nn);
	if (!names && nn == 0 && access(dir, R_OK) != 0)
		return 1;
	int errs = 0;
	for (size_t i = 0; i < nn && !w->stop; i++) {
		if (names[i][0] == '.')
			continue;
		char *p = join(dir, names[i]);
		if (!p)
			continue;
		struct stat fs;
		if (stat(p, &fs) != 0) {
			fprintf(stderr, "nise: %s: %s\n", p, strerror(errno));
			errs++;
		} else if (S_ISREG(fs.st_mode)) {
			errs += walk_path(w, p, depth + 1);
		}
		free(p);
	}
	free_names(names, nn);
	return errs;
}

static int walk_dir(struct walk *w, const char *path, int depth)
{
	if (depth >= WALK_DEPTH) {
		fprintf(stderr, "nise: %s: more than %d directories deep: not read\n", path, WALK_DEPTH);
		return 1;
	}
	bool maildir = is_maildir(path);
	size_t nn;
	char **names = list_dir(path, &nn);
	if (!names && access(path, R_OK) != 0)
		return 1;
	int errs = 0;
	if (maildir) {
		char *cur = join(path, "cur"), *nw = join(path, "new");
		if (cur)
			errs += walk_maildir_sub(w, cur, depth);
		if (nw && !w->stop)
			errs += walk_maildir_sub(w, nw, depth);
		free(cur);
		free(nw);
	}
	for (size_t i = 0; i < nn && !w->stop; i++) {
		const char *nm = names[i];
		if (maildir) {
			/* subfolders only: Maildir++ ".Junk" or layout=fs "Junk" */
			if (strcmp(nm, "cur") == 0 || strcmp(nm, "new") == 0 || strcmp(nm, "tmp") == 0 ||
			    strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
				continue;
			char *p = join(path, nm);
			if (p && is_dir(path, nm) && is_maildir(p))
				errs += walk_path(w, p, depth + 1);
			free(p);
			continue;
		}
		if (nm[0] == '.' || server_file(nm))
			continue;
		char *p = join(path, nm);
		if (p)
			errs += walk_path(w, p, depth + 1);
		free(p);
	}
	free_names(names, nn);
	return errs;
}

static int walk_path(struct walk *w, const char *path, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!seen_add(&w->seen, &st))
			return 0; /* a loop, or a second path to a directory read */
		return walk_dir(w, path, depth);
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	/* sidecar files of the corpora are not mail */
	size_t pl = strlen(path);
	if ((pl > 4 && (strcmp(path + pl - 4, ".tsv") == 0 || strcmp(path + pl - 4, ".csv") == 0 ||
	                strcmp(path + pl - 3, ".md") == 0 || strcmp(path + pl - 5, ".json") == 0)) &&
	    depth > 0)
		return 0;
	if (!seen_add(&w->seen, &st))
		return 0; /* read already, by another path */
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "nise: %s: %s\n", path, strerror(errno));
		return 1;
	}
	int r = do_file(path, f, w->fn, w->ctx, &w->stop);
	fclose(f);
	return r;
}

int cli_for_each_message(char *const *inputs, int ninputs, cli_msg_fn fn, void *ctx)
{
	int errs = 0;
	struct walk w = {.fn = fn, .ctx = ctx};
	if (ninputs == 0) {
		errs += do_file("-", stdin, fn, ctx, &w.stop);
		return errs;
	}
	for (int i = 0; i < ninputs && !w.stop; i++) {
		if (strcmp(inputs[i], "-") == 0)
			errs += do_file("-", stdin, fn, ctx, &w.stop);
		else
			errs += walk_path(&w, inputs[i], 0);
	}
	free(w.seen.slot);
	return errs;
}
