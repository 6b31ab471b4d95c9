/* SPDX-License-Identifier: MIT */
/*
 * manifest.c — labelled sets for `nise eval` and `nise train`.
 *
 * A manifest is a TSV whose first two columns are a path (relative to a
 * root directory) and a label; a header line starting with "path" is
 * skipped, further columns are ignored. A groups file is a TSV with a
 * header naming the columns "file" and "dup_group" (corpus/jp/labels.tsv):
 * messages of one group are copies of one campaign. struct cli_sets is
 * the command-line form shared by `nise eval` and `nise train`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_manifest_each(const char *manifest, const char *root, const char *only,
                      cli_labelled_fn fn, void *ctx)
{
	FILE *f = fopen(manifest, "r");
	if (!f)
		return -1;
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *label = tab + 1;
		char *t2 = strchr(label, '\t');
		if (t2)
			*t2 = '\0';
		if (strcmp(line, "path") == 0)
			continue;
		if (only && strncmp(line, only, strlen(only)) != 0)
			continue;
		char path[8200];
		snprintf(path, sizeof(path), "%s/%s", root, line);
		fn(label, path, line, ctx);
		n++;
	}
	fclose(f);
	return n;
}

json_t *cli_groups_load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	json_t *map = json_object();
	char line[4096];
	int col_file = -1, col_group = -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *cols[16];
		int nc = 0;
		for (char *p = line; nc < 16;) {
			cols[nc++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = '\0';
			p = t + 1;
		}
		if (col_file < 0) {
			for (int i = 0; i < nc; i++) {
				if (strcmp(cols[i], "file") == 0)
					col_file = i;
				if (strcmp(cols[i], "dup_group") == 0)
					col_group = i;
			}
			if (col_file < 0 || col_group < 0)
				break;
			continue;
		}
		if (col_file < nc && col_group < nc)
			json_object_set_new(map, cols[col_file], json_string(cols[col_group]));
	}
	fclose(f);
	return map;
}

const char *cli_group_of(json_t *groups, const char *path)
{
	if (!groups)
		return NULL;
	const char *base = strrchr(path, '/');
	json_t *g = json_object_get(groups, base ? base + 1 : path);
	return g ? json_string_value(g) : NULL;
}

bool cli_sets_arg(struct cli_sets *s, int argc, char **argv, int *i)
{
	const char **dst = NULL;
	if (*i + 1 >= argc)
		return false;
	if (strcmp(argv[*i], "--manifest") == 0)
		dst = &s->manifest;
	else if (strcmp(argv[*i], "--root") == 0)
		dst = &s->root;
	else if (strcmp(argv[*i], "--only") == 0)
		dst = &s->only;
	else if (strcmp(argv[*i], "--groups") == 0)
		dst = &s->groups_path;
	if (!dst)
		return false;
	*dst = argv[++*i];
	return true;
}

bool cli_sets_open(struct cli_sets *s, const char *cmd, int argc, char **argv, int first)
{
	if (!s->root)
		s->root = ".";
	s->pairs = argv + first;
	s->npairs = argc - first;
	for (int k = 0; k < s->npairs; k++)
		if (!strchr(s->pairs[k], '=')) {
			fprintf(stderr, "nise %s: expected LABEL=PATH, got '%s'\n", cmd, s->pairs[k]);
			return false;
		}
	if (!s->manifest && !s->npairs)
		return false;
	if (s->groups_path && !(s->groups = cli_groups_load(s->groups_path))) {
		fprintf(stderr, "nise %s: cannot read %s\n", cmd, s->groups_path);
		return false;
	}
	return true;
}

bool cli_sets_each(struct cli_sets *s, const char *cmd, cli_labelled_fn fn, void *ctx)
{
	if (s->manifest && cli_manifest_each(s->manifest, s->root, s->only, fn, ctx) < 0) {
		fprintf(stderr, "nise %s: cannot read %s\n", cmd, s->manifest);
		return false;
	}
	for (int i = 0; i < s->npairs; i++) {
		char *eq = strchr(s->pairs[i], '=');
		*eq = '\0';
		fn(s->pairs[i], eq + 1, NULL, ctx);
		*eq = '=';
	}
	return true;
}

void cli_sets_close(struct cli_sets *s)
{
	json_decref(s->groups);
	s->groups = NULL;
}
