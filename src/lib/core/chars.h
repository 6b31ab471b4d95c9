/* SPDX-License-Identifier: MIT */
/*
 * chars.h — byte classification shared by every parser (ASCII only; the
 * Unicode work is text/'s).
 */
#ifndef NISE_CORE_CHARS_H
#define NISE_CORE_CHARS_H

/* Value of a hexadecimal digit, or -1. */
static inline int nise_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif
