/* SPDX-License-Identifier: MIT */
/*
 * json.c — the JSON output contract (docs/json.md), through jansson.
 * `nise check --json` writes the same bytes without jansson (jsonw.c).
 *
 * Field order is fixed (JSON_PRESERVE_ORDER) so diffs of golden files stay
 * readable. Absent values are null, never omitted, so consumers see the
 * whole schema in every object.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

/* A JSON string of s; ill-formed UTF-8 (raw bytes of an address local
 * part, say) is replaced by U+FFFD rather than dropping the field. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *o = malloc(n * 3 + 1);
	if (!o)
		return json_string("");
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		bool ok = len && i + len <= n;
		for (size_t k = 1; ok && k < len; k++)
			ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
		if (ok && len > 1) {
			/* reject what json_string rejects: overlongs, surrogates */
			json_t *t = json_stringn(s + i, len);
			ok = t != NULL;
			json_decref(t);
		}
		if (ok) {
			memcpy(o + w, s + i, len);
			w += len;
			i += len;
		} else {
			memcpy(o + w, "\xEF\xBF\xBD", 3);
			w += 3;
			i++;
		}
	}
	j = json_stringn(o, w);
	free(o);
	return j ? j : json_string("");
}

json_t *cli_json_string(const char *s)
{
	return jstr(s);
}

static json_t *str_or_null(const char *s)
{
	return s ? jstr(s) : json_null();
}

static json_t *address(const struct nise_address *a)
{
	if (!a)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "name", jstr(a->name ? a->name : ""));
	json_object_set_new(o, "address", jstr(a->address ? a->address : ""));
	json_object_set_new(o, "domain", jstr(a->domain ? a->domain : ""));
	return o;
}

static json_t *addresses(const struct nise_address *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, address(&a[i]));
	return arr;
}

static json_t *link_obj(const struct nise_link *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", jstr(l->text ? l->text : ""));
	json_object_set_new(o, "href", jstr(l->href ? l->href : ""));
	json_object_set_new(o, "url", str_or_null(l->url.url));
	json_object_set_new(o, "host", str_or_null(l->url.host));
	json_object_set_new(o, "host_ascii", str_or_null(l->url.host_ascii));
	json_object_set_new(o, "domain", str_or_null(l->url.domain));
	json_object_set_new(o, "source", jstr(cli_link_source_name(l->source)));
	if (l->title)
		json_object_set_new(o, "title", jstr(l->title));
	if (l->url.userinfo)
		json_object_set_new(o, "userinfo", jstr(l->url.userinfo));
	if (l->url.host_is_ip)
		json_object_set_new(o, "ip_host", json_true());
	if (l->url.host_is_punycode)
		json_object_set_new(o, "punycode", json_true());
	if (l->url.obfuscated)
		json_object_set_new(o, "obfuscated", json_true());
	return o;
}

static json_t *auth_obj(const struct nise_auth_result *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "authserv_id", str_or_null(r->authserv_id));
	json_object_set_new(o, "method", str_or_null(r->method));
	json_object_set_new(o, "result", str_or_null(r->result));
	/* schema 2: only trusted results count (docs/trust.md) */
	json_object_set_new(o, "trusted", json_boolean(r->trusted));
	if (r->reason)
		json_object_set_new(o, "reason", jstr(r->reason));
	json_t *props = json_object();
	for (size_t i = 0; i < r->nprops; i++) {
		char key[128];
		snprintf(key, sizeof(key), "%s%s%s", r->props[i].ptype, *r->props[i].ptype ? "." : "",
		         r->props[i].property);
		json_object_set_new(props, key, str_or_null(r->props[i].value));
	}
	json_object_set_new(o, "properties", props);
	return o;
}

static const char *part_kind(enum nise_part_kind k)
{
	return k == NISE_PART_HTML ? "html" : k == NISE_PART_TEXT ? "text" : "attachment";
}

