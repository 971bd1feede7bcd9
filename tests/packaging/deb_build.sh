#!/usr/bin/env bash
# packaging.deb_build: builds tune's Debian package from the working tree with
# scripts/build-deb.sh (lintian's errors fail it) into OUTDIR, for
# packaging.deb_vm and packaging.deb_build_paths. Prints the time of each part.
# Exit 0 pass, 1 fail, 77 skip. Usage: deb_build.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
outdir=${1:?usage: $0 OUTDIR}

for tool in dpkg-buildpackage dh lintian; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
mkdir -p "$outdir"
rm -f "$outdir"/tune_*.deb
start=$(date +%s)
# No debug symbols package: the tests install tune itself, and compressing
# its debug information is most of a warm build's time.
if ! DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" "$repo/scripts/build-deb.sh" "$outdir" >"$outdir/build.log" 2>&1; then
  sed 's/^/  | /' "$outdir/build.log"
  echo "FAIL: the package did not build, or lintian reports errors"
  exit 1
fi
grep -E '^[EW]: ' "$outdir/build.log" | sed 's/^/  lintian /' || true
deb=$(tail -n 1 "$outdir/build.log")
[ -f "$deb" ] || { echo "FAIL: build-deb.sh printed no package path"; exit 1; }
echo "ok: built $(basename "$deb") and lintian reports no error ($(( $(date +%s) - start )) s in all)"
grep '^build-deb: .* in [0-9]* s$' "$outdir/build.log" | sed 's/^/  /'
