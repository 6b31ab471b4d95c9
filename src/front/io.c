/* SPDX-License-Identifier: MIT */
/*
 * io.c — writing all of a buffer to a descriptor (front.h).
 */
#include <errno.h>
#include <unistd.h>

#include "front.h"

bool front_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}
