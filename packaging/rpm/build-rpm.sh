#!/usr/bin/env bash
# build-rpm.sh [TOPDIR]: the binary RPM of the current working tree, built
# from packaging/rpm/tune.spec with rpmbuild (Fedora's, or Debian's `rpm`
# package). The working tree is not touched: the files git knows or would add
# (tracked, and untracked but not ignored) become Source0, as `git archive`
# would make it but with uncommitted work. TOPDIR (default build/rpm) is
# rpmbuild's tree; the last line printed is the .rpm's path.
#
# On a machine without Fedora's build dependencies under those names (Debian),
# set RPMBUILD_NODEPS=1: rpmbuild then does not check BuildRequires, and the
# libraries are found by CMake as on any build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
spec=$repo/packaging/rpm/tune.spec
topdir=${1:-$repo/build/rpm}

for tool in git rpmbuild rpmspec; do
  command -v "$tool" >/dev/null || { echo "build-rpm: $tool is not installed" >&2; exit 1; }
done
mkdir -p "$topdir/SOURCES"
topdir=$(cd "$topdir" && pwd)

version=$(rpmspec -q --srpm --qf '%{version}' "$spec")
tarball=$topdir/SOURCES/tune-$version.tar.gz
# A tracked file deleted in the working tree is listed too; only what exists goes in.
(cd "$repo" && git ls-files -z -co --exclude-standard |
  while IFS= read -r -d '' path; do if [ -f "$path" ]; then printf '%s\0' "$path"; fi; done |
  tar --null -T - --transform "s,^,tune-$version/," -czf "$tarball")

# No debuginfo subpackage: Debian's rpm lacks Fedora's find-debuginfo. The
# section scripts go under TOPDIR too: rpmbuild leaves them behind when a
# build fails, and /var/tmp is not this script's to litter.
mkdir -p "$topdir/tmp"
options=(--define "_topdir $topdir" --define "_tmppath $topdir/tmp" --define "debug_package %{nil}")
[ "${RPMBUILD_NODEPS:-0}" = 1 ] && options+=(--nodeps)
# ccache when the builder has it (CI builds this often). The source is
# unpacked afresh under BUILD each time, so paths are hashed relative to it.
if command -v ccache >/dev/null; then
  options+=(--define "tune_compiler_launcher $(command -v ccache)")
  export CCACHE_BASEDIR=$topdir/BUILD/tune-$version CCACHE_NOHASHDIR=true
fi

rm -f "$topdir"/RPMS/*/tune-"$version"-*.rpm
log=$topdir/build.log
start=$(date +%s)
rpmbuild -bb "${options[@]}" "$spec" >"$log" 2>&1 || {
  echo "build-rpm: rpmbuild failed after $(($(date +%s) - start)) s; the last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}
echo "build-rpm: built in $(($(date +%s) - start)) s"
find "$topdir/RPMS" -name "tune-$version-*.rpm" | head -n 1
