#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/lint/frontends.sh SRC BUILD — the front ends (src/cli, src/milter,
# src/serve, src/spamd, src/imap) share code only through src/front
# (docs/frontends.md). Fails on:
#   - a file of one front end that includes a file of another, by a
#     relative path ("../milter/render.h") or from the top ("src/cli/x.h");
#   - a build target (any: program, library, test, fuzz target, bench)
#     that compiles the sources of two front ends, or that compiles one
#     front end's sources with another front end's directory on its
#     include path (how "render.h" could reach across without a "../").
# The targets are read from BUILD/meson-info/intro-targets.json, so a
# target written in any meson.build counts.
src=${1:?usage: frontends.sh SRC BUILD}
build=${2:?usage: frontends.sh SRC BUILD}
fes="cli milter serve spamd imap"
fail=0
for fe in $fes; do
	for other in $fes; do
		[ "$fe" = "$other" ] && continue
		hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]([^\">]*/)?(\.\./|src/)$other/" \
			"$src/src/$fe" 2>/dev/null)
		if [ -n "$hits" ]; then
			echo "frontends: FAIL: src/$fe includes src/$other:"
			echo "$hits" | sed "s|$src/||"
			fail=1
		fi
	done
	# src/front is shared by all: it includes no front end at all
	hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]([^\">]*/)?(\.\./|src/)$fe/" "$src/src/front" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "frontends: FAIL: src/front includes src/$fe:"
		echo "$hits" | sed "s|$src/||"
		fail=1
	fi
done
python3 - "$src" "$build" <<'PY' || fail=1
import json, os, sys
src, build = (os.path.realpath(p) for p in sys.argv[1:3])
fes = ["cli", "milter", "serve", "spamd", "imap"]
def fe_of(path):
    rel = os.path.relpath(os.path.realpath(path), src)
    parts = rel.split(os.sep)
    if len(parts) >= 3 and parts[0] == "src" and parts[1] in fes:
        return parts[1]
    return None
with open(os.path.join(build, "meson-info", "intro-targets.json")) as f:
    targets = json.load(f)
bad = 0
for t in targets:
    used, incs = set(), set()
    for ts in t.get("target_sources", []):
        for s in ts.get("sources", []):
            fe = fe_of(s)
            if fe:
                used.add(fe)
        for p in ts.get("parameters", []):
            if p.startswith("-I"):
                fe = fe_of(os.path.join(p[2:], "x"))
                if fe:
                    incs.add(fe)
    if len(used) > 1:
        print("frontends: FAIL: target %s compiles the sources of %s" % (t["name"], " and ".join(sorted(used))))
        bad = 1
    foreign = incs - used
    if foreign:
        print("frontends: FAIL: target %s (%s) has %s on its include path" %
              (t["name"], " ".join(sorted(used)) or "no front end", " ".join("src/" + x for x in sorted(foreign))))
        bad = 1
print("frontends: %d targets read" % len(targets))
sys.exit(bad)
PY
[ "$fail" -eq 0 ] && echo "frontends: ok"
exit "$fail"
