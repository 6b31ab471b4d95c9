/* SPDX-License-Identifier: MIT */
/*
 * fuzz_feed_phishtank.c — libFuzzer target for the PhishTank CSV feed parser
 * (src/lib/intel/feed*.c); the checks are in feed_fuzz.h.
 */
#define FEED_FORMAT NISE_FEED_PHISHTANK_CSV

#include "feed_fuzz.h"
