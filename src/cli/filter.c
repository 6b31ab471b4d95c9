/* SPDX-License-Identifier: MIT */
/*
 * filter.c — `nise filter`: one mail on stdin, the same mail on stdout
 * with X-Nise-Verdict / X-Nise-Findings added (incoming copies removed),
 * for procmail, maildrop, Sieve pipes and .forward.
 *
 * Exit status: 0 whenever the whole mail was written — whatever the
 * verdict, and also when nise itself could not judge it — because
 * procmail, maildrop and the like throw a filter's output away when it
 * exits non-zero and deliver the mail without the verdict. 2 when the
 * mail could not be written whole (stdout failed, stdin could not be
 * read to the end). `--exit-status` gives check's codes instead (0 not
 * phishing, 1 phishing, 2 error, 3 unchecked) for scripts that want them.
 * The mail is written in every case — a
 * configuration or usage error ("X-Nise-Verdict: unchecked
 * reason=config" / "reason=usage"), an empty input ("reason=empty": the
 * field and whatever blank lines came), data or model that do not load, an
 * internal error ("reason=error"), no memory to hold it ("reason=memory":
 * what was read, then the rest copied through), over a limit and not
 * already phishing on what was read ("unchecked reason=LIMIT_...") — so
 * a pipe never loses it, whatever the status (attack row 9). Memory is
 * bounded by max_message_bytes: the rest of a longer mail is copied
 * through unread.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "cli.h"
#include "config.h"

static bool write_out(const char *p, size_t n, void *ctx)
{
	(void)ctx;
	return front_write_all(STDOUT_FILENO, p, n);
}

/* Reads fd up to max bytes; NULL only when not even the first buffer
 * could be had. On a read error or no memory for more, returns what was
 * read with *err set (errno). A mail longer
 * than max is judged on its first max bytes (the scan marks the limit)
 * and the rest is copied through unread (copy_rest), so memory stays
 * bounded by the configured message limit whatever arrives on stdin. */
