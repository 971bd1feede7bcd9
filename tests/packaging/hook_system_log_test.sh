#!/usr/bin/env bash
# The hooks' lines reach the systemd journal: a private /run holds a stand-in
# for journald's socket, and what tune sends there must carry the message,
# its priority, SYSLOG_IDENTIFIER=tune and the TUNE_HOOK field the docs promise
# for `journalctl TUNE_HOOK=...`. The hook runs on this host's real /etc, so
# any /etc/tune is hidden first: it then has nothing to do and changes nothing.
. "$(dirname "$0")/../e2e/lib.sh"
enter_private_namespaces
make_workdir
command -v python3 >/dev/null || skip "needs python3 for the stand-in journal"

mount_tmpfs /run
[ -d /etc/tune ] && mount_tmpfs /etc/tune
mkdir -p /run/systemd/journal
# Receive one datagram, as journald would, and keep it.
python3 - "$WORK/received" <<'PY' &
import socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind("/run/systemd/journal/socket")
sock.settimeout(30)
try:
    data = sock.recv(65536)
except socket.timeout:
    data = b""
open(sys.argv[1], "wb").write(data)
PY
listener=$!
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done

expect_exit "post-install with no tune.toml" 0 "$TUNE" hook post-install
wait "$listener"
expect_contains "stderr says what it did" "$WORK/err" "tune hook post-install: nothing to do: there is no /etc/tune/tune.toml"
expect_contains "the journal got the message" "$WORK/received" \
  "MESSAGE=nothing to do: there is no /etc/tune/tune.toml asking for a profile"
expect_contains "as tune's" "$WORK/received" "SYSLOG_IDENTIFIER=tune"
expect_contains "named by hook" "$WORK/received" "TUNE_HOOK=post-install"
expect_contains "at priority info" "$WORK/received" "PRIORITY=6"

# No journal socket and no /dev/log reader: the hook still exits 0.
rm /run/systemd/journal/socket
expect_exit "post-install with no journal socket" 0 "$TUNE" hook post-install
expect_contains "and says what it did on stderr" "$WORK/err" "nothing to do"

finish
