/* SPDX-License-Identifier: MIT */
/*
 * check.c — `nise check`: judge each message and show what a careful reader
 * would want to see (subject, sender, where every link really goes, the
 * verdict and its reasons), or one JSON object per message.
 */
#include <locale.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

struct check_ctx {
	struct nise_engine *engine;
	bool json;
	enum cli_lang lang;
	int phishing;
	int unchecked;
	int errors;
	size_t count;
	struct nise_store *store; /* NULL: no threat intelligence */
	bool record;              /* record mails judged phishing as campaigns */
	bool summary;             /* --summary: a final count line */
	int only;                 /* --only: 0 all, 1 at least suspicious, 2 phishing */
	size_t by_verdict[4];     /* clean, suspicious, phishing, unchecked */
};

static const char *L(enum cli_lang lang, const char *en, const char *ja)
{
	return lang == LANG_JA ? ja : en;
}

static const char *verdict_label(enum nise_verdict v, enum cli_lang lang)
{
	switch (v) {
	case NISE_PHISHING: return L(lang, "PHISHING", "フィッシング");
	case NISE_SUSPICIOUS: return L(lang, "suspicious", "要注意");
	case NISE_CLEAN: return L(lang, "clean", "問題なし");
	case NISE_UNCHECKED: return L(lang, "only partly checked", "一部しか確認できませんでした");
	}
	return "";
}

/* Authentication-Results: the trusted ones, and that the others were not
 * believed (docs/trust.md). */
static void print_auth(const struct nise_message *msg, enum cli_lang lang)
{
	size_t untrusted = 0;
	bool any = false;
	for (size_t i = 0; i < msg->nauth; i++) {
		const struct nise_auth_result *a = &msg->auth[i];
		if (!a->trusted) {
			untrusted++;
			continue;
		}
		if (!any)
			printf("%s (%s):", L(lang, "Authentication", "認証結果"), a->authserv_id);
		any = true;
		printf(" %s=%s", a->method, a->result);
	}
	if (any)
		putchar('\n');
	if (untrusted)
		printf("%s\n", L(lang,
		                  "Authentication-Results: not verified by this server (no trusted authserv-id); "
		                  "they count for nothing",
		                  "認証結果: このサーバーでは検証していません（信頼する authserv-id がありません）。"
		                  "判定には使いません"));
}

/* what the mail wrote, with every bidi or invisible control shown as a
 * mark such as ⟨U+202E⟩: nothing it wrote can reorder this output */
#define V(s) nise_result_visible(r, (s))

