/* SPDX-License-Identifier: MIT */
/*
 * limits.c — the one place limits have their defaults, and error strings.
 *
 * The defaults are sized for real mail (docs/limits.md): the largest mail in
 * the development corpus is ~2 MB; a 32 MiB mail is already abuse. Each
 * limit, when hit, becomes a LIMIT_* anomaly on a partial model.
 */
#include "nise/nise.h"

void nise_limits_default(struct nise_limits *out)
{
	out->max_message_bytes = (size_t)32 << 20;
	out->max_mime_depth = 16;
	out->max_parts = 256;
	out->max_links = 1024;
	out->max_headers = 1024;
	out->max_header_bytes = (size_t)16 << 10;
	out->max_text_bytes = (size_t)4 << 20;
	out->max_arena_bytes = (size_t)256 << 20;
}

const char *nise_strerror(nise_rc rc)
{
	switch (rc) {
	case NISE_OK: return "success";
	case NISE_ENOMEM: return "out of memory";
	case NISE_ELIMIT: return "limit exceeded";
	case NISE_EINVAL: return "invalid argument";
	case NISE_EIO: return "input/output error";
	case NISE_EPARSE: return "parse error";
	case NISE_ENOTFOUND: return "not found";
	}
	return "unknown error";
}

const char *nise_verdict_name(enum nise_verdict v)
{
	switch (v) {
	case NISE_CLEAN: return "clean";
	case NISE_SUSPICIOUS: return "suspicious";
	case NISE_PHISHING: return "phishing";
	case NISE_UNCHECKED: return "unchecked";
	}
	return "clean";
}
