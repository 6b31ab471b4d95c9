#!/bin/sh
# Fails when src/ uses a function STYLE.md bans (unbounded copies, unchecked
# parsing, variable-length arrays are caught by -Wvla).
root=${1:-.}
hits=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets|sscanf)[[:space:]]*\(' "$root/src" "$root/include" 2>/dev/null)
if [ -n "$hits" ]; then
	echo "banned functions used:"
	echo "$hits"
	echo "banned: 0 passed, 1 failed"
	exit 1
fi
echo "banned: 1 passed, 0 failed"
