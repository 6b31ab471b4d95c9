/* SPDX-License-Identifier: MIT */
/*
 * datadir.c — the data directory swap of nise update.
 *
 * data_dir (nise.conf [nise]) is a symbolic link to a sibling directory
 * ".<base>.XXXXXX" that nise update made. An update writes every file of
 * the verified bundle into a new sibling (mkdtemp, files O_EXCL, fsync),
 * builds an engine from it — brands, lexicons, model: data that does not
 * load is never installed — then makes a link ".<base>.link" to it and
 * rename(2)s that over data_dir: readers see the old directory or the new
 * one, never a mix. Only then is the old sibling removed. A daemon keeps
 * its loaded engine until SIGHUP (the milter) or a restart (serve).
 *
 * A real directory at data_dir is refused rather than replaced: moving it
 * away and linking would leave a moment with no data at all. Directories
 * are flat (bundle names have no '/'), so removal never recurses.
 */
#include "datadir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void split(const char *dir, char *parent, size_t pn, char *base, size_t bn)
{
	char tmp[1024];
	snprintf(tmp, sizeof(tmp), "%s", dir);
	size_t n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	char *slash = strrchr(tmp, '/');
	if (!slash) {
		snprintf(parent, pn, ".");
		snprintf(base, bn, "%s", tmp);
	} else {
		snprintf(base, bn, "%s", slash + 1);
		if (slash == tmp)
			snprintf(parent, pn, "/");
		else {
			*slash = '\0';
			snprintf(parent, pn, "%s", tmp);
		}
	}
}

bool cli_datadir_swappable(const char *dir, char *why, size_t wn)
{
	struct stat st;
	if (lstat(dir, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return true;
		snprintf(why, wn, "%s is not a symbolic link: nise update replaces data_dir by switching a link; "
		         "move the directory away and link it (mv %s %s.orig && ln -s %s.orig %s)",
		         dir, dir, dir, dir, dir);
		return false;
	}
	if (errno != ENOENT) {
		snprintf(why, wn, "%s: %s", dir, strerror(errno));
		return false;
	}
	char parent[1024], base[256];
	split(dir, parent, sizeof(parent), base, sizeof(base));
	if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(why, wn, "%s: no such directory", parent);
		return false;
	}
	return true;
}

int64_t cli_datadir_created(const char *dir)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s/.bundle", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[64] = "";
	int64_t v = -1;
	if (fgets(line, sizeof(line), f) && strncmp(line, "created ", 8) == 0) {
		char *end;
		long long x = strtoll(line + 8, &end, 10);
		if (end != line + 8 && x >= 0)
			v = (int64_t)x;
	}
	fclose(f);
	return v;
}

/* Removes a flat directory made by nise update. */
static void remove_flat(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(path);
}

static bool write_file(int dfd, const char *name, const char *data, size_t n, char *why, size_t wn)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(why, wn, "%s: %s", name, strerror(errno));
		return false;
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(why, wn, "%s: %s", name, w < 0 ? strerror(errno) : "short write");
			close(fd);
			return false;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		snprintf(why, wn, "%s: %s", name, strerror(errno));
		return false;
	}
	return true;
}

static bool loads(const char *newdir, const struct cli_config *conf, char *why, size_t wn)
{
	struct nise_engine_opts o = {0};
	cli_config_to_opts(conf, &o);
	o.data_dir = newdir;
	if (!conf->model[0])
		o.model_path = NULL; /* the bundle's own model.bin, when it has one */
	struct nise_engine *e = NULL;
	char diag[512] = "";
	nise_rc rc = nise_engine_new(&e, &o, diag, sizeof(diag));
	if (rc != NISE_OK) {
		snprintf(why, wn, "the new data does not load: %s", diag[0] ? diag : nise_strerror(rc));
		return false;
	}
	nise_engine_free(e);
	return true;
}

bool cli_datadir_install(const char *dir, const struct cli_data_file *files, size_t nfiles,
                         int64_t created, const struct cli_config *conf, char *why, size_t wn)
{
	if (!cli_datadir_swappable(dir, why, wn))
		return false;
	char parent[1024], base[256], newdir[1400], link[1400], old[2400] = "";
	split(dir, parent, sizeof(parent), base, sizeof(base));
	snprintf(newdir, sizeof(newdir), "%s/.%s.XXXXXX", parent, base);
	if (!mkdtemp(newdir)) {
		snprintf(why, wn, "%s: %s", newdir, strerror(errno));
		return false;
	}
	bool ok = chmod(newdir, 0755) == 0;
	if (!ok)
		snprintf(why, wn, "%s: %s", newdir, strerror(errno));
	int dfd = ok ? open(newdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (ok && dfd < 0) {
		snprintf(why, wn, "%s: %s", newdir, strerror(errno));
		ok = false;
	}
	for (size_t i = 0; ok && i < nfiles; i++)
		ok = write_file(dfd, files[i].name, files[i].data, files[i].n, why, wn);
	if (ok) {
		char info[64];
		int n = snprintf(info, sizeof(info), "created %" PRId64 "\n", created);
		ok = write_file(dfd, ".bundle", info, (size_t)n, why, wn);
	}
	if (dfd >= 0) {
		if (ok && fsync(dfd) != 0) {
			snprintf(why, wn, "%s: %s", newdir, strerror(errno));
			ok = false;
		}
		close(dfd);
	}
	if (ok)
		ok = loads(newdir, conf, why, wn);
	/* the old target, removed after the switch when it is ours */
	char target[1024];
	ssize_t tn = ok ? readlink(dir, target, sizeof(target) - 1) : -1;
	if (tn > 0) {
		target[tn] = '\0';
		char prefix[300];
		snprintf(prefix, sizeof(prefix), ".%s.", base);
		if (!strchr(target, '/') && strncmp(target, prefix, strlen(prefix)) == 0)
			snprintf(old, sizeof(old), "%s/%s", parent, target);
	}
	if (ok) {
		snprintf(link, sizeof(link), "%s/.%s.link", parent, base);
		unlink(link); /* a leftover of an interrupted update */
		const char *rel = strrchr(newdir, '/') + 1;
		if (symlink(rel, link) != 0 || rename(link, dir) != 0) {
			snprintf(why, wn, "switching %s: %s", dir, strerror(errno));
			unlink(link);
			ok = false;
		}
	}
	if (!ok) {
		remove_flat(newdir);
		return false;
	}
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0) {
		fsync(pfd);
		close(pfd);
	}
	if (old[0])
		remove_flat(old);
	return true;
}
