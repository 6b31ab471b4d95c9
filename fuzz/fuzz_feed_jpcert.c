/* SPDX-License-Identifier: MIT */
/*
 * fuzz_feed_jpcert.c — libFuzzer target for the JPCERT/CC phishurl-list CSV feed parser
 * (src/lib/intel/feed*.c); the checks are in feed_fuzz.h.
 */
#define FEED_FORMAT NISE_FEED_JPCERT

#include "feed_fuzz.h"
