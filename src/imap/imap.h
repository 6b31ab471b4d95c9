/* SPDX-License-Identifier: MIT */
/*
 * imap.h — `nise imap`, the IMAP mailbox watcher (nise-imap(1)).
 */
#ifndef NISE_IMAP_H
#define NISE_IMAP_H

int cli_imap(int argc, char **argv);

#endif
