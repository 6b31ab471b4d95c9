/* SPDX-License-Identifier: MIT */
/*
 * milter.h — `nise milter` and `nise filter`, the mail-server front ends.
 */
#ifndef NISE_MILTER_H
#define NISE_MILTER_H

int cli_milter(int argc, char **argv);
int cli_filter(int argc, char **argv);

#endif
