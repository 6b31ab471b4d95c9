#!/bin/sh
# SPDX-License-Identifier: MIT
# Attack rows 17-19: a configuration that would fail or judge nothing is
# refused, with FILE:LINE and the reason, by `nise config check` and by
# every front end at start (nise filter still writes the mail, marked
# "unchecked reason=config"); comments after a value are accepted
# (docs/man/nise.conf.5.scd). Nothing here listens: each daemon stops
# before it binds. Usage: tests/front/refuse.sh NISE
set -u
nise=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "refuse: FAIL: $*"; }
export NISE_DATA_DIR="$root/data"
unset NISE_CONFIG
seed=$root/examples/seed-amazon-phish.eml
# expect NAME STATUS MESSAGE CMD...: exit status and the whole of stderr
expect() {
	name=$1 st=$2 msg=$3
	shift 3
	"$@" >out 2>err </dev/null
	got=$?
	if [ "$got" -eq "$st" ] && [ "$(cat err)" = "$msg" ]; then ok; else
		bad "$name: exit $got (want $st), stderr: $(cat err)"; echo "   want: $msg"; fi
}

printf '[nise]\nmodel = /etc/passwd\n' >model.conf
printf '[nise]\nlang = en\nmodel = %s/none/model.bin\n' "$t" >nomodel.conf
printf '# small\n[limits]\nmax_arena_bytes = 1\n' >arena.conf
mkdir dir.conf
m_passwd="model.conf:2: model: /etc/passwd: not a nise model (bad magic)"
m_arena="arena.conf:3: max_arena_bytes = 1 is too small to read a one-line mail (LIMIT_ARENA; see docs/limits.md)"

# nise config check
expect "config check: model not a model" 2 "nise: $m_passwd" "$nise" config check --config model.conf
expect "config check: model missing" 2 \
	"nise: nomodel.conf:3: model: $t/none/model.bin: No such file or directory" \
	"$nise" config check --config nomodel.conf
expect "config check: arena too small" 2 "nise: $m_arena" "$nise" config check --config arena.conf
expect "config check: a directory" 2 "nise: dir.conf: a directory, not a configuration file" \
	"$nise" config check --config dir.conf
if [ "$(id -u)" -ne 0 ]; then
	printf 'x' >locked.bin
	chmod 000 locked.bin
	printf '[nise]\nmodel = locked.bin\n' >locked.conf
	expect "config check: model unreadable" 2 "nise: locked.conf:2: model: locked.bin: Permission denied" \
		"$nise" config check --config locked.conf
fi

# each front end at start
printf '[milter]\nsocket = unix:%s/m.sock\nnise_config = model.conf\n' "$t" >m1.conf
expect "milter: model" 2 "nise milter: $m_passwd" "$nise" milter --config m1.conf
printf '[milter]\nsocket = unix:%s/m.sock\nnise_config = arena.conf\n' "$t" >m2.conf
expect "milter: arena" 2 "nise milter: $m_arena" "$nise" milter --config m2.conf
printf '[milter]\nauth = yes\npsl_file = /nonexistent\n' >m3.conf
expect "milter: psl_file" 2 \
	"nise milter: m3.conf:3: bad value for psl_file: '/nonexistent': No such file or directory (Debian: the publicsuffix package)" \
	"$nise" milter --config m3.conf
printf '[milter]\ntimeout = 0\n' >m4.conf
expect "milter: timeout 0" 2 "nise milter: m4.conf:2: bad value for timeout: '0' (a whole number from 1 to 3600)" \
	"$nise" milter --config m4.conf
expect "milter --check-config: timeout 0" 2 \
	"nise milter: m4.conf:2: bad value for timeout: '0' (a whole number from 1 to 3600)" \
	"$nise" milter --check-config --config m4.conf
expect "milter: a directory" 2 "nise milter: dir.conf: a directory, not a configuration file" \
	"$nise" milter --config dir.conf
printf '[spamd]\nlisten = unix:%s/s.sock\nnise_config = model.conf\n' "$t" >s1.conf
expect "spamd: model" 2 "nise spamd: $m_passwd" "$nise" spamd --config s1.conf
printf '[spamd]\ntimeout = 0\n' >s2.conf
expect "spamd: timeout 0" 2 "nise spamd: s2.conf:2: bad value for timeout: '0' (a whole number from 1 to 3600)" \
	"$nise" spamd --config s2.conf
expect "imap: arena" 2 "nise imap: $m_arena" \
	"$nise" imap --host 127.0.0.1 --user u --state "$t/imap.state" --config arena.conf
expect "serve: model" 2 "nise serve: cannot start: $m_passwd" \
	"$nise" serve --config model.conf --listen 127.0.0.1:1
# nise filter refuses too, and still writes the mail
"$nise" filter --config model.conf <"$seed" >f.out 2>f.err
st=$?
[ $st -eq 0 ] && [ "$(cat f.err)" = "nise filter: $m_passwd" ] &&
	[ "$(head -1 f.out)" = "X-Nise-Verdict: unchecked reason=config" ] && tail -n +2 f.out | cmp -s - "$seed" &&
	ok || bad "filter: exit $st, $(cat f.err), $(head -1 f.out)"

# comments after a value: ' # ...' and ' ; ...' are not part of it
printf '[nise]\nlang = ja   # the page and reports\n[limits]\nmax_links = 100 ; a comment\n' >comments.conf
"$nise" config check --config comments.conf >cc.out 2>cc.err
[ $? -eq 0 ] && grep -qx 'lang = ja' cc.out && grep -qx 'max_links = 100' cc.out && ok ||
	bad "inline comments: $(cat cc.err)"
printf "[milter]\nauthserv_id = mx.example.org      # this server's name\n" >c2.conf
"$nise" milter --check-config --config c2.conf >c2.out 2>&1
[ $? -eq 0 ] && grep -qx 'authserv_id = mx.example.org' c2.out && ok || bad "milter inline comment: $(cat c2.out)"
# a '#' inside a value (no white space before it) stays
printf '[milter]\ntag = [#phish]\n' >c3.conf
"$nise" milter --check-config --config c3.conf 2>&1 | grep -qx 'tag = \[#phish\]' && ok || bad "'#' inside a value"
# a line longer than the reader's buffer is an error at its own line
{ printf '[nise]\n# '; head -c 300 /dev/zero | tr '\0' x; printf '\nlang = ja\n'; } >long.conf
expect "a line too long" 2 "nise: long.conf:2: line too long" "$nise" config check --config long.conf

echo "refuse: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
