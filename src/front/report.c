/* SPDX-License-Identifier: MIT */
/*
 * report.c — the article `nise report` prints and nise serve offers: the
 * article the blog wrote by hand about one phishing mail: subject, sender
 * address, the mail's text with its links defanged, where each link
 * really goes, why it is fake (nise's findings), what the threat is, what
 * to do, and the campaign it belongs to when the store knows it.
 *
 * Every URL and link host in the article is defanged (hxxp://, [.]) so
 * that no reader, blog engine or mail client makes it clickable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

struct out {
	enum cli_report_fmt fmt;
	enum cli_lang lang;
	FILE *f;
	/* hosts to defang wherever they appear */
	const char *hosts[64];
	size_t nhosts;
	const struct nise_result *r; /* bidi controls shown as marks (nise_result_visible) */
};

/* A literal format by language (so that -Wformat checks both). */
#define LF(o, en, ja) ((o)->lang == LANG_JA ? (ja) : (en))

static const char *L(const struct out *o, const char *en, const char *ja)
{
	return o->lang == LANG_JA ? ja : en;
}

/* ---- defanging ----------------------------------------------------- */

struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = (b->cap + n + 1) * 2;
		char *np = realloc(b->p, nc);
		if (!np)
			return;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static bool url_byte(char c)
{
	return (unsigned char)c > 0x20 && c != '"' && c != '<' && c != '>' && c != '\'' && c != ')' &&
	       (unsigned char)c < 0x7f;
}

static bool label_byte(char c)
{
	unsigned char u = (unsigned char)c;
	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' ||
	       u == '_';
}

/* At s[i], the start of a word: the length of a bare domain name there
 * ("evil.example", "www.x.co.jp", also right after Japanese text): ASCII
 * labels joined by dots, the last of at least two letters; 0 when there is
 * none. Unicode hosts of the mail's links are in o->hosts. */
