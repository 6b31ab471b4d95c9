/* SPDX-License-Identifier: MIT */
/*
 * mconf.c — milter.conf, read as every configuration file is (inifile.h).
 * INI with one section, [milter]; like nise.conf, every key is known and
 * every value checked: an unknown key is an error naming file and line,
 * never a silent default. The
 * engine's own settings (data, limits) stay in nise.conf, named by
 * nise_config.
 */
#include "mconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "inifile.h"

static const char *const action_names[] = {"header", "tag", "quarantine", "reject"};

const char *mconf_action_name(enum mconf_action a)
{
	return action_names[a];
}

const char *mconf_tag(const struct mconf *c, bool ja)
{
	return c->tag[0] ? c->tag : ja ? "[詐欺注意]" : "[phishing]";
}

static int on_entry(struct front_ini *st, const char *section, const char *name, const char *v)
{
	struct mconf *c = st->user;
	if (strcmp(section, "milter") != 0)
		return front_ini_fail(st, "unknown section [%s]", section);
	if (strcmp(name, "socket") == 0) {
		if (strncmp(v, "inet:", 5) != 0 && strncmp(v, "inet6:", 6) != 0 &&
		    strncmp(v, "unix:", 5) != 0 && strncmp(v, "local:", 6) != 0)
			return front_ini_fail(st, "bad value for socket: '%s' (inet:PORT@HOST or unix:/path)", v);
		return front_ini_str(st, c->socket, sizeof(c->socket), name, v);
	}
	if (strcmp(name, "authserv_id") == 0) {
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == ';' || *p == '(' || *p == '"' || (unsigned char)*p >= 127)
				return front_ini_fail(st, "bad value for authserv_id: '%s' (one token, e.g. the host name)", v);
		if (!*v)
			return front_ini_fail(st, "authserv_id is empty");
		return front_ini_str(st, c->authserv_id, sizeof(c->authserv_id), name, v);
	}
	if (strcmp(name, "nise_config") == 0)
		return front_ini_str(st, c->nise_config, sizeof(c->nise_config), name, v);
	if (strcmp(name, "psl_file") == 0) {
		/* read at start when auth = yes: a missing list must not wait for it */
		if (access(v, R_OK) != 0)
			return front_ini_fail(st, "bad value for psl_file: '%s': %s (Debian: the publicsuffix package)", v,
			                      strerror(errno));
		return front_ini_str(st, c->psl_file, sizeof(c->psl_file), name, v);
	}
	if (strcmp(name, "tag") == 0) {
		if (!*v)
			return front_ini_fail(st, "tag is empty (leave the key out for the default)");
		return front_ini_str(st, c->tag, sizeof(c->tag), name, v);
	}
	if (strcmp(name, "lang") == 0) {
		if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0)
			return front_ini_fail(st, "bad value for lang: '%s' (ja or en)", v);
		return front_ini_str(st, c->lang, sizeof(c->lang), name, v);
	}
	if (strcmp(name, "dns_server") == 0) {
		struct mdns d;
		if (*v && !mdns_parse_server(&d, v))
			return front_ini_fail(st, "bad value for dns_server: '%s' (IPv4 address, optional :port)", v);
		return front_ini_str(st, c->dns_server, sizeof(c->dns_server), name, v);
	}
	if (strcmp(name, "auth") == 0 || strcmp(name, "reason") == 0) {
		bool *dst = name[0] == 'a' ? &c->auth : &c->reason;
		if (strcmp(v, "yes") == 0)
			*dst = true;
		else if (strcmp(v, "no") == 0)
			*dst = false;
		else
			return front_ini_fail(st, "bad value for %s: '%s' (yes or no)", name, v);
		return 1;
	}
	if (strcmp(name, "on_phishing") == 0 || strcmp(name, "on_suspicious") == 0) {
		enum mconf_action *dst = name[3] == 'p' ? &c->on_phishing : &c->on_suspicious;
		for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
			if (strcmp(v, action_names[i]) == 0) {
				*dst = (enum mconf_action)i;
				return 1;
			}
		return front_ini_fail(st, "bad value for %s: '%s' (header, tag, quarantine or reject)", name, v);
	}
	if (strcmp(name, "on_error") == 0 || strcmp(name, "on_limit") == 0) {
		bool temp;
		if (!front_ini_tempfail(st, &temp, name, v))
			return 0;
		*(name[3] == 'e' ? &c->on_error : &c->on_limit) = temp ? MFAIL_TEMPFAIL : MFAIL_ACCEPT;
		return 1;
	}
	if (strcmp(name, "timeout") == 0)
		return front_ini_uint(st, &c->timeout, name, v, 1, 3600); /* 0 would wait for ever */
	if (strcmp(name, "drain_seconds") == 0)
		return front_ini_uint(st, &c->drain_seconds, name, v, 0, 3600);
	return front_ini_fail(st, "unknown key '%s' in section [milter]", name);
}

bool mconf_load(struct mconf *out, const char *path, char *err, size_t en)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->socket, sizeof(out->socket), "inet:10026@127.0.0.1");
	if (gethostname(out->authserv_id, sizeof(out->authserv_id)) != 0 || !out->authserv_id[0])
		snprintf(out->authserv_id, sizeof(out->authserv_id), "localhost");
	out->authserv_id[sizeof(out->authserv_id) - 1] = '\0';
	snprintf(out->psl_file, sizeof(out->psl_file), "/usr/share/publicsuffix/public_suffix_list.dat");
	out->auth = true;
	out->on_phishing = MACT_HEADER;
	out->on_suspicious = MACT_HEADER;
	out->on_error = MFAIL_ACCEPT;
	out->on_limit = MFAIL_ACCEPT;
	out->timeout = 600;
	out->drain_seconds = 30;
	if (!path)
		return true;
	struct front_ini st = {.entry = on_entry, .user = out};
	if (front_ini_load(&st, path, false, err, en) < 0)
		return false;
	out->path = path;
	return true;
}

void mconf_print(const struct mconf *c, FILE *f)
{
	static const char *const fails[] = {"accept", "tempfail"};
	fprintf(f,
	        "# effective configuration (file: %s)\n[milter]\nsocket = %s\nauthserv_id = %s\n"
	        "%snise_config = %s\n%sdns_server = %s\npsl_file = %s\nauth = %s\n"
	        "on_phishing = %s\non_suspicious = %s\n%stag = %s\n%slang = %s\nreason = %s\n"
	        "on_error = %s\non_limit = %s\n"
	        "timeout = %u\ndrain_seconds = %u\n",
	        c->path ? c->path : "none, defaults", c->socket, c->authserv_id,
	        c->nise_config[0] ? "" : "# ", c->nise_config[0] ? c->nise_config : "(nise.conf lookup)",
	        c->dns_server[0] ? "" : "# ", c->dns_server[0] ? c->dns_server : "(/etc/resolv.conf)",
	        c->psl_file, c->auth ? "yes" : "no", action_names[c->on_phishing],
	        action_names[c->on_suspicious], c->tag[0] ? "" : "# ", c->tag[0] ? c->tag : "([phishing], ja: [詐欺注意])",
	        c->lang[0] ? "" : "# ", c->lang[0] ? c->lang : "(nise.conf, else the locale)", c->reason ? "yes" : "no",
	        fails[c->on_error], fails[c->on_limit],
	        c->timeout, c->drain_seconds);
}
