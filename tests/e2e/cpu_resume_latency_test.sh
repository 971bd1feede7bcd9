#!/usr/bin/env bash
# cpu resume_latency_us on the real kernel: every CPU's PM QoS resume latency
# limit, applied, read back, verified and rolled back, with a number and with
# the kernel's "n/a". The limits are the host's own, so each CPU's value found
# at the start is written back on every path out, failures included. Private
# mount namespace: tmpfs over /etc/tmpfiles.d and the state directory.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

CPU_DIR=/sys/devices/system/cpu
FILES=$(ls "$CPU_DIR"/cpu[0-9]*/power/pm_qos_resume_latency_us 2>/dev/null)
[ -n "$FILES" ] || skip "this kernel shows no CPU pm_qos_resume_latency_us"
for file in $FILES; do [ -w "$file" ] || skip "$file is not writable"; done
ORIGINAL=$WORK/original
for file in $FILES; do echo "$file $(cat "$file")"; done >"$ORIGINAL"
restore_globals() {
  while read -r file value; do echo "$value" >"$file"; done <"$ORIGINAL"
  cleanup
}
trap restore_globals EXIT

mount_tmpfs /etc/tmpfiles.d
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
snapshot() {
  for file in $FILES; do echo "$file $(cat "$file")"; done
  ls -A /etc/tmpfiles.d
}
snapshot >"$WORK/before"
every_cpu_reads() {
  local file
  for file in $FILES; do [ "$(cat "$file")" = "$1" ] || return 1; done
}

# A value no CPU has now, then the kernel's "no latency at all".
LIMIT=20
grep -q " 20$" "$ORIGINAL" && LIMIT=30
for value in "$LIMIT" n/a; do
  printf 'name: e2e-resume-latency\ncpu:\n  resume_latency_us: %s\n' "$value" >"$WORK/p.yaml"
  expect_exit "apply $value" 0 T apply --profile "$WORK/p.yaml" --yes
  if every_cpu_reads "$value"; then pass "every CPU reads $value"; else fail "not every CPU reads $value: $(snapshot)"; fi
  expect_contains "the boot file sets $value again" /etc/tmpfiles.d/90-tune-cpu.conf \
    "/power/pm_qos_resume_latency_us - - - - $value"
  expect_exit "verify finds no drift after $value" 0 T verify --detailed-exitcode
  expect_exit "rollback $value" 0 T rollback --last
  expect_eq "every CPU is back after $value" "$(snapshot)" "$(cat "$WORK/before")"
done

finish
