/* SPDX-License-Identifier: MIT */
/*
 * fetch.c — HTTPS downloads for nise update, the only user of libcurl.
 *
 * One easy handle per request. Only https (CURLOPT_PROTOCOLS_STR and the
 * same for redirects): a feed is trusted because of where it comes from.
 * The body is collected in memory up to max_bytes (counted after
 * Content-Encoding, so a compressed bomb stops at the limit); a
 * Content-Length the server does not honour is CURLE_PARTIAL_FILE, i.e.
 * "truncated". Header lines go to httpmeta.c, which keeps the ETag and
 * Last-Modified of the final response.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nise/nise.h"

struct sink {
	struct cli_fetch *f;
	size_t cap, max;
	bool over;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	if (n > s->max - s->f->n) {
		s->over = true;
		return 0; /* aborts the transfer */
	}
	if (s->f->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->f->n + n + 1)
			cap *= 2;
		char *b = realloc(s->f->body, cap);
		if (!b)
			return 0;
		s->f->body = b;
		s->cap = cap;
	}
	memcpy(s->f->body + s->f->n, p, n);
	s->f->n += n;
	s->f->body[s->f->n] = '\0';
	return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct cli_fetch *f = ud;
	nise_http_meta_line(&f->meta, p, size * nmemb);
	return size * nmemb;
}

void cli_fetch_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void cli_fetch_fini(struct cli_fetch *f)
{
	free(f->body);
	f->body = NULL;
	f->n = 0;
}

enum cli_fetch_status cli_fetch(struct cli_fetch *out, const char *url, const struct nise_http_meta *cond,
                                const struct cli_fetch_opts *o)
{
	memset(out, 0, sizeof(*out));
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(out->err, sizeof(out->err), "libcurl could not start");
		return FETCH_FAILED;
	}
	struct sink s = {.f = out, .max = o->max_bytes};
	struct curl_slist *h = NULL;
	char line[400];
	if (cond && cond->etag[0]) {
		snprintf(line, sizeof(line), "If-None-Match: %s", cond->etag);
		h = curl_slist_append(h, line);
	}
	if (cond && cond->modified[0]) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", cond->modified);
		h = curl_slist_append(h, line);
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout < 30 ? o->timeout : 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "nise/" NISE_VERSION " (nise update)");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (h)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->http);
	enum cli_fetch_status st = FETCH_FAILED;
	if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(out->err, sizeof(out->err), "larger than max_bytes (%zu bytes)", o->max_bytes);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(out->err, sizeof(out->err), "timed out after %ld s (timeout)", o->timeout);
	else if (rc == CURLE_COULDNT_CONNECT)
		snprintf(out->err, sizeof(out->err), "could not connect: %s", errbuf[0] ? errbuf : "refused");
	else if (rc == CURLE_PARTIAL_FILE)
		snprintf(out->err, sizeof(out->err), "truncated: the connection closed after %zu bytes, before the "
		         "whole body", out->n);
	else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(out->err, sizeof(out->err), "only https:// URLs are fetched");
	else if (rc != CURLE_OK)
		snprintf(out->err, sizeof(out->err), "%s%s%s", curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf);
	else if (out->http == 304)
		st = FETCH_NOT_MODIFIED;
	else if (out->http == 200)
		st = FETCH_OK;
	else
		snprintf(out->err, sizeof(out->err), "HTTP %ld", out->http);
	if (st != FETCH_OK)
		cli_fetch_fini(out);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return st;
}
