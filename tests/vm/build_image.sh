#!/usr/bin/env bash
# build_image.sh: the Debian 12 disk image the whole-system test boots, with
# systemd as PID 1, GRUB's configuration tools, the kernel and the libraries
# tune links against. Built once with debootstrap and kept in $TUNE_VM_CACHE
# (default /var/cache/tune-vm) under a name keyed by this script and the
# guest files, so a changed recipe builds a new image and an unchanged one is
# reused. The disk is one ext4 file system without a partition table (this
# host's kernel scans no partitions on loop devices), so qemu boots the
# image's kernel and initrd, saved beside it, directly; run_vm_test.sh takes
# each boot's command line from the grub.cfg the guest's update-grub wrote,
# as GRUB would. Prints the image's path. Needs root, debootstrap, losetup
# and the Debian mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${TUNE_VM_CACHE:-/var/cache/tune-vm}
mirror=${TUNE_VM_MIRROR:-http://deb.debian.org/debian}

# The libraries tune links against, and what the tests inside use.
packages=(
  linux-image-amd64 initramfs-tools systemd systemd-sysv udev dbus kmod grub2-common
  procps util-linux e2fsprogs iproute2 login
  libyaml-cpp0.7 libtomlplusplus3 libspdlog1.10 libfmt9 libhwloc15 libsystemd0 libudev1 libstdc++6
)
key=$(cat "$0" "$here"/guest/* | sha256sum | cut -c1-16)
image=$cache/debian12-$key.img
if [ -s "$image" ] && [ -s "$image.vmlinuz" ] && [ -s "$image.initrd" ]; then
  echo "$image"
  exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/build-XXXXXX")
loop=""
cleanup() {
  for dir in dev/pts dev proc sys; do umount "$work/root/$dir" 2>/dev/null || true; done
  umount "$work/root" 2>/dev/null || true
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
  rm -rf "$work"
  rm -f "$image".*.partial "$image.partial"
}
trap cleanup EXIT

raw=$work/disk.img
truncate -s 3G "$raw"
mkfs.ext4 -q -F -L tune-vm "$raw"
mkdir "$work/root"
mount -o loop "$raw" "$work/root"
loop=$(findmnt -n -o SOURCE "$work/root")
debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" bookworm "$work/root" "$mirror" >&2

root=$work/root
for dir in dev dev/pts proc sys; do mount --bind "/$dir" "$root/$dir"; done
echo "LABEL=tune-vm / ext4 errors=remount-ro 0 1" >"$root/etc/fstab"
echo tune-vm >"$root/etc/hostname"
: >"$root/etc/machine-id"
# The serial console is where the test writes and where the kernel talks;
# update-grub reads this when the boot domain changes the command line.
cat >"$root/etc/default/grub" <<'GRUB'
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX="console=ttyS0,115200 net.ifnames=0"
GRUB_TERMINAL=serial
GRUB_DISABLE_OS_PROBER=true
GRUB
mkdir -p "$root/boot/grub"
install -m 0755 "$here/guest/tune-vm-driver" "$root/usr/local/sbin/tune-vm-driver"
install -m 0644 "$here/guest/tune-vm-test.service" "$root/etc/systemd/system/tune-vm-test.service"
chroot "$root" systemctl enable tune-vm-test.service >&2
# Nothing the test does not need: no login prompts, no timers racing it.
chroot "$root" systemctl mask serial-getty@ttyS0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer fstrim.timer >&2 || true
chroot "$root" apt-get clean
cp "$root"/boot/vmlinuz-* "$image.vmlinuz.partial"
cp "$root"/boot/initrd.img-* "$image.initrd.partial"
for dir in dev/pts dev proc sys; do umount "$root/$dir"; done
umount "$root"
loop=""
mv "$image.vmlinuz.partial" "$image.vmlinuz"
mv "$image.initrd.partial" "$image.initrd"
mv "$raw" "$image.partial"
mv "$image.partial" "$image"
# Older images of other recipes are of no further use.
find "$cache" -maxdepth 1 -name 'debian12-*' ! -name "$(basename "$image")*" -delete
echo "$image"
