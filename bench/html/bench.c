/* SPDX-License-Identifier: MIT */
/*
 * bench.c — throughput of HTML parsers on the same inputs: gumbo (tree
 * build + destroy), libxml2's HTML parser (htmlReadMemory + xmlFreeDoc),
 * MyHTML (parse into a reused tree, single-threaded mode) and nise's
 * streaming extractor (nise_html_extract into a fresh arena per part,
 * which includes all extraction work, not only parsing).
 *
 * usage: bench [-r REPS] FILE...   (files: UTF-8 HTML parts, e.g. made by
 *        bench/html/extract_parts.py). Prints one row per parser: best
 *        of REPS total time, MB/s and mean microseconds per part.
 * Build: see bench/html/RESULTS.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <gumbo.h>
#include <libxml/HTMLparser.h>
#include <myhtml/api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html/html.h"

struct input {
	char *p;
	size_t n;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t sink; /* keeps results alive */

static void run_gumbo(const struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, in[i].p, in[i].n);
		sink += g->root->v.element.children.length;
		gumbo_destroy_output(&kGumboDefaultOptions, g);
	}
}

static void run_libxml2(const struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		htmlDocPtr d = htmlReadMemory(in[i].p, (int)in[i].n, NULL, "UTF-8",
		                              HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
		                              HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		sink += d != NULL;
		xmlFreeDoc(d);
	}
}

static myhtml_t *mh;
static myhtml_tree_t *mt;

static void run_myhtml(const struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		myhtml_parse(mt, MyENCODING_UTF_8, in[i].p, in[i].n);
		sink += myhtml_tree_get_document(mt) != NULL;
	}
}

static void run_nise(const struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct nise_arena *a = nise_arena_new(64u << 20, false);
		struct nise_html_doc d;
		nise_html_extract(&d, a, in[i].p, in[i].n, 10000, 1u << 20);
		sink += d.nanchors + d.text_len;
		nise_arena_free(a);
	}
}

int main(int argc, char **argv)
{
	int reps = 3, ai = 1;
	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		long r = strtol(argv[2], NULL, 10);
		reps = r > 0 && r < 1000 ? (int)r : 1;
		ai = 3;
	}
	size_t n = 0, bytes = 0;
	struct input *in = calloc((size_t)argc, sizeof(*in));
	for (; ai < argc; ai++) {
		FILE *f = fopen(argv[ai], "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		in[n].p = malloc((size_t)len + 1);
		in[n].n = fread(in[n].p, 1, (size_t)len, f);
		bytes += in[n].n;
		n++;
		fclose(f);
	}
	mh = myhtml_create();
	myhtml_init(mh, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0);
	mt = myhtml_tree_create();
	myhtml_tree_init(mt, mh);
	xmlInitParser();
	struct {
		const char *name;
		void (*fn)(const struct input *, size_t);
	} runs[] = {
		{"gumbo 0.10.1 (tree)", run_gumbo},
		{"libxml2 2.9.14 htmlReadMemory", run_libxml2},
		{"MyHTML (modest 2021-08, 1 thread)", run_myhtml},
		{"nise_html_extract", run_nise},
	};
	printf("%zu parts, %.1f MB\n", n, (double)bytes / 1e6);
	printf("| parser | best of %d, s | MB/s | us/part |\n|---|---|---|---|\n", reps);
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		double best = 1e30;
		for (int k = 0; k < reps; k++) {
			double t0 = now();
			runs[r].fn(in, n);
			double t = now() - t0;
			if (t < best)
				best = t;
		}
		printf("| %s | %.3f | %.1f | %.1f |\n", runs[r].name, best, (double)bytes / 1e6 / best,
		       best * 1e6 / (double)n);
	}
	myhtml_tree_destroy(mt);
	myhtml_destroy(mh);
	return sink == 0;
}
