#!/usr/bin/env bash
# The Windows stage: cross-compile tune and its Windows tests with Debian's
# MinGW-w64 into build/mingw, run the test binaries under wine64, then
# `tune.exe detect`, `plan -p workstation-windows` and `apply -p
# workstation-windows --dry-run` against wine's registry. Fails on any error.
# The wine prefix is private to the build (build/mingw/wineprefix), created
# once, with Mono and Gecko disabled so wine downloads nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
build=$repo/build/mingw
wine=$repo/cmake/wine-run.sh
export WINEPREFIX=$build/wineprefix

deps=$(scripts/windows-deps.sh)
export CCACHE_BASEDIR=$repo CCACHE_NOHASHDIR=true
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

echo "== Windows build (MinGW-w64)"
# -O2: GCC 12's -O3 reports a false -Wrestrict inside std::string (GCC bug 105329).
# No fault points: the kill tests that use them are Linux's.
cmake -S . -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/mingw-w64-x86_64.cmake" \
  -DTUNE_WINDOWS_DEPS="$deps" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DTUNE_WERROR=ON -DTUNE_FAULT_POINTS=OFF -DTUNE_BUILD_TESTS=ON "${launcher[@]}" >/dev/null
mkdir -p "$WINEPREFIX"
cmake --build "$build" -j "$(nproc)"

echo "== Windows tests under wine"
# Straight from the binaries (GoogleTest's own output), not through ctest discovery.
tests=$(cd "$build" && ls tests/*_tests.exe 2>/dev/null || true)
for test in $tests; do
  echo "-- $test"
  "$wine" "$build/$test" --gtest_brief=1
done

echo "== tune.exe under wine, against wine's registry"
# The state directory is the default one, %ProgramData%\tune\state inside the private prefix.
run_tune() {  # ARGS...; prints the output, fails on a non-zero exit
  local output
  if ! output=$("$wine" "$build/tune.exe" --no-color "$@" 2>&1); then
    printf '%s\n' "$output"
    echo "windows-test: tune.exe $* failed" >&2
    return 1
  fi
  printf '%s\n' "$output"
}
run_tune detect
plan=$(run_tune plan -p workstation-windows)
printf '%s\n' "$plan"
# A plan names its profile; a "no backend" skip would mean the Windows platform was not used.
grep -q "workstation-windows" <<<"$plan" || { echo "windows-test: plan printed no plan" >&2; exit 1; }
if grep -qi "no backend" <<<"$plan"; then
  echo "windows-test: the plan skips for want of a Windows backend" >&2
  exit 1
fi
run_tune apply -p workstation-windows --dry-run
echo "== Windows stage passed"
