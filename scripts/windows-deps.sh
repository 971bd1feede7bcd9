#!/usr/bin/env bash
# The libraries tune needs, built for Windows with Debian's MinGW-w64, into a
# prefix named after the versions it was built from, under the user's cache
# ($TUNE_DEPS_CACHE, else ~/.cache/tune), not the checkout: a second run and
# CI's fresh clones on the same machine reuse it. Prints the prefix.
#
# Nothing comes from outside Debian:
#   CLI11, nlohmann-json, toml++: Debian's headers, copied (only those
#     directories: -I/usr/include would let Linux headers in).
#   yaml-cpp, fmt and spdlog: Debian's source packages (apt-get source), the
#     versions the Linux build links, built static. (spdlog and fmt could be
#     used header-only, but then every file of tune compiles them again,
#     which made a cold Windows build take about twice as long.)
#   GoogleTest: the sources Debian's googletest package ships in /usr/src.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
toolchain=$repo/cmake/mingw-w64-x86_64.cmake

version_of() { dpkg-query -W -f='${Version}' "$1"; }
yaml_version=$(version_of libyaml-cpp-dev)
fmt_version=$(version_of libfmt-dev)
spdlog_version=$(version_of libspdlog-dev)
key="gcc$(version_of g++-mingw-w64-x86-64)-yaml$yaml_version-gtest$(version_of googletest)"
key+="-cli$(version_of libcli11-dev)-json$(version_of nlohmann-json3-dev)-toml$(version_of libtomlplusplus-dev)"
key+="-spdlog$spdlog_version-fmt$fmt_version-v2"
key=$(printf '%s' "$key" | tr -c 'A-Za-z0-9.+_-' '_')
cache=${TUNE_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tune}/mingw
prefix=$cache/$key
if [ -f "$prefix/complete" ]; then
  echo "$prefix"
  exit 0
fi

work=$cache/work
rm -rf "$prefix" "$work"
mkdir -p "$prefix/include" "$work"
log=$work/build.log
echo "windows-deps: building into $prefix (log: $log)" >&2

for dir in CLI nlohmann toml++; do
  cp -r "/usr/include/$dir" "$prefix/include/"
done

cross_build() {  # SOURCE_DIR BUILD_DIR CMAKE_ARGS...
  local source=$1 build=$2
  shift 2
  cmake -S "$source" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DTUNE_WINDOWS_DEPS="$prefix" -DBUILD_SHARED_LIBS=OFF "$@" >>"$log" 2>&1
  cmake --build "$build" -j "$(nproc)" >>"$log" 2>&1
  cmake --install "$build" >>"$log" 2>&1
}

# A Debian source package, unpacked into $work/NAME-source: the same version
# and patches as the -dev package the Linux build uses. apt-get source needs
# a deb-src entry (scripts/install-deps.sh adds one).
debian_source() {  # SOURCE_PACKAGE BINARY_VERSION
  local name=$1 version=${2%+b*}  # a binNMU (+bN) has its source's version without it
  (
    cd "$work"
    apt-get source --download-only "$name=$version" >>"$log" 2>&1 ||
      { apt-get update -q >>"$log" 2>&1 && apt-get source --download-only "$name=$version" >>"$log" 2>&1; }
    dpkg-source -x "${name}_${version#*:}.dsc" "$name-source" >>"$log" 2>&1  # file names have no epoch
  )
}

debian_source fmtlib "$fmt_version"
cross_build "$work/fmtlib-source" "$work/fmt-build" -DFMT_DOC=OFF -DFMT_TEST=OFF -DFMT_INSTALL=ON

debian_source spdlog "$spdlog_version"
cross_build "$work/spdlog-source" "$work/spdlog-build" -DSPDLOG_FMT_EXTERNAL=ON -DSPDLOG_BUILD_EXAMPLE=OFF \
  -DSPDLOG_BUILD_TESTS=OFF -DSPDLOG_BUILD_BENCH=OFF -DSPDLOG_INSTALL=ON

debian_source yaml-cpp "$yaml_version"
cross_build "$work/yaml-cpp-source" "$work/yaml-cpp-build" \
  -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_BUILD_SHARED_LIBS=OFF

cross_build /usr/src/googletest "$work/googletest-build" -DBUILD_GMOCK=ON -DINSTALL_GTEST=ON

rm -rf "$work"
touch "$prefix/complete"
# Builds from older versions are of no more use.
for old in "$cache"/*/; do
  [ "${old%/}" = "$prefix" ] || rm -rf "$old"
done
echo "$prefix"