static char *read_upto(int fd, size_t max, size_t *out_n, int *err)
{
	size_t cap = 65536, n = 0;
	*err = 0;
	*out_n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	while (n < max) {
		if (n == cap) {
			char *nb = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				*err = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t want = cap - n < max - n ? cap - n : max - n;
		ssize_t k = read(fd, buf + n, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*err = errno;
			break;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	*out_n = n;
	return buf;
}

/* Copies the rest of fd to stdout unchanged. */
static bool copy_rest(int fd)
{
	char chunk[65536];
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return false;
		if (k == 0)
			return true;
		if (!write_out(chunk, (size_t)k, NULL))
			return false;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nise filter [--config FILE] [--data DIR] [--model FILE | --no-model] "
	                "[--trust-authserv ID]... [--reason] [--lang ja|en] [--tag TEXT] [--exit-status] "
	                "< mail > mail\n");
}

/* Writes the mail with only "X-Nise-Verdict: unchecked reason=WHY", then
 * whatever is left on stdin (more) — the mail is never lost. */
static bool pass_unchecked(const char *buf, size_t n, bool more, const char *why)
{
	char verdict[96];
	snprintf(verdict, sizeof(verdict), RENDER_VERDICT_HDR ": unchecked reason=%s", why);
	const char *hdrs[1] = {verdict};
	if (!buf) {
		/* not even a buffer: the field, then the mail as it comes */
		size_t k = strlen(verdict);
		verdict[k] = '\n';
		return write_out(verdict, k + 1, NULL) && copy_rest(STDIN_FILENO);
	}
	bool ok = render_filter(buf, n, hdrs, 1, write_out, NULL);
	return ok && (!more || copy_rest(STDIN_FILENO));
}

int cli_filter(int argc, char **argv)
{
	struct nise_engine_opts opts = {0};
	struct cli_config conf;
	/* a configuration or usage error still delivers the mail, unchecked */
	const char *fail = NULL;
	bool exit_codes = false; /* --exit-status, looked for first: it holds on errors too */
	for (int i = 1; i < argc; i++)
		exit_codes |= strcmp(argv[i], "--exit-status") == 0;
	if (!cli_config_apply(&conf, &opts, argc, argv)) {
		fail = "config";
		memset(&opts, 0, sizeof(opts));
		nise_limits_default(&opts.limits);
	}
	bool bad = false, reason = false;
	const char *tag = NULL;
	enum cli_lang lang = !fail && conf.lang[0] ? (strcmp(conf.lang, "ja") == 0 ? LANG_JA : LANG_EN)
	                                           : cli_default_lang();
	for (int i = 1; i < argc && !fail; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			i++;
		} else if (strcmp(argv[i], "--exit-status") == 0) {
			continue;
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			opts.data_dir = argv[++i];
		} else if (strcmp(argv[i], "--reason") == 0) {
			reason = true;
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc &&
		           (strcmp(argv[i + 1], "ja") == 0 || strcmp(argv[i + 1], "en") == 0)) {
			lang = argv[++i][0] == 'j' ? LANG_JA : LANG_EN;
		} else if (strcmp(argv[i], "--tag") == 0 && i + 1 < argc && argv[i + 1][0]) {
			tag = argv[++i];
		} else if (cli_model_arg(&opts, argc, argv, &i)) {
			continue;
		} else if (cli_trust_arg(&conf, &opts, argc, argv, &i, &bad)) {
			continue;
		} else {
			usage();
			fail = "usage";
		}
	}
	size_t n = 0;
	/* one byte over the limit lets the scan see that the mail is longer */
	size_t max = opts.limits.max_message_bytes < SIZE_MAX ? opts.limits.max_message_bytes + 1 : SIZE_MAX;
	int rerr = 0;
	char *buf = read_upto(STDIN_FILENO, max, &n, &rerr);
	if (!buf || rerr) {
		/* no memory: what was read, then the rest as it comes; a read
		 * error: what could be read (the rest is not ours to give) */
		const char *why = !buf || rerr == ENOMEM ? "memory" : "read";
		fprintf(stderr, "nise filter: cannot read stdin: %s\n", strerror(!buf ? ENOMEM : rerr));
		bool whole = !buf || rerr == ENOMEM; /* the rest was copied through */
		bool ok = pass_unchecked(buf, n, whole, why);
		free(buf);
		if (!ok)
			fprintf(stderr, "nise filter: cannot write stdout: %s\n", strerror(errno));
		return exit_codes || !ok || !whole ? 2 : 0;
	}
	if (!fail && cli_is_empty_input(buf, n)) {
		/* nothing to judge: written back as it came, marked unchecked */
		fprintf(stderr, "nise filter: empty input (%zu bytes%s): not a mail, not judged\n", n,
		        n ? ", only blank lines" : "");
		fail = "empty";
	}
	if (fail) {
		bool ok = pass_unchecked(buf, n, n == max, fail);
		free(buf);
		if (!ok)
			fprintf(stderr, "nise filter: cannot write stdout: %s\n", strerror(errno));
		return exit_codes || !ok ? 2 : 0;
	}
	int status = 0;
	char *hdrs[4];
	size_t nh = 0;
	struct nise_engine *e = NULL;
	struct nise_result *r = NULL;
	char err[1400];
	/* data, model and limits as `nise config check` sees them: a model
	 * that does not load or limits too small for any mail are a
	 * configuration error, and the mail still goes out (unchecked) */
	if (!cli_config_engine(&e, &conf, &opts, err, sizeof(err))) {
		fprintf(stderr, "nise filter: %s\n", err);
		bool ok = pass_unchecked(buf, n, n == max, "config");
		free(buf);
		if (!ok)
			fprintf(stderr, "nise filter: cannot write stdout: %s\n", strerror(errno));
		return exit_codes || !ok ? 2 : 0;
	}
	/* fold with the message's own line end */
	const char *nl = memchr(buf, '\n', n);
	const char *eol = nl && nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
	nise_rc rc = nise_scan(&r, e, buf, n);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise filter: %s\n", nise_strerror(rc));
		status = 2;
	} else {
		/* a mail judged on a part of itself (render_unchecked_limit) is
		 * delivered as unchecked, never as clean: the milter's default
		 * on_limit = accept */
		status = render_unchecked_limit(r) || r->verdict == NISE_UNCHECKED ? 3
		         : r->verdict == NISE_PHISHING                             ? 1
		                                                                   : 0;
		nh = render_fields(hdrs, r, NULL, reason, lang, eol);
	}
	if (!nh) {
		bool ok = pass_unchecked(buf, n, n == max, rc != NISE_OK ? "error" : "memory");
		nise_result_free(r);
		nise_engine_free(e);
		free(buf);
		if (!ok)
			fprintf(stderr, "nise filter: cannot write stdout: %s\n", strerror(errno));
		return exit_codes ? (rc != NISE_OK ? 2 : status) : ok ? 0 : 2;
	}
	bool tagged = false;
	if (tag && status == 1) {
		bool oom;
		char *raw = render_raw_subject(buf, n, &oom);
		char *subject = oom ? NULL : render_subject(tag, raw, r->msg->subject, eol[0] == '\r' ? "\r\n " : "\n ");
		free(raw);
		if (subject) {
			size_t k = strlen("Subject: ") + strlen(subject) + 1;
			hdrs[nh] = malloc(k);
			tagged = hdrs[nh] != NULL;
			if (tagged)
				snprintf(hdrs[nh++], k, "Subject: %s", subject);
			free(subject);
		}
	}
	bool ok = render_filter_subject(buf, n, (const char *const *)hdrs, nh, tagged, write_out, NULL);
	if (ok && n == max)
		ok = copy_rest(STDIN_FILENO);
	if (!ok) {
		fprintf(stderr, "nise filter: cannot write stdout: %s\n", strerror(errno));
		status = 2;
	}
	render_fields_free(hdrs, nh);
	nise_result_free(r);
	nise_engine_free(e);
	free(buf);
	if (!exit_codes)
		return ok ? 0 : 2;
	return status;
}
