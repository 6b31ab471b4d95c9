/* SPDX-License-Identifier: MIT */
/*
 * help.c — `nise COMMAND --help`: one text per command, printed on
 * standard output with exit status 0 (a usage error prints the short
 * synopsis on standard error with exit status 2, as before).
 *
 * The texts repeat the synopses of nise(1); tests/cli/help.sh checks that
 * every command answers --help and that each option a text names is one
 * the command accepts.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct help {
	const char *cmd;
	const char *text;
};

#define STORE_OPTS \
	"  --db PATH          the threat-intelligence store (LMDB file)\n" \
	"  --redis URL        a store shared by several hosts (redis://HOST[:PORT][/DB], unix:PATH)\n"
#define ENGINE_OPTS \
	"  --config FILE      read FILE instead of /etc/nise/nise.conf (or $NISE_CONFIG)\n" \
	"  --data DIR         brands, lexicons, weights and model from DIR\n" \
	"  --model FILE       another learned model;  --no-model  the checks alone\n" \
	"  --trust-authserv ID  believe Authentication-Results from ID (repeatable; - for none;\n" \
	"                     docs/trust.md); without one no authentication result counts\n"

static const struct help helps[] = {
	{"check",
	 "usage: nise check [options] [FILE|DIR|-]...\n"
	 "Judges each mail (a file, an mbox, a Maildir or directory tree, or standard input) and\n"
	 "explains why: sender, every link's real destination, verdict, reasons, what to do.\n"
	 "\n"
	 "  --json             one JSON object per message (docs/json.md)\n"
	 "  --lang ja|en       language of the explanations (default: nise.conf, then LANG)\n"
	 ENGINE_OPTS
	 STORE_OPTS
	 "  --no-record        do not record mails judged phishing as campaigns\n"
	 "  --summary          a final line counting the mails of each verdict\n"
	 "  --only phishing|suspicious  print only phishing mails, or every mail not clean\n"
	 "\n"
	 "A Maildir (cur/, new/) is read as mail folders, with its .Folder subfolders; tmp/ and\n"
	 "the server's files are not. Links are followed; each file is read once. An empty input\n"
	 "is refused.\n"
	 "Exit status: 0 no message is phishing, 1 at least one is, 3 none is but at least one was\n"
	 "only partly checked (a limit cut it: verdict unchecked), 2 usage or I/O error, or an\n"
	 "input that could not be read or was empty.\n"},
	{"eval",
	 "usage: nise eval [--json] [--manifest TSV --root DIR] [--only PREFIX] [--groups TSV] [LABEL=PATH]...\n"
	 "Measures judgement on labelled mail: per label, judged phishing / suspicious / clean, recall\n"
	 "or false-alarm rate, hits per check, every miss and false alarm.\n"
	 "\n"
	 "  --json             the figures as JSON\n"
	 "  --manifest TSV     path and label per line;  --root DIR  where its paths start\n"
	 "  --only PREFIX      only the manifest rows under PREFIX\n"
	 "  --groups TSV       file and dup_group columns: count campaigns as well as messages\n"
	 ENGINE_OPTS},
	{"train",
	 "usage: nise train [--manifest TSV --root DIR] [--groups TSV] [--folds K] [--C C] [--out MODEL]\n"
	 "                  [--report MD] [--oof TSV] [--cv-json FILE] [LABEL=PATH]...\n"
	 "Fits the learned model (docs/model.md) and prints its cross-validated figures, copies of one\n"
	 "campaign kept in one fold.\n"
	 "\n"
	 "  --folds K          cross-validation folds (default 5)\n"
	 "  --C C              inverse regularisation strength\n"
	 "  --out MODEL        write the model file\n"
	 "  --report MD        the figures as Markdown;  --oof TSV  out-of-fold predictions\n"
	 "  --cv-json FILE     the figures as JSON\n"
	 "  --config FILE, --data DIR   as for check\n"},
	{"filter",
	 "usage: nise filter [--config FILE] [--data DIR] [--model FILE|--no-model] [--trust-authserv ID]...\n"
	 "                   [--reason] [--lang ja|en] [--tag TEXT] [--exit-status] < mail > mail\n"
	 "Writes the mail from standard input to standard output with X-Nise-Verdict and\n"
	 "X-Nise-Findings added, for procmail, maildrop, Sieve pipes and .forward (nise-milter(8)).\n"
	 "The mail is written whatever happens; on an error with only \"X-Nise-Verdict: unchecked\n"
	 "reason=config|usage|error|memory|read\".\n"
	 "\n"
	 ENGINE_OPTS
	 "  --reason           add X-Nise-Reason: one sentence on why (RFC 2047 encoded)\n"
	 "  --lang ja|en       its language (default: nise.conf's lang, else the locale)\n"
	 "  --tag TEXT         put TEXT before the Subject of a mail judged phishing\n"
	 "  --exit-status      exit as check does (0 not phishing, 1 phishing, 2 error, 3 unchecked)\n"
	 "\n"
	 "Exit status: 0 when the whole mail was written, whatever the verdict (procmail and maildrop\n"
	 "drop a filter's output when it exits non-zero); 2 when it could not be written whole.\n"},
	{"intel",
	 "usage: nise intel import --format FORMAT [--db PATH|--redis URL] FILE...\n"
	 "       nise intel lookup [--db PATH|--redis URL] URL...|-\n"
	 "       nise intel stats [--db PATH|--redis URL]\n"
	 "Phishing-URL feeds in the store (docs/intel.md). FORMAT: jpcert, phishtank-csv,\n"
	 "phishtank-json, openphish, urls, domains.\n"
	 "\n"
	 "  --format FORMAT    the feed's format (import)\n"
	 STORE_OPTS
	 "  --data DIR         the reviewed data (public suffixes, shared platforms refused as hosts)\n"
	 "\n"
	 "Exit status of lookup: 0 a URL matched, 1 none did, 2 error.\n"},
	{"update",
	 "usage: nise update [--config FILE] [--data-only|--feeds-only] [--db PATH|--redis URL]\n"
	 "       nise update keygen SECRET_FILE\n"
	 "       nise update sign --key SECRET_FILE --out BUNDLE [--created UNIX_TIME] DIR\n"
	 "Fetches over HTTPS the signed data bundle and the feeds named in nise.conf ([update],\n"
	 "[feed NAME]; nise-update(1), docs/update.md): the data directory is switched atomically,\n"
	 "feed entries carry their feed's name and expire after they leave it.\n"
	 "\n"
	 "  --config FILE      read FILE instead of /etc/nise/nise.conf (or $NISE_CONFIG)\n"
	 "  --data-only        only the data bundle;  --feeds-only  only the feeds\n"
	 STORE_OPTS
	 "  --key FILE         the secret key (sign);  --out BUNDLE  the bundle to write\n"
	 "  --created T        the bundle's time, Unix seconds (sign; default now)\n"
	 "\n"
	 "Exit status: 0 every source updated or not modified, 1 some failed, 2 all failed or error.\n"},
	{"campaigns",
	 "usage: nise campaigns [--brand B] [--json] [--lang ja|en] [--db PATH|--redis URL]\n"
	 "The phishing campaigns check has recorded: first and last seen, copies, brand, subjects,\n"
	 "sender and link domains.\n"
	 "\n"
	 "  --brand B          only campaigns that claim brand B (case-insensitive)\n"
	 "  --json             as JSON\n"
	 "  --lang ja|en       language of the listing (default: the locale)\n"
	 STORE_OPTS
	 "\n"
	 "Exit status: 0 listed (possibly none), 2 no store or an error.\n"},
	{"report",
	 "usage: nise report [--format md|html] [--lang ja|en] [--db PATH|--redis URL] FILE\n"
	 "Writes an article about one mail: what it claims, where its links really go, why it is\n"
	 "fake, what to do, and the campaign it belongs to (links defanged).\n"
	 "\n"
	 "  --format md|html   Markdown (default) or a standalone HTML page\n"
	 "  --lang ja|en       language of the article\n"
	 "  --config FILE, --data DIR   as for check\n"
	 STORE_OPTS},
	{"serve",
	 "usage: nise serve [--listen ADDR:PORT] [--token-file FILE] [--threads N]\n"
	 "                  [--max-body BYTES] [--max-header BYTES] [--max-connections N]\n"
	 "                  [--timeout SECONDS] [--request-timeout SECONDS] [--lang ja|en]\n"
	 "                  [--db PATH | --redis URL] [--no-record]\n"
	 "                  [--config FILE] [--data DIR] [--trust-authserv ID]... [--quiet]\n"
	 "The HTTP API and the page to drop a mail on (nise-serve(1), docs/api.md); open\n"
	 "http://127.0.0.1:8080/ after starting it with the defaults.\n"
	 "\n"
	 "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; beyond loopback a token is required)\n"
	 "  --token-file FILE    bearer token (mode 0600) clients must send\n"
	 "  --threads N          worker threads;  --max-connections N  connections at once\n"
	 "  --max-body BYTES, --max-header BYTES   request size limits\n"
	 "  --timeout SECONDS, --request-timeout SECONDS   idle and whole-request time limits\n"
	 "  --lang ja|en         default language of the page and answers\n"
	 STORE_OPTS
	 "  --no-record          do not record phishing judged through the API as campaigns\n"
	 "  --config FILE, --data DIR   as for check;  --quiet  no access log\n"
	 "  --trust-authserv ID  believe Authentication-Results from ID (docs/trust.md)\n"},
	{"config",
	 "usage: nise config check [--config FILE] [--model FILE|--no-model]\n"
	 "Validates the configuration and the data it names, then prints the effective\n"
	 "configuration. Exit status: 0 valid, 2 not (with FILE:LINE and the reason).\n"},
};

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

bool cli_print_help(const char *cmd)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if (strcmp(helps[i].cmd, cmd) == 0) {
			fputs(helps[i].text, stdout);
			return true;
		}
	}
	return false;
}
