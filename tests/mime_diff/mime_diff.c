/* SPDX-License-Identifier: MIT */
/*
 * mime_diff.c — differential test of nise's MIME reader (src/lib/mime)
 * against GMime 3.2 (gmime_oracle.c, the adapter libnise used before).
 *
 * For every mail named on the command line (an mbox counts each of its
 * messages), both readers build a struct nise_message with the default
 * limits, and the two are compared field by field: the header fields
 * (names and decoded values, in order), the sender and recipient
 * addresses, trace and authentication results, the anomalies, and for
 * every leaf part its kind, depth, type, declared and used charset, file
 * name, sniffed type, decoded size, SHA-256, alternative group and decoded
 * UTF-8 text (exact bytes).
 *
 * Paths come from the command line, or one per line on stdin ("-").
 *
 * Output: one line per differing mail with the class of its first
 * difference ("DIFF class file: detail"), then
 *   "mails N identical N classes K"
 * plus the CPU time per mail each reader took (arena included; a run
 * over one set, e.g. phish/pot, gives its parse-only MIME cost).
 * -q prints the summary and the per-class counts only.
 *
 * Build and run: tests/mime_diff/run.sh or tests/mime-diff-gate.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "mime/mime.h"
#include "mime_diff.h"

static struct nise_limits lim;
static int quiet;
static size_t nmails, nsame;
static double t_nise, t_gmime; /* thread CPU seconds in each parser */

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAXCLASS 64
static struct {
	char name[64];
	size_t n;
	char example[512];
} classes[MAXCLASS];
static size_t nclasses;

static const char *s0(const char *s)
{
	return s ? s : "(null)";
}

static int sdiff(const char *a, const char *b)
{
	if (!a || !b)
		return (a == NULL) != (b == NULL);
	return strcmp(a, b) != 0;
}

static void record(const char *cls, const char *where, const char *detail)
{
	size_t i;
	for (i = 0; i < nclasses; i++)
		if (strcmp(classes[i].name, cls) == 0)
			break;
	if (i == nclasses && nclasses < MAXCLASS) {
		snprintf(classes[i].name, sizeof(classes[i].name), "%s", cls);
		snprintf(classes[i].example, sizeof(classes[i].example), "%s: %s", where, detail);
		nclasses++;
	}
	if (i < nclasses)
		classes[i].n++;
	if (!quiet)
		printf("DIFF %s %s: %s\n", cls, where, detail);
}

/* a short printable excerpt around the first differing byte */
static void excerpt(char *out, size_t on, const char *a, const char *b)
{
	a = s0(a);
	b = s0(b);
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	size_t st = i > 20 ? i - 20 : 0;
	snprintf(out, on, "@%zu nise=[%.60s] gmime=[%.60s]", i, a + st, b + st);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 32)
			*p = ' ';
}

static int cmp_addr(const char *cls, const char *where, const struct nise_address *x, size_t nx,
                    const struct nise_address *y, size_t ny)
{
	char d[256];
	if (nx != ny) {
		snprintf(d, sizeof(d), "count nise=%zu gmime=%zu", nx, ny);
		record(cls, where, d);
		return 1;
	}
	for (size_t i = 0; i < nx; i++) {
		if (sdiff(x[i].address, y[i].address) || sdiff(x[i].name, y[i].name)) {
			snprintf(d, sizeof(d), "nise=<%s> %.60s gmime=<%s> %.60s", s0(x[i].address), s0(x[i].name),
			         s0(y[i].address), s0(y[i].name));
			record(cls, where, d);
			return 1;
		}
	}
	return 0;
}

