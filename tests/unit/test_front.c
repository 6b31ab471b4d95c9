/* SPDX-License-Identifier: MIT */
/*
 * test_front.c — src/front's pure pieces, exact values: the log-field
 * escape, header text as plain folded words or RFC 2047 words (never a
 * split character, never a line over 78 columns), the tagged Subject,
 * and the INI reading (comments after values, FILE:LINE).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "inifile.h"
#include "render.h"
#include "t.h"

static size_t longest_line(const char *s, size_t col)
{
	size_t best = 0, cur = col;
	for (; *s; s++) {
		if (*s == '\n') {
			best = cur > best ? cur : best;
			cur = 0;
		} else {
			cur++;
		}
	}
	return cur > best ? cur : best;
}

static int seen_key(struct front_ini *st, const char *section, const char *name, const char *value)
{
	char *out = st->user;
	size_t k = strlen(out);
	snprintf(out + k, 512 - k, "%u:[%s]%s=<%s>;", st->line, section, name, value);
	return strcmp(name, "bad") != 0 ? 1 : front_ini_fail(st, "bad is bad");
}

int main(void)
{
	char b[64];
	T_STR(front_log_escape(b, sizeof(b), "<a@b.example>"), "<a@b.example>");
	T_STR(front_log_escape(b, sizeof(b), "a b\\c\r\n\xe3\x81\x82"), "a\\x20b\\x5cc\\x0d\\x0a\\xe3\\x81\\x82");
	T_STR(front_log_escape(b, sizeof(b), ""), "-");
	T_STR(front_log_escape(b, sizeof(b), NULL), "-");
	T_STR(front_log_escape(b, 8, "abcdefghij"), "abcd...");
	T_STR(front_log_escape(b, 10, "\x01\x02\x03"), "\\x01...");

	/* plain words fold at spaces */
	char *s = render_header_text("one two three", 15, "\n ");
	T_STR(s, "one two three");
	free(s);
	/* 15 + 54 columns, then 11 more would make 80 */
	s = render_header_text("aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff", 15, "\n ");
	T_STR(s, "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee\n ffffffffff");
	free(s);
	s = render_header_text("aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gg", 15, "\r\n ");
	T_STR(s, "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee\r\n ffffffffff gg");
	free(s);
	/* "=?" and controls: encoded; controls become spaces */
	s = render_header_text("a=?b\tc", 15, "\n ");
	T_STR(s, "=?UTF-8?B?YT0/YiBj?=");
	free(s);
	/* Japanese: 3-byte characters never split, every line <= 78 */
	const char *ja = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ";
	s = render_header_text(ja, 15, "\n ");
	T_STR(s, "=?UTF-8?B?44GC44GE44GG44GI44GK44GL44GN44GP44GR44GT44GV44GX?=\n"
	         " =?UTF-8?B?44GZ44Gb44Gd44Gf44Gh44Gk44Gm44Go44Gq44Gr44Gs44Gt44Gu44Gv44Gy?=\n"
	         " =?UTF-8?B?44G144G444G744G+44G/44KA44KB44KC44KE44KG44KI?=");
	T_CHECK(s && longest_line(s, 15) <= 78, "a line over 78 columns");
	free(s);

	/* the tagged Subject */
	s = render_subject("[phishing]", " Hello", "Hello", "\n ");
	T_STR(s, "[phishing] Hello");
	free(s);
	s = render_subject("[phishing]", NULL, NULL, "\n ");
	T_STR(s, "[phishing]");
	free(s);
	s = render_subject("[詐欺注意]", "Hello", "Hello", "\n ");
	T_STR(s, "=?UTF-8?B?W+ipkOasuuazqOaEj10=?= Hello");
	free(s);
	/* before an encoded word the space goes inside the tag's word */
	s = render_subject("[詐欺注意]", "=?UTF-8?B?44GC?=", "あ", "\n ");
	T_STR(s, "=?UTF-8?B?W+ipkOasuuazqOaEj10g?= =?UTF-8?B?44GC?=");
	free(s);
	/* raw 8-bit: the whole subject again, from the decoded one */
	s = render_subject("[phishing]", "\xe3\x81\x82", "あ", "\n ");
	T_STR(s, "=?UTF-8?B?W3BoaXNoaW5nXSDjgYI=?=");
	free(s);

	/* INI: comments after values, the line of each key, FILE:LINE */
	char path[] = "/tmp/test_front_XXXXXX";
	int fd = mkstemp(path);
	T_CHECK(fd >= 0, "mkstemp");
	const char text[] = "# top\n[a]\nx = 1 ; semi\ny = 2   # hash\nz = a#b\nw = # all comment\nbad = 3\n";
	T_CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1), "write");
	close(fd);
	char seen[512] = "", err[256] = "";
	struct front_ini st = {.entry = seen_key, .user = seen};
	T_INT(front_ini_load(&st, path, false, err, sizeof(err)), -1);
	T_STR(seen, "3:[a]x=<1>;4:[a]y=<2>;5:[a]z=<a#b>;6:[a]w=<>;7:[a]bad=<3>;");
	char want[300];
	snprintf(want, sizeof(want), "%s:7: bad is bad", path);
	T_STR(err, want);
	unlink(path);
	T_INT(front_ini_load(&st, "/nonexistent/x.conf", true, err, sizeof(err)), 0);
	T_INT(front_ini_load(&st, "/nonexistent/x.conf", false, err, sizeof(err)), -1);
	T_STR(err, "/nonexistent/x.conf: No such file or directory");
	T_INT(front_ini_load(&st, "/tmp", false, err, sizeof(err)), -1);
	T_STR(err, "/tmp: a directory, not a configuration file");
	T_DONE("front");
}
