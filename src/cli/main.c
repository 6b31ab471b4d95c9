/* SPDX-License-Identifier: MIT */
/*
 * main.c — `nise` sub-command dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fputs("usage: nise <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  check [--json] [--lang ja|en] [FILE|DIR|-]...   judge mail and explain why\n"
	      "  eval  [--json] [--manifest TSV --root DIR] [LABEL=DIR]...  measure on labelled mail\n"
	      "  version                                         print the version\n"
	      "\n"
	      "Exit status of check: 0 no phishing, 1 at least one phishing message, 2 error.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - 1, argv + 1);
	if (strcmp(cmd, "eval") == 0)
		return cli_eval(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("nise %s (JSON schema %d)\n", NISE_VERSION, NISE_JSON_SCHEMA_VERSION);
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