static void print_text(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang)
{
	const struct nise_message *msg = r->msg;
	if (m->in_mbox)
		printf("== %s #%zu\n", m->source, m->index);
	else
		printf("== %s\n", m->source);
	printf("%s: %s\n", L(lang, "Subject", "件名"), V(msg->subject));
	if (msg->nfrom) {
		const struct nise_address *f = &msg->from[0];
		printf("%s: %s%s<%s> (%s)\n", L(lang, "From", "差出人"), V(f->name), *f->name ? " " : "",
		       V(f->address), *f->domain ? f->domain : "-");
	} else {
		printf("%s: %s\n", L(lang, "From", "差出人"), L(lang, "(none)", "(なし)"));
	}
	for (size_t i = 0; i < msg->nreply_to; i++) {
		const struct nise_address *rt = &msg->reply_to[i];
		if (msg->nfrom && strcmp(rt->address, msg->from[0].address) == 0)
			continue;
		printf("%s: %s%s<%s> (%s)\n", L(lang, "Reply-To", "返信先"), V(rt->name), *rt->name ? " " : "",
		       V(rt->address), *rt->domain ? rt->domain : "-");
	}
	if (msg->nlinks) {
		printf("%s:\n", L(lang, "Links (shown text → real destination)", "リンク（表示 → 実際の行き先）"));
		for (size_t i = 0; i < msg->nlinks; i++) {
			const struct nise_link *l = &msg->links[i];
			const char *dest = l->url.url ? l->url.url : l->href;
			const char *text = l->text && *l->text ? l->text : "";
			if (!*text)
				text = l->source == NISE_LINK_FORM ? L(lang, "(form)", "（フォーム）")
				       : l->source == NISE_LINK_META_REFRESH ? L(lang, "(automatic redirect)", "（自動転送）")
				                                             : "-";
			if (l->url.domain)
				printf("  %s → %s (%s)\n", *text ? V(text) : "-", V(dest), V(l->url.domain));
			else
				printf("  %s → %s\n", *text ? V(text) : "-", V(dest));
		}
	}
	for (size_t i = 0; i < msg->nparts; i++) {
		const struct nise_part *p = &msg->parts[i];
		if (p->kind != NISE_PART_ATTACHMENT)
			continue;
		printf("%s: %s (%s%s%s, %zu bytes)\n", L(lang, "Attachment", "添付"),
		       p->filename ? V(p->filename) : "-", V(p->content_type),
		       p->sniffed_type ? ", looks like " : "", p->sniffed_type ? p->sniffed_type : "",
		       p->size);
	}
	print_auth(msg, lang);
	printf("%s: %s (%s %.1f)\n", L(lang, "Verdict", "判定"), verdict_label(r->verdict, lang),
	       L(lang, "score", "スコア"), r->score);
	if (r->verdict == NISE_UNCHECKED) {
		printf("  %s", L(lang, "a limit cut the mail; what was not read was not judged:",
		                 "上限に達したため、メールの残りは読まれず判定されていません:"));
		for (size_t i = 0; i < msg->nanomalies; i++)
			if (strncmp(msg->anomalies[i].id, "LIMIT_", 6) == 0)
				printf(" %s", msg->anomalies[i].id);
		putchar('\n');
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct nise_finding *f = &r->findings[i];
		printf("  - %s\n", V(lang == LANG_JA ? f->explain_ja : f->explain_en));
	}
	if (r->model_tipped && lang == LANG_JA)
		printf("  （個別のチェックだけなら「%s」でした。学習モデルが判定を動かしました）\n",
		       verdict_label(r->check_verdict, lang));
	else if (r->model_tipped)
		printf("  (the checks alone said %s; the learned model tipped the verdict)\n",
		       verdict_label(r->check_verdict, lang));
	if (r->verdict == NISE_UNCHECKED)
		printf("%s\n", L(lang,
		                 "What to do: treat it with care, as an unknown mail: do not click its links "
		                 "or open its attachments unless you know the sender sent them.",
		                 "対処: 確認できていないメールとして扱い、送り主が送ったと確かめられない限り"
		                 "リンクや添付ファイルを開かないでください。"));
	else if (r->verdict != NISE_CLEAN)
		printf("%s\n", L(lang,
		                 "What to do: do not click its links or open its attachments; delete it. "
		                 "To check your account, open the company's official site or app yourself.",
		                 "対処: リンクを開かず、添付ファイルも開かずに削除してください。"
		                 "アカウントを確かめたいときは、公式サイトやアプリを自分で開いて確認してください。"));
	putchar('\n');
}
#undef V

static bool on_message(const struct cli_msg *m, void *vctx)
{
	struct check_ctx *c = vctx;
	struct nise_result *r = NULL;
	nise_rc rc = nise_scan(&r, c->engine, m->buf, m->n);
	if (rc != NISE_OK) {
		fprintf(stderr, "nise: %s: %s\n", m->source, nise_strerror(rc));
		c->errors++;
		return true;
	}
	c->count++;
	switch (r->verdict) {
	case NISE_CLEAN: c->by_verdict[0]++; break;
	case NISE_SUSPICIOUS: c->by_verdict[1]++; break;
	case NISE_PHISHING: c->by_verdict[2]++; break;
	case NISE_UNCHECKED: c->by_verdict[3]++; break;
	}
	if (r->verdict == NISE_PHISHING)
		c->phishing++;
	else if (r->verdict == NISE_UNCHECKED)
		c->unchecked++;
	if (c->store && c->record) {
		bool recorded;
		rc = nise_intel_record(NULL, &recorded, c->store, c->engine, r);
		if (rc != NISE_OK)
			fprintf(stderr, "nise: %s: cannot record the campaign: %s\n", m->source, nise_strerror(rc));
	}
	/* --only phishing: phishing; --only suspicious: anything not clean
	 * (an unchecked mail is at least suspicious) */
	bool shown = c->only == 0 || (c->only == 1 && r->verdict != NISE_CLEAN) ||
	             (c->only == 2 && r->verdict == NISE_PHISHING);
	if (!shown) {
		/* counted and recorded, not printed */
	} else if (c->json) {
		char *s = cli_json_result(r, m, c->lang);
		if (s) {
			fputs(s, stdout);
			fputc('\n', stdout);
			free(s);
		} else {
			fprintf(stderr, "nise: %s: cannot render JSON\n", m->source);
			c->errors++;
		}
	} else {
		print_text(r, m, c->lang);
	}
	nise_result_free(r);
	return true;
}

/* --summary: one final line with the count of each verdict and of the
 * inputs that could not be read (stdout, after every mail). */
