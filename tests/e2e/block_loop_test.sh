#!/usr/bin/env bash
# Block queue settings on the real kernel, on two loop devices this test
# attaches (never the machine's own disks): plan, dry run, apply, read back
# through sysfs, verify and drift, a value the kernel refuses (exit 3, the
# earlier steps put back), rollback. In a private mount namespace with tmpfs
# over /etc/udev/rules.d and the state directory; the loop devices are
# detached on every path out.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir
command -v losetup >/dev/null || skip "losetup is not installed"

LOOPS=""
detach_loops() {
  for device in $LOOPS; do losetup -d "$device" 2>/dev/null; done
  cleanup
}
trap detach_loops EXIT
truncate -s 32M "$WORK/a.img" "$WORK/b.img"
A=$(losetup -f --show "$WORK/a.img") || skip "cannot attach a loop device"
LOOPS="$A"
B=$(losetup -f --show "$WORK/b.img") || skip "cannot attach a second loop device"
LOOPS="$A $B"
a=${A#/dev/}
b=${B#/dev/}
grep -qw mq-deadline "/sys/block/$a/queue/scheduler" || skip "$a offers no mq-deadline scheduler"

mount_tmpfs /etc/udev/rules.d
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
queue() { cat "/sys/block/$1/queue/$2"; }
snapshot() {
  for device in $a $b; do
    for key in scheduler read_ahead_kb nr_requests; do echo "$device $key $(queue "$device" "$key")"; done
  done
  ls -A /etc/udev/rules.d
}
snapshot >"$WORK/before"

RAISED=$(( $(queue "$b" read_ahead_kb) + 1024 ))
cat >"$WORK/p.yaml" <<YAML
name: e2e-block
block:
  $a: { scheduler: mq-deadline, read_ahead_kb: 512 }
  $b: { read_ahead_kb: { at_least: $RAISED }, nr_requests: { at_least: 32 } }
YAML

expect_exit "plan shows the pending queue settings" 2 T plan --profile "$WORK/p.yaml" --detailed-exitcode
expect_contains "plan names the device and key" "$WORK/out" "$a/scheduler"
expect_exit "dry run succeeds" 0 T apply --profile "$WORK/p.yaml" --dry-run
expect_contains "dry run shows the udev rule" "$WORK/out" "+++ /etc/udev/rules.d/60-tune-block.rules"
expect_eq "dry run changed nothing" "$(snapshot)" "$(cat "$WORK/before")"

# A saved plan is refused, naming the setting, once the device moved under it.
expect_exit "a saved plan" 0 T plan --profile "$WORK/p.yaml" -o "$WORK/plan.json"
original_read_ahead=$(queue "$a" read_ahead_kb)
echo $((original_read_ahead + 8)) >"/sys/block/$a/queue/read_ahead_kb"
expect_exit "is refused when the device moved since" 1 T apply "$WORK/plan.json" --yes
expect_contains "naming the setting" "$WORK/err" "block $a/read_ahead_kb is '$((original_read_ahead + 8))'"
echo "$original_read_ahead" >"/sys/block/$a/queue/read_ahead_kb"
expect_exit "and applies once it is back" 0 T apply "$WORK/plan.json" --yes
expect_exit "rollback of the saved plan" 0 T rollback --last

expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_contains "the scheduler is chosen" <(queue "$a" scheduler) "[mq-deadline]"
expect_eq "read-ahead set" "$(queue "$a" read_ahead_kb)" 512
expect_eq "read-ahead raised" "$(queue "$b" read_ahead_kb)" "$RAISED"
expect_contains "the rule names the device" /etc/udev/rules.d/60-tune-block.rules "KERNEL==\"$a\""
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "a second apply has nothing to do" 0 T apply --profile "$WORK/p.yaml" --yes
expect_contains "and says so" "$WORK/out" "Nothing to change"

echo 256 >"/sys/block/$a/queue/read_ahead_kb"
expect_exit "drift on a queue setting is found" 2 T verify --detailed-exitcode
expect_contains "verify names the drifted setting" "$WORK/out" "$a/read_ahead_kb"
expect_exit "rollback" 0 T rollback --last
expect_eq "every queue setting and file is back" "$(snapshot)" "$(cat "$WORK/before")"

# The kernel refuses a queue depth far above what the device has tags for:
# the step fails with the kernel's error, and the read-ahead before it is put back.
cat >"$WORK/bad.yaml" <<YAML
name: e2e-block-bad
block:
  $a: { read_ahead_kb: 768, nr_requests: 10000000 }
YAML
expect_exit "a value the kernel rejects fails the apply" 3 T apply --profile "$WORK/bad.yaml" --yes
expect_contains "the error names the file" "$WORK/err" "/sys/block/$a/queue/nr_requests"
expect_eq "the earlier step was put back" "$(snapshot)" "$(cat "$WORK/before")"

finish
