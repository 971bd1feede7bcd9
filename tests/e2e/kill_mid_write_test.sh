#!/usr/bin/env bash
# kill -9 tune in the middle of writing a file it owns (after the data, before
# the fsync; after the fsync, before the rename), then `tune rollback --last`
# must restore every value and file and leave no temporary file behind.
# Private network and mount namespaces, tmpfs over /etc/sysctl.d and the state.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

mount_tmpfs /etc/sysctl.d
STATE=$WORK/state
mount_tmpfs "$STATE"
printf '# an operator file that was here first\nnet.core.somaxconn = 512\n' >/etc/sysctl.d/90-tune.conf
snapshot() {
  printf 'somaxconn=%s\n' "$(sysctl -n net.core.somaxconn)"
  ls -A /etc/sysctl.d
  sha256sum /etc/sysctl.d/90-tune.conf
}
snapshot >"$WORK/before"
printf 'name: e2e-mid-write\nsysctl:\n  net.core.somaxconn: 8192\n' >"$WORK/p.yaml"
T() { "$TUNE" --state-dir "$STATE" "$@"; }

for phase in before-fsync before-rename; do
  if ! start_paused_apply 10 TUNE_TEST_PAUSE_IN_WRITE="$phase:/etc/sysctl.d/90-tune.conf"; then
    fail "tune never reached the write's $phase point (was it built with TUNE_FAULT_POINTS?)"
    break
  fi
  kill -9 $pid
  wait $pid 2>/dev/null
  expect_contains "a temporary file is left after a kill $phase" <(ls -A /etc/sysctl.d) ".tune-"
  expect_exit "rollback --last after a kill $phase" 0 T rollback --last
  expect_eq "values and files back, no temporary left, after a kill $phase" "$(snapshot)" "$(cat "$WORK/before")"
done

finish
