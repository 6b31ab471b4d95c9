/* SPDX-License-Identifier: MIT */
/*
 * fuzz_feed_json.c — libFuzzer target for the PhishTank JSON feed parser
 * (src/lib/intel/feed*.c); the checks are in feed_fuzz.h.
 */
#define FEED_FORMAT NISE_FEED_PHISHTANK_JSON

#include "feed_fuzz.h"
