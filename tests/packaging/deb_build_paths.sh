#!/usr/bin/env bash
# packaging.deb_build_paths: the packaged tune must not search the directory
# it was built in. Run from a build, tune also looks for profiles and unit
# templates in its source tree; in a package that tree was scratch space
# under /tmp (scripts/build-deb.sh), gone once built, so anyone could create
# it again and have tune, running as root, read profiles from it.
# Exit 0 pass, 1 fail, 77 skip. Usage: deb_build_paths.sh OUTDIR
set -euo pipefail
outdir=${1:?usage: $0 OUTDIR}
command -v dpkg-deb >/dev/null || { echo "SKIP: dpkg-deb is not installed"; exit 77; }
deb=$(find "$outdir" -maxdepth 1 -name 'tune_*.deb' 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "FAIL: no tune_*.deb in $outdir (packaging.deb_build makes it)"; exit 1; }
# build-deb.sh's scratch directories are named tune-deb.XXXXXX, the tree in them tune/.
# (grep -o reads to the end: grep -q would stop early and fail the pipe under pipefail.)
found=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/tune | grep -aoE '/[[:alnum:]/_-]*tune-deb\.[A-Za-z0-9]{6}/tune/[a-z]*' | sort -u || true)
if [ -n "$found" ]; then
  echo "FAIL: usr/bin/tune searches its build directory: $(echo "$found" | tr '\n' ' ')(configure the package with -DTUNE_SOURCE_TREE_LOOKUP=OFF)"
  exit 1
fi
echo "ok: usr/bin/tune names no build directory"
