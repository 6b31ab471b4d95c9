/* SPDX-License-Identifier: MIT */
/*
 * spamd.h — `nise spamd`, the SpamAssassin spamd protocol front end.
 */
#ifndef NISE_SPAMD_H
#define NISE_SPAMD_H

int cli_spamd(int argc, char **argv);

#endif
