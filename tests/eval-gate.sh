#!/bin/sh
# Detection quality on the development corpus, measured with `nise eval`,
# must not fall below what was measured when the checks were tuned
# (docs/verdict.md has the numbers). Targets of the detection issue are
# checked where met; floors are regression guards where not yet met.
# Usage: tests/eval-gate.sh NISE CORPUS
set -u
nise=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # name prefix
	"$nise" eval --json --manifest "$corpus/MANIFEST.tsv" --root "$corpus" --only "$2" \
		--groups "$corpus/jp/labels.tsv" >"$tmp/$1.json"
}
run jp jp/
run pot phish/pot
run nazario phish/nazario
run ham ham/
run brand ham/brand-lists
run bounces ham/jp-bounces
python3 - "$tmp" <<'PY'
import json, sys, os
d = sys.argv[1]
def load(n): return json.load(open(os.path.join(d, n + ".json")))
fails = []; passes = 0
def check(name, value, op, limit):
    global passes
    ok = value >= limit if op == ">=" else value <= limit
    print(f"eval: {name} = {value:.2f}% ({op} {limit}%) {'ok' if ok else 'FAILED'}")
    if ok: passes += 1
    else: fails.append(name)
def rate(o, label, *verdicts):
    s = o[label]
    return 100.0 * sum(s[v] for v in verdicts) / max(1, s["messages"])
jp = load("jp")
check("Japanese phish judged phishing", rate(jp, "phish", "phishing"), ">=", float(os.environ.get("JP_FLOOR", "98.5")))
check("phish/pot + nazario judged phishing or suspicious",
      100.0 * sum(load(n)["phish"]["phishing"] + load(n)["phish"]["suspicious"] for n in ("pot", "nazario"))
      / sum(load(n)["phish"]["messages"] for n in ("pot", "nazario")), ">=", float(os.environ.get("POT_FLOOR", "65.0")))
ham = load("ham")
check("ham judged phishing", rate(ham, "ham", "phishing"), "<=", 0.2)
check("ham judged suspicious", rate(ham, "ham", "suspicious"), "<=", 2.0)
check("brand-lists ham judged phishing", rate(load("brand"), "ham", "phishing"), "<=", 0.0)
check("Japanese bounces judged phishing", rate(load("bounces"), "ham", "phishing"), "<=", 0.0)
print(f"eval: {passes} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
PY
