#!/usr/bin/env bash
# irq default_affinity on the real kernel: /proc/irq/default_smp_affinity is
# changed through apply, verify and rollback, and once more with the applier
# killed -9 between its two steps and the rollback finishing the job. It is
# global (the CPUs an IRQ set up from now on gets), so the value found at the
# start is written back on every path out, failures and signals included.
# No existing IRQ is moved: the profile sets default_affinity only.
# Private mount namespace: tmpfs over /etc/tmpfiles.d and the state directory.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

DEFAULT=/proc/irq/default_smp_affinity
[ -w "$DEFAULT" ] || skip "no writable $DEFAULT here"
ONLINE=$(cat /sys/devices/system/cpu/online 2>/dev/null)
[ -n "$ONLINE" ] || skip "no /sys/devices/system/cpu/online"
ORIGINAL=$(cat "$DEFAULT")
restore_globals() {
  echo "$ORIGINAL" >"$DEFAULT"
  cleanup
}
trap restore_globals EXIT
trap 'exit 1' INT TERM HUP

mount_tmpfs /etc/tmpfiles.d
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
snapshot() {
  cat "$DEFAULT"
  ls -A /etc/tmpfiles.d
}
snapshot >"$WORK/before"

# online_cpu N: whether CPU N is in the online list ("0-3,8").
online_cpu() {
  local part
  for part in ${ONLINE//,/ }; do
    if [ "$1" -ge "${part%-*}" ] && [ "$1" -le "${part#*-}" ]; then return 0; fi
  done
  return 1
}
# One online CPU whose mask differs from the one the host has now: the
# first online CPU, or the second when the default is that CPU alone.
FIRST=${ONLINE%%[-,]*}
WANT=$FIRST
MASK=$(printf '%x' $((1 << FIRST)))
if [ "$((16#${ORIGINAL//,/}))" = "$((1 << FIRST))" ]; then
  WANT=$((FIRST + 1))
  MASK=$(printf '%x' $((1 << WANT)))
  online_cpu "$WANT" || skip "one CPU online, and the default is that CPU already"
fi
[ "$FIRST" -lt 32 ] || skip "the first online CPU is past 31"
cat >"$WORK/p.yaml" <<YAML
name: e2e-irq
irq:
  default_affinity: "$WANT"
YAML
as_mask() { echo $((16#$(tr -d ',\n' <"$DEFAULT"))); }

expect_exit "plan" 0 T plan --profile "$WORK/p.yaml"
expect_contains "the plan names the setting" "$WORK/out" "default_affinity"
expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "the kernel has the new default" "$(as_mask)" "$((16#$MASK))"
expect_contains "the boot file sets it again" /etc/tmpfiles.d/90-tune-irq.conf "w $DEFAULT - - - - $MASK"
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "rollback" 0 T rollback --last
expect_eq "the default and the boot files are back" "$(snapshot)" "$(cat "$WORK/before")"

if [ -z "${TUNE_NO_FAULT_POINTS:-}" ]; then
  if start_paused_apply 10 TUNE_TEST_PAUSE_AFTER_STEP=1; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    expect_eq "step 1 had happened before the kill" "$(as_mask)" "$((16#$MASK))"
    expect_exit "verify flags the interrupted transaction" 2 T verify --detailed-exitcode
    expect_exit "rollback --last after kill -9" 0 T rollback --last
    expect_eq "everything restored after the kill" "$(snapshot)" "$(cat "$WORK/before")"
  else
    fail "the applier never reached the fault point (was it built with TUNE_FAULT_POINTS?)"
  fi
fi

finish
