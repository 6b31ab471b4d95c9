/* SPDX-License-Identifier: MIT */
/*
 * check_html.c — pages inside the mail: forms that ask for a password, and
 * HTML attachments (a login page opened from disk, where no browser
 * warning list can see it), and malformed structure as weak evidence.
 */
#include <string.h>
#include <strings.h>

#include "checks/check.h"

void check_html(struct nise_ctx *c)
{
	const struct nise_message *m = c->m;
	for (size_t i = 0; i < m->nforms; i++) {
		const struct nise_form *f = &m->forms[i];
		if (!f->has_password)
			continue;
		const char *to = f->action && *f->action ? f->action : "(this page)";
		const char *args[] = {to};
		nise_ctx_finding(c, "CREDENTIAL_FORM", 1.0, to, args, 1);
		break;
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const struct nise_part *p = &m->parts[i];
		if (p->kind != NISE_PART_ATTACHMENT)
			continue;
		bool html = (p->sniffed_type && strcmp(p->sniffed_type, "text/html") == 0) ||
		            (p->content_type && strcmp(p->content_type, "text/html") == 0);
		const char *name = p->filename ? p->filename : "";
		size_t nl = strlen(name);
		bool html_name = (nl > 4 && (strcasecmp(name + nl - 4, ".htm") == 0 ||
		                             strcasecmp(name + nl - 5, ".html") == 0 ||
		                             strcasecmp(name + nl - 6, ".shtml") == 0));
		if (html || html_name) {
			const char *args[] = {*name ? name : p->content_type};
			nise_ctx_finding(c, "HTML_ATTACHMENT", 1.0,
			                 nise_arena_printf(c->a, "%s (%s, %zu bytes)", *name ? name : "-",
			                                   p->sniffed_type ? p->sniffed_type : p->content_type, p->size),
			                 args, 1);
			break;
		}
	}
	for (size_t i = 0; i < m->nanomalies; i++) {
		const char *id = m->anomalies[i].id;
		if (strcmp(id, "NOT_A_MESSAGE") == 0 || strcmp(id, "HEADER_BAD_ENCODING") == 0) {
			const char *args[] = {id};
			nise_ctx_finding(c, "MALFORMED_MESSAGE", 1.0, id, args, 1);
			break;
		}
	}
}
