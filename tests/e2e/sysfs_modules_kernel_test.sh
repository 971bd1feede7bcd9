#!/usr/bin/env bash
# Raw sysfs attributes and module parameters on the real kernel: attributes
# of a loop device this test attaches (ones no other domain owns: the queue's
# iostats_passthrough and write_cache, the bdi's max_ratio, reached through
# the /sys/block symlinks) and a writable parameter of a module loaded here
# (printk's time, or nf_conntrack's acct), plus a parameter of a module that
# is not loaded (pending in modprobe.d). Apply, read back, verify, rollback;
# then kill -9 between every two steps and rollback. Private mount namespace
# with tmpfs over /etc/tmpfiles.d, /etc/modprobe.d and the state directory;
# the loop device is detached and the parameter written back on every path.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir
command -v losetup >/dev/null || skip "losetup is not installed"

PARAM=""
for candidate in printk/time nf_conntrack/acct; do
  [ -w "/sys/module/${candidate%/*}/parameters/${candidate#*/}" ] && { PARAM=$candidate; break; }
done
[ -n "$PARAM" ] || skip "no harmless writable module parameter here (printk time, nf_conntrack acct)"
MODULE=${PARAM%/*}
KEY=${PARAM#*/}
PARAM_FILE=/sys/module/$MODULE/parameters/$KEY
ORIGINAL_PARAM=$(cat "$PARAM_FILE")
NEW_PARAM=N
[ "$ORIGINAL_PARAM" = N ] && NEW_PARAM=Y

LOOP=""
restore_globals() {
  echo "$ORIGINAL_PARAM" >"$PARAM_FILE" 2>/dev/null
  [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
  cleanup
}
trap restore_globals EXIT
truncate -s 16M "$WORK/disk.img"
LOOP=$(losetup -f --show "$WORK/disk.img") || skip "cannot attach a loop device"
dev=${LOOP#/dev/}
Q=/sys/block/$dev/queue
BDI=/sys/block/$dev/bdi
[ -w "$Q/write_cache" ] && [ -w "$BDI/max_ratio" ] || skip "$dev has no writable write_cache or bdi max_ratio"
HAVE_PASSTHROUGH=0
[ -w "$Q/iostats_passthrough" ] && HAVE_PASSTHROUGH=1

for dir in /etc/tmpfiles.d /etc/modprobe.d; do mount_tmpfs "$dir"; done
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
snapshot() {
  echo "write_cache $(cat "$Q/write_cache") max_ratio $(cat "$BDI/max_ratio") $KEY $(cat "$PARAM_FILE")"
  [ "$HAVE_PASSTHROUGH" = 1 ] && echo "iostats_passthrough $(cat "$Q/iostats_passthrough")"
  ls -A /etc/tmpfiles.d /etc/modprobe.d
  cat /etc/tmpfiles.d/* /etc/modprobe.d/* 2>/dev/null
}
snapshot >"$WORK/before"

CACHE="write through"
[ "$(cat "$Q/write_cache")" = "write through" ] && CACHE="write back"
RATIO=$(( $(cat "$BDI/max_ratio") == 50 ? 60 : 50 ))
{
  echo "name: e2e-sysfs"
  echo "sysfs:"
  echo "  $Q/write_cache: { value: \"$CACHE\", unchecked: true }"
  echo "  /sys/block/$dev/bdi/max_ratio: { value: $RATIO, unchecked: true }"
  [ "$HAVE_PASSTHROUGH" = 1 ] && echo "  /sys/block/$dev/queue/iostats_pass*: { value: $(( 1 - $(cat "$Q/iostats_passthrough") )), unchecked: true }"
  echo "modules:"
  echo "  $MODULE: { $KEY: { value: $NEW_PARAM, unchecked: true } }"
  echo "  tune_e2e_absent: { depth: { value: 3, unchecked: true } }"
} >"$WORK/p.yaml"

# Refusals are one line naming file:line:col, before anything changes.
printf 'name: bad\nsysfs:\n  /sys/block/%s/queue/scheduler: none\n' "$dev" >"$WORK/bad.yaml"
expect_exit "another domain's file is refused" 1 T plan --profile "$WORK/bad.yaml"
expect_contains "naming the block domain" "$WORK/err" "bad.yaml:3:3: sysfs /sys/block/$dev/queue/scheduler is refused"
printf 'name: bad\nsysfs:\n  /sys/block/%s/bdi/read_ahead_kb: { value: 64, unchecked: true }\n' "$dev" >"$WORK/alias.yaml"
expect_exit "a file reached through a link is checked where it leads" 0 T plan --profile "$WORK/alias.yaml"
expect_contains "and skipped" "$WORK/out" "read_ahead_kb"

expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "write_cache set" "$(cat "$Q/write_cache")" "$CACHE"
expect_eq "max_ratio set through the bdi link" "$(cat "$BDI/max_ratio")" "$RATIO"
expect_eq "$MODULE $KEY set" "$(cat "$PARAM_FILE")" "$NEW_PARAM"
expect_contains "the boot file writes the attribute" /etc/tmpfiles.d/90-tune-sysfs.conf "w $Q/write_cache - - - - $CACHE"
expect_contains "the absent module waits in modprobe.d" /etc/modprobe.d/90-tune.conf "options tune_e2e_absent depth=3"
expect_exit "verify: no drift (the absent module is pending)" 0 T verify --detailed-exitcode
expect_exit "rollback" 0 T rollback --last
expect_eq "every value and file is back" "$(snapshot)" "$(cat "$WORK/before")"

if [ "${TUNE_NO_FAULT_POINTS:-}" != 1 ]; then
  T plan --profile "$WORK/p.yaml" -o "$WORK/plan.json" >/dev/null 2>&1
  steps=$(grep -o '"action": *"[a-z]*"' "$WORK/plan.json" | grep -vc '"none"')
  [ "$steps" -ge 5 ] || fail "the plan has $steps steps, expected five or more"
  for pause_after in $(seq 1 $((steps - 1))); do
    # A derived step (the pending modprobe parameter, read back last) has no
    # pause point: that apply runs to its end, and is rolled back the same.
    if start_paused_apply 5 TUNE_TEST_PAUSE_AFTER_STEP=$pause_after; then
      kill -9 "$pid"
      wait "$pid" 2>/dev/null
    else
      echo "note: no pause after step $pause_after (a derived step); the apply ran to its end"
    fi
    expect_exit "rollback --last after kill -9 after step $pause_after" 0 T rollback --last
    expect_eq "everything is back after a kill after step $pause_after" "$(snapshot)" "$(cat "$WORK/before")"
  done
fi

finish
