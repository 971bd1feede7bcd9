#!/usr/bin/env bash
# Swap on the real kernel: a swap file on an ext4 file system this test makes
# on a loop device, and zram where the kernel has an unused zram device.
# Apply (made, 0600, swapped on), verify, rollback (swapped off, removed),
# then a resize of a swap file that was already there, rolled back to its
# old size. Private mount namespace with tmpfs over the directories of the
# boot-time files; swap areas are switched off and the loop device detached
# on every path out.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir
command -v losetup >/dev/null || skip "losetup is not installed"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 is not installed"

LOOP=""
ZRAM=""
undo_everything() {
  swapoff "$WORK/mnt/swapfile" 2>/dev/null
  if [ -n "$ZRAM" ]; then
    swapoff "/dev/$ZRAM" 2>/dev/null
    echo 1 >"/sys/block/$ZRAM/reset" 2>/dev/null
  fi
  umount "$WORK/mnt" 2>/dev/null
  [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
  cleanup
}
trap undo_everything EXIT
truncate -s 256M "$WORK/fs.img"
LOOP=$(losetup -f --show "$WORK/fs.img") || skip "cannot attach a loop device"
mkfs.ext4 -q "$LOOP" || skip "cannot make a file system"
mkdir "$WORK/mnt" && mount "$LOOP" "$WORK/mnt" || skip "cannot mount the test file system"
for dir in /etc/systemd/system /etc/udev/rules.d /etc/modules-load.d; do mount_tmpfs "$dir"; done
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
SWAPFILE=$WORK/mnt/swapfile
# Active areas as "path priority": the size the kernel counts depends on how
# the file system laid the file out, so sizes are checked on the file.
active() { awk -v path="$1" '$1 == path {print $1 " " $5}' /proc/swaps; }
bytes() { stat -c %s "$1"; }
snapshot() {
  ls -A "$WORK/mnt" /etc/systemd/system /etc/udev/rules.d /etc/modules-load.d
  grep -v '^Filename' /proc/swaps
}
snapshot >"$WORK/before"

printf 'name: e2e-swap\nswap:\n  swapfile: { size: 64M, path: %s }\n' "$SWAPFILE" >"$WORK/p.yaml"
expect_exit "apply makes the swap file" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "the kernel swaps on it" "$(active "$SWAPFILE" | cut -d' ' -f1)" "$SWAPFILE"
expect_eq "64 MiB of it" "$(bytes "$SWAPFILE")" 67108864
expect_eq "it is the root's alone" "$(stat -c %a "$SWAPFILE")" 600
unit=/etc/systemd/system/$(systemd-escape --path "$SWAPFILE" 2>/dev/null || echo x).swap
if command -v systemd-escape >/dev/null; then
  expect_contains "its unit carries the path, named as systemd names it" "$unit" "What=$SWAPFILE"
fi
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "rollback" 0 T rollback --last
expect_eq "swapped off and removed" "$(snapshot)" "$(cat "$WORK/before")"

# A swap file that was there first is resized, and rollback makes it as it was.
fallocate -l 32M "$SWAPFILE" && chmod 600 "$SWAPFILE" && mkswap -q "$SWAPFILE" >/dev/null && swapon -p 7 "$SWAPFILE"
snapshot >"$WORK/before_resize"
expect_exit "apply resizes the existing swap file" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "now 64 MiB" "$(bytes "$SWAPFILE")" 67108864
expect_eq "and swapped on" "$(active "$SWAPFILE" | cut -d' ' -f1)" "$SWAPFILE"
expect_exit "rollback of the resize" 0 T rollback --last
expect_eq "32 MiB again" "$(bytes "$SWAPFILE")" 33554432
expect_eq "swapped on at its own priority" "$(active "$SWAPFILE")" "$SWAPFILE 7"
swapoff "$SWAPFILE" && rm -f "$SWAPFILE"

# zram: only where a device is free and the host uses none as swap.
for device in /sys/block/zram*; do
  [ -e "$device/disksize" ] || continue
  name=${device##*/}
  if grep -q "^/dev/$name " /proc/swaps || [ "$(cat "$device/disksize")" != 0 ]; then
    echo "note: $name is in use here; the zram part is left to the unit tests"
    ZRAM=""
    break
  fi
  [ -z "$ZRAM" ] && ZRAM=$name
done
if [ -n "$ZRAM" ]; then
  algorithm=$(tr -d '[]' <"/sys/block/$ZRAM/comp_algorithm" | awk '{print $NF}')
  original_algorithm=$(sed 's/.*\[\(.*\)\].*/\1/' "/sys/block/$ZRAM/comp_algorithm")
  printf 'name: e2e-zram\nswap:\n  zram: { size: 64M, algorithm: %s, priority: 50 }\n' "$algorithm" >"$WORK/z.yaml"
  expect_exit "apply zram" 0 T apply --profile "$WORK/z.yaml" --yes
  expect_eq "the kernel swaps on it at the chosen priority" "$(active "/dev/$ZRAM")" "/dev/$ZRAM 50"
  expect_contains "with the chosen algorithm" "/sys/block/$ZRAM/comp_algorithm" "[$algorithm]"
  expect_contains "and its udev rule sizes it at boot" /etc/udev/rules.d/61-tune-zram.rules "ATTR{disksize}=\"67108864\""
  expect_exit "verify zram" 0 T verify --detailed-exitcode
  expect_exit "rollback zram" 0 T rollback --last
  expect_eq "the device is unused again" "$(cat "/sys/block/$ZRAM/disksize")" 0
  expect_contains "with its algorithm back" "/sys/block/$ZRAM/comp_algorithm" "[$original_algorithm]"
  expect_eq "and no swap is left" "$(snapshot)" "$(cat "$WORK/before")"
  ZRAM=""
else
  echo "note: no free zram device (the zram module is not loaded); zram is covered by the unit tests"
fi

finish