static void print_summary(const struct check_ctx *c, int unreadable)
{
	const size_t *v = c->by_verdict;
	if (c->json) {
		printf("{\"summary\":{\"messages\":%zu,\"clean\":%zu,\"suspicious\":%zu,\"phishing\":%zu,"
		       "\"unchecked\":%zu,\"unreadable\":%d}}\n",
		       c->count, v[0], v[1], v[2], v[3], unreadable);
	} else if (c->lang == LANG_JA) {
		printf("集計: %zu通（問題なし %zu、要注意 %zu、フィッシング %zu、一部しか確認できず %zu）、"
		       "読めなかった入力 %d\n",
		       c->count, v[0], v[1], v[2], v[3], unreadable);
	} else {
		printf("Summary: %zu mail%s: %zu clean, %zu suspicious, %zu phishing, %zu only partly checked; "
		       "%d input%s not read\n",
		       c->count, c->count == 1 ? "" : "s", v[0], v[1], v[2], v[3], unreadable,
		       unreadable == 1 ? "" : "s");
	}
}

int cli_check(int argc, char **argv)
{
	/* A batch of mails in one process: what one mail's scan freed is kept
	 * for the next, not given back to the kernel and faulted in again
	 * (glibc trimmed the heap top and unmapped big blocks after each mail:
	 * six page faults a mail, a tenth of its CPU on this VM; bench/
	 * PROFILE.md). The memory is the largest mail's, returned at exit. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	struct check_ctx c = {.lang = cli_default_lang(), .record = true};
	struct cli_store_opts so = {0};
	struct nise_engine_opts opts = {0};
	/* the configuration first: flags override it */
	struct cli_config conf;
	if (!cli_config_apply(&conf, &opts, argc, argv))
		return 2;
	if (conf.lang[0])
		c.lang = strcmp(conf.lang, "ja") == 0 ? LANG_JA : LANG_EN;
	int first = argc;
	bool bad = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			i++;
		} else if (cli_store_arg(&so, argc, argv, &i)) {
			continue;
		} else if (strcmp(argv[i], "--no-record") == 0) {
			c.record = false;
		} else if (strcmp(argv[i], "--json") == 0) {
			c.json = true;
		} else if (strcmp(argv[i], "--summary") == 0) {
			c.summary = true;
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			const char *o = argv[++i];
			if (strcmp(o, "phishing") == 0)
				c.only = 2;
			else if (strcmp(o, "suspicious") == 0)
				c.only = 1;
			else {
				fprintf(stderr, "nise check: --only must be phishing or suspicious\n");
				cli_config_free(&conf);
				return 2;
			}
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			const char *l = argv[++i];
			if (strcmp(l, "ja") == 0)
				c.lang = LANG_JA;
			else if (strcmp(l, "en") == 0)
				c.lang = LANG_EN;
			else {
				fprintf(stderr, "nise check: --lang must be ja or en\n");
				cli_config_free(&conf);
				return 2;
			}
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			opts.data_dir = argv[++i];
		} else if (cli_model_arg(&opts, argc, argv, &i)) {
			continue;
		} else if (cli_trust_arg(&conf, &opts, argc, argv, &i, &bad)) {
			continue;
		} else if (bad) {
			return 2;
		} else if (strcmp(argv[i], "--") == 0) {
			first = i + 1;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "nise check: unknown option '%s'\n", argv[i]);
			cli_config_free(&conf);
			return 2;
		} else {
			first = i;
			break;
		}
	}
	if (!cli_store_open(&c.store, &so, false, "check")) {
		cli_config_free(&conf);
		return 2;
	}
	opts.store = c.store;
	char diag[256] = "";
	nise_rc rc = nise_engine_new(&c.engine, &opts, diag, sizeof(diag));
	if (rc != NISE_OK) {
		fprintf(stderr, "nise: cannot start: %s%s%s\n", nise_strerror(rc), *diag ? ": " : "", diag);
		nise_store_close(c.store);
		cli_config_free(&conf);
		return 2;
	}
	int errs = cli_for_each_message(argv + first, argc - first, on_message, &c);
	if (c.summary)
		print_summary(&c, errs + c.errors);
	nise_engine_free(c.engine);
	nise_store_close(c.store);
	cli_config_free(&conf);
	fflush(stdout);
	if (errs || c.errors)
		return 2;
	/* 1: phishing among them; 3: none phishing, but some only partly
	 * checked (a limit cut them: never reported as clean, docs/verdict.md) */
	return c.phishing ? 1 : c.unchecked ? 3 : 0;
}
