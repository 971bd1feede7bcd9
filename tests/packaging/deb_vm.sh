#!/usr/bin/env bash
# packaging.deb_vm: boots the whole-system test's virtual machine with
# tests/packaging/deb_vm_test.sh as its guest script and the .deb that
# packaging.deb_build left in OUTDIR beside it: install, hook, upgrade,
# remove, purge, and the host as before. Exit 0 pass, 1 fail, 77 skip.
# Usage: deb_vm.sh PATH_TO_TUNE OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tune=${1:?usage: $0 PATH_TO_TUNE OUTDIR}
outdir=${2:?usage: $0 PATH_TO_TUNE OUTDIR}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (the virtual machine's image)"
for tool in qemu-system-x86_64 qemu-img debootstrap mkfs.ext4; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done
deb=$(find "$outdir" -maxdepth 1 -name 'tune_*.deb' 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "FAIL: no tune_*.deb in $outdir (packaging.deb_build makes it)"; exit 1; }

start=$(date +%s)
status=0
"$repo/tests/vm/run_vm_test.sh" "$tune" "$here/deb_vm_test.sh" "$deb" || status=$?
echo "  the virtual machine ran $(( $(date +%s) - start )) s"
exit "$status"
