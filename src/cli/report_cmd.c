/* SPDX-License-Identifier: MIT */
/*
 * report_cmd.c — `nise report FILE [--format md|html] [--lang ja|en]`:
 * scans one mail and prints the article src/front/report.c writes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

int cli_report(int argc, char **argv)
{
	enum cli_report_fmt fmt = CLI_REPORT_MD;
	enum cli_lang lang = cli_default_lang();
	struct cli_store_opts so = {0};
	struct nise_engine_opts opts = {0};
	struct cli_config conf;
	if (!cli_config_apply(&conf, &opts, argc, argv))
		return 2;
	if (conf.lang[0])
		lang = strcmp(conf.lang, "ja") == 0 ? LANG_JA : LANG_EN;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_store_arg(&so, argc, argv, &i))
			continue;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			i++;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			if (strcmp(f, "md") == 0)
				fmt = CLI_REPORT_MD;
			else if (strcmp(f, "html") == 0)
				fmt = CLI_REPORT_HTML;
			else {
				fprintf(stderr, "nise report: --format must be md or html\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			const char *l = argv[++i];
			if (strcmp(l, "ja") == 0)
				lang = LANG_JA;
			else if (strcmp(l, "en") == 0)
				lang = LANG_EN;
			else {
				fprintf(stderr, "nise report: --lang must be ja or en\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			opts.data_dir = argv[++i];
		} else if (!file && (argv[i][0] != '-' || !argv[i][1])) {
			file = argv[i];
		} else {
			fprintf(stderr, "usage: nise report [--format md|html] [--lang ja|en] [--db PATH|--redis URL] FILE\n");
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: nise report [--format md|html] [--lang ja|en] [--db PATH|--redis URL] FILE\n");
		return 2;
	}
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "nise report: %s: %s\n", file, strerror(errno));
		return 2;
	}
	size_t n = 0;
	char *buf = cli_slurp(f, &n);
	if (f != stdin)
		fclose(f);
	if (!buf) {
		fprintf(stderr, "nise report: %s: cannot read\n", file);
		return 2;
	}
	if (cli_is_empty_input(buf, n)) {
		fprintf(stderr, "nise report: %s: empty input (%zu bytes%s): not a mail, no report\n",
		        strcmp(file, "-") == 0 ? "standard input" : file, n, n ? ", only blank lines" : "");
		free(buf);
		return 2;
	}
	struct nise_store *s = NULL;
	if (!cli_store_open(&s, &so, false, "report")) {
		free(buf);
		return 2;
	}
	opts.store = s;
	struct nise_engine *e = NULL;
	char diag[256] = "";
	nise_rc rc = nise_engine_new(&e, &opts, diag, sizeof(diag));
	struct nise_result *r = NULL;
	if (rc == NISE_OK)
		rc = nise_scan(&r, e, buf, n);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise report: %s: %s%s%s\n", file, nise_strerror(rc), *diag ? ": " : "", diag);
		nise_engine_free(e);
		nise_store_close(s);
		free(buf);
		return 2;
	}
	size_t len = 0;
	char *text = cli_report_render(s, e, r, fmt, lang, &len);
	nise_result_free(r);
	nise_engine_free(e);
	nise_store_close(s);
	free(buf);
	if (!text) {
		fprintf(stderr, "nise report: %s: %s\n", file, nise_strerror(NISE_ENOMEM));
		return 2;
	}
	bool ok = fwrite(text, 1, len, stdout) == len;
	free(text);
	return fflush(stdout) == 0 && ok ? 0 : 2;
}
