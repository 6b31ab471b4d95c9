/* SPDX-License-Identifier: MIT */
/*
 * fuzz_feed_lines.c — libFuzzer target for the OpenPhish, URL and domain lists feed parser
 * (src/lib/intel/feed*.c); the checks are in feed_fuzz.h.
 */
#define FEED_FORMAT NISE_FEED_OPENPHISH
#define FEED_FORMAT_FROM_FIRST_BYTE
#include "feed_fuzz.h"
