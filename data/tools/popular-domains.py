#!/usr/bin/env python3
"""Write data/popular-domains.tsv: the most popular registrable domains, which a phishing feed must
never block as a whole host (nise intel import, nise update: docs/intel.md).

usage: python3 data/tools/popular-domains.py [TRANCO_CSV] [N] > data/popular-domains.tsv
       TRANCO_CSV defaults to ../shared/sources/sublime-static-files/tranco_top_10k.csv,
       N (keep ranks up to N) to every row of the file (its 10,000 rows reach rank 10,121: Sublime
       dropped some of Tranco's ranks).

Input : the Tranco list (rank,domain), as copied into ../shared/sources/sublime-static-files from
        github.com/sublime-security/static-files at commit eb76f5269e96 (2026-08-21); MIT licence.
Output: domain<TAB>rank, in rank order; lower-cased; rows that are not a plain host name
        (no dot, characters outside [a-z0-9.-]) are dropped and counted in the header.
Popularity is not ownership and not innocence: a popular site can host phishing at a path, and
such a path entry is still stored. Only the whole-host entry ("https://www.google.com/") is refused.
"""
import csv, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    here, "..", "..", "..", "shared", "sources", "sublime-static-files", "tranco_top_10k.csv")
keep = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 30
host = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
rows, dropped, seen = [], 0, set()
with open(src, newline="", encoding="utf-8") as f:
    for rec in csv.reader(f):
        if len(rec) < 2 or not rec[0].isdigit():
            dropped += 1
            continue
        rank, dom = int(rec[0]), rec[1].strip().lower().rstrip(".")
        if rank > keep:
            continue
        if not host.match(dom) or dom in seen:
            dropped += 1
            continue
        seen.add(dom)
        rows.append((dom, rank))
out = sys.stdout
out.write("# nise popular domains — UTF-8, tab-separated, '#' comment lines. Generated: do not edit.\n")
out.write("# columns: domain\trank\n")
out.write("# Source: Tranco ranks, %d domains (tranco_top_10k.csv of github.com/sublime-security/static-files\n" % len(rows))
out.write("# at eb76f5269e96, 2026-08-21, MIT), by data/tools/popular-domains.py; %d rows dropped.\n" % dropped)
out.write("# Use: a feed's whole-host entry for one of these domains (or www. + it) is refused.\n")
for dom, rank in rows:
    out.write("%s\t%d\n" % (dom, rank))
