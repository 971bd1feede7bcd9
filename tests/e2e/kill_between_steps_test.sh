#!/usr/bin/env bash
# kill -9 the applier between two steps (a test-only fault point pauses it
# there), then `tune rollback --last` must restore everything from the journal.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

mount_tmpfs /etc/sysctl.d
STATE=$WORK/state
mount_tmpfs "$STATE"

KEYS="net.core.somaxconn net.ipv4.tcp_fin_timeout net.ipv4.tcp_keepalive_time"
snapshot() {
  for key in $KEYS; do printf '%s=%s\n' "$key" "$(sysctl -n "$key")"; done
  ls -A /etc/sysctl.d
}
snapshot >"$WORK/before"

cat >"$WORK/p.yaml" <<'YAML'
name: e2e-kill
sysctl:
  net.core.somaxconn: 8192
  net.ipv4.tcp_fin_timeout: 15
  net.ipv4.tcp_keepalive_time: 600
YAML
T() { "$TUNE" --state-dir "$STATE" "$@"; }

for pause_after in 1 2 3; do
  if ! start_paused_apply 10 TUNE_TEST_PAUSE_AFTER_STEP=$pause_after; then
    fail "the applier never reached the fault point after step $pause_after (was it built with TUNE_FAULT_POINTS?)"
    break
  fi
  if [ "$pause_after" = 1 ]; then
    expect_exit "a second apply while the first holds the lock is refused" 1 T apply --profile "$WORK/p.yaml" --yes
    expect_contains "naming the holder" "$WORK/err" "another tune is changing this host (pid $pid"
  fi
  kill -9 $pid
  wait $pid 2>/dev/null
  if [ "$pause_after" = 1 ]; then
    expect_exit "apply on top of the interrupted transaction is refused" 1 T apply --profile "$WORK/p.yaml" --yes
    expect_contains "pointing at rollback" "$WORK/err" "was interrupted and is still in effect"
  fi
  [ "$(sysctl -n net.core.somaxconn)" = 8192 ] || fail "step 1 had not happened before the kill"
  expect_contains "history shows the transaction interrupted" <(T history) "interrupted"
  expect_exit "verify flags the interrupted transaction" 2 T verify --detailed-exitcode
  expect_exit "rollback --last after kill -9 after step $pause_after" 0 T rollback --last
  expect_eq "everything restored after a kill after step $pause_after" "$(snapshot)" "$(cat "$WORK/before")"
done

finish
