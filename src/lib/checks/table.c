/* SPDX-License-Identifier: MIT */
/*
 * table.c — every check nise runs: id, default weight, and the sentence
 * that explains a finding. docs/checks/ID.md documents each one.
 *
 * Explanations are English message ids with positional arguments (%1$s,
 * %2$s, ...) so that a translation can reorder them; po/ja.po holds the
 * Japanese (compiled into the binary, see tools/po2c.py). Only %N$s and
 * %% are understood by the formatter: a catalog can never crash it.
 *
 * Weights are in "score points"; a message scoring at least the phishing
 * threshold (6) is phishing, at least the suspicious threshold (3) is
 * suspicious (docs/verdict.md says how they were chosen).
 */
#include "checks/table.h"

#include <string.h>

const struct nise_check nise_checks[] = {
	{"SENDER_BRAND_MISMATCH", 4.5, "family: brand claim vs sender",
	 "The sender calls itself \"%1$s\" (%2$s), but the mail comes from %3$s, which does not belong to %2$s."},
	{"SENDER_BRAND_IN_SUBJECT", 1.0, "family: brand claim vs sender",
	 "The subject speaks for %2$s (\"%1$s\"), but the mail comes from %3$s, which does not belong to %2$s."},
	{"BRAND_SPOOFED_ORIGIN", 4.5, "family: brand claim vs sender",
	 "The From address uses %1$s's own domain %2$s, but the mail came from %3$s and nothing authenticates it."},
	{"RECIPIENT_DOMAIN_NAME", 3.0, "family: brand claim vs sender",
	 "The sender calls itself \"%1$s\", your own mail domain %2$s, but writes from %3$s: a fake notice from your mail service."},
	{"LINK_BRAND_MISMATCH", 2.5, "family: brand claim vs links",
	 "The mail claims to be from %1$s, but its link \"%2$s\" leads to %3$s, which does not belong to %1$s."},
	{"LINK_TEXT_MISMATCH", 2.5, "family: link text vs href",
	 "The link shows \"%1$s\" but really leads to %2$s."},
	{"LOOKALIKE_DOMAIN", 3.0, "family: lookalike and combosquat domains",
	 "%1$s contains \"%2$s\" to look like %3$s, but it does not belong to %3$s."},
	{"BRAND_AS_SUBDOMAIN", 4.0, "family: lookalike and combosquat domains",
	 "%1$s begins with %2$s, but that is only a prefix: the site really belongs to %3$s."},
	{"TYPOSQUAT_DOMAIN", 3.5, "family: lookalike and combosquat domains",
	 "%1$s is one or two letters away from %3$s's %2$s: a misspelled imitation."},
	{"HOMOGRAPH_DOMAIN", 4.0, "family: lookalike and combosquat domains",
	 "%1$s is written with look-alike letters to pass for %2$s (%3$s)."},
	{"PUNYCODE_DOMAIN", 1.0, "family: lookalike and combosquat domains",
	 "%1$s is an internationalised domain (%2$s); such names can imitate familiar ones."},
	{"HOMOGLYPH_WORD", 3.0, "family: homoglyph words",
	 "\"%1$s\" looks like \"%2$s\" but hides a different letter: %3$s."},
	{"MIXED_SCRIPT_WORDS", 2.5, "family: homoglyph words",
	 "Several words are spelled with look-alike Greek or Cyrillic letters among Latin ones (%1$s), to slip past filters."},
	{"INVISIBLE_CHARACTERS", 2.5, "family: homoglyph words",
	 "Invisible characters or stray marks are hidden inside words (%1$s), to slip past filters."},
	{"BIDI_CONTROL", 2.0, "family: homoglyph words",
	 "It hides a control character that changes the order of the text (%1$s), so what you see may not be what it says."},
	{"INVISIBLE_CONTROL", 1.0, "family: homoglyph words",
	 "It hides invisible control characters (%1$s), a trick to slip text past filters and readers."},
	{"STYLED_LETTERS", 2.0, "family: homoglyph words",
	 "\"%1$s\" is spelled with mathematical styled letters, a trick to slip past filters."},
	{"LURE_THREAT_DEADLINE", 3.0, "family: lure language",
	 "It threatens consequences (%1$s) with a deadline (%2$s) to rush you."},
	{"LURE_CREDENTIALS", 2.5, "family: lure language",
	 "It asks you to confirm or update account or payment details (%1$s) under a pretext (%2$s)."},
	{"LURE_LANGUAGE", 1.5, "family: lure language",
	 "It uses wording typical of phishing lures: %1$s."},
	{"UNNATURAL_JAPANESE", 1.5, "family: unnatural Japanese",
	 "The Japanese text contains simplified-Chinese characters (%1$s) that a Japanese company would not use."},
	{"AUTH_BRAND_FAIL", 4.0, "family: authentication results",
	 "The mail says it is from %1$s, but the receiving server found its authentication failed (%2$s)."},
	{"AUTH_DMARC_FAIL", 2.0, "family: authentication results",
	 "The sender's domain %1$s failed DMARC authentication (%2$s)."},
	{"BRAND_AUTHENTICATED", -6.0, "family: authentication results",
	 "The mail really comes from %1$s: its domain %2$s passed authentication (%3$s)."},
	{"REPLY_TO_MISMATCH", 1.0, "family: reply-to and return-path",
	 "Replies would go to %1$s, not to the sender's domain %2$s."},
	{"RETURN_PATH_MISMATCH", 1.5, "family: reply-to and return-path",
	 "The mail claims %1$s but its bounce address is at %2$s."},
	{"RISKY_TLD", 1.0, "family: infrastructure",
	 "It uses domains under top-level domains common in phishing: %1$s."},
	{"URL_USERINFO", 3.5, "family: URL tricks",
	 "The link %1$s puts \"%2$s\" before an @, so it really goes to %3$s."},
	{"URL_IP_HOST", 2.5, "family: URL tricks",
	 "The link goes to a bare IP address (%1$s) instead of a named site."},
	{"URL_SHORTENER", 1.5, "family: URL tricks",
	 "The link goes through a URL shortener (%1$s), hiding where it leads."},
	{"URL_REDIRECT", 1.0, "family: URL tricks",
	 "The link passes through %1$s and then redirects to %2$s."},
	{"ORG_CLAIM_SENDER", 2.0, "family: brand claim vs sender",
	 "The sender presents itself as an organisation (\"%1$s\", \"%2$s\") but writes from %3$s, %4$s."},
	{"BRAND_CONSISTENT", -3.0, "family: brand claim vs sender",
	 "The mail comes from %1$s's own domain %2$s and all its %3$s links lead to %1$s or its mail-delivery service: nothing in it leads elsewhere."},
	{"DISPLAY_NAME_DOMAIN", 1.5, "family: brand claim vs sender",
	 "The sender's name shows the address or domain \"%1$s\", but the mail comes from %2$s."},
	{"CREDENTIAL_FORM", 3.0, "family: credential forms and HTML attachments",
	 "The mail contains a form asking for a password that is sent to %1$s."},
	{"HTML_ATTACHMENT", 2.0, "family: credential forms and HTML attachments",
	 "The attachment \"%1$s\" is a web page, a common way to show a fake login page offline."},
	{"FROM_WITHOUT_DOMAIN", 3.0, "family: brand claim vs sender",
	 "The sender's address \"%1$s\" has no valid domain, which genuine mail systems never send."},
	{"FREE_HOSTING_LINK", 1.0, "family: URL tricks",
	 "The link leads to %1$s, a free hosting or tunnelling service where anyone can put up a page in minutes."},
	{"MALFORMED_MESSAGE", 0.5, "family: infrastructure",
	 "The message is malformed (%1$s), which genuine mail software rarely produces."},
	/* the learned model (src/lib/model/apply.c): weight 1, the finding's
	 * factor is the model's points */
	{"MODEL_PHISHING", 1.0, "family: learned model",
	 "A model trained on real phishing and genuine mail puts the chance that this is phishing at %1$s%%; what weighed most: %2$s."},
	{"MODEL_GENUINE", -1.0, "family: learned model",
	 "A model trained on real phishing and genuine mail finds this mail like genuine mail (chance of phishing %1$s%%); what weighed most: %2$s."},
	{"INTEL_URL_MATCH", 6.0, "family: threat intelligence",
	 "The link %1$s is on %2$s's list of known phishing sites (listed %3$s, impersonating %4$s)."},
	{"CAMPAIGN_MATCH", 4.0, "family: threat intelligence",
	 "The mail has the same text as a phishing campaign first seen %1$s (%2$s copies so far, %3$s), even if its links are new."},
	/* the operator's loop (check_lists.c, docs/intel.md) */
	{"BLOCKLISTED", 6.0, "family: the operator's loop",
	 "%1$s is on this mail system's block list (set by %2$s on %3$s: %4$s)."},
	{"LEARNED_SENDER", 4.0, "family: the operator's loop",
	 "The sender %1$s was reported as phishing by %2$s on %3$s (%4$s)."},
	{"ALLOWLISTED", -12.0, "family: the operator's loop",
	 "%1$s is on this mail system's allow list (set by %2$s on %3$s: %4$s)."},
	{"REPORTED_GENUINE", -8.0, "family: the operator's loop",
	 "A mail like this one (%1$s) was reported as genuine by %2$s on %3$s (%4$s)."},
	{"STORE_UNAVAILABLE", 0.0, "family: threat intelligence",
	 "The threat store was unreachable: this mail was judged without the phishing-URL lists and the recorded campaigns."},
};

const size_t nise_ncheck = sizeof(nise_checks) / sizeof(nise_checks[0]);

const struct nise_check *nise_check_find(const char *id)
{
	for (size_t i = 0; i < nise_ncheck; i++)
		if (strcmp(nise_checks[i].id, id) == 0)
			return &nise_checks[i];
	return NULL;
}

const char *nise_format(struct nise_arena *a, const char *tmpl, const char *const *args,
                        size_t nargs)
{
	struct nise_buf b;
	nise_buf_init(&b, a, 4096);
	for (const char *p = tmpl; *p; p++) {
		if (*p != '%') {
			nise_buf_putc(&b, *p);
			continue;
		}
		if (p[1] == '%') {
			nise_buf_putc(&b, '%');
			p++;
			continue;
		}
		if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's') {
			size_t k = (size_t)(p[1] - '1');
			const char *v = k < nargs && args[k] ? args[k] : "";
			nise_buf_append(&b, v, strlen(v));
			p += 3;
			continue;
		}
		nise_buf_putc(&b, '%');
	}
	return nise_buf_cstr(&b);
}