static size_t bare_domain(const char *s, size_t n, size_t i)
{
	if (i > 0 && (label_byte(s[i - 1]) || s[i - 1] == '.'))
		return 0;
	size_t j = i, dots = 0, last = i;
	for (;;) {
		size_t k = j;
		while (k < n && label_byte(s[k]))
			k++;
		if (k == j)
			break;
		last = j;
		j = k;
		if (j + 1 < n && s[j] == '.' && label_byte(s[j + 1])) {
			dots++;
			j++;
			continue;
		}
		break;
	}
	if (!dots)
		return 0;
	size_t letters = 0;
	for (size_t k = last; k < j; k++) {
		unsigned char u = (unsigned char)s[k];
		if (!((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')))
			return 0;
		letters++;
	}
	return letters >= 2 ? j - i : 0;
}

/* s with "http" schemes as "hxxp" (with or without "//"), the dots of URL
 * hosts, of the listed hosts and of any bare domain name as "[.]", so that
 * no renderer or mail client makes a link of it (attack row 8). malloc'd. */
static char *defang(const struct out *o, const char *s)
{
	struct sbuf b = {0};
	sb_put(&b, "", 0);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		bool http = (n - i >= 7 && strncasecmp(s + i, "http://", 7) == 0) ||
		            (n - i >= 8 && strncasecmp(s + i, "https://", 8) == 0);
		bool scheme_only = !http && ((n - i >= 5 && strncasecmp(s + i, "http:", 5) == 0) ||
		                             (n - i >= 6 && strncasecmp(s + i, "https:", 6) == 0));
		if (scheme_only) {
			sb_put(&b, s[i] == 'H' ? "HXXP" : "hxxp", 4);
			i += 4;
			continue;
		}
		size_t dl = bare_domain(s, n, i);
		if (dl) {
			for (size_t k = i; k < i + dl; k++)
				sb_put(&b, s[k] == '.' ? "[.]" : s + k, s[k] == '.' ? 3 : 1);
			i += dl;
			continue;
		}
		if (http) {
			sb_put(&b, s[i] == 'H' ? "HXXP" : "hxxp", 4);
			i += 4;
			size_t j = i;
			while (j < n && url_byte(s[j]))
				j++;
			/* host part: after "://" up to '/', '?', '#' */
			size_t hstart = i + (s[i] == 's' || s[i] == 'S' ? 4 : 3);
			for (size_t k = i; k < j; k++) {
				bool in_host = k >= hstart && k < j &&
				               !memchr(s + hstart, '/', k - hstart) && !memchr(s + hstart, '?', k - hstart);
				if (s[k] == '.' && in_host)
					sb_put(&b, "[.]", 3);
				else
					sb_put(&b, s + k, 1);
			}
			i = j;
			continue;
		}
		bool done = false;
		for (size_t h = 0; h < o->nhosts && !done; h++) {
			size_t hl = strlen(o->hosts[h]);
			if (hl && n - i >= hl && strncasecmp(s + i, o->hosts[h], hl) == 0 &&
			    (i == 0 || !url_byte(s[i - 1]) || s[i - 1] == '@' || s[i - 1] == '.' || s[i - 1] == '/')) {
				for (size_t k = 0; k < hl; k++)
					sb_put(&b, s[i + k] == '.' ? "[.]" : s + i + k, s[i + k] == '.' ? 3 : 1);
				i += hl;
				done = true;
			}
		}
		if (!done) {
			sb_put(&b, s + i, 1);
			i++;
		}
	}
	return b.p;
}

static void add_host(struct out *o, const char *h)
{
	if (!h || !*h || !strchr(h, '.') || o->nhosts >= 64)
		return;
	for (size_t i = 0; i < o->nhosts; i++)
		if (strcmp(o->hosts[i], h) == 0)
			return;
	o->hosts[o->nhosts++] = h;
}

/* ---- output -------------------------------------------------------- */

static void esc(const struct out *o, const char *s)
{
	for (; *s; s++) {
		if (o->fmt == CLI_REPORT_MD) {
			/* "<a@b>" would be read as an HTML tag or autolink, "![x](y)"
			 * and "[x](y)" as an image or a link, "&#60;" as "<" */
			if (*s == '<')
				fputs("&lt;", o->f);
			else if (*s == '>')
				fputs("&gt;", o->f);
			else if (*s == '&')
				fputs("&amp;", o->f);
			else if (strchr("\\`*_[]()!|~", *s))
				fprintf(o->f, "\\%c", *s);
			else
				fputc(*s, o->f);
			continue;
		}
		switch (*s) {
		case '<': fputs("&lt;", o->f); break;
		case '>': fputs("&gt;", o->f); break;
		case '&': fputs("&amp;", o->f); break;
		case '"': fputs("&quot;", o->f); break;
		default: fputc(*s, o->f);
		}
	}
}

/* Text with defanging, escaped for the format. */
static void text(const struct out *o, const char *s)
{
	char *d = defang(o, s ? nise_result_visible(o->r, s) : "");
	if (d) {
		esc(o, d);
		free(d);
	}
}

static void heading(const struct out *o, int level, const char *s)
{
	if (o->fmt == CLI_REPORT_MD) {
		fprintf(o->f, "\n%.*s ", level, "####");
		text(o, s);
		fputs("\n\n", o->f);
	} else {
		fprintf(o->f, "<h%d>", level);
		text(o, s);
		fprintf(o->f, "</h%d>\n", level);
	}
}

static void item_begin(const struct out *o)
{
	fputs(o->fmt == CLI_REPORT_MD ? "- " : "<li>", o->f);
}

static void item_end(const struct out *o)
{
	fputs(o->fmt == CLI_REPORT_MD ? "\n" : "</li>\n", o->f);
}

static void list_begin(const struct out *o)
{
	if (o->fmt == CLI_REPORT_HTML)
		fputs("<ul>\n", o->f);
}

static void list_end(const struct out *o)
{
	if (o->fmt == CLI_REPORT_HTML)
		fputs("</ul>\n", o->f);
}

static void field(const struct out *o, const char *k, const char *v)
{
	item_begin(o);
	fputs(o->fmt == CLI_REPORT_MD ? "**" : "<b>", o->f);
	esc(o, k);
	fputs(o->fmt == CLI_REPORT_MD ? "**: " : "</b>: ", o->f);
	text(o, v);
	item_end(o);
}

static void para(const struct out *o, const char *s)
{
	fputs(o->fmt == CLI_REPORT_MD ? "" : "<p>", o->f);
	text(o, s);
	fputs(o->fmt == CLI_REPORT_MD ? "\n\n" : "</p>\n", o->f);
}

static void quote(const struct out *o, const char *s)
{
	char *d = defang(o, nise_result_visible(o->r, s));
	if (!d)
		return;
	if (o->fmt == CLI_REPORT_MD) {
		/* an indented code block: every Markdown renderer has it (not
		 * all have fences), and nothing inside it is a link or an image */
		fputs("    ", o->f);
		for (char *p = d; *p; p++) {
			fputc(*p, o->f);
			if (*p == '\n' && p[1])
				fputs("    ", o->f);
		}
		if (!*d || d[strlen(d) - 1] != '\n')
			fputc('\n', o->f);
	} else {
		fputs("<pre>", o->f);
		esc(o, d);
		fputs("</pre>\n", o->f);
	}
	free(d);
}

static bool has(const struct nise_result *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return true;
	return false;
}

/* What to do, en and ja: the report's list, also the page's advice
 * (cli_report_advice). */
static const char *const todo[][2] = {
	{"Do not click its links or open its attachments; delete it.", "リンクを開かず、添付ファイルも開かずに削除してください。"},
	{"To check your account, open the company's official site or app yourself, not from the mail.",
	 "アカウントを確かめたいときは、メールからではなく、公式サイトやアプリを自分で開いて確認してください。"},
	{"If you already entered a password or card number: change the password at once, and call the card company to stop the card.",
	 "すでにパスワードやカード番号を入力してしまったら、すぐにパスワードを変更し、カード会社に連絡して利用を止めてもらってください。"},
	{"Report it: in Japan to the Council of Anti-Phishing Japan (info@antiphishing.jp) and to the company it imitates.",
	 "フィッシング対策協議会（info@antiphishing.jp）と、なりすまされた会社に報告してください。"},
};

static const char *threat(const struct out *o, const struct nise_result *r)
{
	if (has(r, "HTML_ATTACHMENT"))
		return L(o, "The attachment is a fake sign-in page that opens on your own computer and sends what you type to the criminals.",
		         "添付ファイルは偽のログイン画面で、自分のパソコンで開くと、入力した内容が犯人に送られます。");
	if (r->msg->nlinks && (has(r, "LURE_CREDENTIALS") || has(r, "CREDENTIAL_FORM") ||
	                       has(r, "LINK_BRAND_MISMATCH") || has(r, "INTEL_URL_MATCH")))
		return L(o, "The link leads to a copy of the real sign-in page. Whatever you type there — ID, password, card number, security code — goes to the criminals, who use it to take over the account or pay with your card.",
		         "リンク先は本物そっくりの偽ログインページです。そこに入力したID・パスワード・カード番号・セキュリティコードは犯人に渡り、アカウントの乗っ取りやカードの不正利用に使われます。");
	return L(o, "The mail tries to make you act in a hurry — open a link, reply or call — so that you hand over personal data or money.",
	         "急がせて、リンクを開く・返信する・電話するといった行動をとらせ、個人情報やお金をだまし取ろうとするメールです。");
}

const char *cli_report_threat(const struct nise_result *r, enum cli_lang lang)
{
	struct out o = {.lang = lang};
	return threat(&o, r);
}

size_t cli_report_advice(const char **out, size_t max, enum cli_lang lang)
{
	size_t n = 0;
	for (; n < max && n < sizeof(todo) / sizeof(todo[0]); n++)
		out[n] = todo[n][lang == LANG_JA ? 1 : 0];
	return n;
}

static void write_report(struct out *o, const struct nise_result *r, const struct nise_campaign *camp)
{
	const struct nise_message *m = r->msg;
	for (size_t i = 0; i < m->nlinks; i++) {
		add_host(o, m->links[i].url.host);
		add_host(o, m->links[i].url.host_ascii);
		add_host(o, m->links[i].url.domain);
	}
	if (m->nfrom)
		add_host(o, m->from[0].domain);
	for (size_t i = 0; camp && i < camp->nlinks; i++)
		add_host(o, camp->links[i]);
	for (size_t i = 0; camp && i < camp->nsenders; i++)
		add_host(o, camp->senders[i]);
	if (o->fmt == CLI_REPORT_HTML)
		fprintf(o->f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
		        o->lang == LANG_JA ? "ja" : "en");
	char title[1024];
	const char *brand = r->brand;
	/* "pretending to be" only when nise says so: a clean mail from the
	 * brand itself names the brand without accusing it */
	if (brand && r->verdict == NISE_PHISHING)
		snprintf(title, sizeof(title), LF(o, "\"%s\" — a phishing mail pretending to be %s", "「%s」— %sを装うフィッシングメール"),
		         m->subject, brand);
	else if (brand && r->verdict == NISE_SUSPICIOUS)
		snprintf(title, sizeof(title), LF(o, "\"%s\" — a suspicious mail claiming to be from %s",
		                                  "「%s」— %sを名乗る不審なメール"),
		         m->subject, brand);
	else if (r->verdict == NISE_PHISHING)
		snprintf(title, sizeof(title), LF(o, "\"%s\" — a phishing mail", "「%s」— フィッシングメール"), m->subject);
	else
		snprintf(title, sizeof(title), LF(o, "\"%s\" — what nise found", "「%s」— nise の確認結果"), m->subject);
	if (o->fmt == CLI_REPORT_HTML) {
		text(o, title);
		fputs("</title></head><body>\n", o->f);
		heading(o, 1, title);
	} else {
		fputs("# ", o->f);
		text(o, title);
		fputs("\n", o->f);
	}

	heading(o, 2, L(o, "The mail", "メールの概要"));
	list_begin(o);
	field(o, L(o, "Subject", "件名"), m->subject);
	char from[1024] = "-";
	if (m->nfrom)
		snprintf(from, sizeof(from), "%s%s<%s>", m->from[0].name, *m->from[0].name ? " " : "", m->from[0].address);
	field(o, L(o, "From", "差出人"), from);
	if (m->date)
		field(o, L(o, "Date", "日時"), m->date);
	char verdict[128];
	snprintf(verdict, sizeof(verdict), "%s (%s %.1f)",
	         r->verdict == NISE_PHISHING ? L(o, "phishing", "フィッシング")
	         : r->verdict == NISE_SUSPICIOUS ? L(o, "suspicious", "要注意")
	         : r->verdict == NISE_UNCHECKED  ? L(o, "only partly checked", "一部しか確認できませんでした")
	                                         : L(o, "clean", "問題なし"),
	         L(o, "score", "スコア"), r->score);
	field(o, L(o, "nise's verdict", "nise の判定"), verdict);
	list_end(o);

	heading(o, 2, L(o, "What it says (links defanged)", "本文（リンクは無害化して表示）"));
	quote(o, m->visible_text);

	if (m->nlinks) {
		heading(o, 2, L(o, "Where the links really go", "リンクの本当の行き先"));
		list_begin(o);
		for (size_t i = 0; i < m->nlinks; i++) {
			const struct nise_link *l = &m->links[i];
			char line[4096];
			const char *dest = l->url.url ? l->url.url : l->href;
			snprintf(line, sizeof(line), LF(o, "\"%s\" → %s (site: %s)", "「%s」→ %s（サイト: %s）"),
			         l->text && *l->text ? l->text : "-", dest, l->url.domain ? l->url.domain : "-");
			item_begin(o);
			text(o, line);
			item_end(o);
		}
		list_end(o);
	}

	heading(o, 2, L(o, "Why it is fake", "偽物だとわかる理由"));
	list_begin(o);
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].score <= 0 && strcmp(r->findings[i].id, "BRAND_AUTHENTICATED") == 0)
			continue;
		item_begin(o);
		text(o, o->lang == LANG_JA ? r->findings[i].explain_ja : r->findings[i].explain_en);
		fputs(o->fmt == CLI_REPORT_MD ? " (`" : " (<code>", o->f);
		fputs(r->findings[i].id, o->f); /* [A-Z_]: raw in a code span */
		fputs(o->fmt == CLI_REPORT_MD ? "`)" : "</code>)", o->f);
		item_end(o);
	}
	if (!r->nfindings) {
		item_begin(o);
		esc(o, L(o, "nise found nothing wrong with this mail.", "nise はこのメールに問題を見つけませんでした。"));
		item_end(o);
	}
	list_end(o);

	heading(o, 2, L(o, "The threat", "何が危ないのか"));
	para(o, threat(o, r));

	heading(o, 2, L(o, "What to do", "どうすればよいか"));
	list_begin(o);
	for (size_t i = 0; i < sizeof(todo) / sizeof(todo[0]); i++) {
		item_begin(o);
		esc(o, o->lang == LANG_JA ? todo[i][1] : todo[i][0]);
		item_end(o);
	}
	list_end(o);

	heading(o, 2, L(o, "Campaign", "キャンペーン"));
	if (camp) {
		char line[1024];
		snprintf(line, sizeof(line), LF(o, "This mail belongs to a campaign first seen %s and last seen %s: %lu copies so far (campaign %016llx).",
		           "このメールは %s に初めて確認され、%s まで続いているキャンペーンの一通です。これまでに %lu 通（キャンペーン %016llx）。"),
		         camp->first_seen, camp->last_seen, camp->copies, (unsigned long long)camp->id);
		para(o, line);
		list_begin(o);
		for (size_t i = 0; i < camp->nsubjects; i++)
			field(o, L(o, "Subject seen", "確認された件名"), camp->subjects[i]);
		for (size_t i = 0; i < camp->nsenders; i++)
			field(o, L(o, "Sender domain", "差出人ドメイン"), camp->senders[i]);
		for (size_t i = 0; i < camp->nlinks; i++)
			field(o, L(o, "Link domain", "リンク先ドメイン"), camp->links[i]);
		list_end(o);
	} else {
		para(o, L(o, "nise has not recorded this campaign before (or was run without a store).",
		          "nise はこのキャンペーンをまだ記録していません（またはストアなしで実行されました）。"));
	}
	para(o, L(o, "Written by nise report. Links and domains are defanged (hxxp, [.]): do not restore them in a browser.",
	          "この記事は nise report が作成しました。リンクとドメインは無害化（hxxp、[.]）してあります。ブラウザで元に戻して開かないでください。"));
	if (o->fmt == CLI_REPORT_HTML)
		fputs("</body></html>\n", o->f);
}

char *cli_report_render(struct nise_store *s, const struct nise_engine *e, const struct nise_result *r,
                        enum cli_report_fmt fmt, enum cli_lang lang, size_t *n)
{
	char *buf = NULL;
	size_t len = 0;
	struct out o = {.fmt = fmt, .lang = lang, .f = open_memstream(&buf, &len), .r = r};
	if (!o.f)
		return NULL;
	struct nise_campaign *camp = malloc(sizeof(*camp));
	bool have = camp && s && nise_campaign_match(camp, s, e, r) == NISE_OK;
	write_report(&o, r, have ? camp : NULL);
	free(camp);
	bool bad = ferror(o.f) != 0;
	if (fclose(o.f) != 0 || bad) {
		free(buf);
		return NULL;
	}
	if (n)
		*n = len;
	return buf;
}
