#!/bin/sh
# The Debian package: built from the tracked files with dpkg-buildpackage,
# no lintian errors, installs with dpkg -i into a working nise (man page,
# shipped configuration valid, the seed mail judged phishing, the system
# user and its state directory), and purges without leaving files behind.
# Runs as root (CI and the bootstrap do). Usage: tests/package.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "package: FAIL: $*"; }
# dpkg refuses at once while another apt-get/dpkg holds its lock (a
# developer's machine may be installing something): wait for it instead
dpkg_wait() {
	log=$1
	shift
	for _ in $(seq 1 150); do
		dpkg "$@" >"$log" 2>&1 && return 0
		grep -q 'lock' "$log" || return 1
		sleep 2
	done
	return 1
}
mkdir -p "$work/nise"
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$work/nise")
if (cd "$work/nise" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then ok; else
	bad "dpkg-buildpackage"; tail -n 30 "$work/build.log"; fi
deb=$(ls "$work"/nise_*_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] && ok || { bad "no .deb"; echo "package: $pass passed, $fail failed"; exit 1; }
lintian "$work"/nise_*.changes >"$work/lintian.log" 2>&1
errors=$(grep -c '^E: ' "$work/lintian.log")
[ "$errors" -eq 0 ] && ok || { bad "lintian errors: $errors"; grep '^E: ' "$work/lintian.log"; }
warnings=$(grep -c '^W: ' "$work/lintian.log")
[ "$warnings" -eq 0 ] && ok || { bad "lintian warnings: $warnings"; grep '^W: ' "$work/lintian.log"; }
echo "package: lintian: $errors errors, $warnings warnings"
dpkg_wait "$work/install.log" -i "$deb" && ok || { bad "dpkg -i"; tail -n 20 "$work/install.log"; }
[ "$(command -v nise)" = /usr/bin/nise ] && ok || bad "nise not on PATH"
man -w nise >/dev/null 2>&1 && man nise 2>/dev/null | grep -q "nise - tell whether" && ok || bad "man nise"
nise config check >/dev/null && ok || bad "nise config check on the shipped configuration"
v=$(cd / && nise check --json "$root/examples/seed-amazon-phish.eml" |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["verdict"])')
[ "$v" = phishing ] && ok || bad "installed package judged the seed '$v'"
# the units are shipped but not enabled: the administrator picks the front end
for u in nise-milter.service nise-serve.service nise-update.service nise-update.timer; do
	[ -f "/lib/systemd/system/$u" ] && ok || bad "unit $u not installed"
	[ -e "/etc/systemd/system/multi-user.target.wants/$u" ] && bad "unit $u enabled by the package" || ok
done
grep -q -- '--db /var/lib/nise/nise.lmdb' /lib/systemd/system/nise-serve.service && ok || bad "nise-serve.service has no store"
[ -e /usr/share/doc/nise/README.md ] || [ -e /usr/share/doc/nise/README.md.gz ] && ok || bad "README not in /usr/share/doc/nise"
[ -e /usr/share/doc/nise/checks ] && ok || bad "check pages not in /usr/share/doc/nise"
man -w nise-serve >/dev/null 2>&1 && ok || bad "man nise-serve"
getent passwd nise >/dev/null && [ -d /var/lib/nise ] && ok || bad "system user or /var/lib/nise"
dpkg_wait "$work/purge.log" -P nise && ok || { bad "dpkg -P"; tail -n 20 "$work/purge.log"; }
for p in /usr/bin/nise /etc/nise /usr/share/nise /var/lib/nise /usr/share/man/man1/nise.1.gz; do
	[ -e "$p" ] && bad "left after purge: $p" || ok
done
echo "package: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
