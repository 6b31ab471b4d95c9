/* SPDX-License-Identifier: MIT */
/*
 * main.c — `nise` sub-command dispatch. Built twice: `nise` (NISE_LIGHT:
 * the daemons and update replaced by an exec of nise-full, full.c) and
 * nise-full (everything).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
	fputs("usage: nise <command> [options]   (check and eval also take --config FILE)\n"
	      "\n"
	      "commands:\n"
	      "  check [--json] [--lang ja|en] [FILE|DIR|-]...   judge mail and explain why\n"
	      "  eval  [--json] [--manifest TSV --root DIR] [LABEL=DIR]...  measure on labelled mail\n"
	      "  train [--manifest TSV --root DIR] [--out MODEL] [LABEL=DIR]...  fit the learned model\n"
	      "  filter [--config FILE] < mail > mail             add X-Nise-* headers (procmail, maildrop)\n"
	      "  milter [--config FILE] [--socket SPEC]          mail-server filter (Postfix, Sendmail)\n"
	      "  config check [--config FILE]                    validate nise.conf, print the effective one\n"
	      "  spamd [--config FILE] [--listen HOST:PORT]      SpamAssassin spamd protocol (Exim, spamc)\n"
	      "  imap --host H --user U --state F [--once] ...   watch IMAP mailboxes, flag/move phishing\n"
	      "  serve [--listen 127.0.0.1:8080] [--token-file F] HTTP API and the web page (nise-serve(1))\n"
	      "  intel import|lookup|stats|list|remove ...     phishing-URL feeds (nise intel for usage)\n"
	      "  learn --phishing|--genuine [--note T] FILE|DIR|-  report a miss or a false alarm\n"
	      "  allow|block add|list|remove [KIND VALUE]        lists: sender, sender-domain, link-domain, url, campaign\n"
	      "  update [--config FILE] [--data-only|--feeds-only]  fetch the signed data and the feeds (nise-update(1))\n"
	      "  campaigns [--brand B] [--json]                  phishing campaigns nise has recorded\n"
	      "  report [--format md|html] [--lang ja|en] FILE   write an article about one mail\n"
	      "  (check, campaigns, report, intel take --db PATH or --redis URL; check takes --no-record)\n"
	      "  version, --version, -V                          print the version\n"
	      "  nise COMMAND --help                             the options of one command\n"
	      "\n"
	      "Exit status of check: 0 no phishing, 1 at least one phishing message, 3 none phishing\n"
	      "but some only partly checked (unchecked), 2 error.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (cli_wants_help(argc - 1, argv + 1) && cli_print_help(cmd))
		return 0;
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - 1, argv + 1);
	if (strcmp(cmd, "eval") == 0)
		return cli_eval(argc - 1, argv + 1);
	if (strcmp(cmd, "train") == 0)
		return cli_train(argc - 1, argv + 1);
	if (strcmp(cmd, "intel") == 0)
		return cli_intel(argc - 1, argv + 1);
	if (strcmp(cmd, "learn") == 0)
		return cli_learn(argc - 1, argv + 1);
	if (strcmp(cmd, "allow") == 0 || strcmp(cmd, "block") == 0)
		return cli_allow_block(argc - 1, argv + 1);
#ifdef NISE_LIGHT
	/* the daemons and update are in nise-full (full.c) */
	if (strcmp(cmd, "update") == 0 || strcmp(cmd, "milter") == 0 || strcmp(cmd, "imap") == 0 ||
	    strcmp(cmd, "spamd") == 0 || strcmp(cmd, "serve") == 0)
		return cli_exec_full(argv);
#else
	if (strcmp(cmd, "update") == 0)
		return cli_update(argc - 1, argv + 1);
#endif
	if (strcmp(cmd, "campaigns") == 0)
		return cli_campaigns(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cli_report(argc - 1, argv + 1);
	if (strcmp(cmd, "filter") == 0)
		return cli_filter(argc - 1, argv + 1);
#ifndef NISE_LIGHT
	if (strcmp(cmd, "milter") == 0)
		return cli_milter(argc - 1, argv + 1);
	if (strcmp(cmd, "imap") == 0)
		return cli_imap(argc - 1, argv + 1);
	if (strcmp(cmd, "spamd") == 0)
		return cli_spamd(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cli_serve(argc - 1, argv + 1);
#endif
	if (strcmp(cmd, "config") == 0)
		return cli_config_cmd(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		const char *data = getenv("NISE_DATA_DIR") ? getenv("NISE_DATA_DIR") : cli_default_data_dir();
		printf("nise %s (JSON schema %d)\ndata: %s\n", NISE_VERSION, NISE_JSON_SCHEMA_VERSION,
		       data ? data : NISE_DATA_DIR);
		char path[4096];
		snprintf(path, sizeof(path), "%s/model.bin", data ? data : NISE_DATA_DIR);
		printf("model: %s\n", access(path, R_OK) == 0 ? path : "none");
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "nise: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
