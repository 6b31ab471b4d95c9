/* SPDX-License-Identifier: MIT */
/*
 * flowed.c — RFC 3676 text/plain; format=flowed reassembly: the text a
 * flowed reader shows, so a URL cut at a soft line break is read whole
 * ("…account-check <SP><CRLF>.evil.example/" with delsp=yes is one host).
 *
 * One pass over the (already UTF-8) text, one output no longer than the
 * input. Per line: the quote depth is the count of leading '>'; one space
 * after the quotes is stuffing and removed (§4.4); a line that then ends in
 * a space is flowed (§4.2), unless it is the signature separator "-- ";
 * with delsp=yes that one space is deleted (§4.1). A flowed line joins the
 * next one when both have the same quote depth; a change of depth ends the
 * paragraph (§4.5). A quoted paragraph keeps the marks of its first line
 * as written. CR LF and LF both end lines (the output uses LF); a lone CR
 * is text. The output is never longer than the input and never ahead of
 * the line being read, so out may be in (in-place reassembly).
 */
#include <string.h>

#include "text/text.h"

size_t nise_text_unflow(char *out, const char *in, size_t n, bool delsp)
{
	size_t o = 0, i = 0;
	bool joining = false; /* the previous line was flowed */
	size_t prev_depth = 0;
	while (i < n) {
		size_t ls = i;
		while (i < n && in[i] != '\n')
			i++;
		size_t le = i; /* end of the line, before "\n" */
		bool had_nl = i < n;
		if (had_nl)
			i++;
		if (le > ls && in[le - 1] == '\r')
			le--;
		size_t depth = 0, p = ls;
		while (p < le && in[p] == '>') {
			depth++;
			p++;
		}
		if (p < le && in[p] == ' ')
			p++; /* stuffing (or the space after the quote marks) */
		if (joining && depth != prev_depth) {
			/* a flowed line followed by a line of another depth:
			 * the paragraph ends here (§4.5) */
			out[o++] = '\n';
			joining = false;
		}
		if (!joining && depth) {
			/* a quoted paragraph keeps its marks as written */
			memmove(out + o, in + ls, p - ls);
			o += p - ls;
		}
		size_t len = le - p;
		bool sig = len == 3 && memcmp(in + p, "-- ", 3) == 0;
		bool flowed = len > 0 && in[le - 1] == ' ' && !sig;
		if (flowed && delsp)
			len--;
		memmove(out + o, in + p, len);
		o += len;
		joining = flowed && had_nl;
		prev_depth = depth;
		if (!joining && had_nl)
			out[o++] = '\n';
	}
	return o;
}
