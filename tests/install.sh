#!/bin/sh
# `meson install` into a staging directory lays out the tree an
# administrator expects, and the installed nise works from it alone: it
# finds its data next to itself (not in the source tree), judges the seed
# mail phishing, validates the shipped configuration, and refuses a
# malformed one naming file and line.
# Usage: tests/install.sh BUILD
set -u
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "install: FAIL: $*"; }
meson install -C "$build" --destdir "$dest" >/dev/null 2>&1 || bad "meson install"
opt() { python3 -c 'import json,sys; print([o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == sys.argv[2]][0])' \
	"$build/meson-info/intro-buildoptions.json" "$1"; }
prefix=$dest$(opt prefix)
sysconf=$(opt sysconfdir)
case $sysconf in /*) etc=$dest$sysconf ;; *) etc=$prefix/$sysconf ;; esac
[ -s "$etc/nise/nise.conf" ] && ok || bad "missing $etc/nise/nise.conf"
[ -s "$etc/nise/milter.conf" ] && ok || bad "missing $etc/nise/milter.conf"
for f in bin/nise share/nise/brands.tsv share/nise/lexicon.tsv \
	share/man/man1/nise.1 share/man/man5/nise.conf.5 share/bash-completion/completions/nise \
	share/man/man1/nise-serve.1 share/man/man8/nise-milter.8 share/man/man1/nise-update.1; do
	if [ -s "$prefix/$f" ]; then ok; else bad "missing $f"; fi
done
[ ! -e "$prefix/share/nise/tools" ] && ok || bad "data/tools installed"
# data found next to the program, not in the source tree
data=$(env -u NISE_DATA_DIR "$prefix/bin/nise" version | sed -n 's/^data: //p')
case $data in
"$prefix"/bin/../share/nise) ok ;;
*) bad "data directory is '$data'" ;;
esac
cd /tmp || exit 1
verdict=$(env -u NISE_DATA_DIR NISE_CONFIG="$etc/nise/nise.conf" "$prefix/bin/nise" check --json \
	"$root/examples/seed-amazon-phish.eml" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["verdict"])')
[ "$verdict" = phishing ] && ok || bad "installed nise judged the seed '$verdict'"
env -u NISE_DATA_DIR "$prefix/bin/nise" config check --config "$etc/nise/nise.conf" >/dev/null && ok ||
	bad "shipped configuration rejected"
env -u NISE_DATA_DIR "$prefix/bin/nise" milter --check-config --config "$etc/nise/milter.conf" >/dev/null && ok ||
	bad "shipped milter.conf rejected"
# malformed configurations: exit 2, "FILE:LINE: reason"
conf=$dest/bad.conf
printf '[nise]\nlang = ja\ncolour = blue\n' >"$conf"
msg=$("$prefix/bin/nise" config check --config "$conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "bad.conf:3: unknown key 'colour'" && ok || bad "unknown key: $msg"
printf '[limits]\nmax_parts = lots\n' >"$conf"
msg=$("$prefix/bin/nise" check --config "$conf" "$root/examples/seed-amazon-phish.eml" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "bad.conf:2: bad value for max_parts" && ok || bad "bad value: $msg"
msg=$("$prefix/bin/nise" config check --config "$dest/none.conf" 2>&1)
[ $? -eq 2 ] && echo "$msg" | grep -q "none.conf: No such file" && ok || bad "missing file: $msg"
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