static int compare(const char *where, const struct nise_message *m, const struct nise_vec *an,
                   const struct nise_message *g, const struct nise_vec *gan)
{
	char d[512];
	if (m->nheaders != g->nheaders) {
		snprintf(d, sizeof(d), "nise=%zu gmime=%zu", m->nheaders, g->nheaders);
		record("headers.count", where, d);
		return 1;
	}
	for (size_t i = 0; i < m->nheaders; i++) {
		if (sdiff(m->headers[i].name, g->headers[i].name)) {
			snprintf(d, sizeof(d), "#%zu nise=%s gmime=%s", i, m->headers[i].name, g->headers[i].name);
			record("headers.name", where, d);
			return 1;
		}
		if (sdiff(m->headers[i].value, g->headers[i].value)) {
			excerpt(d, sizeof(d), m->headers[i].value, g->headers[i].value);
			record("headers.value", where, d);
			return 1;
		}
	}
	if (sdiff(m->subject, g->subject)) {
		excerpt(d, sizeof(d), m->subject, g->subject);
		record("subject", where, d);
		return 1;
	}
	if (cmp_addr("from", where, m->from, m->nfrom, g->from, g->nfrom) ||
	    cmp_addr("to", where, m->to, m->nto, g->to, g->nto) ||
	    cmp_addr("reply-to", where, m->reply_to, m->nreply_to, g->reply_to, g->nreply_to) ||
	    cmp_addr("sender", where, m->sender, m->sender != NULL, g->sender, g->sender != NULL) ||
	    cmp_addr("return-path", where, m->return_path, m->return_path != NULL, g->return_path,
	             g->return_path != NULL))
		return 1;
	if (sdiff(m->date, g->date) || sdiff(m->message_id, g->message_id) ||
	    sdiff(m->list_id, g->list_id) || sdiff(m->list_unsubscribe, g->list_unsubscribe)) {
		record("fields", where, "date, message-id or list fields");
		return 1;
	}
	if (m->nreceived != g->nreceived || m->nauth != g->nauth) {
		record("trace", where, "received or authentication-results count");
		return 1;
	}
	if (m->nparts != g->nparts) {
		snprintf(d, sizeof(d), "nise=%zu gmime=%zu", m->nparts, g->nparts);
		record("parts.count", where, d);
		return 1;
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct nise_part *x = &m->parts[i], *y = &g->parts[i];
		char w[64];
		snprintf(w, sizeof(w), "part %zu ", i);
		if (sdiff(x->content_type, y->content_type)) {
			snprintf(d, sizeof(d), "%snise=%s gmime=%s", w, s0(x->content_type), s0(y->content_type));
			record("part.type", where, d);
			return 1;
		}
		if (x->kind != y->kind || x->inline_text != y->inline_text) {
			snprintf(d, sizeof(d), "%snise=%d gmime=%d", w, (int)x->kind, (int)y->kind);
			record("part.kind", where, d);
			return 1;
		}
		if (x->depth != y->depth || x->alt_group != y->alt_group) {
			snprintf(d, sizeof(d), "%sdepth %u/%u alt %u/%u", w, x->depth, y->depth, x->alt_group,
			         y->alt_group);
			record("part.structure", where, d);
			return 1;
		}
		if (sdiff(x->filename, y->filename)) {
			snprintf(d, sizeof(d), "%snise=%s gmime=%s", w, s0(x->filename), s0(y->filename));
			record("part.filename", where, d);
			return 1;
		}
		if (sdiff(x->declared_charset, y->declared_charset) || sdiff(x->charset, y->charset) ||
		    x->charset_guessed != y->charset_guessed) {
			snprintf(d, sizeof(d), "%snise=%s/%s gmime=%s/%s", w, s0(x->declared_charset),
			         s0(x->charset), s0(y->declared_charset), s0(y->charset));
			record("part.charset", where, d);
			return 1;
		}
		if (x->size != y->size || strcmp(x->sha256, y->sha256) != 0) {
			snprintf(d, sizeof(d), "%ssize nise=%zu gmime=%zu", w, x->size, y->size);
			record("part.bytes", where, d);
			return 1;
		}
		if (sdiff(x->sniffed_type, y->sniffed_type)) {
			snprintf(d, sizeof(d), "%snise=%s gmime=%s", w, s0(x->sniffed_type), s0(y->sniffed_type));
			record("part.sniffed", where, d);
			return 1;
		}
		if (x->text_len != y->text_len || sdiff(x->text, y->text)) {
			excerpt(d, sizeof(d), x->text, y->text);
			record("part.text", where, d);
			return 1;
		}
	}
	if (an->n != gan->n) {
		snprintf(d, sizeof(d), "nise=%zu gmime=%zu (first nise: %s)", an->n, gan->n,
		         an->n ? ((const struct nise_anomaly *)an->items)[0].id : "-");
		record("anomalies", where, d);
		return 1;
	}
	for (size_t i = 0; i < an->n; i++) {
		const struct nise_anomaly *x = (const struct nise_anomaly *)an->items + i;
		const struct nise_anomaly *y = (const struct nise_anomaly *)gan->items + i;
		if (strcmp(x->id, y->id) != 0) {
			snprintf(d, sizeof(d), "nise=%s gmime=%s", x->id, y->id);
			record("anomalies", where, d);
			return 1;
		}
	}
	return 0;
}

