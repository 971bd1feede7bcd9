#!/usr/bin/env bash
# The whole-system test: boot a Debian 12 virtual machine with systemd as
# PID 1 (qemu, software emulation: nested KVM does not work here), with tune
# and the test on a second, read-only disk. Inside, a unit runs vm_test.sh at
# every boot; it applies a profile spanning every Linux domain, reboots,
# verifies, rolls back, reboots, checks every value and every file under /etc
# against the state before, then does the same for a kill -9 in the middle of
# an apply. Each boot is one qemu run over a copy-on-write overlay of the
# cached image (kept for the test's boots, then deleted); the kernel command
# line of the next boot is the one the guest's grub.cfg gives, which the
# guest prints before it reboots, so the boot domain's GRUB drop-in and
# update-grub are what decide it, as on a machine booting through GRUB.
# Exit 0 pass, 1 fail, 77 skip. Usage: run_vm_test.sh PATH_TO_TUNE
# Another whole-system test boots the same image with its own guest script
# (run as vm_test.sh at every boot, with the same protocol) and the files it
# needs beside it on the payload disk:
#   run_vm_test.sh PATH_TO_TUNE GUEST_SCRIPT [FILE...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tune=${1:?usage: $0 PATH_TO_TUNE [GUEST_SCRIPT [FILE...]]}
guest=${2:-}
extra=("${@:3}")
if [ -n "$guest" ]; then
  [ -f "$guest" ] || { echo "FAIL: no guest script $guest"; exit 1; }
  for file in "${extra[@]}"; do [ -e "$file" ] || { echo "FAIL: no payload file $file"; exit 1; }; done
fi
timeout_s=${TUNE_VM_BOOT_TIMEOUT:-900}  # one boot, its phase and its shutdown
max_boots=6

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, loop devices)"
for tool in qemu-system-x86_64 qemu-img debootstrap mkfs.ext4; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done

image=$("$here/build_image.sh") || { echo "FAIL: the VM image could not be built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The payload: tune, the test, its profile and unit, as an ext4 image made
# from a directory (nothing mounted on the host).
payload=$work/payload
mkdir -p "$payload"
cp "$tune" "$payload/tune"
if [ -z "$guest" ]; then
  cp "$here/vm_test.sh" "$here/vm_profile.yaml" "$here/inference.service" "$payload/"
  cp -r "$here/../../templates" "$payload/templates"
else
  cp "$guest" "$payload/vm_test.sh"
  if [ ${#extra[@]} -gt 0 ]; then cp -r "${extra[@]}" "$payload/"; fi
fi
chmod 0755 "$payload/tune" "$payload/vm_test.sh"
mkfs.ext4 -q -L payload -d "$payload" "$work/payload.img" 256M
qemu-img create -q -f qcow2 -b "$image" -F raw "$work/disk.qcow2"

# GRUB's command line for the image as built: /etc/default/grub's, on the root's label.
cmdline="root=LABEL=tune-vm ro console=ttyS0,115200 net.ifnames=0 quiet"
console=$work/console.log
: >"$console"
start=$(date +%s)
for boot in $(seq 1 "$max_boots"); do
  echo "boot $boot: $cmdline"
  before=$(wc -l <"$console")
  set +e
  timeout "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 -no-reboot \
    -display none -monitor none -serial "file:$work/boot.log" -nodefaults -no-user-config \
    -kernel "$image.vmlinuz" -initrd "$image.initrd" -append "$cmdline" \
    -drive "file=$work/disk.qcow2,format=qcow2,if=virtio" \
    -drive "file=$work/payload.img,format=raw,if=virtio,readonly=on"
  status=$?
  set -e
  # The serial line ends lines with CR LF; the CRs go, or they end up on the next command line.
  tr -d '\r' <"$work/boot.log" >"$work/boot.txt"
  cat "$work/boot.txt" >>"$console"
  echo "  ran $(( $(date +%s) - start )) s so far (qemu exit $status)"
  grep -aE '^(ok|FAIL|note|phase):' "$work/boot.txt" | sed 's/^/  /' || true
  if grep -aq '^TUNE-VM-RESULT:' "$work/boot.txt"; then break; fi
  next=$(grep -a '^TUNE-VM-NEXT-CMDLINE: ' "$work/boot.txt" | tail -n 1 | cut -d' ' -f2-)
  if [ -z "$next" ]; then
    echo "FAIL: boot $boot ended without a verdict or a next command line; its last lines:"
    tail -n 60 "$work/boot.txt"
    exit 1
  fi
  cmdline=$next
done
grep -aE '^TUNE-VM-RESULT:' "$console" || true
if grep -aq '^TUNE-VM-RESULT: PASS' "$console"; then exit 0; fi
echo "FAIL: no passing verdict; the console's last lines:"
tail -n 60 "$console"
exit 1
