#!/usr/bin/env bash
# kill -9 the applier between any two steps of a profile that spans the
# kernel domains (sysctl, block, memory, swap, limits, with their boot-time
# files), then `tune rollback --last` must put every value and file back.
# Real kernel, in private network and mount namespaces: a loop device for the
# block setting and for the swap file's file system; the THP setting is
# global, so the value found at the start is written back on every path out.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir
command -v losetup >/dev/null || skip "losetup is not installed"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 is not installed"
THP=/sys/kernel/mm/transparent_hugepage
[ -w "$THP/defrag" ] || skip "no transparent hugepages here"
chosen() { sed 's/.*\[\(.*\)\].*/\1/' "$1"; }
ORIGINAL_DEFRAG=$(chosen "$THP/defrag")

DISK=""
FS=""
undo_everything() {
  swapoff "$WORK/mnt/swapfile" 2>/dev/null
  echo "$ORIGINAL_DEFRAG" >"$THP/defrag"
  umount "$WORK/mnt" 2>/dev/null
  for device in $DISK $FS; do losetup -d "$device" 2>/dev/null; done
  cleanup
}
trap undo_everything EXIT
truncate -s 32M "$WORK/disk.img"
truncate -s 256M "$WORK/fs.img"
DISK=$(losetup -f --show "$WORK/disk.img") || skip "cannot attach a loop device"
FS=$(losetup -f --show "$WORK/fs.img") || skip "cannot attach a second loop device"
mkfs.ext4 -q "$FS" && mkdir "$WORK/mnt" && mount "$FS" "$WORK/mnt" || skip "cannot make the test file system"
for dir in /etc/sysctl.d /etc/udev/rules.d /etc/tmpfiles.d /etc/systemd/system /etc/security/limits.d \
  /etc/systemd/system.conf.d; do
  mount_tmpfs "$dir"
done
STATE=$WORK/state
mount_tmpfs "$STATE"
disk=${DISK#/dev/}
DEFRAG=defer
[ "$ORIGINAL_DEFRAG" = defer ] && DEFRAG=madvise

snapshot() {
  sysctl -n net.core.somaxconn
  cat "/sys/block/$disk/queue/read_ahead_kb"
  chosen "$THP/defrag"
  grep -v '^Filename' /proc/swaps
  ls -A "$WORK/mnt" /etc/sysctl.d /etc/udev/rules.d /etc/tmpfiles.d /etc/systemd/system /etc/security/limits.d \
    /etc/systemd/system.conf.d
}
snapshot >"$WORK/before"

cat >"$WORK/p.yaml" <<YAML
name: e2e-kill-domains
sysctl:
  net.core.somaxconn: 8192
block:
  $disk: { read_ahead_kb: 640 }
memory:
  transparent_hugepages: { defrag: $DEFRAG }
swap:
  swapfile: { size: 32M, path: $WORK/mnt/swapfile }
limits:
  "*": { nofile: { at_least: 70000 } }
YAML
T() { "$TUNE" --state-dir "$STATE" "$@"; }
# The fault point follows each step that changes something itself; the
# limits a session gets are read back at the end and have none.
points=$(T --no-color plan --profile "$WORK/p.yaml" | grep -E '^  [~+-] ' | awk '{n++; if ($2 != "limits") print n}')
[ "$(echo "$points" | wc -w)" -ge 10 ] || fail "the profile plans too few steps: $points"

for pause_after in $points; do
  if ! start_paused_apply 20 TUNE_TEST_PAUSE_AFTER_STEP=$pause_after; then
    fail "the applier never reached the fault point after step $pause_after (was it built with TUNE_FAULT_POINTS?)"
    break
  fi
  kill -9 $pid
  wait $pid 2>/dev/null
  expect_exit "verify flags the transaction cut after step $pause_after" 2 T verify --detailed-exitcode
  expect_exit "rollback --last after kill -9 after step $pause_after" 0 T rollback --last
  expect_eq "every value and file is back after a kill after step $pause_after" "$(snapshot)" "$(cat "$WORK/before")"
done

finish