struct one {
	const char *path;
	int multi;
};

static nise_rc one_mail(const char *buf, size_t n, size_t index, void *ctx)
{
	const struct one *o = ctx;
	char where[1024];
	if (o->multi)
		snprintf(where, sizeof(where), "%s#%zu", o->path, index);
	else
		snprintf(where, sizeof(where), "%s", o->path);
	struct nise_arena *a = nise_arena_new(lim.max_arena_bytes, false);
	struct nise_arena *b = nise_arena_new(lim.max_arena_bytes, false);
	if (!a || !b)
		abort();
	struct nise_message m, g;
	struct nise_vec an = {0}, gan = {0};
	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	double t0 = cpu_now();
	nise_rc r1 = nise_mime_parse(&m, a, &lim, buf, n, &an);
	double t1 = cpu_now();
	nise_rc r2 = nise_mime_parse_gmime(&g, b, &lim, buf, n, &gan);
	t_nise += t1 - t0;
	t_gmime += cpu_now() - t1;
	nmails++;
	if (r1 != r2)
		record("rc", where, "return codes differ");
	else if (!compare(where, &m, &an, &g, &gan))
		nsame++;
	nise_arena_free(a);
	nise_arena_free(b);
	return NISE_OK;
}

int main(int argc, char **argv)
{
	nise_limits_default(&lim);
	nise_gmime_init();
	int i = 1;
	for (; i < argc && strcmp(argv[i], "-q") == 0; i++)
		if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
	char line[4096];
	int from_stdin = i < argc && strcmp(argv[i], "-") == 0;
	for (;;) {
		const char *path;
		if (from_stdin) {
			if (!fgets(line, sizeof(line), stdin))
				break;
			line[strcspn(line, "\n")] = '\0';
			path = line;
		} else {
			if (i >= argc)
				break;
			path = argv[i++];
		}
		FILE *f = fopen(path, "rb");
		if (!f) {
			perror(path);
			continue;
		}
		char *buf = NULL;
		size_t n = 0, cap = 0;
		for (;;) {
			if (n + 65536 > cap) {
				cap = cap ? cap * 2 : 1 << 20;
				buf = realloc(buf, cap);
				if (!buf)
					abort();
			}
			size_t r = fread(buf + n, 1, cap - n, f);
			if (r == 0)
				break;
			n += r;
		}
		fclose(f);
		struct one o = {path, 0};
		if (nise_is_mbox(buf, n)) {
			o.multi = 1;
			nise_mbox_split(buf, n, one_mail, &o);
		} else {
			one_mail(buf, n, 0, &o);
		}
		free(buf);
	}
	for (size_t k = 0; k < nclasses; k++)
		printf("class %-16s %6zu  e.g. %s\n", classes[k].name, classes[k].n, classes[k].example);
	if (nmails)
		printf("cpu per mail (arena included): nise %.1f us, gmime adapter %.1f us\n",
		       t_nise / (double)nmails * 1e6, t_gmime / (double)nmails * 1e6);
	printf("mails %zu identical %zu classes %zu\n", nmails, nsame, nclasses);
	return 0;
}
