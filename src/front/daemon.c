/* SPDX-License-Identifier: MIT */
/*
 * daemon.c — generations, signals, draining and log lines of the
 * long-running front ends (daemon.h).
 */
#include "daemon.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t gen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct front_gen *gen_current;

bool front_gen_init(struct front_gen *g, unsigned long id, const char *nise_config, const char *trust,
                    const char *lang, char *err, size_t en)
{
	return front_gen_init_with(g, id, nise_config, trust, lang, NULL, NULL, err, en);
}

bool front_gen_init_with(struct front_gen *g, unsigned long id, const char *nise_config, const char *trust,
                         const char *lang, front_gen_adjust_fn adjust, void *ctx, char *err, size_t en)
{
	g->id = id;
	atomic_init(&g->refs, 1);
	if (!cli_config_load(&g->nconf, nise_config && *nise_config ? nise_config : NULL, err, en))
		return false;
	if (trust && !cli_config_trust(&g->nconf, trust)) {
		snprintf(err, en, "authserv_id: cannot trust '%s' (one token; at most %d trusted ids)", trust,
		         CLI_MAX_TRUSTED);
		cli_config_free(&g->nconf);
		return false;
	}
	const char *l = lang && *lang ? lang : g->nconf.lang;
	g->lang = *l ? (strcmp(l, "ja") == 0 ? LANG_JA : LANG_EN) : cli_default_lang();
	struct nise_engine_opts opts = {0};
	cli_config_to_opts(&g->nconf, &opts);
	if (adjust && !adjust(&opts, &g->nconf, ctx, err, en)) {
		cli_config_free(&g->nconf);
		return false;
	}
	if (!cli_config_engine(&g->engine, &g->nconf, &opts, err, en)) {
		cli_config_free(&g->nconf);
		return false;
	}
	return true;
}

struct front_gen *front_gen_get(void)
{
	pthread_mutex_lock(&gen_mu);
	struct front_gen *g = gen_current;
	if (g)
		atomic_fetch_add(&g->refs, 1);
	pthread_mutex_unlock(&gen_mu);
	return g;
}

void front_gen_put(struct front_gen *g)
{
	if (g && atomic_fetch_sub(&g->refs, 1) == 1) {
		nise_engine_free(g->engine);
		cli_config_free(&g->nconf);
		free(g);
	}
}

struct front_gen *front_gen_swap(struct front_gen *g)
{
	pthread_mutex_lock(&gen_mu);
	struct front_gen *old = gen_current;
	gen_current = g;
	pthread_mutex_unlock(&gen_mu);
	return old;
}

void front_log(const char *who, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "nise %s: %s\n", who, line);
}

char *front_log_escape(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!n)
		return out;
	if (!s || !*s)
		s = "-";
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = *p > ' ' && *p < 0x7f && *p != '\\';
		size_t need = plain ? 1 : 4;
		if (w + need + 4 > n) { /* room for "..." and the NUL */
			if (n >= 4) {
				while (w + 4 > n)
					w--;
				memcpy(out + w, "...", 3);
				w += 3;
			}
			break;
		}
		if (plain) {
			out[w++] = (char)*p;
		} else {
			out[w++] = '\\';
			out[w++] = 'x';
			out[w++] = hex[*p >> 4];
			out[w++] = hex[*p & 15];
		}
	}
	out[w] = '\0';
	return out;
}

static int sigpipe_fd[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t k = write(sigpipe_fd[1], &b, 1);
	(void)k;
	errno = saved;
}

bool front_signals_start(char *err, size_t en)
{
	if (pipe(sigpipe_fd) != 0) {
		snprintf(err, en, "pipe: %s", strerror(errno));
		return false;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return true;
}

void front_signals_block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void front_daemon_loop(const char *who, struct front_gen *(*build)(unsigned long id, char *err, size_t en),
                       void (*changed)(const struct front_gen *old, const struct front_gen *g))
{
	for (;;) {
		unsigned char b;
		ssize_t k = read(sigpipe_fd[0], &b, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || b != SIGHUP)
			return; /* TERM, INT */
		struct front_gen *cur = front_gen_get();
		unsigned long id = cur ? cur->id : 0;
		front_gen_put(cur);
		char err[1400];
		struct front_gen *g = build(id + 1, err, sizeof(err));
		if (!g) {
			front_log(who, "reload failed, keeping generation %lu: %s", id, err);
			continue;
		}
		struct front_gen *old = front_gen_swap(g);
		if (old && changed)
			changed(old, g);
		front_gen_put(old);
		front_log(who, "reloaded: generation %lu", g->id);
	}
}

bool front_drain(atomic_uint *inflight, unsigned seconds)
{
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(inflight)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= (time_t)seconds)
			return false;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return true;
}
