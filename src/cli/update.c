/* SPDX-License-Identifier: MIT */
/*
 * update.c — `nise update`: the signed data bundle and the feeds named in
 * nise.conf, fetched over HTTPS (nise-update(1), docs/update.md).
 *
 *   nise update [--config FILE] [--data-only|--feeds-only] [--db P|--redis U]
 *   nise update keygen SECRET_FILE
 *   nise update sign --key SECRET_FILE --out BUNDLE [--created T] DIR
 *
 * Each source is independent: a failed download, a bad signature or a
 * malformed feed leaves what that source installed before untouched and
 * the others go on. Conditional requests: the ETag and Last-Modified of
 * every successful download are kept in the state file and sent next
 * time; a 304 changes nothing (feeds are still swept for expired
 * entries). Exit status: 0 every source updated or not modified, 1 some
 * failed, 2 all failed or nothing could start (usage, configuration).
 *
 * $NISE_NOW (Unix seconds) replaces the clock for feed times and expiry:
 * for tests only.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "config.h"
#include "datadir.h"
#include "fetch.h"
#include "httpmeta.h"

#define MAX_REFUSED_SHOWN 20

struct run {
	struct cli_config conf;
	struct cli_fetch_opts fo;
	struct nise_http_state state;
	int64_t now;
	int ok, failed;
};

static int64_t now_or_fake(void)
{
	const char *s = getenv("NISE_NOW");
	if (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (!*end && v > 0)
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

static void iso(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "%" PRId64, t);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = cli_slurp(f, n);
	fclose(f);
	return b;
}

/* Writes buf to path through a temporary file and rename(2). */
static bool write_atomic(const char *path, const char *buf, size_t n, mode_t mode, bool excl)
{
	char tmp[1100];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (excl && access(path, F_OK) == 0) {
		errno = EEXIST;
		return false;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return false;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return false;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return false;
	}
	return true;
}

static void save_state(struct run *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		return;
	nise_http_state_write(&r->state, m);
	fclose(m);
	if (!write_atomic(r->conf.update.state, buf, n, 0644, false))
		fprintf(stderr, "nise update: cannot write %s: %s (next run downloads everything again)\n",
		        r->conf.update.state, strerror(errno));
	free(buf);
}

/* ---- the data bundle ---- */

struct collect {
	struct cli_data_file files[NISE_BUNDLE_MAX_FILES];
	size_t n;
};

static bool on_bundle_file(void *ctx, const char *name, const char *data, size_t n)
{
	struct collect *c = ctx;
	snprintf(c->files[c->n].name, sizeof(c->files[0].name), "%s", name);
	c->files[c->n].data = data;
	c->files[c->n].n = n;
	c->n++;
	return true;
}

static bool data_failed(struct run *r, const char *what)
{
	fprintf(stderr, "nise update: data: FAILED: %s; %s is unchanged\n", what, r->conf.data_dir);
	r->failed++;
	return false;
}

