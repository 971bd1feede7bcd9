#!/usr/bin/env bash
# build-deb.sh [OUTDIR]: the Debian package of the current working tree,
# checked by lintian. The working tree is not touched: the files git knows or
# would add (tracked, and untracked but not ignored) are copied to a scratch
# directory, packaging/debian becomes its debian/, and dpkg-buildpackage builds
# the binary package there without the test suite (tests are CI's job, not
# the package's). lintian's errors fail the build; its warnings are printed.
# The .deb lands in OUTDIR (default build/deb); the last line printed is its
# path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
outdir=${1:-$repo/build/deb}

for tool in git dpkg-buildpackage dh lintian; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
[ -d "$repo/packaging/debian" ] || { echo "build-deb: $repo/packaging/debian is missing" >&2; exit 1; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/tune-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
# dpkg-buildpackage writes the .deb beside the source directory, so the
# source goes one level down and its parent only ever holds this build's output.
src=$work/tune
mkdir "$src"
# A tracked file deleted in the working tree is listed too; only what exists is copied.
(cd "$repo" && git ls-files -z -co --exclude-standard |
  while IFS= read -r -d '' path; do if [ -e "$path" ] || [ -L "$path" ]; then printf '%s\0' "$path"; fi; done |
  tar --null -T - -cf -) | tar -xf - -C "$src"
rm -rf "$src/debian"
cp -a "$src/packaging/debian" "$src/debian"

start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1 || {
  echo "build-deb: dpkg-buildpackage failed; the last lines of its log:" >&2
  tail -n 40 "$work/build.log" >&2
  exit 1
}
echo "build-deb: built in $(( $(date +%s) - start )) s"

changes=$(ls "$work"/tune_*.changes)
deb=$(ls "$work"/tune_*.deb)
# tune run from a build also searches the source tree's profiles/ and
# templates/; a packaged tune running as root must not search a path under
# /tmp that anyone can create once the build's directory is gone. Any build's
# directory: ccache, which hashes paths relative to the tree, can hand back an
# object compiled in an earlier one.
# (grep -c reads to the end: grep -q would stop early and fail the pipe under pipefail.)
found=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/tune | grep -acF "$(dirname "$work")/tune-deb." || true)
if [ "$found" != 0 ]; then
  echo "build-deb: warning: usr/bin/tune searches its build directory for profiles or templates"
fi
start=$(date +%s)
lintian_status=0
lintian --fail-on error --info "$changes" || lintian_status=$?
echo "build-deb: lintian ran in $(( $(date +%s) - start )) s"
if [ "$lintian_status" != 0 ]; then
  echo "build-deb: lintian reports errors (E: above)" >&2
  exit 1
fi
cp "$deb" "$outdir/"
echo "$outdir/$(basename "$deb")"
