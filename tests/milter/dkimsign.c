/* SPDX-License-Identifier: MIT */
/*
 * dkimsign.c — test helper: signs one message with libopendkim
 * (relaxed/relaxed, rsa-sha256) and writes it with its DKIM-Signature on
 * top, so the milter tests can make their own signed mail.
 * Usage: dkimsign KEY.pem SELECTOR DOMAIN < in.eml > out.eml
 */
#include <opendkim/dkim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(FILE *f, size_t *n)
{
	size_t cap = 1 << 16, k = 0;
	char *b = malloc(cap);
	size_t r;
	while (b && (r = fread(b + k, 1, cap - k, f)) > 0) {
		k += r;
		if (k == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				return NULL;
			}
			b = nb;
		}
	}
	*n = k;
	return b;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: dkimsign KEY.pem SELECTOR DOMAIN < in > out\n");
		return 2;
	}
	FILE *kf = fopen(argv[1], "r");
	size_t kn = 0, mn = 0;
	char *key = kf ? slurp(kf, &kn) : NULL;
	if (kf)
		fclose(kf);
	char *msg = slurp(stdin, &mn);
	if (!key || !msg) {
		fprintf(stderr, "dkimsign: cannot read key or message\n");
		return 2;
	}
	key = realloc(key, kn + 1);
	key[kn] = '\0';
	DKIM_LIB *lib = dkim_init(NULL, NULL);
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF;
	dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof(flags));
	DKIM_STAT st;
	DKIM *d = dkim_sign(lib, (const unsigned char *)"test", NULL, (dkim_sigkey_t)key,
	                    (const unsigned char *)argv[2], (const unsigned char *)argv[3],
	                    DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &st);
	if (!d || dkim_chunk(d, (unsigned char *)msg, mn) != DKIM_STAT_OK ||
	    dkim_chunk(d, NULL, 0) != DKIM_STAT_OK || dkim_eom(d, NULL) != DKIM_STAT_OK) {
		fprintf(stderr, "dkimsign: signing failed (%d)\n", (int)st);
		return 2;
	}
	unsigned char hdr[4096];
	if (dkim_getsighdr(d, hdr, sizeof(hdr), strlen("DKIM-Signature: ")) != DKIM_STAT_OK) {
		fprintf(stderr, "dkimsign: no signature\n");
		return 2;
	}
	printf("DKIM-Signature: %s\r\n", hdr);
	fwrite(msg, 1, mn, stdout);
	dkim_free(d);
	dkim_close(lib);
	free(key);
	free(msg);
	return 0;
}