static bool update_data(struct run *r)
{
	const struct cli_update_conf *u = &r->conf.update;
	const char *dir = r->conf.data_dir;
	char why[1600];
	if (!dir[0])
		return data_failed(r, "no data_dir in [nise]: nise update needs the directory it replaces");
	if (!cli_datadir_swappable(dir, why, sizeof(why)))
		return data_failed(r, why);
	int64_t installed = cli_datadir_created(dir);
	/* conditional only when what the validators describe is installed */
	const struct nise_http_meta *cond = installed >= 0 ? nise_http_state_get(&r->state, u->bundle_url) : NULL;
	struct cli_fetch f;
	enum cli_fetch_status st = cli_fetch(&f, u->bundle_url, cond, &r->fo);
	if (st == FETCH_NOT_MODIFIED) {
		printf("nise update: data: not modified (HTTP 304)\n");
		r->ok++;
		return true;
	}
	if (st == FETCH_FAILED) {
		snprintf(why, sizeof(why), "%s: %s", u->bundle_url, f.err);
		return data_failed(r, why);
	}
	bool ok = false;
	size_t sn;
	unsigned char sig[64], pk[32];
	int64_t created = 0;
	struct collect *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(why, sizeof(why), "out of memory");
	} else if (!f.body || !nise_bundle_split(f.body, f.n, &sn, sig, why, sizeof(why))) {
		if (!f.body)
			snprintf(why, sizeof(why), "empty response");
	} else if (!nise_unhex(pk, 32, u->public_key, strlen(u->public_key)) ||
	           !nise_ed25519_verify(sig, f.body, sn, pk)) {
		snprintf(why, sizeof(why), "bad signature (not signed by the key public_key names)");
	} else if (!nise_bundle_parse(f.body, sn, &created, on_bundle_file, c, why, sizeof(why))) {
		/* signed but malformed: the signer's tool is broken */
	} else if (created < installed) {
		char a[32], b[32];
		iso(a, created);
		iso(b, installed);
		snprintf(why, sizeof(why), "the bundle (created %s) is older than the installed one (%s): refused", a,
		         b);
	} else if (created == installed) {
		char a[32];
		iso(a, created);
		printf("nise update: data: not modified (the installed bundle, created %s)\n", a);
		ok = true;
	} else if (cli_datadir_install(dir, c->files, c->n, created, &r->conf, why, sizeof(why))) {
		char a[32];
		iso(a, created);
		printf("nise update: data: updated to the bundle created %s (%zu files) in %s\n", a, c->n, dir);
		ok = true;
	}
	if (ok) {
		nise_http_state_set(&r->state, u->bundle_url, &f.meta);
		r->ok++;
	} else {
		char msg[2800];
		snprintf(msg, sizeof(msg), "%s: %s", u->bundle_url, why);
		data_failed(r, msg);
	}
	free(c);
	cli_fetch_fini(&f);
	return ok;
}

/* ---- feeds ---- */

struct refused {
	const char *feed;
	size_t n;
};

static void on_refused(void *ctx, const char *host, const char *why)
{
	struct refused *x = ctx;
	if (x->n++ < MAX_REFUSED_SHOWN)
		printf("nise update: feed %s: refused whole-host entry %s: %s\n", x->feed, host, why);
}

static void feed_failed(struct run *r, const struct cli_feed_conf *fc, const char *what)
{
	fprintf(stderr, "nise update: feed %s: FAILED: %s; its entries are kept\n", fc->name, what);
	r->failed++;
}

static void sweep(struct run *r, struct nise_store *s, const struct cli_feed_conf *fc)
{
	size_t gone = 0;
	nise_rc rc = nise_intel_expire(&gone, s, fc->name, r->now);
	if (rc != NISE_OK)
		fprintf(stderr, "nise update: feed %s: expiring old entries: %s\n", fc->name, nise_strerror(rc));
	else if (gone)
		printf("nise update: feed %s: %zu expired (gone from the feed for %ld days)\n", fc->name, gone,
		       r->conf.update.feed_expiry_days);
}

static void update_feed(struct run *r, struct nise_store *s, const struct nise_engine *e,
                        const struct cli_feed_conf *fc)
{
	/* conditional only when this store holds the feed: another store
	 * (--db, a new Redis) gets it whole even though the URL is unchanged */
	int64_t fed;
	const struct nise_http_meta *cond =
		nise_intel_feed_time(&fed, s, fc->name) == NISE_OK ? nise_http_state_get(&r->state, fc->url) : NULL;
	struct cli_fetch f;
	enum cli_fetch_status st = cli_fetch(&f, fc->url, cond, &r->fo);
	char why[1600];
	if (st == FETCH_FAILED) {
		snprintf(why, sizeof(why), "%s: %s", fc->url, f.err);
		feed_failed(r, fc, why);
		return;
	}
	if (st == FETCH_NOT_MODIFIED) {
		printf("nise update: feed %s: not modified (HTTP 304)\n", fc->name);
		r->ok++;
		sweep(r, s, fc);
		return;
	}
	struct refused x = {.feed = fc->name};
	struct nise_intel_feed_opts o = {.name = fc->name,
	                                 .now = r->now,
	                                 .expire = (int64_t)r->conf.update.feed_expiry_days * 86400,
	                                 .refused = on_refused,
	                                 .ctx = &x};
	struct nise_intel_import_stats is;
	char diag[512] = "";
	nise_rc rc = nise_intel_import_feed(&is, s, e, fc->format, f.body ? f.body : "", f.n, &o, diag, sizeof(diag));
	if (rc != NISE_OK) {
		snprintf(why, sizeof(why), "%s: not a %s feed: %s", fc->url, fc->format, diag[0] ? diag : nise_strerror(rc));
		feed_failed(r, fc, why);
	} else if (is.stored == 0) {
		snprintf(why, sizeof(why), "%s: no usable entry in %zu bytes (%zu read, %zu refused, %zu bad)", fc->url,
		         f.n, is.read, is.refused, is.bad + is.unparsable);
		feed_failed(r, fc, why);
	} else {
		if (x.n > MAX_REFUSED_SHOWN)
			printf("nise update: feed %s: ... and %zu more refused\n", fc->name, x.n - MAX_REFUSED_SHOWN);
		printf("nise update: feed %s: %zu read, %zu stored, %zu refused, %zu bad\n", fc->name, is.read,
		       is.stored, is.refused, is.bad + is.unparsable);
		nise_http_state_set(&r->state, fc->url, &f.meta);
		r->ok++;
		sweep(r, s, fc);
	}
	cli_fetch_fini(&f);
}

