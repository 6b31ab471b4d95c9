# SPDX-License-Identifier: MIT
# lib.sh — services for the nise milter tests, all on loopback, all in
# one temporary directory, all stopped by milter_cleanup (trap it):
#   Postfix smtpd 127.0.0.1:10025 → milter 127.0.0.1:10026
#   delivery by Postfix's smtp client to smtp-sink 127.0.0.1:10027, one
#   file per delivered message (count them, read their headers)
#   unbound 127.0.0.1:10053 serving the test zones
# Sourced by tests/milter/*.sh and bench/milter-load.sh; needs root (the
# private Postfix runs its daemons as the postfix user).

T=$(mktemp -d /tmp/nise-milter.XXXXXX)
chmod 755 "$T"
MILTER_PID=
SINK_PID=
UNBOUND_PID=
PF_UP=

milter_cleanup() {
	[ -n "$PF_UP" ] && postfix -c "$T/pf/etc" stop >/dev/null 2>&1
	for p in $MILTER_PID $SINK_PID $UNBOUND_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $MILTER_PID $SINK_PID $UNBOUND_PID; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$PF_UP" ]; then
		# master and its children, should stop have failed
		[ -f "$T/pf/spool/pid/master.pid" ] && kill -9 "$(cat "$T/pf/spool/pid/master.pid")" 2>/dev/null
	fi
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}

wait_port() { # PORT SECONDS
	i=0
	while ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

start_sink() {
	mkdir -p "$T/sink"
	chown nobody "$T/sink"
	smtp-sink -u nobody -d "$T/sink/%H%M%S." -m 200 127.0.0.1:10027 200 >"$T/sink.log" 2>&1 &
	SINK_PID=$!
	wait_port 10027 10
}

# delivered messages: files in the sink
delivered() { find "$T/sink" -type f | wc -l; }

start_postfix() { # extra main.cf lines on stdin
	mkdir -p "$T/pf/etc" "$T/pf/spool" "$T/pf/data"
	chown postfix "$T/pf/data"
	cat >"$T/pf/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $T/pf/spool
data_directory = $T/pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.nise.test
mydomain = nise.test
myorigin = nise.test
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
relay_domains = nise.test
mynetworks = 127.0.0.0/8
local_recipient_maps =
alias_maps =
alias_database =
smtpd_recipient_restrictions = permit_mynetworks, permit_auth_destination, reject
smtpd_authorized_xclient_hosts = 127.0.0.0/8
default_transport = smtp:[127.0.0.1]:10027
relay_transport = smtp:[127.0.0.1]:10027
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtpd_peername_lookup = no
biff = no
maillog_file_prefixes = /var, /dev/stdout, /tmp
maillog_file = $T/pf/maillog
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
default_process_limit = 60
smtp_destination_concurrency_limit = 20
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
message_size_limit = 20480000
smtpd_milters = inet:127.0.0.1:10026
milter_protocol = 6
milter_default_action = tempfail
milter_connect_timeout = 5s
CF
	cat >>"$T/pf/etc/main.cf"
	cat >"$T/pf/etc/master.cf" <<'CF'
127.0.0.1:10025 inet n - n - - smtpd
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
CF
	postfix -c "$T/pf/etc" check >"$T/pf/check.log" 2>&1 || { cat "$T/pf/check.log"; return 1; }
	postfix -c "$T/pf/etc" start >"$T/pf/start.log" 2>&1 || { cat "$T/pf/start.log"; return 1; }
	PF_UP=1
	wait_port 10025 20
}

# messages still in Postfix's queues (active, incoming, deferred, hold)
queued() { find "$T/pf/spool/active" "$T/pf/spool/incoming" "$T/pf/spool/deferred" "$T/pf/spool/maildrop" -type f 2>/dev/null | wc -l; }
held() { find "$T/pf/spool/hold" -type f 2>/dev/null | wc -l; }

# waits until Postfix has nothing left to deliver (or SECONDS pass)
wait_drained() { # SECONDS
	i=0
	while [ "$(queued)" -gt 0 ]; do
		i=$((i + 1))
		[ $i -gt $(($1 * 5)) ] && return 1
		postqueue -c "$T/pf/etc" -f >/dev/null 2>&1
		sleep 0.2
	done
}

start_milter() { # NISE MILTER_CONF
	"$1" milter --config "$2" >>"$T/milter.log" 2>&1 &
	MILTER_PID=$!
	wait_port 10026 30
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

start_unbound() { # ZONE_LINES_FILE
	cat >"$T/unbound.conf" <<UB
server:
	interface: 127.0.0.1@10053
	port: 10053
	do-ip6: no
	do-daemonize: no
	use-syslog: no
	logfile: ""
	username: ""
	chroot: ""
	directory: "$T"
	pidfile: ""
	access-control: 127.0.0.0/8 allow
	module-config: "iterator"
	do-not-query-localhost: yes
	verbosity: 1
UB
	cat "$1" >>"$T/unbound.conf"
	unbound -d -c "$T/unbound.conf" >"$T/unbound.log" 2>&1 &
	UNBOUND_PID=$!
	i=0
	while ! dig_ok; do
		i=$((i + 1))
		[ $i -gt 50 ] && { cat "$T/unbound.log"; return 1; }
		sleep 0.1
	done
}
dig_ok() { (exec 3<>/dev/tcp/127.0.0.1/10053) 2>/dev/null; }
