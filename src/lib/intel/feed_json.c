/* SPDX-License-Identifier: MIT */
/*
 * feed_json.c — PhishTank's JSON feed (the library's only jansson user).
 *
 * The file is an array of objects; "url" is required, "submission_time"
 * (ISO 8601) and "target" (the brand; "Other" means none) are optional.
 * Entries without a string "url" are counted as bad.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "intel/feed.h"

nise_rc nise_feed_parse_phishtank_json(const char *buf, size_t n, nise_feed_fn fn, void *ctx,
                                       size_t *bad, char *diag, size_t dn)
{
	json_error_t err;
	json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!root) {
		snprintf(diag, dn, "line %d: %s", err.line, err.text);
		return NISE_EPARSE;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		snprintf(diag, dn, "not a JSON array of entries");
		return NISE_EPARSE;
	}
	size_t i;
	json_t *v;
	json_array_foreach(root, i, v)
	{
		const char *url = json_string_value(json_object_get(v, "url"));
		if (!url || !*url || strlen(url) != json_string_length(json_object_get(v, "url"))) {
			(*bad)++;
			continue;
		}
		char date[11] = "";
		const char *t = json_string_value(json_object_get(v, "submission_time"));
		if (t)
			nise_feed_date(date, t);
		const char *brand = json_string_value(json_object_get(v, "target"));
		if (!brand || strcmp(brand, "Other") == 0)
			brand = "";
		struct nise_feed_entry e = {url, date, brand, false, 0};
		if (!fn(ctx, &e))
			break;
	}
	json_decref(root);
	return NISE_OK;
}
