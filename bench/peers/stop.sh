#!/bin/sh
# Stops what start.sh started.
run=$1
for p in "$run/rspamd/rspamd.pid" "$run/sa/spamd.pid" "$run/clamav/clamd.pid"; do
	[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
done
sleep 2
exit 0
