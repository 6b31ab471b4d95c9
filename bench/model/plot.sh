#!/bin/sh
# Recall on phishing against false alarms on ham, from the cross-validated
# predictions of `make model` (bench/model/oof.tsv.gz): checks alone (their
# score), model alone (its probability) and both (the final score), each
# swept over every threshold. The marked points are the shipped thresholds.
# Usage: bench/model/plot.sh   (writes bench/model/roc.png; needs gnuplot)
set -eu
dir=bench/model
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gzip -dc "$dir/oof.tsv.gz" | python3 -c '
import sys, csv
rows = [r for r in csv.DictReader(sys.stdin, delimiter="\t") if r["set"].split(" ")[1] in ("phish", "ham")]
pos = [r for r in rows if r["phish"] == "1"]
neg = [r for r in rows if r["phish"] == "0"]
out = sys.argv[1]
def curve(key, name, marks):
    vals = sorted({float(r[key]) for r in rows}, reverse=True)
    with open(f"{out}/{name}.dat", "w") as f:
        for t in vals:
            tp = sum(float(r[key]) >= t for r in pos)
            fp = sum(float(r[key]) >= t for r in neg)
            f.write(f"{max(fp / len(neg), 1e-4):.6f} {100 * tp / len(pos):.3f}\n")
    with open(f"{out}/{name}.pts", "w") as f:
        for t in marks:
            tp = sum(float(r[key]) >= t for r in pos)
            fp = sum(float(r[key]) >= t for r in neg)
            f.write(f"{max(fp / len(neg), 1e-4):.6f} {100 * tp / len(pos):.3f}\n")
curve("check_score", "checks", [3, 6])
curve("model_p", "model", [0.5])
curve("combined_score", "combined", [3, 6])
' "$tmp"
gnuplot <<GP
set terminal pngcairo size 900,600 font "sans,11"
set output "$dir/roc.png"
set title "nise: recall on phishing vs false alarms on ham (5-fold cross-validated, ../shared/corpus)"
set xlabel "false-alarm rate on ham (log scale; 1e-4 = none)"
set ylabel "phishing flagged (%)"
set logscale x
set xrange [1e-4:1]
set yrange [40:100]
set key bottom right
set grid
plot "$tmp/checks.dat" with steps lw 2 title "checks alone", \
     "$tmp/model.dat" with steps lw 2 title "model alone", \
     "$tmp/combined.dat" with steps lw 2 title "checks + model", \
     "$tmp/checks.pts" with points pt 7 ps 1.5 lc rgb "black" title "shipped thresholds (suspicious, phishing)", \
     "$tmp/combined.pts" with points pt 7 ps 1.5 lc rgb "black" notitle, \
     "$tmp/model.pts" with points pt 6 ps 1.5 lc rgb "black" title "model alone at p = 0.5"
GP
echo "wrote $dir/roc.png"
