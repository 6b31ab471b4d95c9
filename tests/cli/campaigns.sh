#!/bin/sh
# nise campaigns: without a store it says so (exit 2, ja and en); with one,
# the listing in Japanese and English, exact; a brand with no campaign
# prints nothing on stdout and says so on stderr; a default store that
# intel import creates is announced with its path.
# Usage: tests/cli/campaigns.sh NISE SOURCE_ROOT
set -u
nise=$1
src=$2
pass=0
fail=0
check() {
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); printf 'campaigns: FAIL: %s\n  got:      %s\n  expected: %s\n' "$1" "$2" "$3"; fi
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/xdg"
err=$("$nise" campaigns --lang en 2>&1 >/dev/null); rc=$?
check "no store: exit" "$rc" 2
check "no store: en" "$err" "nise campaigns: no store: give --db PATH or --redis URL, or let nise check record phishing first"
err=$("$nise" campaigns --lang ja 2>&1 >/dev/null)
check "no store: ja" "$err" "nise campaigns: 記録先（ストア）がありません。--db PATH か --redis URL を指定するか、先に nise check でフィッシングを記録してください"
"$nise" check --db "$dir/s.lmdb" "$src/examples/seed-amazon-phish.eml" >/dev/null
"$nise" check --db "$dir/s.lmdb" "$src/examples/seed-amazon-phish-iso2022jp.eml" >/dev/null
out=$("$nise" campaigns --db "$dir/s.lmdb" --lang ja | sed 's/^キャンペーン [0-9a-f]*/キャンペーン ID/; s/初回 [0-9-]*/初回 D/; s/最終 [0-9-]*/最終 D/')
check "ja listing" "$out" "キャンペーン ID: Amazon、2通、初回 D、最終 D
  件名: もう一度確認してから、あなたのアカウントを利用してください
  送信元ドメイン: newnamecardamazonmail.cyou
  リンク先ドメイン: newnamecardamazon.icu"
out=$("$nise" campaigns --db "$dir/s.lmdb" --lang en | head -n 1 | sed 's/^campaign [0-9a-f]*/campaign ID/; s/seen [0-9-]*/seen D/g')
check "en first line" "$out" "campaign ID: Amazon, 2 copies, first seen D, last seen D"
out=$("$nise" campaigns --db "$dir/s.lmdb" --brand nosuch --lang en 2>"$dir/err")
check "no match: stdout empty" "$out" ""
check "no match: stderr" "$(cat "$dir/err")" "no campaigns recorded"
"$nise" campaigns --db "$dir/s.lmdb" --lang fr >/dev/null 2>&1
check "bad --lang: exit" "$?" 2
# a store nobody named is created in the user's data directory, and said so once
printf 'https://evil.example/login\n' >"$dir/u.txt"
err=$("$nise" intel import --format urls "$dir/u.txt" 2>&1 >/dev/null)
check "default store announced" "$err" "nise intel import: created the store $XDG_DATA_HOME/nise/nise.lmdb (--db PATH or --redis URL to use another)"
err=$("$nise" intel import --format urls "$dir/u.txt" 2>&1 >/dev/null)
check "existing store not announced again" "$err" ""
echo "campaigns: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
