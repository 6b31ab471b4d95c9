/* SPDX-License-Identifier: MIT */
/*
 * daemon.h — what the long-running front ends (nise milter, nise spamd,
 * nise imap) share: the reference-counted generation of engine and
 * settings that SIGHUP replaces, the signal loop, draining at SIGTERM,
 * and one-line logs with escaped fields.
 *
 * Generations. A front end's generation struct starts with a struct
 * front_gen (its first member) and is calloc'd by the front end; the
 * last front_gen_put frees the engine, the nise.conf it was built from
 * and the whole allocation. A request takes a reference (front_gen_get)
 * when it starts and drops it when done, so a reload never pulls an
 * engine from under a request. One current generation per process.
 *
 * Signals. front_signals_start installs handlers that write the signal
 * to a pipe; worker threads are created with HUP, TERM and INT blocked
 * (front_signals_block) so that the main thread, in front_daemon_loop,
 * takes them all.
 */
#ifndef NISE_FRONT_DAEMON_H
#define NISE_FRONT_DAEMON_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "front.h"

struct front_gen {
	struct nise_engine *engine;
	struct cli_config nconf; /* the nise.conf the engine was built from */
	enum cli_lang lang;      /* the front end's lang, else nise.conf's, else the locale's */
	unsigned long id;
	atomic_uint refs;
};

/* Loads nise.conf (nise_config; "" or NULL: its default lookup), adds
 * trust (NULL: none) to the trusted authserv-ids, and builds and probes
 * the engine (cli_config_engine). lang: "ja", "en" or ""/NULL. g->refs
 * is 1 after. False with "FILE:LINE: reason" in err (nothing to free). */
bool front_gen_init(struct front_gen *g, unsigned long id, const char *nise_config, const char *trust,
                    const char *lang, char *err, size_t en);
/* The same, with adjust (NULL: none) called on the engine options after
 * nise.conf's and before the build: a front end's command-line options
 * (nise serve's --data, --trust-authserv). A false from adjust fails with
 * its reason in err. */
typedef bool (*front_gen_adjust_fn)(struct nise_engine_opts *opts, struct cli_config *conf, void *ctx,
                                    char *err, size_t en);
bool front_gen_init_with(struct front_gen *g, unsigned long id, const char *nise_config, const char *trust,
                         const char *lang, front_gen_adjust_fn adjust, void *ctx, char *err, size_t en);
/* The current generation with a reference taken, or NULL. */
struct front_gen *front_gen_get(void);
/* Drops a reference (NULL: nothing); the last one frees g. */
void front_gen_put(struct front_gen *g);
/* Makes g current (its reference moves in); returns the previous one,
 * whose reference the caller now holds. */
struct front_gen *front_gen_swap(struct front_gen *g);

/* "nise WHO: message" on stderr, one line (the log of the daemons). */
void front_log(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s for a log line, one field: every byte but printable ASCII (space
 * and '\\' included) as \xHH, so a field never holds a space, a line end
 * or a control; cut with "..." at the end when it does not fit in n. NULL
 * or empty: "-". Returns out. */
char *front_log_escape(char *out, size_t n, const char *s);

/* The signal pipe and handlers for SIGHUP, SIGTERM, SIGINT; SIGPIPE
 * ignored. False with a reason in err. */
bool front_signals_start(char *err, size_t en);
/* Blocks HUP, TERM and INT in this thread (threads made now inherit it);
 * old gets the previous mask for pthread_sigmask(SIG_SETMASK, old). */
void front_signals_block(sigset_t *old);
/* Waits for signals: on SIGHUP calls build(next id) and, when it gives a
 * generation, swaps it in, calls changed(old, new) (may be NULL) and
 * logs "reloaded: generation N" (on failure: "reload failed, keeping
 * generation N: reason"); returns at SIGTERM or SIGINT. */
void front_daemon_loop(const char *who, struct front_gen *(*build)(unsigned long id, char *err, size_t en),
                       void (*changed)(const struct front_gen *old, const struct front_gen *g));
/* Waits until *inflight is 0 or seconds have passed; true when it is 0. */
bool front_drain(atomic_uint *inflight, unsigned seconds);

#endif
