/* SPDX-License-Identifier: MIT */
/*
 * sniff.c — the type of an attachment from its first bytes, so that an
 * "invoice.pdf" that is really HTML or an executable is seen for what it is.
 * A deliberately short list: the types phishing and malware mail carry.
 */
#include "mime/mime.h"

#include <string.h>
#include <strings.h>

struct magic {
	const char *sig;
	size_t len, off;
	const char *type;
};

static const struct magic magics[] = {
	{"%PDF-", 5, 0, "application/pdf"},
	{"PK\x03\x04", 4, 0, "application/zip"},
	{"Rar!\x1a\x07", 6, 0, "application/vnd.rar"},
	{"7z\xbc\xaf\x27\x1c", 6, 0, "application/x-7z-compressed"},
	{"\x1f\x8b", 2, 0, "application/gzip"},
	{"MZ", 2, 0, "application/x-msdownload"},
	{"\x7f" "ELF", 4, 0, "application/x-elf"},
	{"\x89PNG\r\n\x1a\n", 8, 0, "image/png"},
	{"\xff\xd8\xff", 3, 0, "image/jpeg"},
	{"GIF87a", 6, 0, "image/gif"},
	{"GIF89a", 6, 0, "image/gif"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 0, "application/x-ole-storage"},
	{"{\\rtf", 5, 0, "application/rtf"},
	{"CD001", 5, 0x8001, "application/x-iso9660-image"},
	{"BEGIN:VCALENDAR", 15, 0, "text/calendar"},
};

static const char *const html_marks[] = {"<!doctype html", "<html", "<head", "<body", "<script",
                                         "<form", "<meta", "<iframe", "<svg"};

const char *nise_sniff_type(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];
		if (n >= m->off + m->len && memcmp(p + m->off, m->sig, m->len) == 0)
			return m->type;
	}
	/* HTML: a known tag near the start, after whitespace, BOM or comments */
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	size_t lim = n < 1024 ? n : 1024;
	for (; i < lim; i++) {
		if (p[i] != '<')
			continue;
		for (size_t k = 0; k < sizeof(html_marks) / sizeof(html_marks[0]); k++) {
			size_t ml = strlen(html_marks[k]);
			if (lim - i >= ml && strncasecmp((const char *)p + i, html_marks[k], ml) == 0)
				return "text/html";
		}
	}
	return NULL;
}