json_t *cli_json_value(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang)
{
	const struct nise_message *msg = r->msg;
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_integer(NISE_JSON_SCHEMA_VERSION));
	json_object_set_new(o, "source", jstr(m->source));
	if (m->in_mbox)
		json_object_set_new(o, "index", json_integer((json_int_t)m->index));
	json_object_set_new(o, "verdict", jstr(nise_verdict_name(r->verdict)));
	json_object_set_new(o, "score", json_real((double)((long long)(r->score * 100 + (r->score < 0 ? -0.5 : 0.5))) / 100.0));
	json_object_set_new(o, "brand", str_or_null(r->brand));
	json_object_set_new(o, "subject", jstr(msg->subject ? msg->subject : ""));
	json_object_set_new(o, "from", address(msg->nfrom ? &msg->from[0] : NULL));
	json_object_set_new(o, "sender", address(msg->sender));
	json_object_set_new(o, "reply_to", addresses(msg->reply_to, msg->nreply_to));
	json_object_set_new(o, "return_path", address(msg->return_path));
	json_object_set_new(o, "to", addresses(msg->to, msg->nto));
	json_object_set_new(o, "date", str_or_null(msg->date));
	json_object_set_new(o, "message_id", str_or_null(msg->message_id));

	json_t *links = json_array();
	for (size_t i = 0; i < msg->nlinks; i++)
		json_array_append_new(links, link_obj(&msg->links[i]));
	json_object_set_new(o, "links", links);

	json_t *findings = json_array();
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct nise_finding *f = &r->findings[i];
		json_t *fo = json_object();
		json_object_set_new(fo, "id", jstr(f->id));
		json_object_set_new(fo, "score", json_real(f->score));
		json_object_set_new(fo, "evidence", jstr(f->evidence ? f->evidence : ""));
		json_object_set_new(fo, "explain", jstr(lang == LANG_JA ? f->explain_ja : f->explain_en));
		json_object_set_new(fo, "explain_en", jstr(f->explain_en ? f->explain_en : ""));
		json_object_set_new(fo, "explain_ja", jstr(f->explain_ja ? f->explain_ja : ""));
		json_array_append_new(findings, fo);
	}
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "checks", json_pack("{s:s,s:f}", "verdict",
	                    nise_verdict_name(r->check_verdict), "score",
	                    (double)((long long)(r->check_score * 100 + (r->check_score < 0 ? -0.5 : 0.5))) / 100.0));
	if (r->model_p >= 0) {
		json_t *top = json_array();
		for (size_t i = 0; i < r->nmodel_top; i++)
			json_array_append_new(top, json_pack("{s:s,s:f}", "feature", r->model_top[i].name,
			                                     "weight", r->model_top[i].weight));
		json_object_set_new(o, "model", json_pack("{s:f,s:b,s:o}", "p",
		                    (double)((long long)(r->model_p * 10000 + 0.5)) / 10000.0, "tipped",
		                    r->model_tipped, "top", top));
	} else {
		json_object_set_new(o, "model", json_null());
	}

	json_t *forms = json_array();
	for (size_t i = 0; i < msg->nforms; i++) {
		json_t *fo = json_object();
		json_object_set_new(fo, "action", str_or_null(msg->forms[i].action));
		json_object_set_new(fo, "method", str_or_null(msg->forms[i].method));
		json_object_set_new(fo, "password", json_boolean(msg->forms[i].has_password));
		json_object_set_new(fo, "inputs", json_integer(msg->forms[i].ninputs));
		json_array_append_new(forms, fo);
	}
	json_object_set_new(o, "forms", forms);

	json_t *images = json_array();
	for (size_t i = 0; i < msg->nimages; i++) {
		json_t *io = json_object();
		json_object_set_new(io, "src", str_or_null(msg->images[i].src));
		json_object_set_new(io, "alt", str_or_null(msg->images[i].alt));
		json_array_append_new(images, io);
	}
	json_object_set_new(o, "images", images);

	json_t *parts = json_array(), *atts = json_array();
	for (size_t i = 0; i < msg->nparts; i++) {
		const struct nise_part *p = &msg->parts[i];
		json_t *po = json_object();
		json_object_set_new(po, "kind", jstr(part_kind(p->kind)));
		json_object_set_new(po, "content_type", str_or_null(p->content_type));
		json_object_set_new(po, "declared_charset", str_or_null(p->declared_charset));
		json_object_set_new(po, "charset", str_or_null(p->charset));
		json_object_set_new(po, "size", json_integer((json_int_t)p->size));
		json_object_set_new(po, "depth", json_integer(p->depth));
		json_array_append_new(parts, po);
		if (p->kind == NISE_PART_ATTACHMENT) {
			json_t *ao = json_object();
			json_object_set_new(ao, "filename", str_or_null(p->filename));
			json_object_set_new(ao, "content_type", str_or_null(p->content_type));
			json_object_set_new(ao, "sniffed_type", str_or_null(p->sniffed_type));
			json_object_set_new(ao, "size", json_integer((json_int_t)p->size));
			json_object_set_new(ao, "sha256", jstr(p->sha256));
			json_array_append_new(atts, ao);
		}
	}
	json_object_set_new(o, "attachments", atts);
	json_object_set_new(o, "parts", parts);

	json_t *auth = json_array();
	for (size_t i = 0; i < msg->nauth; i++)
		json_array_append_new(auth, auth_obj(&msg->auth[i]));
	json_object_set_new(o, "authentication_results", auth);

	json_t *rcv = json_array();
	for (size_t i = 0; i < msg->nreceived; i++) {
		const struct nise_received *rv = &msg->received[i];
		json_t *ro = json_object();
		json_object_set_new(ro, "from", str_or_null(rv->from));
		json_object_set_new(ro, "by", str_or_null(rv->by));
		json_object_set_new(ro, "with", str_or_null(rv->with));
		json_object_set_new(ro, "ip", str_or_null(rv->ip));
		json_object_set_new(ro, "date", str_or_null(rv->date));
		json_array_append_new(rcv, ro);
	}
	json_object_set_new(o, "received", rcv);
	json_object_set_new(o, "list_id", str_or_null(msg->list_id));
	json_object_set_new(o, "list_unsubscribe", str_or_null(msg->list_unsubscribe));

	json_t *an = json_array();
	for (size_t i = 0; i < msg->nanomalies; i++) {
		json_t *ao = json_object();
		json_object_set_new(ao, "id", jstr(msg->anomalies[i].id));
		json_object_set_new(ao, "detail", jstr(msg->anomalies[i].detail ? msg->anomalies[i].detail : ""));
		json_array_append_new(an, ao);
	}
	json_object_set_new(o, "anomalies", an);
	json_object_set_new(o, "partial", json_boolean(r->partial));
	/* schema 2: the limits that cut the mail (why it is "unchecked") */
	json_t *lims = json_array();
	for (size_t i = 0; i < msg->nanomalies; i++)
		if (strncmp(msg->anomalies[i].id, "LIMIT_", 6) == 0)
			json_array_append_new(lims, jstr(msg->anomalies[i].id));
	json_object_set_new(o, "limits", lims);
	return o;
}

char *cli_json_result_jansson(const struct nise_result *r, const struct cli_msg *m, enum cli_lang lang)
{
	json_t *o = cli_json_value(r, m, lang);
	char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENSURE_ASCII * 0 | JSON_REAL_PRECISION(6));
	json_decref(o);
	return s;
}
