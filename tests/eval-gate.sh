#!/bin/sh
# Detection quality on the development corpus must not fall below what was
# measured (docs/verdict.md, data/model.md):
#   1. the checks alone (`nise eval --no-model`): the detection issue's
#      targets where met, regression floors where not;
#   2. the shipped model with the checks, cross-validated (`nise train
#      --cv-json`: every message judged by a model that never saw its
#      campaign): the learned-model issue's targets;
#   3. the shipped model as installed, on the corpus it was trained on: no
#      false alarm on brand mail and Japanese bounces (a sanity check of the
#      artefact, not a measure of generalisation).
# Usage: tests/eval-gate.sh NISE CORPUS
set -u
nise=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # name prefix [options]
	name=$1
	prefix=$2
	shift 2
	"$nise" eval --json --manifest "$corpus/MANIFEST.tsv" --root "$corpus" --only "$prefix" \
		--groups "$corpus/jp/labels.tsv" "$@" >"$tmp/$name.json"
}
run jp jp/ --no-model
# phish/pot was collected in a Microsoft 365 mailbox: its topmost results
# have no authserv-id, trusted as "-" (docs/trust.md)
run pot phish/pot --no-model --trust-authserv -
run nazario phish/nazario --no-model
run ham ham/ --no-model
run brand ham/brand-lists --no-model
run bounces ham/jp-bounces --no-model
run ham_model ham/
run brand_model ham/brand-lists
run bounces_model ham/jp-bounces
"$nise" train --manifest "$corpus/MANIFEST.tsv" --root "$corpus" --groups "$corpus/jp/labels.tsv" \
	--cv-json "$tmp/cv.json" >/dev/null 2>&1 || echo "eval: nise train failed"
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
# 2. cross-validated, checks + model
try:
    cv = load("cv")
except Exception:
    cv = {}
def cvsum(pred, idx):
    n = sum(v["messages"] for k, v in cv.items() if pred(k))
    hit = sum(sum(v["combined"][i] for i in idx) for k, v in cv.items() if pred(k))
    return 100.0 * hit / max(1, n)
check("CV: phish/pot + nazario judged phishing or suspicious",
      cvsum(lambda k: k in ("phish/pot phish", "phish/nazario phish"), (0, 1)), ">=", 98.0)
check("CV: Japanese phish judged phishing", cvsum(lambda k: k == "jp/nvdimm phish", (0,)), ">=", 99.5)
check("CV: ham judged phishing", cvsum(lambda k: k.startswith("ham/"), (0,)), "<=", 0.1)
check("CV: ham judged suspicious", cvsum(lambda k: k.startswith("ham/"), (1,)), "<=", 1.0)
# 3. the shipped model on its own training corpus
check("shipped model: ham judged phishing", rate(load("ham_model"), "ham", "phishing"), "<=", 0.1)
check("shipped model: brand-lists ham judged phishing", rate(load("brand_model"), "ham", "phishing"), "<=", 0.0)
check("shipped model: Japanese bounces judged phishing", rate(load("bounces_model"), "ham", "phishing"), "<=", 0.0)
print(f"eval: {passes} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
PY