static void update_feeds(struct run *r, const struct cli_store_opts *so_arg)
{
	const struct cli_update_conf *u = &r->conf.update;
	struct cli_store_opts so = *so_arg;
	if (!so.db && !so.redis) {
		so.db = u->db[0] ? u->db : NULL;
		so.redis = u->redis[0] ? u->redis : NULL;
	}
	struct nise_engine_opts eo = {0};
	cli_config_to_opts(&r->conf, &eo);
	if (r->conf.data_dir[0])
		eo.data_dir = r->conf.data_dir;
	eo.no_model = true; /* imports need the lists and the PSL, not the model */
	struct nise_engine *e = NULL;
	struct nise_store *s = NULL;
	char diag[512] = "";
	nise_rc rc = nise_engine_new(&e, &eo, diag, sizeof(diag));
	if (rc != NISE_OK) {
		fprintf(stderr, "nise update: feeds: FAILED: the data does not load: %s\n", diag);
		r->failed += (int)u->nfeeds;
		return;
	}
	if (!cli_store_open(&s, &so, true, "update") || !s) {
		if (!s)
			fprintf(stderr, "nise update: feeds: FAILED: no store (set db or redis in [update])\n");
		r->failed += (int)u->nfeeds;
		nise_engine_free(e);
		return;
	}
	for (size_t i = 0; i < u->nfeeds; i++)
		update_feed(r, s, e, &u->feeds[i]);
	nise_store_close(s);
	nise_engine_free(e);
}

/* ---- keys and signing ---- */

static int keygen(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: nise update keygen SECRET_FILE\n");
		return 2;
	}
	unsigned char pk[32], sk[64];
	char hex[129];
	if (!nise_ed25519_keypair(pk, sk)) {
		fprintf(stderr, "nise update keygen: no random numbers\n");
		return 2;
	}
	nise_hex(hex, sk, 64);
	hex[128] = '\n';
	if (!write_atomic(argv[1], hex, 129, 0600, true)) {
		fprintf(stderr, "nise update keygen: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	nise_hex(hex, pk, 32);
	printf("public_key = %s\n", hex);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct cli_data_file *)a)->name, ((const struct cli_data_file *)b)->name);
}

static int sign(int argc, char **argv)
{
	const char *key = NULL, *out = NULL, *dir = NULL;
	int64_t created = now_or_fake();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--created") == 0 && i + 1 < argc)
			created = strtoll(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			dir = NULL, i = argc;
	}
	if (!key || !out || !dir || created <= 0) {
		fprintf(stderr, "usage: nise update sign --key SECRET_FILE --out BUNDLE [--created UNIX_TIME] DIR\n");
		return 2;
	}
	size_t kn = 0;
	char *k = read_file(key, &kn);
	unsigned char sk[64];
	if (!k || kn < 128 || !nise_unhex(sk, 64, k, 128)) {
		fprintf(stderr, "nise update sign: %s: not a secret key of nise update keygen\n", key);
		free(k);
		return 2;
	}
	free(k);
	struct collect *c = calloc(1, sizeof(*c));
	DIR *d = opendir(dir);
	int rc = 2;
	char *buf = NULL;
	size_t n = 0;
	FILE *m = NULL;
	if (!c || !d) {
		fprintf(stderr, "nise update sign: %s: %s\n", dir, strerror(errno));
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char path[1400];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			if (e->d_name[0] != '.')
				fprintf(stderr, "nise update sign: %s: skipped (not a regular file)\n", path);
			continue;
		}
		if (!nise_bundle_name_ok(e->d_name) || c->n == NISE_BUNDLE_MAX_FILES) {
			fprintf(stderr, "nise update sign: %s: bad name or more than %d files\n", path,
			        NISE_BUNDLE_MAX_FILES);
			goto out;
		}
		char *data = read_file(path, &c->files[c->n].n);
		if (!data) {
			fprintf(stderr, "nise update sign: %s: cannot read\n", path);
			goto out;
		}
		memcpy(c->files[c->n].name, e->d_name, strlen(e->d_name) + 1); /* <= 64: name_ok */
		c->files[c->n++].data = data;
	}
	qsort(c->files, c->n, sizeof(c->files[0]), cmp_name);
	m = open_memstream(&buf, &n);
	if (!m)
		goto out;
	fprintf(m, "nise-bundle 1\ncreated %" PRId64 "\n", created);
	for (size_t i = 0; i < c->n; i++) {
		fprintf(m, "file %s %zu\n", c->files[i].name, c->files[i].n);
		fwrite(c->files[i].data, 1, c->files[i].n, m);
		fputc('\n', m);
	}
	fputs("end\n", m);
	fflush(m);
	unsigned char sig[64];
	char hex[129];
	nise_ed25519_sign(sig, buf, n, sk);
	nise_hex(hex, sig, 64);
	fprintf(m, "sig %s\n", hex);
	fclose(m);
	m = NULL;
	if (!write_atomic(out, buf, n, 0644, false)) {
		fprintf(stderr, "nise update sign: %s: %s\n", out, strerror(errno));
		goto out;
	}
	printf("%s: %zu files, %zu bytes, created %" PRId64 "\n", out, c->n, n, created);
	rc = 0;
out:
	if (m)
		fclose(m);
	free(buf);
	if (d)
		closedir(d);
	for (size_t i = 0; c && i < c->n; i++)
		free((void *)(uintptr_t)c->files[i].data);
	free(c);
	return rc;
}

static int usage(void)
{
	fputs("usage: nise update [--config FILE] [--data-only|--feeds-only] [--db PATH|--redis URL]\n"
	      "       nise update keygen SECRET_FILE\n"
	      "       nise update sign --key SECRET_FILE --out BUNDLE [--created UNIX_TIME] DIR\n"
	      "Exit status: 0 every source updated or not modified, 1 some failed, 2 all failed or error.\n",
	      stderr);
	return 2;
}

int cli_update(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "keygen") == 0)
		return keygen(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "sign") == 0)
		return sign(argc - 1, argv + 1);
	const char *cfg = NULL;
	bool data = true, feeds = true;
	struct cli_store_opts so = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			cfg = argv[++i];
		else if (strcmp(argv[i], "--data-only") == 0)
			feeds = false;
		else if (strcmp(argv[i], "--feeds-only") == 0)
			data = false;
		else if (!cli_store_arg(&so, argc, argv, &i))
			return usage();
	}
	if (!data && !feeds)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress and failures in the order they happen */
	struct run *r = calloc(1, sizeof(*r));
	if (!r)
		return 2;
	char err[600];
	if (!cli_config_load(&r->conf, cfg, err, sizeof(err))) {
		fprintf(stderr, "nise update: %s\n", err);
		free(r);
		return 2;
	}
	const struct cli_update_conf *u = &r->conf.update;
	data = data && u->bundle_url[0];
	feeds = feeds && u->nfeeds;
	if (!data && !feeds) {
		fprintf(stderr, "nise update: nothing to update: no bundle_url in [update] and no [feed NAME] in %s\n",
		        r->conf.path ? r->conf.path : "the configuration (none found)");
		free(r);
		return 2;
	}
	r->now = now_or_fake();
	r->fo.timeout = u->timeout;
	r->fo.max_bytes = u->max_bytes;
	r->fo.ca_file = u->ca_file[0] ? u->ca_file : NULL;
	size_t sn = 0;
	char *sb = read_file(u->state, &sn);
	if (sb)
		nise_http_state_parse(&r->state, sb, sn);
	free(sb);
	cli_fetch_global_init();
	if (data)
		update_data(r);
	if (feeds)
		update_feeds(r, &so);
	save_state(r);
	int rc = r->failed == 0 ? 0 : r->ok > 0 ? 1 : 2;
	free(r);
	return rc;
}
